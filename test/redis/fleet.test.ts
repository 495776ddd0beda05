/**
 * Fleet proofs with real OS processes and a real redis-server:
 * - 8 processes reserve the same 10 orders at once, ≥ 50 rounds: exactly one winner per order per round.
 * - Redis killed (SIGKILL) while 4 processes send, then restarted from its AOF: no order "POSTed" twice,
 *   every failure a typed RedisStoreError.
 * - 4 processes take from one rate-limiter key: no 1-second window of scheduled send times holds more
 *   than burst + requestsPerSecond.
 * The child is test/redis/fleet-child.ts. Figures go to the reliability summary's figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisServer } from '../helpers/redis-server.js';
import { tally, useSummary } from '../reliability/support/summary.js';

useSummary(fileURLToPath(import.meta.url));

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD_SOURCE = fileURLToPath(new URL('./fleet-child.ts', import.meta.url));
const BUILD_DIR = mkdtempSync(join(tmpdir(), 'ssl-orders-fleet-'));
const CHILD = join(BUILD_DIR, 'fleet-child.cjs');

// One bundle for every child: 8 processes start in well under a second, where 8 tsx loaders take many.
beforeAll(async () => {
  await build({
    entryPoints: [CHILD_SOURCE],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    outfile: CHILD,
    logLevel: 'warning',
  });
});

type Reply = { type: string; pid: number; [field: string]: unknown };

/** A child process with a queue of its IPC replies. */
class Member {
  readonly process: ChildProcess;
  readonly #waiting = new Map<
    string,
    Array<{ resolve: (reply: Reply) => void; reject: (error: Error) => void }>
  >();
  #crash: Error | undefined;
  readonly #early = new Map<string, Reply[]>();
  readonly posted: Array<{ pass: number; orderId: number }> = [];
  /** Called on every "POST" a child reports, as it arrives. */
  onPosted: () => void = () => {};

