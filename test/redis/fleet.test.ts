/**
 * Fleet proofs with real OS processes, a real redis-server and the package's emulator:
 * - 8 processes send the same 10 orders at once through the SDK, 50 rounds: exactly one email per order
 *   per round in the emulator's outbox (and the same race at the reservation level alone).
 * - Redis killed (SIGKILL) while 4 processes send, then restarted from its AOF: no order emailed twice,
 *   every failed send a typed SendLedgerError.
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
import { type Emulator, generateOrders, startEmulator } from '../../src/testing/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';
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

  constructor(url: string, env: Record<string, string> = {}) {
    this.process = spawn(`${ROOT}node_modules/.bin/node`, [CHILD], {
      cwd: ROOT,
      env: { ...process.env, ...env, REDIS_URL: url },
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

async function startFleet(size: number, url: string, env: Record<string, string> = {}): Promise<Member[]> {
  const members = Array.from({ length: size }, () => new Member(url, env));
  await Promise.all(members.map((member) => member.next('ready')));
  return members;
}

/** Orders whose status allows the fulfillment email (the emulator refuses the others, as the API does). */
function sendable(count: number, startId: number): number[] {
  const orders = generateOrders(count * 6, { startId })
    .filter((order) => order.status?.name === 'Approved' || order.status?.name === 'Complete')
    .slice(0, count);
  return orders.map((order) => order.id);
}
const RACE_ORDERS = sendable(10, 5_000_000);
const BULK_ORDERS = sendable(120, 6_000_000);

// One Redis (AOF with fsync on every write, so the kill at the end loses nothing acknowledged), one
// emulator and one fleet of 8 processes for every case: starting them is most of the cost.
let redis: RedisServer;
let emulator: Emulator;
let fleet: Member[];
const dir = mkdtempSync(join(tmpdir(), 'ssl-orders-redis-aof-'));
const AOF = ['--appendonly', 'yes', '--appendfsync', 'always'];
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  redis = await startRedisServer({ dir, args: AOF });
  stops.push(() => redis.stop());
  const byId = new Map(generateOrders(720, { startId: 6_000_000 }).map((order) => [order.id, order]));
  for (const order of generateOrders(60, { startId: 5_000_000 })) byId.set(order.id, order);
  emulator = await startEmulator({
    orders: [...RACE_ORDERS, ...BULK_ORDERS].map((id) => byId.get(id)!),
  });
  stops.push(() => emulator.close());
  fleet = await startFleet(8, redis.url, {
    EMULATOR_URL: emulator.url,
    EMULATOR_USERNAME: emulator.credentials.username,
    EMULATOR_API_KEY: emulator.credentials.apiKey,
    EMULATOR_ACCOUNT_ID: String(emulator.accountId),
  });
  stops.push(async () => void (await Promise.all(fleet.map((member) => member.stop()))));
}, 120_000);

afterAll(async () => {
  for (const stop of stops.reverse()) await stop();
  rmSync(BUILD_DIR, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

describe('fleet on one Redis', () => {
  it('8 processes reserve the same 10 orders at once, 50 rounds: exactly one winner per order per round', async () => {
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
    tally.figures['redis fleet race, reservations'] =
      `8 processes × 10 orders × ${rounds} rounds: ${rounds * 10} orders, each won exactly once ` +
      `(winners spread over ${(contested / rounds).toFixed(1)} processes a round on average), ${Math.round(elapsed)} ms`;
    expect(contested / rounds).toBeGreaterThan(1);
  }, 120_000);

  it('8 processes × real sends of the same 10 orders through one emulator, 50 rounds: one POST per order per round', async () => {
    const orders = [...RACE_ORDERS].sort();
    const rounds = 50;
    const started = performance.now();
    let refused = 0;
    for (let round = 0; round < rounds; round++) {
      const before = emulator.outbox.length;
      const startAt = Date.now() + 25;
      for (const member of fleet) member.send({ type: 'resend', round, orders, startAt });
      const replies = await Promise.all(fleet.map((member) => member.next('resend')));
      expect(replies.flatMap((reply) => reply['failures'] as string[])).toEqual([]);
      // What the server saw: exactly one email per order this round; and the SDK said so to one caller.
      expect(
        emulator.outbox
          .slice(before)
          .map((entry) => entry.orderId)
          .sort(),
      ).toEqual(orders);
      expect(replies.flatMap((reply) => reply['sent'] as number[]).sort()).toEqual(orders);
      refused += replies.reduce((sum, reply) => sum + (reply['refused'] as number[]).length, 0);
    }
    expect(refused).toBe(rounds * orders.length * (fleet.length - 1));
    const elapsed = performance.now() - started;
    tally.figures['redis fleet race, real sends'] =
      `8 processes × 10 orders × ${rounds} rounds through one emulator: one email per order per round ` +
      `(${rounds * orders.length} emails), ${refused} sends refused as duplicates, ${Math.round(elapsed)} ms`;
  }, 240_000);

  it('4 processes sharing one limiter key: no 1-second window of scheduled sends exceeds burst + rate', async () => {
    const takers = fleet.slice(0, 4);
    const rate = { requestsPerSecond: 100, burst: 10 };
    const perProcess = 150;
    for (const member of takers)
      member.send({ type: 'take', key: 'SL1_jane@api', count: perProcess, ...rate });
    const replies = await Promise.all(takers.map((member) => member.next('take')));
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
  }, 60_000);

  // Last: it kills the server the other cases use.
  it('Redis killed while 4 processes really send, then restarted from its AOF: no email twice, every failure typed', async () => {
    const senders = fleet.slice(0, 4);
    const orders = BULK_ORDERS;
    const emailsAtStart = emulator.outbox.length;
    let killed = false;
    let posted = 0;
    for (const member of senders)
      member.onPosted = () => {
        posted++;
        if (!killed && posted >= 30) {
          killed = true;
          redis.process.kill('SIGKILL');
        }
      };
    for (const member of senders) member.send({ type: 'resend-all', pass: 1, orders, concurrency: 4 });
    const pass1 = await Promise.all(senders.map((member) => member.next('resend-all')));
    await redis.exited;
    expect(killed).toBe(true);
    const emailsAtKill = emulator.outbox.length - emailsAtStart;
    // The same server back: same directory (its AOF) and port.
    const restarted = await startRedisServer({ dir, port: redis.port, args: AOF });
    stops.push(() => restarted.stop());
    for (const member of senders) member.send({ type: 'resend-all', pass: 2, orders, concurrency: 4 });
    const pass2 = await Promise.all(senders.map((member) => member.next('resend-all')));

    const failures = [...pass1, ...pass2].flatMap((reply) => reply['failures'] as string[]);
    expect(failures.filter((failure) => failure !== 'SendLedgerError')).toEqual([]);
    expect(failures.length).toBeGreaterThan(0);
    const emails = new Map<number, number>();
    for (const entry of emulator.outbox.slice(emailsAtStart))
      emails.set(entry.orderId, (emails.get(entry.orderId) ?? 0) + 1);
    expect([...emails].filter(([, count]) => count > 1)).toEqual([]);
    // The run went on after the restart: orders nobody had reserved were sent then.
    expect(emulator.outbox.length - emailsAtStart).toBeGreaterThan(emailsAtKill);
    tally.figures['redis killed mid-run, real sends'] =
      `4 processes × ${orders.length} orders, Redis SIGKILLed after ${emailsAtKill} emails and restarted ` +
      `from its AOF: ${emails.size} orders emailed, at most ${Math.max(...emails.values())} email per order, ` +
      `${failures.length} failed sends, all SendLedgerError`;
  }, 180_000);
});
