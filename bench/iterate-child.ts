/**
 * Child process of benchmark 2: iterates every order of the server once, with the SDK or with a raw
 * fetch loop, sampling this process's memory after each page. Run with --expose-gc so the baseline
 * is taken on a collected heap. Prints one JSON line: IterateChildResult.
 *
 * Usage: node --expose-gc --import tsx bench/iterate-child.ts <baseUrl> <sdk|fetch> <pageSize>
 */
import { SslOrdersClient } from '../src/index.js';
import { BENCH_ACCOUNT_ID } from './fixtures.js';

export interface IterateChildResult {
  mode: 'sdk' | 'fetch';
  orders: number;
  seconds: number;
  ordersPerSecond: number;
  /** CPU time of this process (the client) per order, µs: robust to a busy machine. */
  cpuUsPerOrder: number;
  /** Peak growth over the post-GC baseline, MB. */
  peakHeapMB: number;
  peakRssMB: number;
  /** Growth after the loop and a full GC: what iteration left behind, MB. */
  retainedHeapMB: number;
  samples: number;
}

const [url = '', mode = 'sdk', pageSizeText = '100'] = process.argv.slice(2);
const pageSize = Number(pageSizeText);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const MB = 1024 * 1024;

let peakHeap = 0;
let peakRss = 0;
let samples = 0;
function sample(): void {
  const { heapUsed, rss } = process.memoryUsage();
  samples++;
  if (heapUsed > peakHeap) peakHeap = heapUsed;
  if (rss > peakRss) peakRss = rss;
}

async function* rawPages(): AsyncGenerator<{ id: unknown }, void, undefined> {
  const mask =
    'mask[id,accountId,commonName,approverEmailAddress,technicalContactEmailAddress,statusId,' +
    'createDate,modifyDate,effectiveDate,expirationDate,status[id,name,description]]';
  const body = JSON.stringify({ parameters: [BENCH_ACCOUNT_ID] });
  for (let offset = 0; ; offset += pageSize) {
    const query = new URLSearchParams({ objectMask: mask, resultLimit: `${offset},${pageSize}` });
    const response = await fetch(
      `${url}SoftLayer_Security_Certificate_Request/getSslCertificateRequests.json?${query}`,
      {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body,
      },
    );
    const page = JSON.parse(await response.text()) as { id: unknown }[];
    yield* page;
    if (page.length < pageSize) return;
  }
}

function orders(): AsyncIterable<{ id: unknown }> {
  if (mode === 'fetch') return rawPages();
  const client = new SslOrdersClient({
    auth: { username: 'SL1234567_bench', apiKey: 'bench-api-key' },
    accountId: BENCH_ACCOUNT_ID,
    baseUrl: url,
  });
  return client.iterateOrders({ pageSize });
}

gc();
gc();
const base = process.memoryUsage();
peakHeap = base.heapUsed;
peakRss = base.rss;
const cpuStart = process.cpuUsage();
const started = performance.now();
let count = 0;
let checksum = 0;
for await (const order of orders()) {
  count++;
  checksum += Number(order.id) % 7;
  // Every second page: often enough to catch the sawtooth's peaks, cheap enough not to matter.
  if (count % (2 * pageSize) === 0) sample();
}
const seconds = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuStart);
sample();
gc();
gc();
const after = process.memoryUsage();
const result: IterateChildResult = {
  mode: mode === 'fetch' ? 'fetch' : 'sdk',
  orders: count,
  seconds,
  ordersPerSecond: count / seconds,
  cpuUsPerOrder: (cpu.user + cpu.system) / count,
  peakHeapMB: (peakHeap - base.heapUsed) / MB,
  peakRssMB: (peakRss - base.rss) / MB,
  retainedHeapMB: (after.heapUsed - base.heapUsed) / MB,
  samples,
};
if (checksum < 0) throw new Error('unreachable: keeps the loop honest');
process.stdout.write(`${JSON.stringify(result)}\n`);
