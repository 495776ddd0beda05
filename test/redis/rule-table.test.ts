/**
 * The Lua reserve rule is `blocks()`, decided at Redis's clock: every holder row under every rule, from
 * a caller whose clock is right, an hour ahead or an hour behind, must block exactly when `blocks()`
 * says it does at Redis's `now` (read with `TIME` just before and after the step).
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSendLedger } from '../../src/redis/index.js';
import { blocks, type ReserveRule, replacing, type SendRecord } from '../../src/send-ledger.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { between, expectStamped, record, serverNow } from './records.js';

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
let ledger: RedisSendLedger;
const PREFIX = 'table:';
const HOUR = 3_600_000;

beforeAll(async () => {
  server = await startRedisServer();
  raw = createClient({ url: server.url });
  await raw.connect();
  ledger = new RedisSendLedger({ url: server.url, keyPrefix: PREFIX });
});

afterAll(async () => {
  await ledger?.close();
  await raw?.close();
  await server?.stop();
});

/** Stores `holder` as written (its times exactly), the way another writer left it. */
async function seed(holder: SendRecord | Record<string, unknown>): Promise<string> {
  const key = `order-${randomUUID()}`;
  await raw.set(PREFIX + key, JSON.stringify(holder));
  return key;
}

/**
 * Holders, with times relative to Redis's `now` when the case starts. Each edge lies at that instant or
 * seconds away, so the answer cannot change while the step runs.
 */
const holders: Array<[string, (now: number) => SendRecord]> = [
  ['reserved before its deadline', (now) => record({ deadline: now + 5_000 }, now - 1_000)],
  ['reserved past its deadline', (now) => record({ deadline: now - 1 }, now - 5_000)],
  [
    'reserved with no deadline',
    (now) => {
      const { deadline: _none, ...rest } = record({}, now - 5 * HOUR);
      return rest as SendRecord;
    },
  ],
  ['unknown', (now) => record({ state: 'unknown', settledAt: now - 1_000 }, now - 2_000)],
  ['sent within the cooldown', (now) => record({ state: 'sent', settledAt: now - 1_000 }, now - 2_000)],
  ['sent at the cooldown edge', (now) => record({ state: 'sent', settledAt: now - 10_000 }, now - 20_000)],
  ['sent past the cooldown', (now) => record({ state: 'sent', settledAt: now - 10_001 }, now - 20_000)],
  ['sent with no settledAt, reserved within the cooldown', (now) => record({ state: 'sent' }, now - 2_000)],
  ['sent with no settledAt, reserved past the cooldown', (now) => record({ state: 'sent' }, now - 20_000)],
  [
    'not-sent',
    (now) => record({ state: 'not-sent', settledAt: now - 1_000, reason: 'bounced' }, now - 2_000),
  ],
];
const rules: Array<Omit<ReserveRule, 'now'>> = [
  { cooldown: 10_000, force: false },
  { cooldown: 10_000, force: true },
  { cooldown: Number.POSITIVE_INFINITY, force: false },
  { cooldown: 0, force: false },
];
const skews: Array<[string, number]> = [
  ['a right clock', 0],
  ['a clock an hour ahead', HOUR],
  ['a clock an hour behind', -HOUR],
];

describe('the Lua reserve rule is blocks() at Redis time', () => {
  for (const [name, make] of holders)
    for (const shape of rules)
      for (const [clock, skew] of skews)
        it(`${name}; cooldown ${shape.cooldown}, force ${shape.force}; caller with ${clock}`, async () => {
          const start = await serverNow(raw);
          const holder = make(start);
          const key = await seed(holder);
          const rule: ReserveRule = { ...shape, now: start + skew };
          const incoming = record({ forced: shape.force }, rule.now);
          const { result, before, after } = await between(raw, () => ledger.reserve(key, incoming, rule));
          const expected = blocks(holder, { ...rule, now: before });
          // The rows keep their edges away from the step, so Redis's now anywhere in it gives one answer.
          expect(blocks(holder, { ...rule, now: after })).toBe(expected);
          if (expected) {
            expect(result).toEqual(holder);
            expect(await ledger.get(key)).toEqual(holder);
          } else {
            expect(result).toBeUndefined();
            const stored = await ledger.get(key);
            const stamped = expectStamped(stored, incoming, rule.now, { before, after });
            expect(stored).toEqual(replacing(stamped, holder));
          }
        });

  it('covers both outcomes (the table above is not all one answer)', () => {
    const answers = holders.flatMap(([, make]) =>
      rules.map((shape) => blocks(make(0), { ...shape, now: 0 })),
    );
    expect(answers).toContain(true);
    expect(answers).toContain(false);
  });

  it('a reservation whose deadline is null stays live: it blocks even a forced reservation', async () => {
    const start = await serverNow(raw);
    const holder = { ...record({}, start - 5 * HOUR), deadline: null };
    const key = await seed(holder);
    const rule: ReserveRule = { now: start, cooldown: 0, force: true };
    expect(await ledger.reserve(key, record({ forced: true }, start), rule)).toEqual(holder);
  });
});
