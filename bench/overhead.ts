/**
 * Benchmark 1: per-call overhead on loopback. The SDK, plain ky and raw fetch make byte-identical
 * requests (captured from the SDK once) to the same server process; the variants run in round-robin
 * batches, so machine noise hits all of them alike, and each batch yields one ratio. The measured SDK
 * client paces (issue 14 bounds the overhead "with pacing on"); a second, unpaced client of the same
 * SDK runs alongside, so every run shows the pacer's own share (paced/unpaced) next to the total.
 */
import ky from 'ky';
import { SslOrdersClient as SourceClient } from '../src/index.js';
import { BENCH_ACCOUNT_ID, FIRST_ORDER_ID } from './fixtures.js';
import { fmt, fmtRatio, quantile, type Spread, spread, startServer, table } from './util.js';

export interface OverheadOptions {
  /** Round-robin batches; each gives one ratio. */
  batches: number;
  /** Calls per variant per batch. */
  callsPerBatch: number;
  /** Untimed warm-up calls per variant. */
  warmup: number;
  /**
   * The client class to measure. `npm run bench` passes the built package's (dist/index.js, what users
   * run); the default is src/ through tsx, whose loader wraps every function the SDK creates in a
   * naming helper (about 3 µs per getOrder) that plain ky, loaded from its built files, never pays.
   */
  client?: typeof SourceClient | undefined;
}

/** One clock's figures for one operation. */
export interface Comparison {
  /** Median over batches of the median call, µs. */
  sdkUs: number;
  kyUs: number;
  fetchUs: number;
  sdkOverKy: Spread;
  kyOverFetch: Spread;
  sdkOverFetch: Spread;
  /** The paced SDK client over the same SDK with `rateLimit: false`: what pacing itself costs. */
  pacedOverUnpaced: Spread;
}

export interface OverheadRow {
  op: string;
  /** Wall-clock time per call (includes the server and the loopback). */
  wall: Comparison;
  /** CPU time of the client process per call: the client's own cost. */
  cpu: Comparison;
}

function summarize(times: number[][]): Comparison {
  const [s, k, f, u] = times as [number[], number[], number[], number[]];
  return {
    sdkUs: quantile(s, 0.5),
    kyUs: quantile(k, 0.5),
    fetchUs: quantile(f, 0.5),
    sdkOverKy: spread(s.map((t, i) => t / k[i]!)),
    kyOverFetch: spread(k.map((t, i) => t / f[i]!)),
    sdkOverFetch: spread(s.map((t, i) => t / f[i]!)),
    pacedOverUnpaced: spread(s.map((t, i) => t / u[i]!)),
  };
}

interface Captured {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

type Variant = () => Promise<unknown>;

const OPS = ['listOrders (page of 100)', 'getOrder', 'resendFulfillmentEmail'] as const;

async function capture(
  SslOrdersClient: typeof SourceClient,
  url: string,
): Promise<Record<(typeof OPS)[number], Captured[]>> {
  const seen: Captured[] = [];
  const client = new SslOrdersClient({
    auth: { username: 'SL1234567_bench', apiKey: 'bench-api-key' },
    accountId: BENCH_ACCOUNT_ID,
    baseUrl: url,
    sendCooldown: 0,
    // Same pace as the measured client: clients of one user share a limiter at the lowest rate asked for.
    rateLimit: { requestsPerSecond: 10_000, burst: 10_000 },
    fetch: async (input, init) => {
      const request = new Request(input, init);
      const body = request.method === 'GET' ? undefined : await request.clone().text();
      seen.push({
        url: request.url,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body,
      });
      return fetch(request);
    },
  });
  const take = () => seen.splice(0);
  await client.listOrders({ limit: 100 });
  const list = take();
  await client.getOrder(FIRST_ORDER_ID);
  const get = take();
  await client.resendFulfillmentEmail(FIRST_ORDER_ID, { confirm: false });
  const resend = take();
  return { 'listOrders (page of 100)': list, getOrder: get, resendFulfillmentEmail: resend };
}

function kyCall(request: Captured): Promise<unknown> {
  return ky(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
    retry: 0,
  }).json();
}

async function fetchCall(request: Captured): Promise<unknown> {
  const response = await fetch(request.url, {
    method: request.method,
    headers: request.headers,
    body: request.body ?? null,
  });
  return JSON.parse(await response.text());
}

function sequence(requests: Captured[], call: (request: Captured) => Promise<unknown>): Variant {
  return async () => {
    let last: unknown;
    for (const request of requests) last = await call(request);
    return last;
  };
}

/** Per-call times of one variant in one batch, µs. */
interface Sample {
  wall: number[];
  cpu: number[];
}

/**
 * One batch: the variants alternate call by call, so a burst of noise lands on all of them. CPU time
 * is this process's (the client's) alone, as the server runs elsewhere; wall time includes the server.
 */
