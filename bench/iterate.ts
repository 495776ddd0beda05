/**
 * Benchmark 2: iterateOrders over a large account against a raw fetch loop over the same pages. The
 * server and each iteration run in separate processes, so a child's memory is the iteration's alone;
 * SDK and fetch children alternate.
 */
import type { IterateChildResult } from './iterate-child.js';
import {
  BENCH_DIR,
  fmt,
  fmtRatio,
  quantile,
  runJsonChild,
  type Spread,
  spread,
  startServer,
  TSX,
  table,
} from './util.js';

export interface IterateOptions {
  orders: number;
  pageSize: number;
  /** Alternating SDK/fetch pairs. */
  rounds: number;
}

export interface IterateResult {
  orders: number;
  pageSize: number;
  runs: IterateChildResult[];
  sdkOverFetchThroughput: Spread;
  sdkOverFetchCpu: Spread;
}

export async function runIterate(options: IterateOptions): Promise<IterateResult> {
  const server = await startServer(options.orders);
  try {
    const runs: IterateChildResult[] = [];
    const ratios: number[] = [];
    const cpuRatios: number[] = [];
    const child = (mode: string) =>
      runJsonChild<IterateChildResult>([
        '--expose-gc',
        ...TSX,
        `${BENCH_DIR}iterate-child.ts`,
        server.url,
        mode,
        String(options.pageSize),
      ]);
    for (let round = 0; round < options.rounds; round++) {
      const order = round % 2 === 0 ? ['sdk', 'fetch'] : ['fetch', 'sdk'];
      const pair: Record<string, IterateChildResult> = {};
      for (const mode of order) {
        const result = await child(mode);
        if (result.orders !== options.orders) {
          throw new Error(`${mode} saw ${result.orders} orders, expected ${options.orders}`);
        }
        pair[mode] = result;
        runs.push(result);
      }
      ratios.push(pair['sdk']!.ordersPerSecond / pair['fetch']!.ordersPerSecond);
      cpuRatios.push(pair['sdk']!.cpuUsPerOrder / pair['fetch']!.cpuUsPerOrder);
    }
    return {
      orders: options.orders,
      pageSize: options.pageSize,
      runs,
      sdkOverFetchThroughput: spread(ratios),
      sdkOverFetchCpu: spread(cpuRatios),
    };
  } finally {
    await server.close();
  }
}

export function formatIterate(result: IterateResult): string {
  const rows = (['sdk', 'fetch'] as const).map((mode) => {
    const runs = result.runs.filter((run) => run.mode === mode);
    const median = (pick: (run: IterateChildResult) => number) => quantile(runs.map(pick), 0.5);
    const max = (pick: (run: IterateChildResult) => number) => Math.max(...runs.map(pick));
    return [
      mode === 'sdk' ? 'SDK iterateOrders' : 'raw fetch + JSON.parse loop',
      fmt(
        median((run) => run.ordersPerSecond),
        0,
      ),
      fmt(
        median((run) => run.seconds),
        2,
      ),
      fmt(
        median((run) => run.cpuUsPerOrder),
        2,
      ),
      fmt(
        max((run) => run.peakHeapMB),
        1,
      ),
      fmt(
        max((run) => run.peakRssMB),
        1,
      ),
      fmt(
        max((run) => run.retainedHeapMB),
        1,
      ),
    ];
  });
  return [
    table(
      [
        `${result.orders.toLocaleString('en-US')} orders, pages of ${result.pageSize}`,
        'orders/s (median)',
        's',
        'client CPU µs/order',
        'peak heap growth MB (max)',
        'peak RSS growth MB (max)',
        'heap left after GC MB',
      ],
      rows,
    ),
    '',
    `SDK/fetch throughput: ${fmtRatio(result.sdkOverFetchThroughput)}; SDK/fetch client CPU per order: ` +
      `${fmtRatio(result.sdkOverFetchCpu)} (${result.sdkOverFetchThroughput.n} alternating pairs)`,
  ].join('\n');
}
