/**
 * RedisSendLedger against a real redis-server: each operation, the `blocks()` rule table (the Lua
 * script must decide exactly as the TypeScript function does), expiry only on settlements with keepFor,
 * the record format check, and a caller-owned client.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter, RedisSendLedger, RedisStoreError } from '../../src/redis/index.js';
import {
  applySettlement,
  blocks,
  type ReserveRule,
  replacing,
  restoredBy,
  type SendRecord,
  type Settlement,
} from '../../src/send-ledger.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

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

function record(overrides: Partial<SendRecord> = {}): SendRecord {
  return {
    format: 2,
    key: 'k',
    intentId: randomUUID(),
    orderId: 4471203,
    emailType: 'FulfillmentEmail',
    endpoint: 'api.softlayer.com',
    accountId: 278184,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: NOW,
    deadline: NOW + 60_000,
    ...overrides,
  };
}

/** Stores `holder` under a new key through the ledger itself (reserve, then settle). */
async function seed(holder: SendRecord): Promise<string> {
  const key = `order-${randomUUID()}`;
  const reserved = { ...holder, state: 'reserved' as const };
  expect(
    await ledger.reserve(key, reserved, { now: holder.reservedAt, cooldown: 0, force: false }),
  ).toBeUndefined();
  if (holder.state !== 'reserved') {
    const settled = await ledger.settle(key, holder.intentId, {
      state: holder.state,
      at: holder.settledAt ?? holder.reservedAt,
      ...(holder.reason === undefined ? {} : { reason: holder.reason }),
    });
    expect(settled?.state).toBe(holder.state);
  }
  return key;
}

describe('RedisSendLedger operations', () => {
  it('reserves a free key with SET NX and then refuses a second intent, returning the holder', async () => {
    const first = record();
    const key = `order-${randomUUID()}`;
    expect(await ledger.reserve(key, first, { now: NOW, cooldown: 1_000, force: false })).toBeUndefined();
    expect(await ledger.get(key)).toEqual(first);
    const second = record();
    expect(await ledger.reserve(key, second, { now: NOW, cooldown: 1_000, force: true })).toEqual(first);
    expect(await ledger.get(key)).toEqual(first);
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
  });

  it('settles only its own intent, exactly as applySettlement, with an expiry only when keepFor is given', async () => {
    const first = record({ recipient: 'zoë+ssl/"ops"@exämple.com', approvalId: 'a\\b' });
    const key = await seed(first);
    const sent: Settlement = {
      state: 'sent',
      at: Date.now(),
      keepFor: 60_000,
      reason: 'ünïcode "quoted" / slash',
    };
    expect(await ledger.settle(key, 'someone-else', sent)).toBeUndefined();
    expect(await ledger.get(key)).toEqual(first);

    const settled = await ledger.settle(key, first.intentId, sent);
    expect(settled).toEqual(applySettlement(first, sent));
    expect(await ledger.get(key)).toEqual(settled);
    expect(await raw.pExpireTime(PREFIX + key)).toBe(sent.at + 60_000);

    const marked: Settlement = { state: 'unknown', at: Date.now(), reason: 'lost answer', marked: true };
    const again = await ledger.settle(key, first.intentId, marked);
    expect(again).toEqual(applySettlement(settled!, marked));
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);
  });

  it('releases only its own intent: deletes a plain reservation', async () => {
    const first = record();
    const key = await seed(first);
    expect(await ledger.release(key, 'someone-else')).toBe(false);
    expect(await ledger.get(key)).toEqual(first);
    expect(await ledger.release(key, first.intentId)).toBe(true);
    expect(await ledger.get(key)).toBeUndefined();
    expect(await ledger.release(key, first.intentId)).toBe(false);
  });

  it('a forced reservation over a sent record stores it as replaced; release restores it with its expiry', async () => {
    const sentRecord = record({ state: 'sent', settledAt: Date.now(), reservedAt: Date.now() - 10 });
    const key = await seed(sentRecord);
    await ledger.settle(key, sentRecord.intentId, {
      state: 'sent',
      at: sentRecord.settledAt!,
      keepFor: 120_000,
    });
    const holder = (await ledger.get(key))!;
    const forced = record({
      reservedAt: Date.now(),
      deadline: Date.now() + 60_000,
      forced: true,
      reason: 'retry',
    });
    const rule: ReserveRule = { now: Date.now(), cooldown: 3_600_000, force: true };
    expect(await ledger.reserve(key, forced, rule)).toBeUndefined();
    expect(await ledger.get(key)).toEqual(replacing(forced, holder));
    expect(await raw.pTTL(PREFIX + key)).toBe(-1);

    expect(await ledger.release(key, forced.intentId)).toBe(true);
    expect(await ledger.get(key)).toEqual(restoredBy(replacing(forced, holder)));
    expect(await raw.pExpireTime(PREFIX + key)).toBe(holder.expiresAt);
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

describe('the Lua reserve rule is blocks()', () => {
  const holders: Array<[string, SendRecord]> = [
    ['reserved before its deadline', record({ reservedAt: NOW - 1_000, deadline: NOW + 1_000 })],
    ['reserved past its deadline', record({ reservedAt: NOW - 5_000, deadline: NOW - 1 })],
    ['unknown', record({ state: 'unknown', settledAt: NOW - 1_000 })],
    ['sent within the cooldown', record({ state: 'sent', reservedAt: NOW - 2_000, settledAt: NOW - 1_000 })],
    [
      'sent at the cooldown edge',
      record({ state: 'sent', reservedAt: NOW - 20_000, settledAt: NOW - 10_000 }),
    ],
    ['sent past the cooldown', record({ state: 'sent', reservedAt: NOW - 20_000, settledAt: NOW - 10_001 })],
    ['not-sent', record({ state: 'not-sent', settledAt: NOW - 1_000, reason: 'bounced' })],
  ];
  const rules: ReserveRule[] = [
    { now: NOW, cooldown: 10_000, force: false },
    { now: NOW, cooldown: 10_000, force: true },
    { now: NOW, cooldown: Number.POSITIVE_INFINITY, force: false },
  ];
  for (const [name, holder] of holders) {
    for (const rule of rules) {
      it(`${name}, cooldown ${rule.cooldown}, force ${rule.force}`, async () => {
        const key = await seed(holder);
        const stored = (await ledger.get(key))!;
        const incoming = record({ reservedAt: NOW, deadline: NOW + 60_000, forced: rule.force });
        const result = await ledger.reserve(key, incoming, rule);
        if (blocks(stored, rule)) {
          expect(result).toEqual(stored);
          expect(await ledger.get(key)).toEqual(stored);
        } else {
          expect(result).toBeUndefined();
          expect(await ledger.get(key)).toEqual(replacing(incoming, stored));
        }
      });
    }
  }

  it('covers both outcomes (the table above is not all one answer)', () => {
    const answers = holders.flatMap(([, holder]) => rules.map((rule) => blocks(holder, rule)));
    expect(answers).toContain(true);
    expect(answers).toContain(false);
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
      await defaults.reserve('k', mine, { now: NOW, cooldown: 0, force: false });
      expect(await defaults.list()).toEqual([mine]);
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
      expect(await owned.reserve('k', mine, { now: NOW, cooldown: 0, force: false })).toBeUndefined();
      expect(await owned.get('k')).toEqual(mine);
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
