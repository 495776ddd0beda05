/** Shared pieces of the file-ledger tests: records, rules and temporary directories. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SEND_RECORD_FORMAT, type SendRecord } from '../../src/index.js';

export const NOW = 1_800_000_000_000;
export const HOUR = 3_600_000;

/** A `reserved` record for `key`, reserved at `at`, with a deadline 60 s later. */
export function reservation(
  key: string,
  intentId: string,
  at = NOW,
  extra: Partial<SendRecord> = {},
): SendRecord {
  return {
    format: SEND_RECORD_FORMAT,
    key,
    intentId,
    orderId: 4471203,
    emailType: 'FulfillmentEmail',
    endpoint: '127.0.0.1:4010',
    accountId: 1000,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: at,
    deadline: at + 60_000,
    ...extra,
  };
}

/** A fresh temporary directory, removed by the returned disposer. */
export function tempDir(): { dir: string; [Symbol.dispose](): void } {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-orders-file-ledger-'));
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}
