/**
 * Redis's clock is the one clock of the Redis ledger: a host whose clock runs an hour ahead or behind
 * (simulated by its `rule.now`, record times and `settlement.at`) neither passes a send that another
 * host's record blocks nor shortens a record's life. Also the settle script's compare-and-set
 * (`Settlement.expect`) and a state this SDK does not know.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSendLedger } from '../../src/redis/index.js';
import type { ReserveRule, SendRecord, Settlement } from '../../src/send-ledger.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { between, record, serverNow } from './records.js';

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
let ledger: RedisSendLedger;
const PREFIX = 'clock:';
const HOUR = 3_600_000;
const MINUTE = 60_000;

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

/** A host whose clock is `skew` ms off: its record, reserve rule and settlements carry its times. */
function host(skew: number) {
  const now = () => Date.now() + skew;
  return {
    record: (overrides: Partial<SendRecord> = {}) => record(overrides, now()),
    rule: (overrides: Partial<ReserveRule> = {}): ReserveRule => ({
      now: now(),
      cooldown: 10 * MINUTE,
      force: false,
      ...overrides,
    }),
    settlement: (overrides: Partial<Settlement> = {}): Settlement => ({
      state: 'sent',
      at: now(),
      keepFor: 10 * MINUTE,
      ...overrides,
    }),
  };
}

/** Host A (right clock) reserves and settles `sent` a fresh record; resolves its key and intent. */
async function freshSent(settler = host(0)): Promise<{ key: string; intentId: string }> {
  const key = `order-${randomUUID()}`;
  const mine = settler.record();
  expect(await ledger.reserve(key, mine, settler.rule())).toBeUndefined();
  expect(await ledger.settle(key, mine.intentId, settler.settlement())).toBeDefined();
  return { key, intentId: mine.intentId };
}

describe('Redis time decides, whatever a host clock says', () => {
  it('a host an hour ahead still sees a fresh sent record inside its cooldown (no second send)', async () => {
    const { key, intentId } = await freshSent();
    const ahead = host(HOUR);
    const holder = await ledger.reserve(key, ahead.record(), ahead.rule());
    expect(holder).toMatchObject({ intentId, state: 'sent' });
    expect((await ledger.get(key))?.intentId).toBe(intentId);
  });

  it('a host an hour ahead still sees a live reservation as live: even force does not pass it', async () => {
    const key = `order-${randomUUID()}`;
    const right = host(0);
    const live = right.record();
    expect(await ledger.reserve(key, live, right.rule())).toBeUndefined();
    const ahead = host(HOUR);
    const holder = await ledger.reserve(key, ahead.record({ forced: true }), ahead.rule({ force: true }));
    expect(holder).toMatchObject({ intentId: live.intentId, state: 'reserved' });
  });

  it('a reservation by a host an hour behind is stored at Redis time, so it is live for its full deadline', async () => {
    const key = `order-${randomUUID()}`;
    const behind = host(-HOUR);
    const mine = behind.record();
    const rule = behind.rule({ now: mine.reservedAt });
    const { before, after } = await between(raw, () => ledger.reserve(key, mine, rule));
    const stored = (await ledger.get(key))!;
    expect(stored.reservedAt).toBeGreaterThanOrEqual(before);
    expect(stored.reservedAt).toBeLessThanOrEqual(after);
    expect(stored.deadline - stored.reservedAt).toBe(MINUTE);
    const right = host(0);
    const holder = await ledger.reserve(key, right.record({ forced: true }), right.rule({ force: true }));
    expect(holder?.intentId).toBe(mine.intentId);
  });

  it('a settler an hour behind gives the record its full keepFor on Redis clock (not deleted at once)', async () => {
    const { key } = await freshSent(host(-HOUR));
    const { result: stored, before, after } = await between(raw, () => ledger.get(key));
    expect(stored?.state).toBe('sent');
    expect(stored!.settledAt).toBeLessThanOrEqual(after);
    expect(stored!.settledAt).toBeGreaterThan(before - MINUTE);
    expect(stored!.expiresAt).toBe(stored!.settledAt! + 10 * MINUTE);
    expect(await raw.pTTL(PREFIX + key)).toBeGreaterThan(9 * MINUTE);
    // And the cooldown counts from Redis's settledAt: a right host an hour later is still blocked.
    const right = host(0);
    expect(await ledger.reserve(key, right.record(), right.rule())).toMatchObject({ state: 'sent' });
  });

  it('a forced send released by a host an hour ahead restores the replaced record with its remaining TTL', async () => {
    const { key } = await freshSent();
    const replaced = (await ledger.get(key))!;
    const ahead = host(HOUR);
    const forced = ahead.record({ forced: true, reason: 'checked' });
    expect(await ledger.reserve(key, forced, ahead.rule({ force: true }))).toBeUndefined();
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
    expect(await ledger.release(key, forced.intentId)).toBe(true);
    expect(await ledger.get(key)).toEqual(replaced);
    expect(await raw.pExpireTime(PREFIX + key)).toBe(replaced.expiresAt);
    const left = await raw.pTTL(PREFIX + key);
    expect(left).toBeGreaterThan(9 * MINUTE);
    expect(left).toBeLessThanOrEqual(10 * MINUTE);
  });
});

