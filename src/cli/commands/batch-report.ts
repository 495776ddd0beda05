/**
 * What `resend --all` reports: how each order ended (one wording per outcome, for its progress line,
 * the summary and `--json`), the counts, the summary at the end (or at Ctrl-C, so far) and the exit
 * code.
 *
 * @module
 */
import {
  DuplicateSendError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  type SendResult,
} from '../../index.js';
import { failureSummary, outcomeUnknownLine } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInterrupt } from '../interrupt.js';
import type { CliIo } from '../io.js';
import { clean } from '../table.js';
import { type ResendFlags, resultJson } from './resend.js';

/** How many orders ended each way. */
export interface BatchSummary {
  sent: number;
  dryRun: number;
  declined: number;
  failed: number;
  unknown: number;
  skipped: number;
  /** Skipped because an earlier send's outcome is unknown or still running (also counted in `skipped`). */
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
export interface Outcome {
  kind: Exclude<keyof BatchSummary, 'skippedUnknown'>;
  /** The progress line's tail. */
  line: string;
  /** A line for the summary's list (unknown outcomes, now or earlier). */
  listed?: string | undefined;
  json: Record<string, unknown>;
}

/** Classifies a send's result or error: the one place that words an order's line. */
export function classify(
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
    const earlier =
      error instanceof DuplicateSendError &&
      (error.reason === 'unknown-outcome' || error.reason === 'in-flight');
    return {
      kind: 'skipped',
      line: `skipped: ${text}`,
      listed: earlier ? text : undefined,
      json: { ...json, outcome: 'skipped' },
    };
  }
  return { kind: 'failed', line: `failed: ${text}`, json: { ...json, outcome: 'failed' } };
}

/** All counts at zero. */
export function emptySummary(): BatchSummary {
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

/** Counts one order's outcome. */
export function count(summary: BatchSummary, outcome: Outcome): void {
  summary[outcome.kind]++;
  if (outcome.kind === 'skipped' && outcome.listed !== undefined) summary.skippedUnknown++;
}

/** The counts for the progress bar, e.g. `sent 3 · skipped 1`. */
export function shortCounts(summary: BatchSummary): string {
  const parts = [`sent ${summary.sent}`];
  if (summary.dryRun) parts.push(`dry run ${summary.dryRun}`);
  if (summary.skipped) parts.push(`skipped ${summary.skipped}`);
  if (summary.failed) parts.push(`failed ${summary.failed}`);
  if (summary.unknown) parts.push(`UNKNOWN ${summary.unknown}`);
  return parts.join(' · ');
}

/**
 * Prints the summary (or, with `--json`, the summary and every result) and returns the batch's exit
 * code. Orders never started (Ctrl-C, quit) are counted as such.
 */
export function finish(
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
    io.stdout.write(
      `Skipped because an earlier send's outcome is unknown or still running (${earlier.length}):\n`,
    );
    for (const text of earlier) io.stdout.write(`  ${text}\n`);
  }
  return code;
}
