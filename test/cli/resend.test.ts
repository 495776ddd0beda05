/**
 * `resend <id>` in-process against a real emulator: the prompt, --yes, --dry-run, --approver,
 * the refusal without a terminal, and every exit code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { firstIn, resendPosts, runCli } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('on a terminal', () => {
  it('shows recipient, common name and status, asks, and sends on "y"', async () => {
    const order = firstIn(emulator, 'Approved');
    const { code, stdout, stderr } = await runCli(['resend', String(order.id)], emulator, {
      isTTY: true,
      stdin: 'y\n',
    });
    expect(code).toBe(EXIT.ok);
    expect(stderr).toContain(`Common name:  ${order.commonName}`);
    expect(stderr).toContain('Status:       Approved');
    expect(stderr).toContain(`Recipient:    ${order.approverEmailAddress}`);
    expect(stderr).toContain(`Send the fulfillment email to ${order.approverEmailAddress}? [y/N] `);
    expect(stdout).toBe(
      `Sent: the certificate authority will email the fulfillment email for order ${order.id} to ${order.approverEmailAddress}.\n`,
    );
    expect(emulator.outbox).toEqual([
      expect.objectContaining({
        orderId: order.id,
        emailType: 'FulfillmentEmail',
        recipient: order.approverEmailAddress,
      }),
    ]);
  });

  it.each(['n\n', '\n', 'yes please\n', ''])('declines on %j: exit 3, nothing sent', async (answer) => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(['resend', String(order.id)], emulator, { isTTY: true, stdin: answer });
    expect(run.code).toBe(EXIT.declined);
    expect(run.stdout).toBe(`Declined: the fulfillment email for order ${order.id} was not sent.\n`);
    expect(emulator.outbox).toHaveLength(0);
    expect(resendPosts(emulator)).toBe(0);
  });

  it('accepts "YES" in any case', async () => {
    const order = firstIn(emulator, 'Complete');
    const run = await runCli(['resend', String(order.id)], emulator, { isTTY: true, stdin: ' YES \n' });
    expect(run.code).toBe(EXIT.ok);
    expect(emulator.outbox).toHaveLength(1);
  });

  it('--approver sends the approval email of a pending order', async () => {
    const order = firstIn(emulator, 'Pending CA Approval');
    const run = await runCli(['resend', String(order.id), '--approver'], emulator, {
      isTTY: true,
      stdin: 'y\n',
    });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toContain(`Send the approval email to ${order.approverEmailAddress}? [y/N]`);
    expect(emulator.outbox).toEqual([
      expect.objectContaining({ orderId: order.id, emailType: 'ApproverEmail' }),
    ]);
  });
});

describe('without a terminal', () => {
  it('refuses without --yes: exit 5, shows the recipient, sends nothing', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(['resend', String(order.id)], emulator, { stdin: 'y\n' });
    expect(run.code).toBe(EXIT.needsConfirmation);
    expect(run.stderr).toContain(`Recipient:    ${order.approverEmailAddress}`);
    expect(run.stderr).toContain('stdin is not a terminal');
    expect(run.stderr).toContain('--yes');
    expect(run.stderr).not.toContain('[y/N]');
    expect(emulator.outbox).toHaveLength(0);
    expect(resendPosts(emulator)).toBe(0);
  });

  it('--yes sends without asking', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).not.toContain('[y/N]');
    expect(emulator.outbox).toEqual([expect.objectContaining({ orderId: order.id })]);
  });

  it('--dry-run reads and checks, prints the request, sends nothing', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(['resend', String(order.id), '--dry-run'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('Dry run, nothing was sent: would POST ');
    expect(run.stdout).toContain(
      `${emulator.url}SoftLayer_Security_Certificate_Request/${order.id}/resendEmail`,
    );
    expect(run.stdout).toContain('{"parameters":["FulfillmentEmail"]}');
    expect(run.stdout).toContain(order.approverEmailAddress);
    expect(resendPosts(emulator)).toBe(0);
    expect(emulator.count({ route: 'get' })).toBe(1);
  });

  it('--force with a reason sends', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(
      ['resend', String(order.id), '--yes', '--force', 'customer lost the email'],
      emulator,
    );
    expect(run.code).toBe(EXIT.ok);
    expect(emulator.outbox).toHaveLength(1);
  });
});

describe('failures', () => {
  it('an order whose status does not allow the email: exit 1, nothing sent', async () => {
    const order = firstIn(emulator, 'Canceled');
    const run = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/^ssl-orders: PreconditionFailedError: .*"Canceled"; nothing was sent/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(resendPosts(emulator)).toBe(0);
  });

  it.each(['reset-after', 'server-error'] as const)(
    'a %s on the send: exit 4, "may or may not have been sent", one POST, not retried',
    async (kind) => {
      const order = firstIn(emulator, 'Approved');
      emulator.inject({ route: 'resend', kind });
      const run = await runCli(['resend', String(order.id), '--yes'], emulator);
      expect(run.code).toBe(EXIT.unknown);
      expect(run.stdout).toBe('');
      const lines = run.stderr.trim().split('\n');
      const last = lines.at(-1) ?? '';
      expect(last).toMatch(
        new RegExp(
          `^ssl-orders: the fulfillment email for order ${order.id} may or may not have been sent to `,
        ),
      );
      expect(last).toContain('It was NOT retried');
      expect(last).toContain(`check with ${order.approverEmailAddress}`);
      expect(run.stderr).not.toMatch(/\n\s+at /);
      expect(resendPosts(emulator)).toBe(1);
      expect(emulator.outbox).toHaveLength(kind === 'reset-after' ? 1 : 0);
    },
  );

  it('--timeout applies: a send that hangs is an unknown outcome after the timeout', async () => {
    const order = firstIn(emulator, 'Approved');
    emulator.inject({ route: 'resend', kind: 'hang' });
    const started = performance.now();
    const run = await runCli(['resend', String(order.id), '--yes', '--timeout', '0.2'], emulator);
    expect(run.code).toBe(EXIT.unknown);
    expect(run.stderr).toContain('timed out after 200 ms');
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(resendPosts(emulator)).toBe(1);
  });

  it('an unknown order: exit 1', async () => {
    const missing = Math.max(...emulator.orders.map((order) => order.id)) + 1;
    const run = await runCli(['resend', String(missing), '--yes'], emulator);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/^ssl-orders: NotFoundError: /);
    expect(resendPosts(emulator)).toBe(0);
  });
});
