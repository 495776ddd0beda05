/**
 * Benchmark 5: what a send ledger costs (memory, file, Redis). One reserve + settle cycle, and one full send (client →
 * bench server, `confirm: false`, `sendCooldown: 0`), with each ledger of {@link LEDGERS} side by side
 * in one run. Ledgers alternate batch by batch (rotating start), so machine noise lands on all of them;
 * each batch gives one ratio to the memory ledger. Goal (issue 13): a durable ledger adds ≤ 5 ms at
 * p50 to a send over the memory ledger.
 */
import {
  closeSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  MemorySendLedger,
  type ReserveRule,
  SEND_RECORD_FORMAT,
  type SendLedger,
  type SendRecord,
  SslOrdersClient,
} from '../src/index.js';
import { FileSendLedger } from '../src/node/index.js';
import { formatLedger } from '../src/node/ledger-file.js';
import { RedisSendLedger } from '../src/redis/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { BENCH_ACCOUNT_ID, FIRST_ORDER_ID } from './fixtures.js';
import { fmt, fmtRatio, fmtSpread, quantile, type Spread, spread, startServer, table } from './util.js';

export interface LedgerBenchOptions {
  /** Alternating batches; each gives one ratio per ledger. */
  batches: number;
  /** Timed operations per ledger per batch. */
  perBatch: number;
  /** Untimed warm-up operations per ledger. */
  warmup: number;
}

/** A ledger under test, and how to dispose of it. */
interface LedgerUnderTest {
  ledger: SendLedger;
  close(): Promise<void>;
}

/** The ledgers compared; the first is the baseline. Adding a store is one entry here. */
const LEDGERS: { name: string; make: () => Promise<LedgerUnderTest> }[] = [
  { name: 'MemorySendLedger', make: async () => ({ ledger: new MemorySendLedger(), close: async () => {} }) },
  { name: 'FileSendLedger', make: async () => fileLedger(0) },
  { name: 'FileSendLedger, 10,000 records held', make: async () => fileLedger(10_000) },
  { name: 'RedisSendLedger (local redis-server)', make: redisLedger },
];

/** A `RedisSendLedger` on a redis-server of its own (loopback, temporary directory). */
async function redisLedger(): Promise<LedgerUnderTest> {
  const server = await startRedisServer();
  const ledger = new RedisSendLedger({ url: server.url });
  return {
    ledger,
    close: async () => {
      await ledger.close();
      await server.stop();
    },
  };
}