  constructor(url: string) {
    this.process = spawn(`${ROOT}node_modules/.bin/node`, [CHILD], {
      cwd: ROOT,
      env: { ...process.env, REDIS_URL: url },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.process.on('message', (reply: Reply) => {
      if (reply.type === 'posted') {
        this.posted.push({ pass: reply['pass'] as number, orderId: reply['orderId'] as number });
        this.onPosted();
        return;
      }
      if (reply.type === 'crash') {
        this.#crash = new Error(`fleet child ${reply.pid ?? ''} crashed: ${String(reply['error'])}`);
        for (const waiters of this.#waiting.values())
          for (const waiter of waiters.splice(0)) waiter.reject(this.#crash);
        return;
      }
      const waiter = this.#waiting.get(reply.type)?.shift();
      if (waiter) waiter.resolve(reply);
      else this.#early.set(reply.type, [...(this.#early.get(reply.type) ?? []), reply]);
    });
  }

  next(type: string): Promise<Reply> {
    const early = this.#early.get(type)?.shift();
    if (early) return Promise.resolve(early);
    if (this.#crash) return Promise.reject(this.#crash);
    return new Promise((resolve, reject) =>
      this.#waiting.set(type, [...(this.#waiting.get(type) ?? []), { resolve, reject }]),
    );
  }

  send(message: Record<string, unknown>): void {
    this.process.send(message);
  }

  async stop(): Promise<void> {
    if (this.process.exitCode !== null || !this.process.connected) return;
    const exited = new Promise((resolve) => this.process.once('exit', resolve));
    this.send({ type: 'exit' });
    await exited;
  }
}

async function startFleet(size: number, url: string): Promise<Member[]> {
  const members = Array.from({ length: size }, () => new Member(url));
  await Promise.all(members.map((member) => member.next('ready')));
  return members;
}

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(BUILD_DIR, { recursive: true, force: true });
});

describe('fleet on one Redis', () => {
  it('8 processes × the same 10 orders at once, 50 rounds: exactly one winner per order per round', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const fleet = await startFleet(8, server.url);
    cleanups.push(async () => void (await Promise.all(fleet.map((member) => member.stop()))));
    const orders = Array.from({ length: 10 }, (_, index) => 4_471_200 + index);
    const rounds = 50;
    const started = performance.now();
    let contested = 0;
    for (let round = 0; round < rounds; round++) {
      const startAt = Date.now() + 25;
      for (const member of fleet) member.send({ type: 'race', round, orders, startAt });
      const replies = await Promise.all(fleet.map((member) => member.next('race')));
      expect(replies.flatMap((reply) => reply['failures'] as string[])).toEqual([]);
      const winners = replies.flatMap((reply) => reply['won'] as number[]);
      expect(winners.sort()).toEqual(orders);
      // How many processes won at least one order: the race was spread, not won by one fast process.
      contested += replies.filter((reply) => (reply['won'] as number[]).length > 0).length;
    }
    const elapsed = performance.now() - started;
    tally.figures['redis fleet race'] =
      `8 processes × 10 orders × ${rounds} rounds: ${rounds * 10} orders, each won exactly once ` +
      `(winners spread over ${(contested / rounds).toFixed(1)} processes a round on average), ${Math.round(elapsed)} ms`;
    expect(contested / rounds).toBeGreaterThan(1);
  }, 120_000);

  it('Redis killed in the middle of 4 processes sending, then restarted from its AOF: no order posted twice, every failure typed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssl-orders-redis-aof-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    // appendfsync always: a reservation Redis acknowledged survives the SIGKILL.
    const aof = ['--appendonly', 'yes', '--appendfsync', 'always'];
    const first = await startRedisServer({ dir, args: aof });
    cleanups.push(() => first.stop());
    const fleet = await startFleet(4, first.url);
    cleanups.push(async () => void (await Promise.all(fleet.map((member) => member.stop()))));
    const orders = Array.from({ length: 400 }, (_, index) => 5_000_000 + index);

    // Pass 1: every process tries every order; Redis is killed as the 60th POST is reported, while
    // the processes are mid-flight.
    let killed = false;
    let posted = 0;
    for (const member of fleet)
      member.onPosted = () => {
        posted++;
        if (!killed && posted >= 60) {
          killed = true;
          first.process.kill('SIGKILL');
        }
      };
    for (const member of fleet) member.send({ type: 'sends', pass: 1, orders, concurrency: 4 });
    const pass1 = await Promise.all(fleet.map((member) => member.next('sends')));
    await first.exited;
    expect(killed).toBe(true);

    // Pass 2: the same server (same directory and port) back from its AOF; every process tries again.
    const second = await startRedisServer({ dir, port: first.port, args: aof });
    cleanups.push(() => second.stop());
    for (const member of fleet) member.send({ type: 'sends', pass: 2, orders, concurrency: 4 });
    const pass2 = await Promise.all(fleet.map((member) => member.next('sends')));

    const failures = [...pass1, ...pass2].flatMap((reply) => reply['failures'] as string[]);
    const untyped = failures.filter((failure) => !failure.startsWith('RedisStoreError:'));
    expect(untyped).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);

    const posts = new Map<number, number>();
    for (const member of fleet)
      for (const { orderId } of member.posted) posts.set(orderId, (posts.get(orderId) ?? 0) + 1);
    const twice = [...posts].filter(([, count]) => count > 1);
    expect(twice).toEqual([]);
    const afterRestart = fleet.flatMap((member) => member.posted.filter((post) => post.pass === 2)).length;
    const beforeKill = fleet.flatMap((member) => member.posted.filter((post) => post.pass === 1)).length;
    // The run went on after the restart: orders nobody had reserved were sent then.
    expect(afterRestart).toBeGreaterThan(0);
    tally.figures['redis killed mid-run'] =
      `4 processes × ${orders.length} orders, SIGKILL after ${beforeKill} POSTs, restart from AOF: ` +
      `${beforeKill + afterRestart} orders posted, most POSTs for one order ${Math.max(...posts.values())}, ` +
      `${failures.length} failures, all RedisStoreError (${[...new Set(failures)].join(', ')})`;
  }, 120_000);

  it('4 processes sharing one limiter key: no 1-second window of scheduled sends exceeds burst + rate', async () => {
    const server = await startRedisServer();
    cleanups.push(() => server.stop());
    const fleet = await startFleet(4, server.url);
    cleanups.push(async () => void (await Promise.all(fleet.map((member) => member.stop()))));
    const rate = { requestsPerSecond: 100, burst: 10 };
    const perProcess = 150;
    for (const member of fleet)
      member.send({ type: 'take', key: 'SL1_jane@api', count: perProcess, ...rate });
    const replies = await Promise.all(fleet.map((member) => member.next('take')));
    const slots = replies.flatMap((reply) => reply['slots'] as number[]).sort((a, b) => a - b);
    expect(slots).toHaveLength(4 * perProcess);
    let busiest = 0;
    let end = 0;
    for (let start = 0; start < slots.length; start++) {
      while (end < slots.length && slots[end]! <= slots[start]! + 1_000) end++;
      busiest = Math.max(busiest, end - start);
    }
    expect(busiest).toBeLessThanOrEqual(rate.requestsPerSecond + rate.burst);
    // And the limiter lets the full rate through: the busiest second is full, the schedule not longer
    // than the steady rate needs.
    expect(busiest).toBeGreaterThanOrEqual(rate.requestsPerSecond);
    const span = slots.at(-1)! - slots[0]!;
    const floor = ((slots.length - rate.burst) / rate.requestsPerSecond) * 1_000;
    expect(span).toBeLessThanOrEqual(floor + 50);
    tally.figures['redis shared limiter'] =
      `4 processes × ${perProcess} takes at ${rate.requestsPerSecond}/s burst ${rate.burst}: busiest 1-s window ` +
      `${busiest} (bound ${rate.requestsPerSecond + rate.burst}), schedule ${Math.round(span)} ms (floor ${Math.round(floor)} ms)`;
  }, 120_000);
});
