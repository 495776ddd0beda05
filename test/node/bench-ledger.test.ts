/**
 * Smoke test of bench/ledger.ts at tiny sizes: it runs every ledger side by side and reports figures;
 * it never checks how fast anything is (that is the benchmark's job).
 */
import { describe, expect, it } from 'vitest';
import { formatLedgerBench, runLedgerBench } from '../../bench/ledger.js';

describe('bench/ledger (smoke)', () => {
  it('measures a reserve + settle cycle and a full send for each ledger, against the memory ledger', {
    timeout: 60_000,
  }, async () => {
    const options = { batches: 2, perBatch: 2, warmup: 1 };
    const result = await runLedgerBench(options);
    expect(result.cycle.map((row) => row.name)).toEqual([
      'MemorySendLedger',
      'FileSendLedger',
      'FileSendLedger, 10,000 records held',
      'RedisSendLedger (local redis-server)',
    ]);
    for (const row of result.cycle) {
      expect(row.p50).toBeGreaterThan(0);
      expect(row.ratio.n).toBe(2);
    }
    expect(result.flush.file.n).toBe(10);
    expect(result.sendSkipped).toBeUndefined();
    expect(result.send?.map((row) => row.name)).toEqual(result.cycle.map((row) => row.name));
    for (const row of result.send ?? []) expect(row.p50).toBeGreaterThan(0);
    const text = formatLedgerBench(result, options);
    expect(text).toContain('| FileSendLedger ');
    expect(text).toMatch(/adds -?\d+\.\d{3} ms at p50/);
  });
});
