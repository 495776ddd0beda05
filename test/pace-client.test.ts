/**
 * Pacing end to end: the client against the emulator's SoftLayer-like limiter (sliding one-second
 * window per credential, HTTP 500 + RateLimitExceeded past it).
 */
import { describe, expect, it } from 'vitest';
import {
  type PaceRate,
  RateLimitError,
  type SharedRateLimiter,
  SslOrdersClient,
  type SslOrdersClientOptions,
  type SslOrdersEvent,
  TimeoutError,
} from '../src/index.js';
import { type Emulator, startEmulator } from '../src/testing/index.js';

function clientFor(emulator: Emulator, overrides: Partial<SslOrdersClientOptions> = {}) {
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({
    auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
    baseUrl: emulator.url,
    accountId: emulator.accountId,
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  return { client, events };
}

/** One turn of the event loop: everything before the pacer's wait is promise jobs, so the call is queued after it. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

const ORDER = 4471203;

describe('pacing against a 50 requests/second limit', () => {
  it('120 concurrent sends all succeed: 120 POSTs, none repeated, no RateLimitError', {
    timeout: 60_000,
  }, async () => {
    await using emulator = await startEmulator({ orderCount: 400, rateLimit: { requestsPerSecond: 50 } });
    const ids = emulator.orders
      .filter((order) => order.status?.name === 'Approved' || order.status?.name === 'Complete')
      .slice(0, 120)
      .map((order) => order.id);
    expect(ids).toHaveLength(120);
    const { client } = clientFor(emulator, { confirm: async () => true });
    const results = await Promise.allSettled(ids.map((id) => client.resendFulfillmentEmail(id)));
    const rejected = results.filter((result) => result.status === 'rejected');
    expect(rejected.map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
    // Not one POST repeated, so none was rate-limited; a read may have met a rate-limit answer on a
    // loaded machine (arrival jitter) and was retried, which the 1.05 bound of the load test covers.
    expect(emulator.count({ method: 'POST', methodName: 'resendEmail' })).toBe(120);
    expect(emulator.outbox).toHaveLength(120);
  });

  it('150 concurrent reads all succeed with at most 1.05 requests per call', {
    timeout: 60_000,
  }, async () => {
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 50 } });
    const { client, events } = clientFor(emulator);
    const results = await Promise.allSettled(Array.from({ length: 150 }, () => client.getOrder(ORDER)));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    // Issue 14's bound: at most 1.05 requests per call (150 on a quiet machine).
    expect(emulator.count()).toBeLessThanOrEqual(157);
    // All but the burst waited, and said so.
    expect(events.filter((event) => event.type === 'pace.wait').length).toBeGreaterThanOrEqual(150 - 2);
  });

  it('clients acting as the same user share one limiter', async () => {
    await using emulator = await startEmulator();
    const rateLimit = { requestsPerSecond: 20, burst: 1 };
    const first = clientFor(emulator, { rateLimit });
    const second = clientFor(emulator, { rateLimit });
    await Promise.all([
      first.client.getOrder(ORDER),
      second.client.getOrder(ORDER),
      first.client.getOrder(ORDER),
      second.client.getOrder(ORDER),
    ]);
    const waits = [...first.events, ...second.events].filter((event) => event.type === 'pace.wait');
    // One limiter with a burst of 1: three of the four waited (two limiters would make it two).
    expect(waits).toHaveLength(3);
  });
});

describe('waiting for a token', () => {
  it('an abort while waiting rejects with the reason and no request leaves', async () => {
    await using emulator = await startEmulator();
    const { client, events } = clientFor(emulator, { rateLimit: { requestsPerSecond: 0.5, burst: 1 } });
    await client.getOrder(ORDER);
    const controller = new AbortController();
    const waiting = client.getOrder(ORDER, { signal: controller.signal });
    await nextTurn();
    const reason = new Error('user cancelled');
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    expect(emulator.count()).toBe(1);
    expect(events.filter((event) => event.type === 'request')).toHaveLength(1);
  });

  it('a wait past totalTimeout ends in a TimeoutError (total) and no request leaves', async () => {
    await using emulator = await startEmulator();
    const { client } = clientFor(emulator, { rateLimit: { requestsPerSecond: 0.5, burst: 1 } });
    await client.getOrder(ORDER);
    const error = await client.getOrder(ORDER, { totalTimeout: 100 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).limit).toBe('total');
    expect(emulator.count()).toBe(1);
  });

  it('a send waiting for a token past its deadline was not dispatched', async () => {
    await using emulator = await startEmulator();
    const { client } = clientFor(emulator, {
      rateLimit: { requestsPerSecond: 0.5, burst: 1 },
      confirm: async () => true,
    });
    await client.getOrder(ORDER);
    const error = await client
      .resendFulfillmentEmail(ORDER, { totalTimeout: 100 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TimeoutError);
    expect(emulator.count({ method: 'POST', methodName: 'resendEmail' })).toBe(0);
    expect(emulator.outbox).toHaveLength(0);
  });

  it('the wait does not count against the per-attempt timeout', async () => {
    await using emulator = await startEmulator();
    const { client, events } = clientFor(emulator, {
      rateLimit: { requestsPerSecond: 5, burst: 1 },
      timeout: 50,
    });
    await Promise.all([client.getOrder(ORDER), client.getOrder(ORDER), client.getOrder(ORDER)]);
    const waits = events.flatMap((event) => (event.type === 'pace.wait' ? [event.waitedMs] : []));
    // The third call waited about 400 ms, far past the 50 ms attempt timeout, and still succeeded.
    expect(Math.max(...waits)).toBeGreaterThan(50);
    expect(events.filter((event) => event.type === 'retry')).toEqual([]);
  });

  it('rateLimit: false sends at once', async () => {
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 50 } });
    const { client, events } = clientFor(emulator, { rateLimit: false, retry: false });
    const results = await Promise.allSettled(Array.from({ length: 60 }, () => client.getOrder(ORDER)));
    expect(events.some((event) => event.type.startsWith('pace.'))).toBe(false);
    expect(results.filter((result) => result.status === 'rejected').length).toBeGreaterThan(0);
  });
});

describe('adaptive pacing', () => {
  it('learns a lower server limit from its message and then stays under it', {
    timeout: 30_000,
  }, async () => {
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 10 } });
    const { client, events } = clientFor(emulator, {
      retry: { maxRetries: 6, baseDelay: 100, maxDelay: 1_000 },
    });
    const first = await Promise.allSettled(Array.from({ length: 30 }, () => client.getOrder(ORDER)));
    expect(first.filter((result) => result.status === 'rejected')).toEqual([]);
    const slowdowns = events.filter((event) => event.type === 'pace.slowdown');
    expect(slowdowns[0]).toMatchObject({ requestsPerSecond: 9.2, burst: 1, learnt: true });
    // Once learnt, a second batch meets no rate-limit answer at all.
    const limitedBefore = emulator.count({ status: 500 });
    expect(limitedBefore).toBeGreaterThan(0);
    const second = await Promise.allSettled(Array.from({ length: 20 }, () => client.getOrder(ORDER)));
    expect(second.filter((result) => result.status === 'rejected')).toEqual([]);
    expect(emulator.count({ status: 500 })).toBe(limitedBefore);
  });

  it('adaptive: false keeps the configured pace', async () => {
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 2 } });
    const { client, events } = clientFor(emulator, {
      rateLimit: { requestsPerSecond: 40, burst: 4, adaptive: false },
      retry: false,
    });
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => client.getOrder(ORDER)));
    expect(
      results.some((result) => result.status === 'rejected' && result.reason instanceof RateLimitError),
    ).toBe(true);
    expect(events.filter((event) => event.type === 'pace.slowdown')).toEqual([]);
  });
});

describe('a shared limiter', () => {
  class FakeShared implements SharedRateLimiter {
    readonly description = 'fake://shared';
    readonly keys: string[] = [];
    readonly rates: PaceRate[] = [];
    failing = false;
    wait = 0;
    async take(key: string, rate: PaceRate): Promise<number> {
      this.keys.push(key);
      this.rates.push(rate);
      if (this.failing) throw new Error('ECONNREFUSED redis://:hunter2@10.0.0.5');
      return this.wait;
    }
  }

  it('takes from it with a key naming the host and user, never the key', async () => {
    await using emulator = await startEmulator();
    const shared = new FakeShared();
    shared.wait = 30;
    const { client, events } = clientFor(emulator, { rateLimit: { shared } });
    await client.getOrder(ORDER);
    expect(shared.keys).toEqual([`${new URL(emulator.url).host} user:${emulator.credentials.username}`]);
    expect(shared.keys[0]).not.toContain(emulator.credentials.apiKey);
    expect(shared.rates).toEqual([{ requestsPerSecond: 46, burst: 2 }]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'pace.wait', source: 'shared', waitedMs: 30 }),
    );
  });

  it('when it fails, paces locally and says so once per outage, without its error text', async () => {
    await using emulator = await startEmulator();
    const shared = new FakeShared();
    shared.failing = true;
    const { client, events } = clientFor(emulator, { rateLimit: { shared } });
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => client.getOrder(ORDER)));
    expect(results.filter((result) => result.status === 'rejected')).toEqual([]);
    const outages = events.filter((event) => event.type === 'pace.shared-unavailable');
    expect(outages).toEqual([
      { type: 'pace.shared-unavailable', limiter: 'fake://shared', errorName: 'Error' },
    ]);
    expect(JSON.stringify(events)).not.toContain('hunter2');
    // Paced locally: past the burst of 2, the rest waited on this process's limiter.
    expect(
      events.filter((event) => event.type === 'pace.wait' && event.source === 'local').length,
    ).toBeGreaterThan(0);
  });
});
