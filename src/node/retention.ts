/**
 * How long the file ledger keeps records: what bounds its growth. Only records that can no longer
 * block a send, or that a send said may go (`expiresAt`), ever leave.
 *
 * @module
 */
import { effectiveState, type SendRecord } from '../send-ledger.js';

/**
 * 90 days in milliseconds: how long settled records stay for history by default.
 *
 * @example
 * ```ts
 * import { DEFAULT_RETENTION_MS, FileSendLedger } from 'softlayer-ssl-orders/node';
 * const ledger = new FileSendLedger({ path: './ledger.json', retention: 2 * DEFAULT_RETENTION_MS });
 * ```
 */
export const DEFAULT_RETENTION_MS = 90 * 24 * 60 * 60 * 1000;

/** Whether `record` may leave the ledger at `now`; see `FileSendLedgerOptions.retention`. */
export function droppable(record: SendRecord, now: number, retention: number): boolean {
  const expiresAt = typeof record.expiresAt === 'number' ? record.expiresAt : undefined;
  const historyEnds = (record.settledAt ?? record.reservedAt) + retention;
  switch (effectiveState(record, now)) {
    case 'sent':
      return expiresAt !== undefined && now > Math.max(expiresAt, historyEnds);
    case 'not-sent':
      return now > Math.max(expiresAt ?? Number.NEGATIVE_INFINITY, historyEnds);
    default:
      return expiresAt !== undefined && now > expiresAt;
  }
}

/** Drops from `records` every record that may leave at `now`; answers whether any did. */
export function dropExpired(records: Map<string, SendRecord>, now: number, retention: number): boolean {
  let dropped = false;
  for (const [key, record] of records) {
    if (droppable(record, now, retention)) {
      records.delete(key);
      dropped = true;
    }
  }
  return dropped;
}