describe('settle with expect (compare-and-set)', () => {
  it('applies only when the stored state and settledAt are the expected ones', async () => {
    const right = host(0);
    const key = `order-${randomUUID()}`;
    const mine = right.record();
    await ledger.reserve(key, mine, right.rule());
    const mark = right.settlement({ state: 'not-sent', keepFor: undefined, marked: true, reason: 'checked' });
    const reserved = (await ledger.get(key))!;
    // `reserved` has no settledAt: a settledAt, or another state, is refused.
    for (const wrong of [
      { state: 'unknown' as const },
      { state: 'reserved' as const, settledAt: reserved.reservedAt },
    ])
      expect(await ledger.settle(key, mine.intentId, { ...mark, expect: wrong })).toBeUndefined();
    expect(await ledger.get(key)).toEqual(reserved);
    // The raw state decides, not the effective one: a reservation past its deadline is still `reserved`.
    await raw.set(PREFIX + key, JSON.stringify({ ...reserved, deadline: reserved.reservedAt - 1 }));
    expect(
      await ledger.settle(key, mine.intentId, { ...mark, expect: { state: 'unknown' } }),
    ).toBeUndefined();
    const sent = await ledger.settle(key, mine.intentId, {
      ...right.settlement(),
      expect: { state: 'reserved' },
    });
    expect(sent?.state).toBe('sent');
    // A mark that read `reserved` before the send settled must not overwrite `sent`.
    expect(
      await ledger.settle(key, mine.intentId, { ...mark, expect: { state: 'reserved' } }),
    ).toBeUndefined();
    const stale = { state: 'sent' as const, settledAt: sent!.settledAt! - 1 };
    expect(await ledger.settle(key, mine.intentId, { ...mark, expect: stale })).toBeUndefined();
    expect(
      await ledger.settle(key, 'someone-else', {
        ...mark,
        expect: { state: 'sent', settledAt: sent!.settledAt },
      }),
    ).toBeUndefined();
    expect(await ledger.get(key)).toEqual(sent);
    const marked = await ledger.settle(key, mine.intentId, {
      ...mark,
      expect: { state: 'sent', settledAt: sent!.settledAt },
    });
    expect(marked).toMatchObject({
      state: 'not-sent',
      marked: true,
      reason: 'checked',
      expiresAt: undefined,
    });
    expect(marked).not.toHaveProperty('expect');
    expect(await ledger.get(key)).toEqual({ ...marked, expiresAt: undefined });
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
  });

  it('a null settledAt counts as absent', async () => {
    const key = `order-${randomUUID()}`;
    const mine = { ...record({ state: 'unknown' }), settledAt: null };
    await raw.set(PREFIX + key, JSON.stringify(mine));
    const marked = await ledger.settle(key, mine.intentId, {
      state: 'not-sent',
      at: Date.now(),
      marked: true,
      expect: { state: 'unknown' },
    });
    expect(marked?.state).toBe('not-sent');
  });
});

describe('a state this SDK does not know', () => {
  it('blocks like unknown: every reservation but a forced one, which keeps it as replaced', async () => {
    const key = `order-${randomUUID()}`;
    const odd = { ...record(), state: 'archived', settledAt: (await serverNow(raw)) - HOUR };
    await raw.set(PREFIX + key, JSON.stringify(odd));
    const right = host(0);
    for (const cooldown of [0, 10 * MINUTE])
      expect(await ledger.reserve(key, right.record(), right.rule({ cooldown }))).toEqual(odd);
    const forced = right.record({ forced: true });
    expect(await ledger.reserve(key, forced, right.rule({ force: true }))).toBeUndefined();
    expect(await ledger.get(key)).toMatchObject({ intentId: forced.intentId, replaced: odd });
  });
});
