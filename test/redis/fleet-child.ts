/**
 * One OS process of the fleet proofs (test/redis/fleet.test.ts). It talks to the test over IPC:
 * - `race`: reserve the same orders as every other process, all at once; report which it won.
 * - `sends`: for each order, reserve → "POST" (reported to the test before anything else, as a real
 *   POST would leave) → settle sent, as the send pipeline does; report every failure by name.
 * - `take`: take slots from the shared rate limiter as fast as it answers; report their times.
 */
import { randomUUID } from 'node:crypto';
import { RedisRateLimiter, RedisSendLedger, RedisStoreError } from '../../src/redis/index.js';
import type { SendRecord } from '../../src/send-ledger.js';

type Message =
  | { type: 'race'; round: number; orders: number[]; startAt: number }
  | { type: 'sends'; pass: number; orders: number[]; concurrency: number }
  | { type: 'take'; key: string; count: number; requestsPerSecond: number; burst: number }
  | { type: 'exit' };

const url = process.env['REDIS_URL']!;
// Generous bounds: on a loaded CI machine a process can take seconds to connect, and these proofs are
// about atomicity, not timeouts (a killed server fails at once: the socket closes, reconnects are refused).
const bounds = { connectTimeoutMs: 15_000, commandTimeoutMs: 15_000 };
const ledger = new RedisSendLedger({ url, keyPrefix: 'fleet:', ...bounds });
const limiter = new RedisRateLimiter({ url, connectTimeoutMs: bounds.connectTimeoutMs }, bounds);
const COOLDOWN = 3_600_000;

function reply(message: unknown): void {
  process.send!(message);
}

function reservation(key: string, orderId: number): SendRecord {
  const now = Date.now();
  return {
    format: 2,
    key,
    intentId: randomUUID(),
    orderId,
    emailType: 'FulfillmentEmail',
    endpoint: '127.0.0.1',
    accountId: 278184,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: now,
    deadline: now + 60_000,
  };
}

function failureOf(error: unknown): string {
  return error instanceof RedisStoreError ? `RedisStoreError:${error.failure}` : `untyped:${String(error)}`;
}

/** Waits for the instant every process starts at, so the race is a race and not a queue. */
async function until(startAt: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now() - 2)));
  while (Date.now() < startAt) {
    // spin the last milliseconds: timers are too coarse to line up 8 processes
  }
}

async function race(round: number, orders: number[], startAt: number): Promise<void> {
  const won: number[] = [];
  await until(startAt);
  const failures: string[] = [];
  // Each process starts at a different order and puts each reservation on the wire in its own write
  // (one per event-loop turn), all in flight together: processes meet on every order, not one
  // process's pipelined batch winning all ten.
  const offset = process.pid % orders.length;
  const mine = [...orders.slice(offset), ...orders.slice(0, offset)];
  const attempts: Promise<void>[] = [];
  for (const orderId of mine) {
    attempts.push(
      (async () => {
        const key = `race:${round}:${orderId}`;
        const record = reservation(key, orderId);
        try {
          const holder = await ledger.reserve(key, record, {
            now: Date.now(),
            cooldown: COOLDOWN,
            force: false,
          });
          if (holder) return;
          won.push(orderId);
          await ledger.settle(key, record.intentId, { state: 'sent', at: Date.now(), keepFor: COOLDOWN });
        } catch (error) {
          failures.push(failureOf(error));
        }
      })(),
    );
    await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(attempts);
  reply({ type: 'race', round, pid: process.pid, won, failures });
}

async function sends(pass: number, orders: number[], concurrency: number): Promise<void> {
  const queue = [...orders];
  const failures: string[] = [];
  let refused = 0;
  let sent = 0;
  const worker = async () => {
    for (let orderId = queue.shift(); orderId !== undefined; orderId = queue.shift()) {
      const key = `send:${orderId}`;
      const record = reservation(key, orderId);
      try {
        const holder = await ledger.reserve(key, record, {
          now: Date.now(),
          cooldown: COOLDOWN,
          force: false,
        });
        if (holder) {
          refused++;
          continue;
        }
      } catch (error) {
        // Fail closed: no reservation, no POST.
        failures.push(failureOf(error));
        continue;
      }
      reply({ type: 'posted', pass, orderId, pid: process.pid });
      sent++;
      try {
        await ledger.settle(key, record.intentId, { state: 'sent', at: Date.now(), keepFor: COOLDOWN });
      } catch (error) {
        // The record stays reserved and reads as unknown after its deadline: it still blocks.
        failures.push(failureOf(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  reply({ type: 'sends', pass, pid: process.pid, sent, refused, failures });
}

async function take(key: string, count: number, requestsPerSecond: number, burst: number): Promise<void> {
  const slots: number[] = [];
  for (let i = 0; i < count; i++) slots.push((await limiter.takeSlot(key, { requestsPerSecond, burst })).at);
  reply({ type: 'take', pid: process.pid, slots });
}

process.on('message', (message: Message) => {
  const done = (work: Promise<void>) =>
    work.catch((error: unknown) => reply({ type: 'crash', error: String(error) }));
  if (message.type === 'race') done(race(message.round, message.orders, message.startAt));
  else if (message.type === 'sends') done(sends(message.pass, message.orders, message.concurrency));
  else if (message.type === 'take')
    done(take(message.key, message.count, message.requestsPerSecond, message.burst));
  else void Promise.all([ledger.close(), limiter.close()]).then(() => process.disconnect());
});

// Connected before the test starts the clock, so every process races from a warm connection.
Promise.all([ledger.connect(), limiter.take('warm-up', { requestsPerSecond: 1_000, burst: 1_000 })]).then(
  () => reply({ type: 'ready', pid: process.pid }),
  (error: unknown) => reply({ type: 'crash', error: String(error) }),
);
