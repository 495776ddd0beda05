/**
 * Benchmark 5: throughput at SoftLayer's rate limit (issue 14). The emulator rate-limits like the
 * real API (50 requests in any one second per user, HTTP 500 + RateLimitExceeded past it); the client
 * runs with its defaults (pacing on). Figures: the share of calls that succeeded, requests ÷ the
 * minimum, and wall time ÷ the floor (minimum requests ÷ 50 per second); then iterating 5,000 orders
 * at 100 ms latency per request, with the peak of pages held.
 *
 * The emulator runs in a child process (bench/pacing-server.ts), the client in this one.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SslOrdersClient, type SslOrdersEvent } from '../src/index.js';
import type { EmulatorOptions } from '../src/testing/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { BENCH_DIR, fmt, ROOT_DIR, TSX, table } from './util.js';

export interface PacingOptions {
  sends: number;
  reads: number;
  iterateOrders: number;
  latencyMs: number;
  /** Prefetching and one-page-at-a-time runs, alternating; medians are reported. */
  iterateRounds: number;
}

/** The median of an odd-sized sample (the lower middle one otherwise): a value that was measured. */
function quantileLow(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export interface LoadFigures {
  name: string;
  calls: number;
  succeeded: number;
  requests: number;
  minimum: number;
  rateLimited: number;
  wallSeconds: number;
  floorSeconds: number;
}

export interface IterateFigures {
  orders: number;
  pageSize: number;
  concurrency: number;
  wallSeconds: number;
  /** Fastest and slowest prefetching run. */
  wallRange?: [number, number];
  sequentialSeconds: number;
  peakPagesHeld: number;
  requests: number;
}

export interface PacingResult {
  loads: LoadFigures[];
  /** The same loads split between 4 processes sharing `RedisRateLimiter`. */
  fleet: LoadFigures[];
  iterate: IterateFigures;
}

const LIMIT = 50;

interface RemoteEmulator {
  url: string;
  username: string;
  apiKey: string;
  accountId: number;
  ids: number[];
  sendable: number[];
  stats(): Promise<{ requests: number; rateLimited: number }>;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the emulator in a child process (bench/pacing-server.ts). */
async function remoteEmulator(options: EmulatorOptions): Promise<RemoteEmulator> {
  const child = spawn(process.execPath, [...TSX, `${BENCH_DIR}pacing-server.ts`, JSON.stringify(options)], {
    cwd: ROOT_DIR,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () => new Promise<string>((resolve) => waiting.push(resolve));
  const info = JSON.parse(await nextLine()) as Omit<
    RemoteEmulator,
    'stats' | 'close' | typeof Symbol.asyncDispose
  >;
  const close = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.stdin?.end();
    });
  return {
    ...info,
    stats: async () => {
      const answer = nextLine();
      child.stdin?.write('stats\n');
      return JSON.parse(await answer) as { requests: number; rateLimited: number };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

function clientFor(emulator: RemoteEmulator, onEvent?: (event: SslOrdersEvent) => void): SslOrdersClient {
  return new SslOrdersClient({
    auth: { username: emulator.username, apiKey: emulator.apiKey },
    baseUrl: emulator.url,
    accountId: emulator.accountId,
    sendCooldown: 0,
    confirm: () => true,
    onEvent,
  });
}

async function load(
  name: string,
  calls: number,
  requestsPerCall: number,
  run: (client: SslOrdersClient, emulator: RemoteEmulator, index: number) => Promise<unknown>,
): Promise<LoadFigures> {
  const orderCount = Math.max(calls * 3, 10);
  {
    // Warm-up on another emulator (another limiter key): module loading and JIT stay out of the figure.
    await using warm = await remoteEmulator({ orderCount });
    await run(clientFor(warm), warm, 0);
  }
  await using emulator = await remoteEmulator({ orderCount, rateLimit: { requestsPerSecond: LIMIT } });
  const client = clientFor(emulator);
  const started = performance.now();
  const results = await Promise.allSettled(
    Array.from({ length: calls }, (_, index) => run(client, emulator, index)),
  );
  const wallSeconds = (performance.now() - started) / 1000;
  const minimum = calls * requestsPerCall;
  const stats = await emulator.stats();
  return {
    name,
    calls,
    succeeded: results.filter((result) => result.status === 'fulfilled').length,
    requests: stats.requests,
    minimum,
    rateLimited: stats.rateLimited,
    wallSeconds,
    floorSeconds: minimum / LIMIT,
  };
}

async function iterate(orders: number, latencyMs: number, concurrency: number): Promise<IterateFigures> {
  {
    await using warm = await remoteEmulator({ orderCount: 200 });
    for await (const _order of clientFor(warm).iterateOrders({ pageSize: 50, concurrency })) {
      // Warm-up: loads the pager and the pacer, and warms the JIT.
    }
  }
  await using emulator = await remoteEmulator({
    orderCount: orders,
    latencyMs,
    rateLimit: { requestsPerSecond: LIMIT },
  });
  const pageSize = 100;
  let started = 0;
  let consumedPages = 0;
  let peak = 0;
  const client = clientFor(emulator, (event) => {
    if (event.type === 'request' && event.path.endsWith('getSslCertificateRequests.json')) {
      started++;
      // Pages asked for and not yet consumed: in flight, waiting in the buffer, or being consumed.
      peak = Math.max(peak, started - consumedPages);
    }
  });
  const begin = performance.now();
  let seen = 0;
  for await (const _order of client.iterateOrders({ pageSize, concurrency })) {
    seen++;
    if (seen % pageSize === 0) consumedPages++;
  }
  const wallSeconds = (performance.now() - begin) / 1000;
  if (seen !== orders) throw new Error(`iterateOrders yielded ${seen} of ${orders} orders`);
  return {
    orders,
    pageSize,
    concurrency,
    wallSeconds,
    sequentialSeconds: 0,
    peakPagesHeld: peak,
    requests: (await emulator.stats()).requests,
  };
}

const FLEET = 4;

/** Runs one child of the fleet; resolves when it printed `ready`, with a function that starts it. */
async function fleetChild(work: Record<string, unknown>) {
  const child = spawn(process.execPath, [...TSX, `${BENCH_DIR}pacing-fleet-child.ts`, JSON.stringify(work)], {
    cwd: ROOT_DIR,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const waiting: ((line: string) => void)[] = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const nextLine = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`fleet child exited (${code})`)));
    });
  if ((await nextLine()) !== 'ready') throw new Error('fleet child did not get ready');
  return {
    run: async () => {
      const done = nextLine();
      child.stdin?.write('go\n');
      return JSON.parse(await done) as { succeeded: number; failed: string[]; unavailable: number };
    },
  };
}

/** The same work split between {@link FLEET} processes that share one `RedisRateLimiter`. */
async function fleetLoad(
  name: string,
  kind: 'sends' | 'reads',
  calls: number,
  requestsPerCall: number,
  redisUrl: string,
): Promise<LoadFigures> {
  await using emulator = await remoteEmulator({
    orderCount: Math.max(calls * 3, 10),
    rateLimit: { requestsPerSecond: LIMIT },
  });
  const pool = kind === 'sends' ? emulator.sendable : emulator.ids;
  const ids = Array.from({ length: calls }, (_, index) => pool[index % pool.length]!);
  const children = await Promise.all(
    Array.from({ length: FLEET }, (_, n) =>
      fleetChild({
        url: emulator.url,
        username: emulator.username,
        apiKey: emulator.apiKey,
        accountId: emulator.accountId,
        redisUrl,
        kind,
        ids: ids.filter((_, index) => index % FLEET === n),
      }),
    ),
  );
  const started = performance.now();
  const results = await Promise.all(children.map((child) => child.run()));
  const wallSeconds = (performance.now() - started) / 1000;
  const stats = await emulator.stats();
  const minimum = calls * requestsPerCall;
  return {
    name: `${name}, ${FLEET} processes`,
    calls,
    succeeded: results.reduce((sum, result) => sum + result.succeeded, 0),
    requests: stats.requests,
    minimum,
    rateLimited: stats.rateLimited,
    wallSeconds,
    floorSeconds: minimum / LIMIT,
  };
}

export async function runPacing(options: PacingOptions): Promise<PacingResult> {
  const sends = await load(
    'concurrent sends (read + POST each)',
    options.sends,
    2,
    (client, emulator, index) =>
      client.resendFulfillmentEmail(emulator.sendable[index % emulator.sendable.length]!),
  );
  const reads = await load('concurrent reads (getOrder)', options.reads, 1, (client, emulator, index) =>
    client.getOrder(emulator.ids[index % emulator.ids.length]!),
  );
  // Three runs each, alternating; the median is reported (and the range beside it).
  const runs: IterateFigures[] = [];
  const sequential: number[] = [];
  for (let round = 0; round < options.iterateRounds; round++) {
    runs.push(await iterate(options.iterateOrders, options.latencyMs, 4));
    sequential.push((await iterate(options.iterateOrders, options.latencyMs, 1)).wallSeconds);
  }
  const walls = runs.map((run) => run.wallSeconds);
  const median = runs.find((run) => run.wallSeconds === quantileLow(walls))!;
  const redis = await startRedisServer();
  let fleet: LoadFigures[];
  try {
    fleet = [
      await fleetLoad('sends', 'sends', options.sends, 2, redis.url),
      await fleetLoad('reads', 'reads', options.reads, 1, redis.url),
    ];
  } finally {
    await redis.stop();
  }
  return {
    loads: [sends, reads],
    fleet,
    iterate: {
      ...median,
      wallRange: [Math.min(...walls), Math.max(...walls)],
      sequentialSeconds: quantileLow(sequential),
      peakPagesHeld: Math.max(...runs.map((run) => run.peakPagesHeld)),
    },
  };
}

export function formatPacing(result: PacingResult): string {
  const rows = [...result.loads, ...result.fleet].map((row) => [
    `${row.calls} ${row.name}`,
    `${fmt((100 * row.succeeded) / row.calls, 1)} %`,
    `${row.requests} / ${row.minimum} = ${fmt(row.requests / row.minimum, 3)}×`,
    `${row.rateLimited}`,
    `${fmt(row.wallSeconds, 1)} s / ${fmt(row.floorSeconds, 1)} s = ${fmt(row.wallSeconds / row.floorSeconds, 3)}×`,
  ]);
  const it = result.iterate;
  return [
    `Emulator limit ${LIMIT} requests in any one second per user; client defaults (pacing 46/s, burst 2, adaptive).`,
    '',
    table(
      [
        'load',
        'succeeded (goal 100 %)',
        'requests ÷ minimum (goal ≤ 1.05)',
        'rate-limited answers',
        'wall ÷ floor (goal ≤ 1.15)',
      ],
      rows,
    ),
    '',
    table(
      [
        'iterateOrders',
        'wall (goal ≤ 1.6 s)',
        'one page at a time',
        'peak pages held (bound: concurrency)',
        'requests',
      ],
      [
        [
          `${it.orders} orders, ${LIMIT} req/s limit, pageSize ${it.pageSize}, concurrency ${it.concurrency}`,
          `${fmt(it.wallSeconds, 2)} s (${fmt(it.wallRange?.[0] ?? it.wallSeconds, 2)}–${fmt(it.wallRange?.[1] ?? it.wallSeconds, 2)})`,
          `${fmt(it.sequentialSeconds, 2)} s`,
          `${it.peakPagesHeld} (≤ ${it.concurrency})`,
          `${it.requests}`,
        ],
      ],
    ),
    '',
    'Per-call overhead with pacing on: section 1 (the SDK client there runs with pacing on, at a rate it never reaches).',
    '',
    `The ${FLEET}-process rows: the same calls split between ${FLEET} processes, each a client with \`rateLimit: { shared: new RedisRateLimiter({ url }) }\` on one redis-server; figures are their sum, wall time from the start signal to the last process done.`,
  ].join('\n');
}
