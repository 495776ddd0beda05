/**
 * `ssl-orders demo` (what `npm run demo` runs), in-process: the whole job, then the emulator is closed.
 */
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { firstIn, runCli, tableIds } from './helpers.js';

describe('demo', () => {
  it('lists, resends one Approved order through the auto-answered prompt, shows the outbox, closes', async () => {
    let emulator: Emulator | undefined;
    const run = await runCli(['demo'], undefined, {
      startEmulator: async () => {
        emulator = await startEmulator();
        return emulator;
      },
    });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toBe('');
    if (!emulator) throw new Error('the demo did not start an emulator');
    const order = firstIn(emulator, 'Approved');
    const [, listing = '', rest = ''] = run.stdout.split(/\$ ssl-orders (?:list|resend \d+)\n/);
    expect(tableIds(listing.trim())).toHaveLength(emulator.orders.length);
    expect(run.stdout).toContain(`$ ssl-orders resend ${order.id}\n`);
    expect(rest).toContain(`Recipient:    ${order.approverEmailAddress}`);
    expect(rest).toContain(
      `Send the fulfillment email to ${order.approverEmailAddress}? [y/N] y   (auto-answering 'y' for the demo)\n`,
    );
    expect(emulator.outbox).toEqual([
      expect.objectContaining({ orderId: order.id, recipient: order.approverEmailAddress }),
    ]);
    const outbox = rest.slice(rest.indexOf('outbox (1 email)'));
    expect(outbox).toMatch(
      new RegExp(
        `\\n${order.id}\\s+FulfillmentEmail\\s+${order.approverEmailAddress}\\s+${order.commonName}\\s+\\d{4}-`,
      ),
    );
    await expect(fetch(emulator.url)).rejects.toThrow();
  });

  it('closes the emulator even when the demo fails', async () => {
    let emulator: Emulator | undefined;
    const run = await runCli(['demo'], undefined, {
      startEmulator: async () => {
        emulator = await startEmulator();
        emulator.inject({ route: 'resend', kind: 'reset-after' });
        return emulator;
      },
    });
    expect(run.code).toBe(EXIT.unknown);
    expect(run.stderr).toMatch(
      /^ssl-orders: the fulfillment email for order \d+ may or may not have been sent/,
    );
    if (!emulator) throw new Error('the demo did not start an emulator');
    await expect(fetch(emulator.url)).rejects.toThrow();
  });
});
