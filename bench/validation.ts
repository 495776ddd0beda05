/**
 * Benchmark 3: the cost of validating a list of orders against JSON.parse of its text. Variants run
 * in interleaved rounds; each round gives one ratio to JSON.parse.
 *
 * The client's fast path runs on well-formed orders. Its slow path (the coercing validator in
 * src/internal/order-parse.ts) runs on the same orders as SoftLayer sometimes sends them: every order
 * with its accountId as a string and a null date, so every order is coerced and copied. The zod/mini
 * schema that was the slow path until issue 16 (now the tests' oracle) runs on those too, for scale.
 */
import * as z from 'zod/mini';
import { parseOrderList } from '../src/internal/order-parse.js';
import { validateOrderList } from '../src/validate.js';
import { SslOrderListSchema } from '../test/order-oracle.js';
import { ordersJson, wireOrders } from './fixtures.js';
import { fmt, fmtRatio, quantile, type Spread, spread, table } from './util.js';

export interface ValidationOptions {
  orders: number;
  rounds: number;
  /** Repetitions per variant per round (the round's figure is their median). */
  reps: number;
}

export interface ValidationRow {
  variant: string;
  /** Median ms per parse of the whole list. */
  ms: number;
  overJsonParse: Spread;
}

function time(run: () => unknown, reps: number): number {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const started = performance.now();
    run();
    times.push(performance.now() - started);
  }
  return quantile(times, 0.5);
}

export function runValidation(options: ValidationOptions): ValidationRow[] {
  const text = ordersJson(options.orders);
  const value: unknown = JSON.parse(text);
  // The same orders as SoftLayer sometimes sends them: each needs coercion (a string id, a null).
  const variantsOf: unknown = JSON.parse(
    JSON.stringify(
      wireOrders(options.orders).map((order) => ({
        ...order,
        accountId: String(order.accountId),
        effectiveDate: null,
      })),
    ),
  );
  const check = (ok: boolean, name: string) => {
    if (!ok) throw new Error(`${name} did not take the path it measures`);
  };
  // The fast path hands back the input itself; a copy would mean the benchmark orders fell to the slow path.
  const fast = validateOrderList(value);
  check(fast.ok && fast.value === value, 'validateOrderList');
  const coerced = validateOrderList(variantsOf);
  check(coerced.ok && coerced.value !== variantsOf, 'validateOrderList (coerced orders)');
  const slow = parseOrderList(variantsOf);
  check(
    slow.ok && slow.value !== variantsOf && typeof slow.value[0]?.accountId === 'number',
    'parseOrderList',
  );
  check(z.safeParse(SslOrderListSchema, variantsOf).success, 'zod/mini');
  const variants: [string, () => unknown][] = [
    ['JSON.parse (baseline)', () => JSON.parse(text)],
    ['validateOrderList (SDK fast path, well-formed orders)', () => validateOrderList(value)],
    ['parseOrderList (SDK slow path, every order coerced)', () => parseOrderList(variantsOf)],
    [
      'zod/mini schema (slow path until issue 16, every order coerced)',
      () => z.safeParse(SslOrderListSchema, variantsOf),
    ],
  ];
  for (const [, run] of variants) for (let i = 0; i < 5; i++) run();
  const times: number[][] = variants.map(() => []);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (round + k) % variants.length;
      times[index]!.push(time(variants[index]![1], options.reps));
    }
  }
  const base = times[0]!;
  return variants.map(([variant], index) => ({
    variant,
    ms: quantile(times[index]!, 0.5),
    overJsonParse: spread(times[index]!.map((t, round) => t / base[round]!)),
  }));
}

export function formatValidation(rows: readonly ValidationRow[], orders: number): string {
  return table(
    [`variant (${orders.toLocaleString('en-US')} orders)`, 'ms', '× JSON.parse'],
    rows.map((row) => [row.variant, fmt(row.ms, 2), fmtRatio(row.overJsonParse)]),
  );
}
