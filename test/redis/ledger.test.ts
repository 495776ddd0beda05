/**
 * RedisSendLedger against a real redis-server: each operation (records stamped with Redis's clock),
 * expiry only on settlements with keepFor, the record format check, and a caller-owned client. The
 * `blocks()` table and the clock-skew cases are in rule-table.test.ts and clock.test.ts.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, RedisSendLedger, RedisStoreError } from '../../src/redis/index.js';
import {
  applySettlement,
  type ReserveRule,
  replacing,
  restoredBy,
  type Settlement,
} from '../../src/send-ledger.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
import { between, expectStamped, record, serverNow } from './records.js';

let server: RedisServer;
let raw: ReturnType<typeof createClient>;
let ledger: RedisSendLedger;
const PREFIX = 'test:*[glob]?:';

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

const NOW = 1_800_000_000_000;

describe('RedisSendLedger operations', () => {
  it('reserves a free key stamped with Redis time, then refuses a second intent, returning the holder', async () => {
    const first = record();
    const key = `order-${randomUUID()}`;
    const rule: ReserveRule = { now: first.reservedAt, cooldown: 1_000, force: false };
    const window = await between(raw, () => ledger.reserve(key, first, rule));
    expect(window.result).toBeUndefined();
    const stored = expectStamped(await ledger.get(key), first, rule.now, window);
    expect(await ledger.reserve(key, record(), { ...rule, force: true })).toEqual(stored);
    expect(await ledger.get(key)).toEqual(stored);
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
  });

  it('settles only its own intent, as applySettlement at Redis time, with an expiry only when keepFor is given', async () => {
    const first = record({ recipient: 'zoë+ssl/"ops"@exämple.com', approvalId: 'a\\b' });
    const key = `order-${randomUUID()}`;
    await ledger.reserve(key, first, { now: first.reservedAt, cooldown: 0, force: false });
    const reserved = (await ledger.get(key))!;
    const sent: Settlement = {
      state: 'sent',
      at: Date.now(),
      keepFor: 60_000,
      reason: 'ünïcode "quoted" / slash',
    };
    expect(await ledger.settle(key, 'someone-else', sent)).toBeUndefined();
    expect(await ledger.get(key)).toEqual(reserved);

    const {
      result: settled,
      before,
      after,
    } = await between(raw, () => ledger.settle(key, first.intentId, sent));
    expect(settled!.settledAt).toBeGreaterThanOrEqual(before);
    expect(settled!.settledAt).toBeLessThanOrEqual(after);
    expect(settled).toEqual(applySettlement(reserved, { ...sent, at: settled!.settledAt! }));
    expect(await ledger.get(key)).toEqual(settled);
    // The key expires at exactly the record's expiresAt (PEXPIREAT from the TIME the script read).
    expect(settled!.expiresAt).toBe(settled!.settledAt! + 60_000);
    expect(await raw.pExpireTime(PREFIX + key)).toBe(settled!.expiresAt);

    const marked: Settlement = { state: 'unknown', at: Date.now(), reason: 'lost answer', marked: true };
    const again = await ledger.settle(key, first.intentId, marked);
    expect(again).toEqual(applySettlement(settled!, { ...marked, at: again!.settledAt! }));
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
  });

  it('releases only its own intent: deletes a plain reservation', async () => {
    const first = record();
    const key = `order-${randomUUID()}`;
    await ledger.reserve(key, first, { now: first.reservedAt, cooldown: 0, force: false });
    const stored = await ledger.get(key);
    expect(await ledger.release(key, 'someone-else')).toBe(false);
    expect(await ledger.get(key)).toEqual(stored);
    expect(await ledger.release(key, first.intentId)).toBe(true);
    expect(await ledger.get(key)).toBeUndefined();
    expect(await ledger.release(key, first.intentId)).toBe(false);
  });

  it('a forced reservation over a sent record stores it as replaced; release restores it with its remaining TTL', async () => {
    const sentRecord = record();
    const key = `order-${randomUUID()}`;
    await ledger.reserve(key, sentRecord, { now: sentRecord.reservedAt, cooldown: 0, force: false });
    await ledger.settle(key, sentRecord.intentId, { state: 'sent', at: Date.now(), keepFor: 120_000 });
    const holder = (await ledger.get(key))!;
    const forced = record({ forced: true, reason: 'retry' });
    const rule: ReserveRule = { now: forced.reservedAt, cooldown: 3_600_000, force: true };
    const window = await between(raw, () => ledger.reserve(key, forced, rule));
    expect(window.result).toBeUndefined();
    const stamped = expectStamped(await ledger.get(key), forced, rule.now, window);
    expect(await ledger.get(key)).toEqual(replacing(stamped, holder));
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);

    expect(await ledger.release(key, forced.intentId)).toBe(true);
    expect(await ledger.get(key)).toEqual(restoredBy(replacing(stamped, holder)));
    // expiresAt is on Redis's clock, so the restored key ends exactly where the settled one would have.
    expect(await raw.pExpireTime(PREFIX + key)).toBe(holder.expiresAt);
    expect(holder.expiresAt! - (await serverNow(raw))).toBeGreaterThan(0);
  });

  it('lists every record under its prefix (glob characters taken literally), and nothing else', async () => {
    const other = new RedisSendLedger({ url: server.url, keyPrefix: `list-${randomUUID()}:` });
    try {
      const records = [record(), record(), record()];
      for (const [index, each] of records.entries())
        await other.reserve(`k${index}`, each, { now: NOW, cooldown: 0, force: false });
      await raw.set('test:x[glob]?:not-ours', 'x');
      expect((await other.list()).map((each) => each.intentId).sort()).toEqual(
        records.map((each) => each.intentId).sort(),
      );
      expect(
        (await ledger.list()).some((each) => records.some((mine) => mine.intentId === each.intentId)),
      ).toBe(false);
    } finally {
      await other.close();
    }
  });

  it('refuses a record of another format with a typed error, never guessing; a reserve over it fails closed', async () => {
    const key = `order-${randomUUID()}`;
    await raw.set(PREFIX + key, JSON.stringify({ ...record(), format: 1 }));
    const read = await ledger.get(key).catch((error: unknown) => error);
    expect(read).toBeInstanceOf(RedisStoreError);
    expect(read).toMatchObject({ failure: 'record', operation: 'get', host: '127.0.0.1', port: server.port });
    expect((read as Error).message).toContain('format 1, not 2');
    const reserve = await ledger
      .reserve(key, record(), { now: NOW, cooldown: 0, force: true })
      .catch((e) => e);
    expect(reserve).toMatchObject({ name: 'RedisStoreError', failure: 'record', operation: 'reserve' });
    await raw.set(PREFIX + key, 'not json');
    await expect(ledger.get(key)).rejects.toMatchObject({ failure: 'record' });
  });
});

describe('default prefixes', () => {
  it('the limiter keeps its buckets outside the ledger, so history lists records only', async () => {
    const db = createClient({ url: server.url });
    await db.connect();
    await db.flushDb();
    const limiter = new RedisRateLimiter({ url: server.url });
    const defaults = new RedisSendLedger({ url: server.url });
    try {
      await limiter.take('SL1_jane@api.softlayer.com', { requestsPerSecond: 10, burst: 1 });
      const mine = record();
      await defaults.reserve('k', mine, { now: mine.reservedAt, cooldown: 0, force: false });
      expect(await defaults.list()).toEqual([await defaults.get('k')]);
      expect((await defaults.list())[0]?.intentId).toBe(mine.intentId);
      expect((await db.keys('*')).sort()).toEqual([
        'ssl-orders-rate:SL1_jane@api.softlayer.com',
        'ssl-orders:k',
      ]);
    } finally {
      await limiter.close();
      await defaults.close();
      await db.close();
    }
  });
});

describe('a caller-owned client', () => {
  it('is used as given and left open by close()', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    try {
      const owned = new RedisSendLedger({ client, keyPrefix: `owned-${randomUUID()}:` });
      expect(owned.description).toBe(`redis://127.0.0.1:${server.port}`);
      const mine = record();
      const rule: ReserveRule = { now: mine.reservedAt, cooldown: 0, force: false };
      const window = await between(raw, () => owned.reserve('k', mine, rule));
      expect(window.result).toBeUndefined();
      expectStamped(await owned.get('k'), mine, rule.now, window);
      await owned.close();
      expect(client.isOpen).toBe(true);
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.close();
    }
  });

  it('a client that is not connected gives a typed error saying so', async () => {
    const client = createClient({ url: server.url });
    const owned = new RedisSendLedger({ client });
    await expect(owned.get('k')).rejects.toMatchObject({ name: 'RedisStoreError', failure: 'closed' });
  });
});
