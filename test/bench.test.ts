import { describe, expect, it } from 'vitest';
import { formatIterate, runIterate } from '../bench/iterate.js';
import { formatOverhead, runOverhead } from '../bench/overhead.js';
import { formatValidation, runValidation } from '../bench/validation.js';

// Smoke tests of the benchmark code at tiny sizes: they check that it runs and reports figures,
// never how fast anything is.
describe('benchmarks (smoke)', () => {
  it('per-call overhead compares the SDK, ky and fetch on the same requests', async () => {
    const rows = await runOverhead({ batches: 2, callsPerBatch: 2, warmup: 1 });
    expect(rows.map((row) => row.op)).toEqual([
      'listOrders (page of 100)',
      'getOrder',
      'resendFulfillmentEmail',
    ]);
    for (const row of rows) {
      expect(row.wall.sdkUs).toBeGreaterThan(0);
      expect(row.cpu.sdkOverKy.median).toBeGreaterThan(0);
      expect(row.cpu.sdkOverKy.n).toBe(2);
    }
    expect(formatOverhead(rows)).toContain('| getOrder');
  });

  it('iterates every order of the server with the SDK and with raw fetch, in child processes', async () => {
    const result = await runIterate({ orders: 250, pageSize: 100, rounds: 1 });
    expect(result.runs.map((run) => [run.mode, run.orders])).toEqual([
      ['sdk', 250],
      ['fetch', 250],
    ]);
    expect(result.runs.every((run) => run.ordersPerSecond > 0 && Number.isFinite(run.peakHeapMB))).toBe(true);
    expect(formatIterate(result)).toContain('SDK iterateOrders');
  });

  it('times the validation variants against JSON.parse', () => {
    const rows = runValidation({ orders: 50, rounds: 2, reps: 1 });
    expect(rows.map((row) => row.variant)).toHaveLength(4);
    expect(rows[0]!.overJsonParse.median).toBe(1);
    expect(formatValidation(rows, 50)).toContain('validateOrderList');
  });
});
