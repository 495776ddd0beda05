/**
 * `resend --all --status <name>` in-process against a real emulator: progress lines, the summary,
 * per-order prompts and the batch exit code.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { startGate } from './gate.js';
import { emulatorEnv, newLedger, ordersIn, resendPosts, runCli } from './helpers.js';

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

function progressLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /^\[\d+\/\d+\] order \d+ /.test(line));
}

describe('resend --all', () => {
  it('--yes sends to every order in the status, oldest expiration first, with progress and a summary', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--yes'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual(approved.map((order) => order.id));
    expect(emulator.outbox.map((entry) => entry.recipient)).toEqual(
      approved.map((order) => order.approverEmailAddress),
    );
    expect(progressLines(run.stderr)).toEqual(
      approved.map(
        (order, index) =>
          `[${index + 1}/${approved.length}] order ${order.id} ${order.commonName}: sent to ${order.approverEmailAddress}`,
      ),
    );
    expect(run.stdout).toBe(
      `Summary: ${approved.length} sent, 0 declined, 0 failed, 0 unknown, 0 skipped (${approved.length} orders in status "Approved").\n`,
    );
  });

  it('without a terminal and without --yes: exit 5 before reading anything', async () => {
    const run = await runCli(['resend', '--all', '--status', 'Approved'], emulator, { stdin: 'y\ny\n' });
    expect(run.code).toBe(EXIT.needsConfirmation);
    expect(run.stderr).toContain('--yes');
    expect(emulator.requests).toHaveLength(0);
  });

  it('on a terminal asks for each order; the answers decide; declines make exit 3', async () => {
    const approved = ordersIn(emulator, 'Approved');
    expect(approved.length).toBeGreaterThanOrEqual(3);
    const answers = approved.map((_, index) => (index % 2 === 0 ? 'y' : 'n'));
    const run = await runCli(['resend', '--all', '--status', 'Approved'], emulator, {
      isTTY: true,
      stdin: `${answers.join('\n')}\n`,
    });
    expect(run.code).toBe(EXIT.declined);
    const wanted = approved.filter((_, index) => answers[index] === 'y');
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual(wanted.map((order) => order.id));
    expect(resendPosts(emulator)).toBe(wanted.length);
    for (const order of approved) {
      expect(run.stderr).toContain(
        `Send the fulfillment email to ${order.approverEmailAddress}? [y/N/all/quit]`,
      );
    }
    const declined = approved.length - wanted.length;
    expect(run.stdout).toMatch(new RegExp(`^Summary: ${wanted.length} sent, ${declined} declined, 0 failed`));
  });

  it('--dry-run sends nothing and needs no terminal', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--dry-run'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(resendPosts(emulator)).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Summary: 0 sent, ${approved.length} dry run, 0 declined`));
    expect(run.stderr.split('\n').filter((line) => line.includes('dry run: would send to'))).toHaveLength(
      approved.length,
    );
  });

  it('one send with an unknown outcome: the rest go on, it is not retried, exit 4 and named in the summary', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const [first] = approved;
    emulator.inject({ route: 'resend', kind: 'server-error' });
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--yes'], emulator);
    expect(run.code).toBe(EXIT.unknown);
    expect(resendPosts(emulator)).toBe(approved.length);
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual(approved.slice(1).map((order) => order.id));
    expect(run.stdout).toMatch(
      new RegExp(`^Summary: ${approved.length - 1} sent, 0 declined, 0 failed, 1 unknown, 0 skipped`),
    );
    expect(run.stdout).toContain(
      `the fulfillment email for order ${first?.id} may or may not have been sent to ${first?.approverEmailAddress}`,
    );
    expect(run.stderr).toContain(
      `[1/${approved.length}] order ${first?.id} ${first?.commonName}: OUTCOME UNKNOWN`,
    );
  });

  it('orders whose status does not allow the email are skipped; a refused read is a failure (exit 1)', async () => {
    const canceled = ordersIn(emulator, 'Canceled');
    const skipped = await runCli(['resend', '--all', '--status', 'Canceled', '--yes'], emulator);
    expect(skipped.code).toBe(EXIT.ok);
    expect(skipped.stdout).toMatch(new RegExp(`0 failed, 0 unknown, ${canceled.length} skipped`));
    const lines = progressLines(skipped.stderr);
    expect(lines).toHaveLength(canceled.length);
    for (const line of lines) expect(line).toContain(': skipped: PreconditionFailedError');
    emulator.reset();
    const complete = ordersIn(emulator, 'Complete');
    emulator.inject({ route: 'get', kind: 'server-error', status: 403 });
    const failed = await runCli(['resend', '--all', '--status', 'Complete', '--yes'], emulator);
    expect(failed.code).toBe(EXIT.failed);
    expect(failed.stdout).toMatch(
      new RegExp(`^Summary: ${complete.length - 1} sent, 0 declined, 1 failed, 0 unknown`),
    );
    expect(resendPosts(emulator)).toBe(complete.length - 1);
  });

  it('--approver with "Pending CA Approval" sends the approval emails', async () => {
    const pending = ordersIn(emulator, 'Pending CA Approval');
    const run = await runCli(
      ['resend', '--all', '--status', 'Pending CA Approval', '--approver', '--yes'],
      emulator,
    );
    expect(run.code).toBe(EXIT.ok);
    expect(emulator.outbox.map((entry) => [entry.orderId, entry.emailType])).toEqual(
      pending.map((order) => [order.id, 'ApproverEmail']),
    );
  });

  it('a misspelt --status: exit 2, "did you mean Approved?", nothing read or sent', async () => {
    const run = await runCli(['resend', '--all', '--status', 'Aproved', '--yes'], emulator);
    expect(run.code).toBe(EXIT.usage);
    expect(run.stderr).toMatch(/^ssl-orders: unknown status "Aproved"; did you mean Approved\?/);
    expect(emulator.count({ route: 'list' })).toBe(0);
    expect(resendPosts(emulator)).toBe(0);
  });

  it('--status is case-insensitive', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const run = await runCli(['resend', '--all', '--status', 'aPPROVED', '--dry-run'], emulator);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain(`(${approved.length} orders in status "Approved")`);
  });

  it('a re-run after a partial failure sends only what was not sent; the unknown one is skipped and listed', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const [first] = approved;
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--yes'], emulator);
    expect(run.code).toBe(EXIT.unknown);
    expect(emulator.outbox).toHaveLength(approved.length);
    const rerun = await runCli(['resend', '--all', '--status', 'Approved', '--yes'], emulator);
    expect(rerun.code).toBe(EXIT.earlierUnknown);
    expect(emulator.outbox).toHaveLength(approved.length);
    expect(resendPosts(emulator)).toBe(approved.length);
    expect(rerun.stdout).toMatch(
      new RegExp(`^Summary: 0 sent, 0 declined, 0 failed, 0 unknown, ${approved.length} skipped`),
    );
    expect(rerun.stdout).toContain(
      "Skipped because an earlier send's outcome is unknown or still running (1):",
    );
    expect(rerun.stdout).toContain(`an earlier fulfillment email for order ${first?.id}`);
    const lines = progressLines(rerun.stderr);
    expect(lines.filter((line) => line.includes('was already sent'))).toHaveLength(approved.length - 1);
  });

  it('--json prints the summary and each result', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--yes', '--json'], emulator);
    expect(run.code).toBe(EXIT.ok);
    const out = JSON.parse(run.stdout) as {
      summary: { sent: number };
      results: { orderId: number; outcome: string }[];
    };
    expect(out.summary.sent).toBe(approved.length);
    expect(out.results.map((result) => result.orderId).sort()).toEqual(
      approved.map((order) => order.id).sort(),
    );
    expect(new Set(out.results.map((result) => result.outcome))).toEqual(new Set(['sent']));
  });

  it('on a terminal, "all" sends this and the rest without asking; "quit" stops', async () => {
    const approved = ordersIn(emulator, 'Approved');
    expect(approved.length).toBeGreaterThanOrEqual(3);
    const all = await runCli(['resend', '--all', '--status', 'Approved'], emulator, {
      isTTY: true,
      stdin: 'n\nall\n',
    });
    expect(all.code).toBe(EXIT.declined);
    expect(all.stderr.match(/\[y\/N\/all\/quit\]/g)).toHaveLength(2);
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual(approved.slice(1).map((order) => order.id));
    emulator.reset();
    newLedger();
    const quit = await runCli(['resend', '--all', '--status', 'Approved'], emulator, {
      isTTY: true,
      stdin: 'y\nquit\n',
    });
    expect(quit.stderr.match(/\[y\/N\/all\/quit\]/g)).toHaveLength(2);
    expect(emulator.outbox.map((entry) => entry.orderId)).toEqual([approved[0]?.id]);
    expect(quit.stdout).toMatch(/^Summary: 1 sent, 1 declined, .* \d+ not started/);
  });

  it('on a terminal (stderr) a progress bar with an ETA is redrawn in place', async () => {
    const run = await runCli(['resend', '--all', '--status', 'Approved', '--yes'], emulator, {
      stderrIsTTY: true,
    });
    expect(run.code).toBe(EXIT.ok);
    expect(run.stderr).toContain('\r\u001b[2K[');
    expect(run.stderr).toMatch(/\] 1\/\d+ {2}sent 1 {2}ETA \d+:\d\d/);
    const plain = await runCli(['resend', '--all', '--status', 'Approved', '--dry-run'], emulator);
    expect(plain.stderr).not.toContain('\r');
  });

  it('Ctrl-C during --all: the summary so far, the order that may have been emailed named, exit 4', async () => {
    const approved = ordersIn(emulator, 'Approved');
    const [first] = approved;
    const gate = await startGate(emulator, 'after-post');
    try {
      let interrupt: (() => void) | undefined;
      const running = runCli(
        ['resend', '--all', '--status', 'Approved', '--yes', '--concurrency', '1', '--endpoint', gate.url],
        undefined,
        {
          env: emulatorEnv(emulator),
          onInterrupt: (listener) => {
            interrupt = listener;
            return () => {};
          },
        },
      );
      await gate.reached;
      interrupt?.();
      const run = await running;
      expect(run.code).toBe(EXIT.unknown);
      expect(run.stdout).toMatch(
        new RegExp(
          `^Interrupted \\(Ctrl-C\\); summary so far: 0 sent, 0 declined, 0 failed, 1 unknown, 0 skipped, ${approved.length - 1} not started`,
        ),
      );
      expect(run.stdout).toContain(
        `order ${first?.id} may or may not have been sent to ${first?.approverEmailAddress}`,
      );
      expect(emulator.outbox).toHaveLength(1);
    } finally {
      await gate.close();
    }
  });
});