/** A file ledger in a fresh directory under the OS temp dir, holding `held` settled records. */
async function fileLedger(held: number): Promise<LedgerUnderTest> {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-orders-bench-ledger-'));
  const path = join(dir, 'ledger.json');
  if (held > 0) {
    const now = Date.now();
    const records = Array.from({ length: held }, (_, i) => ({
      ...record(`held:${i}`, `held-${i}`, now),
      state: 'sent' as const,
      settledAt: now,
      expiresAt: now + 86_400_000,
    }));
    writeFileSync(path, formatLedger(records), { mode: 0o600 });
  }
  return {
    ledger: new FileSendLedger({ path }),
    close: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

function record(key: string, intentId: string, now: number): SendRecord {
  return {
    format: SEND_RECORD_FORMAT,
    key,
    intentId,
    orderId: FIRST_ORDER_ID,
    emailType: 'FulfillmentEmail',
    endpoint: '127.0.0.1',
    accountId: BENCH_ACCOUNT_ID,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: now,
    deadline: now + 60_000,
  };
}

/** One figure per ledger. */
export interface LedgerBenchRow {
  name: string;
  /** Milliseconds per operation, over every timed operation. */
  p50: number;
  p90: number;
  /** Per batch: this ledger's median over the memory ledger's. */
  ratio: Spread;
}

export interface LedgerBenchResult {
  /** What the disk's flushes cost in the same run: fsync of a small file, rename, fsync of the directory (ms). */
  flush: { file: Spread; directory: Spread };
  cycle: LedgerBenchRow[];
  /** Undefined when the client refused a ledger (see `sendSkipped`). */
  send: LedgerBenchRow[] | undefined;
  sendSkipped?: string;
  tempDir: string;
}

type Op = () => Promise<unknown>;

async function measure(
  ops: Op[],
  options: LedgerBenchOptions,
): Promise<{ times: number[][]; medians: number[][] }> {
  for (const op of ops) for (let i = 0; i < options.warmup; i++) await op();
  const times: number[][] = ops.map(() => []);
  const medians: number[][] = ops.map(() => []);
  for (let batch = 0; batch < options.batches; batch++) {
    for (let j = 0; j < ops.length; j++) {
      const index = (batch + j) % ops.length;
      const batchTimes: number[] = [];
      for (let i = 0; i < options.perBatch; i++) {
        const started = performance.now();
        await ops[index]!();
        batchTimes.push(performance.now() - started);
      }
      times[index]!.push(...batchTimes);
      medians[index]!.push(quantile(batchTimes, 0.5));
    }
  }
  return { times, medians };
}

function rows(measured: { times: number[][]; medians: number[][] }): LedgerBenchRow[] {
  const base = measured.medians[0]!;
  return LEDGERS.map(({ name }, i) => ({
    name,
    p50: quantile(measured.times[i]!, 0.5),
    p90: quantile(measured.times[i]!, 0.9),
    ratio: spread(measured.medians[i]!.map((median, b) => median / base[b]!)),
  }));
}

/** A reserve + settle cycle over 50 keys in turn, so the file keeps a steady size. */
function cycle(ledger: SendLedger): Op {
  let n = 0;
  const rule = (): ReserveRule => ({ now: Date.now(), cooldown: 0, force: false });
  return async () => {
    const key = `bench:${n % 50}`;
    const intentId = `intent-${n++}`;
    const now = Date.now();
    if ((await ledger.reserve(key, record(key, intentId, now), rule())) !== undefined) {
      throw new Error(`${key} was refused`);
    }
    await ledger.settle(key, intentId, { state: 'sent', at: Date.now(), keepFor: 60_000 });
  };
}

/** The disk flushes a file-ledger write pays, measured alone: fsync(file) and fsync(directory), ms. */
function measureFlush(samples: number): { file: Spread; directory: Spread } {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-orders-bench-flush-'));
  const file: number[] = [];
  const directory: number[] = [];
  try {
    for (let i = 0; i < samples; i++) {
      const temp = join(dir, `t${i}`);
      const fd = openSync(temp, 'w', 0o600);
      writeSync(fd, 'x'.repeat(20_000));
      let started = performance.now();
      fsyncSync(fd);
      file.push(performance.now() - started);
      closeSync(fd);
      renameSync(temp, join(dir, 'ledger.json'));
      const dirFd = openSync(dir, 'r');
      started = performance.now();
      fsyncSync(dirFd);
      directory.push(performance.now() - started);
      closeSync(dirFd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { file: spread(file), directory: spread(directory) };
}

export async function runLedgerBench(options: LedgerBenchOptions): Promise<LedgerBenchResult> {
  const stores = await Promise.all(LEDGERS.map((entry) => entry.make()));
  const server = await startServer(100);
  try {
    const flushBefore = measureFlush(options.batches * 5);
    const cycleResult = rows(
      await measure(
        stores.map((store) => cycle(store.ledger)),
        options,
      ),
    );
    let send: LedgerBenchRow[] | undefined;
    let sendSkipped: string | undefined;
    try {
      const sends = stores.map((store) => {
        const client = new SslOrdersClient({
          auth: { username: 'SL1234567_bench', apiKey: 'bench-api-key' },
          accountId: BENCH_ACCOUNT_ID,
          baseUrl: server.url,
          sendCooldown: 0,
          sendLedger: store.ledger,
          // Unpaced: a paced send waits for its token, and the ledger's work would hide in that wait.
          rateLimit: false,
        });
        return async () => {
          const sent = await client.resendFulfillmentEmail(FIRST_ORDER_ID, { confirm: false });
          if (sent.outcome !== 'sent') throw new Error(`resend gave ${sent.outcome}`);
        };
      });
      send = rows(await measure(sends, options));
    } catch (error) {
      sendSkipped = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    const flushAfter = measureFlush(options.batches * 5);
    const flush = {
      file: flushBefore.file.median < flushAfter.file.median ? flushBefore.file : flushAfter.file,
      directory:
        flushBefore.directory.median < flushAfter.directory.median
          ? flushBefore.directory
          : flushAfter.directory,
    };
    return { flush, cycle: cycleResult, send, ...(sendSkipped ? { sendSkipped } : {}), tempDir: tmpdir() };
  } finally {
    await server.close();
    await Promise.all(stores.map((store) => store.close()));
  }
}

function formatRows(result: LedgerBenchRow[]): string {
  const base = result[0]!;
  return table(
    ['ledger', 'p50 ms', 'p90 ms', '× memory (p10–p90 over batches)', 'p50 − memory'],
    result.map((row) => [
      row.name,
      fmt(row.p50, 3),
      fmt(row.p90, 3),
      row === base ? '1 (baseline)' : fmtRatio(row.ratio),
      row === base ? '–' : `${fmt(row.p50 - base.p50, 3)} ms`,
    ]),
  );
}

export function formatLedgerBench(result: LedgerBenchResult, options: LedgerBenchOptions): string {
  const file = result.send?.[1] ?? result.cycle[1]!;
  const base = result.send?.[0] ?? result.cycle[0]!;
  const lines = [
    `${options.batches} alternating batches × ${options.perBatch} operations per ledger; files under ${result.tempDir}.`,
    '',
    '**One reserve + settle cycle** (what a send asks of its ledger):',
    '',
    formatRows(result.cycle),
    '',
    '**One full send** (`resendFulfillmentEmail`, `confirm: false`, `sendCooldown: 0`, `rateLimit: false`: a GET and a POST to the bench server):',
    '',
    result.send ? formatRows(result.send) : `skipped: the client refused the ledger (${result.sendSkipped})`,
    '',
    `The disk in the same run (${options.batches * 5} samples before and after, the lower median shown): fsync of a 20 KB file ` +
      `${fmtSpread(result.flush.file, 3)} ms, fsync of its directory ${fmtSpread(result.flush.directory, 3)} ms (median, p10–p90). ` +
      'A send through the file ledger pays three: file and directory at reserve (a POST follows), the file at settle.',
    '',
    `Goal: a durable ledger adds ≤ 5 ms at p50 to a send. Measured: FileSendLedger adds ${fmt(file.p50 - base.p50, 3)} ms at p50` +
      (result.send ? ' to a full send.' : ' per reserve + settle cycle (full send skipped).'),
  ];
  return lines.join('\n');
}
