/**
 * The real bin in a child process with stdin a pipe (not a terminal): it refuses to send without
 * --yes; `demo` (what `npm run demo` runs) and `--emulator` work end to end.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { runPiped } from './child.js';
import { emulatorEnv, firstIn, ordersIn, resendPosts } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});

// Child processes start slowly on a loaded machine; the generous timeout is for that, not for the CLI.
describe.concurrent('the bin without a terminal', { timeout: 60_000 }, () => {
  it('refuses to send without --yes (exit 5) even with "y" on stdin; nothing is sent', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runPiped(
      ['resend', String(order.id), '--endpoint', emulator.url],
      emulatorEnv(emulator),
      'y\n',
    );
    expect(run.code).toBe(EXIT.needsConfirmation);
    expect(run.stderr).toContain(`Recipient:    ${order.approverEmailAddress}`);
    expect(run.stderr).toContain('Re-run with --yes');
    expect(run.stdout).toBe('');
    expect(emulator.outbox.filter((entry) => entry.orderId === order.id)).toHaveLength(0);
    expect(resendPosts(emulator)).toBe(0);
  });

  it('demo: exit 0, the listing, the auto-answered prompt and the outbox', async () => {
    const run = await runPiped(['demo'], {});
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('$ ssl-orders list\nID  ');
    expect(run.stdout).toContain("? [y/N] y   (auto-answering 'y' for the demo)");
    expect(run.stdout).toMatch(
      /outbox \(1 email\):\nORDER\s+EMAIL\s+RECIPIENT.*\n\d+\s+FulfillmentEmail\s+\S+@/,
    );
  });

  it('--emulator lists a fresh emulator; no credentials needed', async () => {
    const run = await runPiped(['list', '--emulator', '--json'], {});
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toMatch(/^Using an embedded emulator at http:\/\/127\.0\.0\.1:\d+\/rest\/v3\.1\//);
    const ids = (JSON.parse(run.stdout) as { id: number }[]).map((order) => order.id);
    expect(ids).toEqual(ordersIn(emulator).map((order) => order.id));
  });
});
