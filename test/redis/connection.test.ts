/**
 * How the Redis stores connect and fail: TLS against redis-server's TLS port with a self-signed
 * certificate, typed errors that name the host and never the password (unreachable, refused password,
 * bad host, bad URL, a stalled server), and the eviction-policy warning at connect.
 */
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  RedisRateLimiter,
  RedisSendLedger,
  RedisStoreError,
  type RedisStoreWarningEvent,
} from '../../src/redis/index.js';
import type { SendRecord } from '../../src/send-ledger.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

function record(): SendRecord {
  const now = Date.now();
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
    reservedAt: now,
    deadline: now + 60_000,
  };
}

/** Every view of an error a log could take: message, cause, util.inspect and JSON. */
function everyView(error: unknown): string {
  const cause = (error as Error).cause;
  return [
    (error as Error).message,
    String(cause),
    inspect(cause),
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    (error as Error).stack ?? '',
  ].join('\n');
}

describe('rediss:// (TLS)', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer({ tls: true });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('works with the server certificate as tls.ca', async () => {
    const ledger = new RedisSendLedger({ url: server.url, tls: { ca: server.ca! } });
    try {
      expect(ledger.description).toBe(`rediss://127.0.0.1:${server.port}`);
      const mine = record();
      expect(
        await ledger.reserve('tls-key', mine, { now: Date.now(), cooldown: 0, force: false }),
      ).toBeUndefined();
      // The ledger stamps reservedAt with Redis's clock (clock.test.ts); everything else is as given.
      expect(await ledger.get('tls-key')).toEqual({
        ...mine,
        reservedAt: expect.any(Number),
        deadline: expect.any(Number),
      });
    } finally {
      await ledger.close();
    }
    const limiter = new RedisRateLimiter({ url: server.url, tls: { ca: server.ca! } });
    try {
      expect(await limiter.take('tls', { requestsPerSecond: 10, burst: 2 })).toBe(0);
    } finally {
      await limiter.close();
    }
  });

  it('an untrusted certificate is a typed tls error naming the host', async () => {
    const ledger = new RedisSendLedger({ url: server.url });
    const error = await ledger.get('k').catch((caught: unknown) => caught);
    await ledger.close();
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ failure: 'tls', host: '127.0.0.1', port: server.port });
    expect((error as Error).message).toContain(`rediss://127.0.0.1:${server.port}`);
    expect((error as Error).message).toContain('tls.ca');
  });

  it('redis:// to a TLS port fails in bounded time with a typed error', async () => {
    const ledger = new RedisSendLedger({
      url: `redis://127.0.0.1:${server.port}`,
      connectTimeoutMs: 500,
      commandTimeoutMs: 500,
    });
    const error = await ledger.get('k').catch((caught: unknown) => caught);
    await ledger.close();
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(['timeout', 'unreachable']).toContain((error as RedisStoreError).failure);
  });
});

