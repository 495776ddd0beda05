/**
 * `ssl-orders history [--json] [--order <id>]`: what the send ledger remembers, newest first: order,
 * email, recipient, outcome, intent id, time, and the reason of a forced send or of a person's mark.
 * It reads the ledger only (no credentials, no request), so it works when the API does not.
 *
 * @module
 */
import { effectiveState, type SendRecord } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import type { OpenedLedger } from '../ledger.js';
import { clean, formatTable } from '../table.js';
import { formatDuration } from '../values.js';

/** How long history shows records, unless `--retention` says otherwise: 90 days. */
export const DEFAULT_RETENTION_MS = 90 * 86_400_000;

/** When a record last changed: settled, else reserved. */
export function recordTime(record: SendRecord): number {
  return record.settledAt ?? record.reservedAt;
}

/** What `history` shows of a record (also its `--json` form). */
export interface HistoryEntry {
  time: string;
  orderId: number;
  emailType: string;
  recipient: string;
  /** `sent`, `not-sent`, `unknown`, or `in-flight` for a live reservation. */
  outcome: string;
  intentId: string;
  forced: boolean;
  marked: boolean;
  reason: string | undefined;
  endpoint: string;
  accountId: number;
}

/** A record as history shows it, at `now`. */
export function historyEntry(record: SendRecord, now: number): HistoryEntry {
  const state = effectiveState(record, now);
  return {
    time: new Date(recordTime(record)).toISOString(),
    orderId: record.orderId,
    emailType: record.emailType,
    recipient: record.recipient,
    outcome: state === 'reserved' ? 'in-flight' : state,
    intentId: record.intentId,
    forced: record.forced === true,
    marked: record.marked === true,
    reason: record.reason,
    endpoint: record.endpoint,
    accountId: record.accountId,
  };
}

/**
 * The records to show, newest first: those of `orderId` (if given), without the settled ones older
 * than the retention. A record that still blocks (unknown, in flight) is always shown, however old:
 * hiding it would hide why a send is refused.
 */
export function historyEntries(
  records: readonly SendRecord[],
  options: { orderId?: number | undefined; retentionMs: number; now: number },
): HistoryEntry[] {
  return records
    .filter((record) => options.orderId === undefined || record.orderId === options.orderId)
    .filter((record) => {
      const state = effectiveState(record, options.now);
      const blocking = state === 'unknown' || state === 'reserved';
      return blocking || options.now - recordTime(record) <= options.retentionMs;
    })
    .sort((a, b) => recordTime(b) - recordTime(a) || b.intentId.localeCompare(a.intentId))
    .map((record) => historyEntry(record, options.now));
}

function note(entry: HistoryEntry): string {
  const how = entry.forced ? 'forced' : entry.marked ? 'marked' : '';
  if (!how && !entry.reason) return '';
  return clean(`${how}${how && entry.reason ? ': ' : ''}${entry.reason ?? ''}`);
}

/** Prints the history; returns the exit code. */
export async function runHistory(
  ledger: OpenedLedger,
  flags: { json: boolean; order: number | undefined; retentionMs: number | undefined },
  io: CliIo,
  now = Date.now(),
): Promise<ExitCode> {
  const retentionMs = flags.retentionMs ?? DEFAULT_RETENTION_MS;
  const entries = historyEntries(await ledger.ledger.list(), { orderId: flags.order, retentionMs, now });
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    return EXIT.ok;
  }
  const scope = flags.order === undefined ? '' : ` for order ${flags.order}`;
  if (entries.length === 0) {
    io.stdout.write(
      `No sends recorded${scope} in the last ${formatDuration(retentionMs)} (ledger: ${ledger.where}).\n`,
    );
    return EXIT.ok;
  }
  const rows = entries.map((entry) => [
    entry.time.replace('T', ' ').replace(/\.\d+Z$/, 'Z'),
    String(entry.orderId),
    entry.emailType === 'ApproverEmail' ? 'approval' : 'fulfillment',
    clean(entry.recipient),
    entry.outcome.toUpperCase() === 'UNKNOWN' ? 'UNKNOWN' : entry.outcome,
    entry.intentId,
    note(entry),
  ]);
  io.stdout.write(formatTable(['TIME', 'ORDER', 'EMAIL', 'RECIPIENT', 'OUTCOME', 'INTENT', 'NOTE'], rows));
  io.stderr.write(
    `${entries.length} record${entries.length === 1 ? '' : 's'}${scope}, newest first ` +
      `(ledger: ${ledger.where}; retention ${formatDuration(retentionMs)}).\n`,
  );
  return EXIT.ok;
}
