/**
 * Load: many concurrent reads, paced by the client, against an emulator that rate-limits like
 * SoftLayer (50 requests a second per credential, HTTP 500 + RateLimitExceeded, no Retry-After); a
 * retry storm against a server that is down; and heap growth while iterating a large account.
 *
 * Sizes grow with RELIABILITY_SCALE: concurrent reads 150 × scale, iterated orders 20,000 × scale
 * (RELIABILITY_SCALE=5 is the 100,000-order case).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEFAULTS, SslOrdersClient } from '../../src/index.js';
import { startEmulator } from '../../src/testing/index.js';
import { countCases, scaled, tally, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const run = promisify(execFile);

describe('concurrent reads against a 50 requests/second rate limit', () => {
  /**
   * Default client: pacing on (46 requests a second, burst 2, per user), default retry policy. The
   * pacer keeps every second under the limit, so the calls need (almost) no retry. Bound (issue 14's
   * goal): at most 1.05 requests per call, every call completes.
   */
  it('every read completes, with at most 1.05 requests per call', { timeout: 120_000 }, async () => {
    const calls = scaled(150);
    await using emulator = await startEmulator({ rateLimit: { requestsPerSecond: 50 } });
    const client = new SslOrdersClient({
      auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
      baseUrl: emulator.url,
      accountId: emulator.accountId,
    });
    const started = performance.now();
    const results = await Promise.allSettled(
      Array.from({ length: calls }, (_, index) =>
        index % 2 === 0 ? client.getOrder(4471203) : client.listOrders({ limit: 5 }),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    countCases('load', calls);
    const failed = results.filter((result) => result.status === 'rejected');
    const requests = emulator.count();
    const limited = emulator.requests.filter((request) => request.status === 500).length;
    const bound = Math.floor(1.05 * calls);
    tally.figures['load, rate-limited reads'] =
      `${calls} concurrent calls at 50 req/s, paced: ${calls - failed.length} completed in ${seconds.toFixed(1)} s, ` +
      `${requests} requests (${(requests / calls).toFixed(3)} per call, ${limited} rate-limited; bound 1.05 per call = ${bound})`;
    expect(failed.map((result) => String((result as PromiseRejectedResult).reason))).toEqual([]);
    expect(requests).toBeLessThanOrEqual(bound);
  });
});

describe('no retry storm against a server that is down', () => {
  /**
   * Default policy (2 retries per call) and the default budget (500 tokens, 5 per retry, refunds only on
   * success). Every call fails, nothing is refunded, so the budget allows at most 500 / 5 = 100 retries in
   * all: requests ≤ calls + 100, where the policy alone would allow 3 × calls.
   */
  it('total requests ≤ calls + capacity / retryCost', async () => {
    const calls = scaled(200);
    await using emulator = await startEmulator();
    emulator.inject({ route: '*', kind: 'server-error', status: 503, times: Number.POSITIVE_INFINITY });
    const client = new SslOrdersClient({
      auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
      baseUrl: emulator.url,
      accountId: emulator.accountId,
      retry: { baseDelay: 1, maxDelay: 5 },
      // Pacing off: this measures the retry budget alone.
      rateLimit: false,
    });
    const results = await Promise.allSettled(Array.from({ length: calls }, () => client.getOrder(4471203)));
    countCases('load', calls);
    const bound = calls + DEFAULTS.retryBudget.capacity / DEFAULTS.retryBudget.retryCost;
    const requests = emulator.count();
    tally.figures['retry storm, server down'] =
      `${calls} calls → ${requests} requests (bound ${bound}; without the budget up to ${3 * calls})`;
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    expect(requests).toBeLessThanOrEqual(bound);
    expect(requests).toBeGreaterThan(calls);
    tally.faultsSurvived += calls;
  });
});

describe('memory while iterating a large account', () => {
  it('heap stays flat: growth over the whole iteration is a small fraction of the orders seen', {
    timeout: 120_000,
  }, async () => {
    const orders = scaled(20_000);
    const fixture = fileURLToPath(new URL('./fixtures/iterate-memory.ts', import.meta.url));
    const { stdout } = await run(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', fixture, String(orders)],
      {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        maxBuffer: 1 << 20,
      },
    );
    const result = JSON.parse(stdout.trim().split('\n').at(-1)!) as {
      seen: number;
      ordered: boolean;
      samples: number[];
      ms: number;
    };
    countCases('load', 1);
    expect(result.seen).toBe(orders);
    expect(result.ordered).toBe(true);
    const first = result.samples[0]!;
    const last = result.samples.at(-1)!;
    const peak = Math.max(...result.samples);
    const growth = last - first;
    const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;
    tally.figures['memory, iterateOrders'] =
      `${orders} orders (pageSize 1000) in ${(result.ms / 1000).toFixed(1)} s: heap ${mb(first)} → ${mb(last)} ` +
      `(growth ${mb(growth)}, ${(growth / orders).toFixed(0)} B/order; peak ${mb(peak)})`;
    // Keeping the orders would grow the heap by hundreds of bytes each (tens of MB at 100,000).
    expect(growth).toBeLessThan(6 * 1_048_576);
    expect(peak - first).toBeLessThan(8 * 1_048_576);
  });
});
