/**
 * RedisRateLimiter in one process against a real redis-server: the GCRA schedule (a burst at once, then
 * one slot per interval), independent keys and prefixes, a caller-owned client, bad rates, and a quick
 * typed rejection when Redis is silent (so the pacer can fall back to local pacing).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../src/errors.js';
import { RedisRateLimiter, RedisStoreError } from '../../src/redis/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

let server: RedisServer;
let limiter: RedisRateLimiter;
beforeAll(async () => {
  server = await startRedisServer({ password: 'limiter-pw' });
  limiter = new RedisRateLimiter({ url: server.url }, { keyPrefix: `rate-${randomUUID()}:` });
});
afterAll(async () => {
  await limiter?.close();
  await server?.stop();
});

describe('RedisRateLimiter', () => {
  it('lets a burst through at once, then schedules one slot per interval on the server clock', async () => {
    const rate = { requestsPerSecond: 20, burst: 3 };
    const slots = [];
    for (let i = 0; i < 8; i++) slots.push(await limiter.takeSlot('user@host', rate));
    expect(slots.slice(0, 3).map((slot) => slot.waitMs)).toEqual([0, 0, 0]);
    for (let i = 3; i < slots.length; i++) {
      expect(slots[i]!.waitMs).toBeGreaterThan(0);
      // Each slot past the burst is one interval (50 ms) after the one before it.
      expect(slots[i]!.at - slots[i - 1]!.at).toBeCloseTo(i === 3 ? slots[3]!.at - slots[2]!.at : 50, 0);
    }
    expect(slots[7]!.at - slots[3]!.at).toBeCloseTo(200, 0);
    expect(await limiter.take('user@host', rate)).toBeGreaterThan(slots[7]!.waitMs - 50);
  });

  it('keys and prefixes are independent', async () => {
    const rate = { requestsPerSecond: 1, burst: 1 };
    expect(await limiter.take('a', rate)).toBe(0);
    expect(await limiter.take('a', rate)).toBeGreaterThan(900);
    expect(await limiter.take('b', rate)).toBe(0);
    const other = new RedisRateLimiter({ url: server.url }, { keyPrefix: `rate-${randomUUID()}:` });
    expect(await other.take('a', rate)).toBe(0);
    await other.close();
  });

  it('works on a caller-owned client, leaves it open, and describes Redis without the password', async () => {
    const client = createClient({ url: server.url });
    await client.connect();
    const shared = new RedisRateLimiter({ client }, { keyPrefix: `rate-${randomUUID()}:` });
    expect(await shared.take('k', { requestsPerSecond: 5, burst: 1 })).toBe(0);
    await shared.close();
    expect(await client.ping()).toBe('PONG');
    await client.close();
    expect(limiter.description).toBe(`redis://127.0.0.1:${server.port}`);
    expect(limiter.description).not.toContain('limiter-pw');
  });

  it('refuses a rate that is not positive or a burst below 1, before contacting Redis', async () => {
    const nowhere = new RedisRateLimiter({ url: 'redis://127.0.0.1:1' });
    await expect(nowhere.take('k', { requestsPerSecond: 0, burst: 1 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
    await expect(nowhere.take('k', { requestsPerSecond: 10, burst: 0 })).rejects.toThrow(/burst/);
    await expect(nowhere.take('k', { requestsPerSecond: Number.NaN, burst: 1 })).rejects.toThrow(
      /requestsPerSecond/,
    );
    await nowhere.close();
  });

  it('a server that accepts connections but never answers: a typed timeout within the bound', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const quiet = new RedisRateLimiter({ url: `redis://:pw-quiet@127.0.0.1:${port}` });
    try {
      const started = performance.now();
      const error = await quiet
        .take('k', { requestsPerSecond: 10, burst: 1 })
        .catch((caught: unknown) => caught);
      const elapsed = performance.now() - started;
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error).toMatchObject({ failure: 'timeout', operation: 'take', host: '127.0.0.1', port });
      expect(JSON.stringify(error)).not.toContain('pw-quiet');
      // Connect (1 s) or reply (0.5 s) bound, whichever the silence hit, plus scheduling slack.
      expect(elapsed).toBeLessThan(1_800);
      const again = performance.now();
      await expect(quiet.take('k', { requestsPerSecond: 10, burst: 1 })).rejects.toMatchObject({
        failure: 'timeout',
      });
      expect(performance.now() - again).toBeLessThan(1_800);
    } finally {
      await quiet.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
