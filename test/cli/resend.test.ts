/**
 * `resend <id>` in-process against a real emulator: the prompt, --yes, --dry-run, --approver,
 * the refusal without a terminal, and every exit code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { startGate } from './gate.js';
import { emulatorEnv, firstIn, newLedger, resendPosts, runCli } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => {
  emulator.reset();
  newLedger();
});

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

  it('--json prints the result as one JSON object', async () => {
    const order = firstIn(emulator, 'Approved');
    const run = await runCli(['resend', String(order.id), '--yes', '--json'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(JSON.parse(run.stdout)).toEqual({
      outcome: 'sent',
      orderId: order.id,
      emailType: 'FulfillmentEmail',
      recipient: order.approverEmailAddress,
      intentId: expect.any(String),
      sentAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });
});

describe('the send ledger', () => {
  it('a second run within the cooldown is refused with exit 6: who, when, which intent, how to force', async () => {
    const order = firstIn(emulator, 'Approved');
    const first = await runCli(['resend', String(order.id), '--yes', '--json'], emulator);
    expect(first.code).toBe(EXIT.ok);
    const { intentId } = JSON.parse(first.stdout) as { intentId: string };
    const second = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(second.code).toBe(EXIT.alreadySent);
    expect(second.stdout).toBe('');
    const line = second.stderr.trim().split('\n').at(-1) ?? '';
    expect(line).toContain(`order ${order.id} was already sent to ${order.approverEmailAddress} at 20`);
    expect(line).toContain(`intent ${intentId}`);
    expect(line).toContain(`ssl-orders resend ${order.id} --force "<reason>"`);
    expect(emulator.outbox).toHaveLength(1);
    expect(resendPosts(emulator)).toBe(1);
  });

  it('--force with a reason sends again within the cooldown, and the reason is recorded', async () => {
    const order = firstIn(emulator, 'Approved');
    expect((await runCli(['resend', String(order.id), '--yes'], emulator)).code).toBe(EXIT.ok);
    const forced = await runCli(
      ['resend', String(order.id), '--yes', '--force', 'customer lost the email'],
      emulator,
    );
    expect(forced.code).toBe(EXIT.ok);
    expect(emulator.outbox.filter((entry) => entry.orderId === order.id)).toHaveLength(2);
    const history = await runCli(['history', '--order', String(order.id), '--json'], emulator);
    const entries = JSON.parse(history.stdout) as { outcome: string; forced: boolean; reason?: string }[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'sent', forced: true, reason: 'customer lost the email' });
  });

  it('--cooldown sets how long a sent email blocks', async () => {
    const order = firstIn(emulator, 'Approved');
    expect((await runCli(['resend', String(order.id), '--yes', '--cooldown', '1ms'], emulator)).code).toBe(
      EXIT.ok,
    );
    const started = Date.now();
    const again = await runCli(['resend', String(order.id), '--yes', '--cooldown', '1ms'], emulator);
    expect(Date.now() - started).toBeGreaterThan(1);
    expect(again.code).toBe(EXIT.ok);
    expect(emulator.outbox).toHaveLength(2);
    const blocked = await runCli(['resend', String(order.id), '--yes', '--cooldown', '2h'], emulator);
    expect(blocked.code).toBe(EXIT.alreadySent);
    expect(emulator.outbox).toHaveLength(2);
  });

  it('after an unknown outcome a plain re-run is refused (exit 7) until marked; mark sent blocks, not-sent frees', async () => {
    const order = firstIn(emulator, 'Approved');
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const lost = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(lost.code).toBe(EXIT.unknown);
    expect(emulator.outbox).toHaveLength(1);
    const rerun = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(rerun.code).toBe(EXIT.earlierUnknown);
    expect(rerun.stderr).toContain('has an unknown outcome');
    expect(rerun.stderr).toContain(`ssl-orders mark ${order.id} sent --reason`);
    expect(rerun.stderr).toContain(`ssl-orders resend ${order.id} --force "<reason>"`);
    expect(rerun.stderr).toMatch(/intent [\w-]{8,}/);
    expect(resendPosts(emulator)).toBe(1);

    const marked = await runCli(['mark', String(order.id), 'not-sent', '--reason', 'it bounced'], emulator);
    expect(marked.code).toBe(EXIT.ok);
    expect(marked.stdout).toContain('Nothing was sent now');
    expect(resendPosts(emulator)).toBe(1);
    expect((await runCli(['resend', String(order.id), '--yes'], emulator)).code).toBe(EXIT.ok);
    expect(emulator.outbox).toHaveLength(2);

    const other = firstIn(emulator, 'Complete');
    emulator.inject({ route: 'resend', kind: 'server-error' });
    expect((await runCli(['resend', String(other.id), '--yes'], emulator)).code).toBe(EXIT.unknown);
    expect(
      (await runCli(['mark', String(other.id), 'sent', '--reason', 'admin saw it'], emulator)).code,
    ).toBe(EXIT.ok);
    expect((await runCli(['resend', String(other.id), '--yes'], emulator)).code).toBe(EXIT.alreadySent);

    const history = await runCli(['history'], emulator);
    expect(history.code).toBe(EXIT.ok);
    const rows = history.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^TIME\s+ORDER\s+EMAIL\s+RECIPIENT\s+OUTCOME\s+INTENT\s+NOTE$/);
    expect(rows[1]).toMatch(
      new RegExp(`\\s${other.id}\\s+fulfillment\\s+\\S+\\s+sent\\s+\\S+\\s+marked: admin saw it$`),
    );
    expect(rows[2]).toMatch(new RegExp(`\\s${order.id}\\s+fulfillment\\s+\\S+\\s+sent\\s`));
  });
});

describe('Ctrl-C', () => {
  it('before the request left: nothing sent, says so, exit 130; a re-run sends', async () => {
    const order = firstIn(emulator, 'Approved');
    const gate = await startGate(emulator, 'order-read');
    try {
      let interrupt: (() => void) | undefined;
      const running = runCli(['resend', String(order.id), '--yes', '--endpoint', gate.url], undefined, {
        env: emulatorEnv(emulator),
        onInterrupt: (listener) => {
          interrupt = listener;
          return () => {};
        },
      });
      await gate.reached;
      interrupt?.();
      const run = await running;
      expect(run.code).toBe(EXIT.interrupted);
      expect(run.stderr).toContain(
        `interrupted before the request was sent: nothing was sent for order ${order.id}`,
      );
      expect(resendPosts(emulator)).toBe(0);
      const rerun = await runCli(['resend', String(order.id), '--yes', '--endpoint', gate.url], undefined, {
        env: emulatorEnv(emulator),
      });
      expect(rerun.code).toBe(EXIT.ok);
      expect(emulator.outbox).toHaveLength(1);
    } finally {
      await gate.close();
    }
  });

  it('after the request left: "may or may not", recorded unknown, exit 4; a re-run is refused (exit 7)', async () => {
    const order = firstIn(emulator, 'Approved');
    const gate = await startGate(emulator, 'after-post');
    try {
      let interrupt: (() => void) | undefined;
      const running = runCli(['resend', String(order.id), '--yes', '--endpoint', gate.url], undefined, {
        env: emulatorEnv(emulator),
        onInterrupt: (listener) => {
          interrupt = listener;
          return () => {};
        },
      });
      await gate.reached;
      interrupt?.();
      const run = await running;
      expect(run.code).toBe(EXIT.unknown);
      expect(run.stderr).toContain(
        `the fulfillment email for order ${order.id} may or may not have been sent to ${order.approverEmailAddress}`,
      );
      expect(run.stderr).toContain('recorded as unknown');
      const rerun = await runCli(['resend', String(order.id), '--yes', '--endpoint', gate.url], undefined, {
        env: emulatorEnv(emulator),
      });
      expect(rerun.code).toBe(EXIT.earlierUnknown);
      expect(emulator.outbox).toHaveLength(1);
      expect(resendPosts(emulator)).toBe(1);
    } finally {
      await gate.close();
    }
  });
});

describe('failures', () => {
  it('an order whose status does not allow the email: exit 1, nothing sent, the CLI flag suggested', async () => {
    const order = firstIn(emulator, 'Canceled');
    const run = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toMatch(/^ssl-orders: PreconditionFailedError: .*"Canceled"; nothing was sent/);
    expect(run.stderr).toContain('--any-status');
    expect(run.stderr).not.toContain('allowAnyStatus');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(resendPosts(emulator)).toBe(0);
    // --any-status skips the CLI's check: the request goes out (the emulator, like the API, then
    // refuses a Canceled order itself).
    const anyway = await runCli(['resend', String(order.id), '--yes', '--any-status'], emulator);
    expect(anyway.stderr).not.toContain('PreconditionFailedError');
    expect(resendPosts(emulator)).toBe(1);
  });

  it('a pending order without --approver: the message suggests --approver', async () => {
    const order = firstIn(emulator, 'Pending CA Approval');
    const run = await runCli(['resend', String(order.id), '--yes'], emulator);
    expect(run.code).toBe(EXIT.failed);
    expect(run.stderr).toContain(`ssl-orders resend ${order.id} --approver`);
    expect(run.stderr).not.toContain('allowAnyStatus');
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
