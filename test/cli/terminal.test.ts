/**
 * The real bin under a pseudo-terminal (util-linux `script`): the prompt shows the recipient, and
 * the typed answer decides whether the emulator's CA sends anything.
 */
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { runInTerminal } from './child.js';
import { emulatorEnv, firstIn, resendPosts } from './helpers.js';

/** The pseudo-terminal comes from util-linux `script`; without it this test fails, never skips. */
function requireScript(): void {
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'the real-terminal test needs util-linux `script`: apt-get install -y bsdutils (Debian/Ubuntu)',
    );
  }
}

let emulator: Emulator;
beforeEach(async () => {
  requireScript();
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

// Child processes start slowly on a loaded machine; the generous timeout is for that, not for the CLI.
describe('resend in a pseudo-terminal', { timeout: 60_000 }, () => {
  it.each([
    ['n', EXIT.declined, 0],
    ['y', EXIT.ok, 1],
  ] as const)('answering %j exits %i and sends %i email(s)', async (answer, exitCode, sent) => {
    const order = firstIn(emulator, 'Approved');
    const prompt = `Send the fulfillment email to ${order.approverEmailAddress}? [y/N] `;
    const run = await runInTerminal(
      ['resend', String(order.id), '--endpoint', emulator.url],
      emulatorEnv(emulator),
      prompt,
      `${answer}\n`,
    );
    expect(run.stdout).toContain(`Recipient:    ${order.approverEmailAddress}`);
    expect(run.stdout).toContain(`Common name:  ${order.commonName}`);
    expect(run.stdout).toContain(prompt);
    expect(run.code).toBe(exitCode);
    expect(emulator.outbox).toHaveLength(sent);
    expect(resendPosts(emulator)).toBe(sent);
    expect(run.stdout).toContain(sent ? 'Sent: the certificate authority will email' : 'Declined:');
  });
});

describe('Ctrl-C at the prompt', { timeout: 60_000 }, () => {
  it('sends nothing, says so, and exits 130', async () => {
    const order = firstIn(emulator, 'Approved');
    const prompt = `Send the fulfillment email to ${order.approverEmailAddress}? [y/N] `;
    // ETX is what the Ctrl-C key sends; the terminal turns it into SIGINT for the foreground process.
    const run = await runInTerminal(
      ['resend', String(order.id), '--endpoint', emulator.url],
      emulatorEnv(emulator),
      prompt,
      '\u0003',
    );
    expect(run.stdout).toContain(prompt);
    expect(run.stdout).toContain(
      `interrupted before the request was sent: nothing was sent for order ${order.id}`,
    );
    expect(run.code).toBe(EXIT.interrupted);
    expect(resendPosts(emulator)).toBe(0);
  });
});
