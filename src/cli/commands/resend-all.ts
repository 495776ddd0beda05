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
import {
  DuplicateSendError,
  InvalidArgumentError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  type SendResult,
  type SslOrder,
  type SslOrdersClient,
} from '../../index.js';
import { duplicateFacts, failureSummary, outcomeUnknownLine } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInterrupt, watchInterrupt } from '../interrupt.js';
import type { CliIo } from '../io.js';
import { barProgress, type Progress, plainProgress } from '../progress.js';
import { type BatchAnswers, cliConfirm, emailLabel, terminalPrompter } from '../prompt.js';
import { checkedStatus } from '../statuses.js';
import { clean } from '../table.js';
import { readOrders } from './list.js';
import { confirmMode, type ResendFlags, resultJson, send } from './resend.js';

/** How many orders ended each way. */
export interface BatchSummary {
  sent: number;
  dryRun: number;
  declined: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Skipped because an earlier send's outcome is unknown (also counted in `skipped`). */
  skippedUnknown: number;
  /** Stopped by Ctrl-C before the request left (nothing sent). */
  interrupted: number;
}

/** The exit code of a batch: its worst outcome. */
export function batchExitCode(summary: BatchSummary, interrupted = false): ExitCode {
  if (summary.unknown > 0) return EXIT.unknown;
  if (summary.failed > 0) return EXIT.failed;
  if (interrupted) return EXIT.interrupted;
  if (summary.skippedUnknown > 0) return EXIT.earlierUnknown;
  if (summary.declined > 0) return EXIT.declined;
  return EXIT.ok;
}

/** What one order came to. */
interface Outcome {
  kind: Exclude<keyof BatchSummary, 'skippedUnknown'>;
  /** The progress line's tail. */
  line: string;
  /** A line for the summary's list (unknown outcomes, now or earlier). */
  listed?: string | undefined;
  json: Record<string, unknown>;
}

/** Classifies a send's result or error: the one place that words an order's line. */
function classify(
  orderId: number,
  settled: { result: SendResult } | { error: unknown },
  signal: AbortSignal,
): Outcome {
  if ('result' in settled) {
    const { result } = settled;
    const recipient = clean(result.recipient);
    const json = resultJson(result);
    if (result.outcome === 'sent') return { kind: 'sent', line: `sent to ${recipient}`, json };
    if (result.outcome === 'dry-run')
      return { kind: 'dryRun', line: `dry run: would send to ${recipient}`, json };
    return { kind: 'declined', line: 'declined, not sent', json };
  }
  const { error } = settled;
  const json = {
    outcome: 'error',
    orderId,
    name: error instanceof Error ? error.name : 'Error',
    message: failureSummary(error),
  };
  if (error instanceof SendOutcomeUnknownError) {
    const line = `OUTCOME UNKNOWN, may or may not have been sent to ${clean(error.recipient)}; not retried`;
    return {
      kind: 'unknown',
      line,
      listed: outcomeUnknownLine(error),
      json: { ...json, outcome: 'unknown' },
    };
  }
  if (isInterrupt(error, signal)) {
    return {
      kind: 'interrupted',
      line: 'interrupted before the request was sent; not sent',
      json: { ...json, outcome: 'interrupted' },
    };
  }
  const text = failureSummary(error);
  if (error instanceof DuplicateSendError || error instanceof PreconditionFailedError) {
    const earlier = error instanceof DuplicateSendError && duplicateFacts(error).reason !== 'cooldown';
    return {
      kind: 'skipped',
      line: `skipped: ${text}`,
      listed: earlier ? text : undefined,
      json: { ...json, outcome: 'skipped' },
    };
  }
  return { kind: 'failed', line: `failed: ${text}`, json: { ...json, outcome: 'failed' } };
}

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

function emptySummary(): BatchSummary {
  return {
    sent: 0,
    dryRun: 0,
    declined: 0,
    failed: 0,
    unknown: 0,
    skipped: 0,
    skippedUnknown: 0,
    interrupted: 0,
  };
}

function count(summary: BatchSummary, outcome: Outcome): void {
  summary[outcome.kind]++;
  if (outcome.kind === 'skipped' && outcome.listed !== undefined) summary.skippedUnknown++;
}

function shortCounts(summary: BatchSummary): string {
  const parts = [`sent ${summary.sent}`];
  if (summary.dryRun) parts.push(`dry run ${summary.dryRun}`);
  if (summary.skipped) parts.push(`skipped ${summary.skipped}`);
  if (summary.failed) parts.push(`failed ${summary.failed}`);
  if (summary.unknown) parts.push(`UNKNOWN ${summary.unknown}`);
  return parts.join(' · ');
}

function finish(
  outcomes: readonly (Outcome | undefined)[],
  total: number,
  where: string,
  flags: ResendFlags,
  io: CliIo,
  interrupted: boolean,
): ExitCode {
  const summary = emptySummary();
  for (const outcome of outcomes) if (outcome) count(summary, outcome);
  const notStarted = outcomes.filter((outcome) => outcome === undefined).length;
  const code = batchExitCode(summary, interrupted || summary.interrupted > 0);
  if (flags.json) {
    const results = outcomes.flatMap((outcome) => (outcome ? [outcome.json] : []));
    io.stdout.write(
      `${JSON.stringify({ summary: { ...summary, notStarted, total }, results, exitCode: code })}\n`,
    );
    return code;
  }
  const parts = [
    `${summary.sent} sent`,
    ...(flags.dryRun ? [`${summary.dryRun} dry run`] : []),
    `${summary.declined} declined`,
    `${summary.failed} failed`,
    `${summary.unknown} unknown`,
    `${summary.skipped} skipped`,
    ...(summary.interrupted > 0 ? [`${summary.interrupted} interrupted (not sent)`] : []),
    ...(notStarted > 0 ? [`${notStarted} not started`] : []),
  ];
  const head = interrupted ? 'Interrupted (Ctrl-C); summary so far' : 'Summary';
  io.stdout.write(`${head}: ${parts.join(', ')} (${total} orders ${where}).\n`);
  const now = outcomes.flatMap((outcome) =>
    outcome?.kind === 'unknown' && outcome.listed ? [outcome.listed] : [],
  );
  for (const text of now) io.stdout.write(`  ${text}\n`);
  const earlier = outcomes.flatMap((outcome) =>
    outcome?.kind === 'skipped' && outcome.listed ? [outcome.listed] : [],
  );
  if (earlier.length > 0) {
    io.stdout.write(`Skipped because an earlier send's outcome is unknown (${earlier.length}):\n`);
    for (const text of earlier) io.stdout.write(`  ${text}\n`);
  }
  return code;
}