describe('typed errors that name the host, never the password', () => {
  it('unreachable: redis://user:s3cret@127.0.0.1:1/ gives RedisStoreError without s3cret anywhere', async () => {
    const started = performance.now();
    const ledger = new RedisSendLedger({ url: 'redis://user:s3cret@127.0.0.1:1/' });
    const error = await ledger
      .reserve('k', record(), { now: Date.now(), cooldown: 0, force: false })
      .catch((e) => e);
    const limiter = new RedisRateLimiter({ url: 'redis://user:s3cret@127.0.0.1:1/' });
    const limited = await limiter.take('k', { requestsPerSecond: 1, burst: 1 }).catch((e) => e);
    const elapsed = performance.now() - started;
    expect(error).toBeInstanceOf(RedisStoreError);
    expect(error).toMatchObject({ failure: 'unreachable', host: '127.0.0.1', port: 1, operation: 'reserve' });
    expect(limited).toMatchObject({ name: 'RedisStoreError', failure: 'unreachable', operation: 'take' });
    expect(error.message).toContain('redis://127.0.0.1:1');
    for (const each of [error, limited]) {
      expect(everyView(each)).not.toContain('s3cret');
      expect(everyView(each)).not.toContain('user:');
    }
    expect(inspect(error)).toContain('ECONNREFUSED');
    // Bounded by the connect timeout (2 s), not by a retry loop.
    expect(elapsed).toBeLessThan(4_000);
    await ledger.close();
    await limiter.close();
  });

  it('a password the server refuses is an auth error naming the host, without the password', async () => {
    const server = await startRedisServer({ password: 'right-one' });
    try {
      const url = `redis://default:wr0ng-pa55@127.0.0.1:${server.port}`;
      const ledger = new RedisSendLedger({ url });
      const error = await ledger.get('k').catch((e) => e);
      await ledger.close();
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ failure: 'auth', host: '127.0.0.1', port: server.port });
      expect(error.message).toContain(`redis://127.0.0.1:${server.port}`);
      expect(everyView(error)).not.toContain('wr0ng-pa55');
      const good = new RedisSendLedger({ url: server.url });
      expect(await good.get('k')).toBeUndefined();
      await good.close();
    } finally {
      await server.stop();
    }
  });

  it('a host that does not resolve is an unreachable error naming it', async () => {
    const ledger = new RedisSendLedger({
      url: 'redis://:pw-123@no-such-host.invalid:6379',
      connectTimeoutMs: 1_500,
    });
    const error = await ledger.get('k').catch((e) => e);
    await ledger.close();
    expect(error).toMatchObject({ name: 'RedisStoreError', host: 'no-such-host.invalid', port: 6379 });
    expect(['unreachable', 'timeout']).toContain(error.failure);
    expect(error.message).toContain('no-such-host.invalid');
    expect(everyView(error)).not.toContain('pw-123');
  });

  it('a URL that is not redis:// or rediss:// is an InvalidArgumentError at construction, without the password', () => {
    for (const url of [
      'http://:hunter22@127.0.0.1:6379',
      'not a url :hunter22',
      'redis://:hunter22@:6379',
      'redis://:hunter22/x@host:99999',
      'redis://:hunter22@host:99999/x@y',
    ]) {
      let error: unknown;
      try {
        new RedisSendLedger({ url });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(everyView(error)).not.toContain('hunter22');
    }
    expect(() => new RedisSendLedger({ url: 'redis://:hunter22@redis.example.com:99999' })).toThrow(
      /host and port "redis\.example\.com:99999"/,
    );
    expect(() => new RedisRateLimiter({ url: 'redis://h', connectTimeoutMs: -1 })).toThrow(
      InvalidArgumentError,
    );
  });

  it('a stalled server (SIGSTOP) gives a timeout error within commandTimeoutMs, and the store recovers', async () => {
    const server = await startRedisServer();
    const ledger = new RedisSendLedger({ url: server.url, commandTimeoutMs: 300 });
    try {
      await ledger.connect();
      server.process.kill('SIGSTOP');
      const started = performance.now();
      const error = await ledger.get('k').catch((e) => e);
      const elapsed = performance.now() - started;
      server.process.kill('SIGCONT');
      expect(error).toMatchObject({ name: 'RedisStoreError', failure: 'timeout', operation: 'get' });
      expect(error.message).toContain(`127.0.0.1:${server.port}`);
      expect(elapsed).toBeLessThan(2_000);
      expect(await ledger.get('k')).toBeUndefined();
    } finally {
      server.process.kill('SIGCONT');
      await ledger.close();
      await server.stop();
    }
  });

  it('after the server restarts, the next operation reconnects', async () => {
    const first = await startRedisServer();
    const ledger = new RedisSendLedger({ url: first.url });
    try {
      await ledger.connect();
      first.process.kill('SIGKILL');
      await first.exited;
      await expect(ledger.get('k')).rejects.toMatchObject({ name: 'RedisStoreError' });
      const second = await startRedisServer({ port: first.port });
      try {
        expect(await ledger.get('k')).toBeUndefined();
      } finally {
        await second.stop();
      }
    } finally {
      await ledger.close();
      await first.stop();
    }
  });

  it('a closed ledger refuses with a closed error', async () => {
    const ledger = new RedisSendLedger({ url: 'redis://127.0.0.1:1' });
    await ledger.close();
    await expect(ledger.get('k')).rejects.toMatchObject({ name: 'RedisStoreError', failure: 'closed' });
  });
});

describe('the eviction-policy warning at connect', () => {
  it('an evicting maxmemory-policy gives one ledger.warning event; noeviction gives none', async () => {
    const evicting = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const safe = await startRedisServer({ args: ['--maxmemory-policy', 'noeviction'] });
    try {
      const events: RedisStoreWarningEvent[] = [];
      const warned = new RedisSendLedger({ url: evicting.url, onEvent: (event) => events.push(event) });
      await warned.connect();
      await warned.get('a');
      await warned.get('b');
      await warned.close();
      expect(events).toEqual([
        expect.objectContaining({
          type: 'ledger.warning',
          reason: 'evicting-policy',
          policy: 'allkeys-lru',
          store: `redis://127.0.0.1:${evicting.port}`,
        }),
      ]);
      expect(events[0]!.message).toContain('maxmemory-policy noeviction');

      const quiet: RedisStoreWarningEvent[] = [];
      const ok = new RedisSendLedger({ url: safe.url, onEvent: (event) => quiet.push(event) });
      await ok.connect();
      await ok.close();
      expect(quiet).toEqual([]);
    } finally {
      await evicting.stop();
      await safe.stop();
    }
  });

  it('a server that forbids CONFIG gives no warning and no failure', async () => {
    const server = await startRedisServer({ args: ['--rename-command', 'CONFIG', ''] });
    try {
      const events: RedisStoreWarningEvent[] = [];
      const ledger = new RedisSendLedger({ url: server.url, onEvent: (event) => events.push(event) });
      expect(await ledger.get('k')).toBeUndefined();
      await ledger.close();
      expect(events).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
