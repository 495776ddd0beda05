/**
 * Benchmark 3: the cost of validating a list of orders against JSON.parse of its text. Variants run
 * in interleaved rounds; each round gives one ratio to JSON.parse.
 */
import * as classic from 'zod';
import * as z from 'zod/mini';
import { SslOrderListSchema } from '../src/schemas.js';
import { validateOrderList } from '../src/validate.js';
import { ordersJson } from './fixtures.js';
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

// The SDK's order schema written with classic zod, for scale only (classic zod is not a dependency path).
const classicInteger = classic.union([
  classic.number().int(),
  classic
    .string()
    .regex(/^-?\d{1,15}$/)
    .transform(Number),
]);
const classicNullToUndefined = classic.null().transform(() => undefined);
const opt = <T extends classic.ZodType>(schema: T) =>
  classic.union([schema, classicNullToUndefined]).optional();
const classicStatus = classic.looseObject({
  id: opt(classicInteger),
  name: opt(classic.string()),
  description: opt(classic.string()),
});
const ClassicOrderList = classic.array(
  classic.looseObject({
    id: classicInteger,
    accountId: opt(classicInteger),
    commonName: opt(classic.string()),
    approverEmailAddress: opt(classic.string()),
    technicalContactEmailAddress: opt(classic.string()),
    certificateSigningRequest: opt(classic.string()),
    statusId: opt(classicInteger),
    status: opt(classicStatus),
    createDate: opt(classic.string()),
    modifyDate: opt(classic.string()),
    effectiveDate: opt(classic.string()),
    expirationDate: opt(classic.string()),
  }),
);

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
  const check = (ok: boolean, name: string) => {
    if (!ok) throw new Error(`${name} rejected the benchmark orders`);
  };
  // The fast path answers synchronously; a promise would mean the benchmark orders fell to zod.
  const fast = validateOrderList(value);
  check(!(fast instanceof Promise) && fast.ok, 'validateOrderList');
  check(z.safeParse(SslOrderListSchema, value).success, 'zod/mini');
  check(ClassicOrderList.safeParse(value).success, 'classic zod');
  const variants: [string, () => unknown][] = [
    ['JSON.parse (baseline)', () => JSON.parse(text)],
    ['validateOrderList (SDK: fast check, as the client runs it)', () => validateOrderList(value)],
    ['zod/mini schema (SDK slow path)', () => z.safeParse(SslOrderListSchema, value)],
    ['classic zod schema (reference)', () => ClassicOrderList.safeParse(value)],
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
