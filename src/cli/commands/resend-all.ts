/**
 * `ssl-orders resend --all --status <name>`: works through every matching order with a bounded number
 * of sends at a time (one at a time when a person answers each prompt), under the client's pacing.
 * Each order gets a line on stderr (and a bar with an ETA on a terminal), and a summary at the end,
 * or at Ctrl-C the summary so far.
 *
 * Re-running after a partial failure sends only what was not sent: the ledger refuses what was sent
 * within the cooldown and what has an unknown outcome, and both count as skipped; the unknown ones
 * are listed, since a person has to find out what happened to them.
 *
 * @module
 */
import { InvalidArgumentError, type SslOrder, type SslOrdersClient } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInterrupt, watchInterrupt } from '../interrupt.js';
import type { CliIo } from '../io.js';
import { barProgress, type Progress, plainProgress } from '../progress.js';
import { type BatchAnswers, cliConfirm, emailLabel, terminalPrompter } from '../prompt.js';
import { checkedStatus } from '../statuses.js';
import { clean } from '../table.js';
import { classify, count, emptySummary, finish, type Outcome, shortCounts } from './batch-report.js';
import { readOrders } from './list.js';
import { confirmMode, type ResendFlags, send } from './resend.js';

export { type BatchSummary, batchExitCode } from './batch-report.js';

/**
 * Resends the email of every order in `status` (checked against the account's statuses first);
 * returns the exit code.
 */
export async function runResendAll(
  client: SslOrdersClient,
  wanted: string,
  flags: ResendFlags & { concurrency?: number | undefined },
  io: CliIo,
): Promise<ExitCode> {
  let status = wanted;
  const mode = confirmMode(flags, io.isTTY);
  const email = emailLabel(flags.approver ? 'ApproverEmail' : 'FulfillmentEmail');
  if (mode === 'refuse') {
    io.stderr.write(
      `ssl-orders: not sending: stdin is not a terminal, so nobody can confirm each ${email}. ` +
        'Re-run with --yes to send without asking, or --dry-run to see what would be sent.\n',
    );
    return EXIT.needsConfirmation;
  }
  const interrupt = watchInterrupt(io);
  try {
    status = (await checkedStatus(client, status, 'resend')) ?? status;
    const orders = await readOrders(client, status, interrupt.signal);
    const where = `in status "${clean(status)}"`;
    if (orders.length === 0) {
      io.stdout.write(
        flags.json
          ? `${JSON.stringify({ summary: emptySummary(), results: [] })}\n`
          : `No orders ${where}; nothing to send.\n`,
      );
      return EXIT.ok;
    }
    const concurrency = mode === 'ask' ? 1 : (flags.concurrency ?? 4);
    io.stderr.write(
      `${orders.length} order${orders.length === 1 ? '' : 's'} ${where}: ` +
        `${flags.dryRun ? 'dry run of' : 'sending'} the ${email} for each` +
        `${mode === 'ask' ? ', asking first (answers: y, n, all, quit)' : `, ${concurrency} at a time`}.\n`,
    );
    const useBar = mode !== 'ask' && io.stderrIsTTY === true;
    const progress = useBar ? barProgress(io.stderr, orders.length, io.columns) : plainProgress(io.stderr);
    const outcomes = await runBatch(client, orders, flags, io, {
      mode,
      concurrency,
      progress,
      signal: interrupt.signal,
    });
    progress.done();
    return finish(outcomes, orders.length, where, flags, io, interrupt.signal.aborted);
  } catch (error) {
    if (isInterrupt(error, interrupt.signal)) {
      io.stderr.write('\nssl-orders: interrupted while reading the orders: nothing was sent.\n');
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    interrupt.dispose();
  }
}

interface BatchRun {
  mode: ReturnType<typeof confirmMode>;
  concurrency: number;
  progress: Progress;
  signal: AbortSignal;
}

async function runBatch(
  client: SslOrdersClient,
  orders: readonly SslOrder[],
  flags: ResendFlags,
  io: CliIo,
  run: BatchRun,
): Promise<(Outcome | undefined)[]> {
  const prompter = run.mode === 'ask' ? terminalPrompter(io.stdin, io.stderr) : undefined;
  const batch: BatchAnswers = { all: false, quit: false };
  const outcomes: (Outcome | undefined)[] = orders.map(() => undefined);
  const summary = emptySummary();
  let next = 0;
  let fatal: unknown;
  const worker = async () => {
    while (next < orders.length && !run.signal.aborted && !batch.quit && fatal === undefined) {
      const index = next++;
      const order = orders[index] as SslOrder;
      const counter = `[${index + 1}/${orders.length}] order ${order.id}`;
      const { hook } = cliConfirm({ mode: run.mode, prompter, output: io.stderr, compact: counter, batch });
      const settled = await send(client, order.id, flags, { confirm: hook, signal: run.signal }).then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      );
      // A bad option is the same for every order: stop instead of failing each one.
      if ('error' in settled && settled.error instanceof InvalidArgumentError) {
        fatal ??= settled.error;
        return;
      }
      const outcome = classify(order.id, settled, run.signal);
      if (batch.quit && outcome.kind === 'declined') outcome.line = 'quit: not sent';
      outcomes[index] = outcome;
      count(summary, outcome);
      run.progress.line(`${counter} ${clean(order.commonName ?? '')}: ${outcome.line}`);
      run.progress.tick(shortCounts(summary));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(run.concurrency, orders.length) }, worker));
  } finally {
    prompter?.close();
  }
  if (fatal !== undefined) {
    run.progress.done();
    throw fatal;
  }
  return outcomes;
}