async function timeBatch(variants: readonly Variant[], calls: number, rotation: number): Promise<Sample[]> {
  const samples = variants.map((): Sample => ({ wall: [], cpu: [] }));
  for (let i = 0; i < calls; i++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (rotation + i + k) % variants.length;
      const cpu = process.cpuUsage();
      const started = performance.now();
      await variants[index]!();
      const wall = performance.now() - started;
      const used = process.cpuUsage(cpu);
      samples[index]!.wall.push(wall * 1000);
      samples[index]!.cpu.push(used.user + used.system);
    }
  }
  return samples;
}

export async function runOverhead(sizes: OverheadOptions): Promise<OverheadRow[]> {
  const SslOrdersClient = sizes.client ?? SourceClient;
  const server = await startServer(1_000);
  try {
    const requests = await capture(SslOrdersClient, server.url);
    let paceWaits = 0;
    const options = {
      auth: { username: 'SL1234567_bench', apiKey: 'bench-api-key' },
      accountId: BENCH_ACCOUNT_ID,
      baseUrl: server.url,
      sendCooldown: 0,
    };
    const client = new SslOrdersClient({
      ...options,
      // Pacing on, at a rate these sequential calls (about 2,000 requests a second here) never reach:
      // the figure is the pacer's own cost, not its waits (section 6 measures those against a
      // rate-limited server). The default 46/s would make every call wait ~22 ms for its token.
      rateLimit: { requestsPerSecond: 10_000, burst: 10_000 },
      // Proves the line above: a single wait would make the wall figures meaningless. (The listener
      // costs the SDK a call per event; plain ky has none to pay.)
      onEvent: (event) => {
        if (event.type === 'pace.wait') paceWaits++;
      },
    });
    const unpaced = new SslOrdersClient({ ...options, rateLimit: false, onEvent: () => undefined });
    const calls = (c: SourceClient): Record<(typeof OPS)[number], Variant> => ({
      'listOrders (page of 100)': () => c.listOrders({ limit: 100 }),
      getOrder: () => c.getOrder(FIRST_ORDER_ID),
      resendFulfillmentEmail: () => c.resendFulfillmentEmail(FIRST_ORDER_ID, { confirm: false }),
    });
    const sdk = calls(client);
    const sdkUnpaced = calls(unpaced);
    // Same answers from all three, or the comparison is meaningless.
    const page = (await sdk['listOrders (page of 100)']()) as { orders: unknown[] };
    const kyPage = (await sequence(requests['listOrders (page of 100)'], kyCall)()) as unknown[];
    if (page.orders.length !== 100 || kyPage.length !== 100) throw new Error('expected pages of 100 orders');
    const sent = (await sdk.resendFulfillmentEmail()) as { outcome: string };
    if (sent.outcome !== 'sent') throw new Error(`resend gave ${sent.outcome}`);

    const rows: OverheadRow[] = [];
    for (const op of OPS) {
      const variants: Variant[] = [
        sdk[op],
        sequence(requests[op], kyCall),
        sequence(requests[op], fetchCall),
        sdkUnpaced[op],
      ];
      for (const variant of variants) for (let i = 0; i < sizes.warmup; i++) await variant();
      // Per batch and variant, the median call (robust to a single stalled call); one ratio per batch.
      const wall: number[][] = variants.map(() => []);
      const cpu: number[][] = variants.map(() => []);
      for (let batch = 0; batch < sizes.batches; batch++) {
        const samples = await timeBatch(variants, sizes.callsPerBatch, batch);
        samples.forEach((sample, index) => {
          wall[index]!.push(quantile(sample.wall, 0.5));
          cpu[index]!.push(quantile(sample.cpu, 0.5));
        });
      }
      rows.push({ op, wall: summarize(wall), cpu: summarize(cpu) });
    }
    if (paceWaits > 0)
      throw new Error(`the paced client waited for a token ${paceWaits} times: raise its rate`);
    return rows;
  } finally {
    await server.close();
  }
}

export function formatOverhead(rows: readonly OverheadRow[]): string {
  const line = (op: string, clock: string, c: Comparison) => [
    op,
    clock,
    fmt(c.sdkUs, 0),
    fmt(c.kyUs, 0),
    fmt(c.fetchUs, 0),
    fmtRatio(c.sdkOverKy),
    fmtRatio(c.kyOverFetch),
    fmtRatio(c.sdkOverFetch),
    fmtRatio(c.pacedOverUnpaced),
  ];
  return table(
    ['operation', 'clock', 'SDK µs', 'ky µs', 'fetch µs', 'SDK/ky', 'ky/fetch', 'SDK/fetch', 'paced/unpaced'],
    rows.flatMap((row) => [line(row.op, 'wall', row.wall), line('', 'client CPU', row.cpu)]),
  );
}
