/**
 * One OS process of the fleet proofs (test/redis/fleet.test.ts). It talks to the test over IPC:
 * - `race`: reserve the same orders as every other process, all at once; report which it won.
 * - `resend`: real sends of the same orders through the SDK and the shared emulator, all at once, with a
 *   RedisSendLedger of a new prefix per round; report which it sent and which were refused.
 * - `resend-all`: real sends of every order, a few at a time, on one client for the whole run; each
 *   send is reported as it completes (so the test can kill Redis mid-run), failures by class name.
 * - `take`: take slots from the shared rate limiter as fast as it answers; report their times.
 */
import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { DuplicateSendError, SslOrdersClient, SslOrdersError } from '../../src/index.js';
import { RedisRateLimiter, RedisSendLedger, RedisStoreError } from '../../src/redis/index.js';
import type { SendRecord } from '../../src/send-ledger.js';

type Message =
  | { type: 'race'; round: number; orders: number[]; startAt: number }
  | { type: 'take'; key: string; count: number; requestsPerSecond: number; burst: number }
  | { type: 'resend'; round: number; orders: number[]; startAt: number }
  | { type: 'resend-all'; pass: number; orders: number[]; concurrency: number }
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

/** The emulator the `resend` rounds send through, from the test's environment. */
const emulator = {
  url: process.env['EMULATOR_URL'],
  username: process.env['EMULATOR_USERNAME'] ?? '',
  apiKey: process.env['EMULATOR_API_KEY'] ?? '',
  accountId: Number(process.env['EMULATOR_ACCOUNT_ID']),
};
// One Redis connection per process for the real sends; each round gets its own ledger prefix on it.
const shared = createClient({ url });
shared.on('error', () => undefined);

/**
 * One round of real sends: every process asks the SDK to resend the same orders through the emulator,
 * with one RedisSendLedger (a new prefix per round, so each round starts clean).
 */
async function resend(round: number, orders: number[], startAt: number): Promise<void> {
  if (!shared.isOpen) await shared.connect();
  const sendLedger = new RedisSendLedger({ client: shared, keyPrefix: `resend-${round}:` });
  const client = new SslOrdersClient({
    auth: { username: emulator.username, apiKey: emulator.apiKey },
    accountId: emulator.accountId,
    baseUrl: emulator.url!,
    sendLedger,
    confirm: () => true,
    retry: { maxRetries: 0 },
  });
  const sent: number[] = [];
  const refused: number[] = [];
  const failures: string[] = [];
  await until(startAt);
  await Promise.all(
    orders.map(async (orderId) => {
      try {
        const result = await client.resendFulfillmentEmail(orderId);
        if (result.outcome === 'sent') sent.push(orderId);
        else failures.push(`outcome:${result.outcome}`);
      } catch (error) {
        if (error instanceof DuplicateSendError) refused.push(orderId);
        else failures.push(error instanceof SslOrdersError ? error.name : `untyped:${String(error)}`);
      }
    }),
  );
  reply({ type: 'resend', round, pid: process.pid, sent, refused, failures });
}

/** A client with a ledger of its own connection, kept for the whole run (it reconnects after a restart). */
let fleetClient: SslOrdersClient | undefined;
let fleetLedger: RedisSendLedger | undefined;

/**
 * Real sends of every order, `concurrency` at a time, as a bulk resend does; each send is reported as
 * it completes, so the test can kill Redis in the middle.
 */
async function resendAll(pass: number, orders: number[], concurrency: number): Promise<void> {
  fleetLedger ??= new RedisSendLedger({ url, keyPrefix: 'resend-all:', ...bounds });
  fleetClient ??= new SslOrdersClient({
    auth: { username: emulator.username, apiKey: emulator.apiKey },
    accountId: emulator.accountId,
    baseUrl: emulator.url!,
    sendLedger: fleetLedger,
    confirm: () => true,
    retry: { maxRetries: 0 },
  });
  const client = fleetClient;
  const queue = [...orders];
  const failures: string[] = [];
  let sent = 0;
  let refused = 0;
  const worker = async () => {
    for (let orderId = queue.shift(); orderId !== undefined; orderId = queue.shift()) {
      try {
        const result = await client.resendFulfillmentEmail(orderId);
        if (result.outcome === 'sent') {
          sent++;
          reply({ type: 'posted', pass, orderId, pid: process.pid });
        } else failures.push(`outcome:${result.outcome}`);
      } catch (error) {
        if (error instanceof DuplicateSendError) refused++;
        else failures.push(error instanceof SslOrdersError ? error.name : `untyped:${String(error)}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  reply({ type: 'resend-all', pass, pid: process.pid, sent, refused, failures });
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

async function take(key: string, count: number, requestsPerSecond: number, burst: number): Promise<void> {
  const slots: number[] = [];
  for (let i = 0; i < count; i++) slots.push((await limiter.takeSlot(key, { requestsPerSecond, burst })).at);
  reply({ type: 'take', pid: process.pid, slots });
}

process.on('message', (message: Message) => {
  const done = (work: Promise<void>) =>
    work.catch((error: unknown) => reply({ type: 'crash', error: String(error) }));
  if (message.type === 'race') done(race(message.round, message.orders, message.startAt));
  else if (message.type === 'resend') done(resend(message.round, message.orders, message.startAt));
  else if (message.type === 'resend-all') done(resendAll(message.pass, message.orders, message.concurrency));
  else if (message.type === 'take')
    done(take(message.key, message.count, message.requestsPerSecond, message.burst));
  else
    void Promise.all([
      ledger.close(),
      limiter.close(),
      fleetLedger?.close(),
      shared.isOpen ? shared.close() : undefined,
    ]).then(() => process.disconnect());
});

// Connected before the test starts the clock, so every process races from a warm connection.
Promise.all([ledger.connect(), limiter.take('warm-up', { requestsPerSecond: 1_000, burst: 1_000 })]).then(
  () => reply({ type: 'ready', pid: process.pid }),
  (error: unknown) => reply({ type: 'crash', error: String(error) }),
);
