/**
 * What the Redis ledger adds to a send, side by side with `MemorySendLedger`, interleaved so both see
 * the same machine state: (1) whole sends through the SDK against the emulator on loopback, (2) the
 * ledger's part alone (reserve, then settle `sent`). `RedisSendLedger` talks to a local redis-server.
 * Goal (issue 13): ≤ 5 ms added at p50. Needs /usr/bin/redis-server.
 *
 * Usage: tsx bench/redis-ledger.ts [--quick]. When bench/ledger.ts (every ledger side by side) exists,
 * this belongs in its list; until then it runs alone.
 */
import { randomUUID } from 'node:crypto';
import { SslOrdersClient } from '../src/index.js';
import { RedisSendLedger } from '../src/redis/index.js';
import type { SendLedger, SendRecord } from '../src/send-ledger.js';
import { MemorySendLedger } from '../src/send-ledger-memory.js';
import { type Emulator, startEmulator } from '../src/testing/index.js';
import { startRedisServer } from '../test/helpers/redis-server.js';
import { fmt, spread } from './util.js';

/** The ledger steps of one send, in milliseconds. */
async function oneSend(ledger: SendLedger, orderId: number): Promise<number> {
  const now = Date.now();
  const key = `bench/${orderId}/${randomUUID()}`;
  const record: SendRecord = {
    format: 2,
    key,
    intentId: randomUUID(),
    orderId,
    emailType: 'FulfillmentEmail',
    endpoint: 'api.softlayer.com',
    accountId: 278184,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: now,
    deadline: now + 60_000,
  };
  const started = performance.now();
  await ledger.reserve(key, record, { now, cooldown: 86_400_000, force: false });
  await ledger.settle(key, record.intentId, { state: 'sent', at: Date.now(), keepFor: 86_400_000 });
  return performance.now() - started;
}

/** A client on the emulator with `sendLedger`; a cooldown of 0 lets the same order be sent again. */
function clientOf(emulator: Emulator, sendLedger: SendLedger): SslOrdersClient {
  return new SslOrdersClient({
    auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
    accountId: emulator.accountId,
    baseUrl: emulator.url,
    sendLedger,
    sendCooldown: 0,
    confirm: () => true,
  });
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

function rows(label: string, memory: number[], redis: number[]): string[] {
  const m = spread(memory);
  const r = spread(redis);
  return [
    `| ${label}, MemorySendLedger | ${fmt(m.p10, 3)} | ${fmt(m.median, 3)} | ${fmt(m.p90, 3)} | ${m.n} |`,
    `| ${label}, RedisSendLedger | ${fmt(r.p10, 3)} | ${fmt(r.median, 3)} | ${fmt(r.p90, 3)} | ${r.n} |`,
    `| ${label}: added by Redis at p50 | | **${fmt(r.median - m.median, 3)}** | | |`,
  ];
}

export async function runRedisLedger(sends: number): Promise<string> {
  const server = await startRedisServer();
  const emulator = await startEmulator();
  const redis = new RedisSendLedger({ url: server.url });
  const memory = new MemorySendLedger();
  const order = emulator.orders.find((each) => each.status?.name === 'Approved')!.id;
  const clients = { memory: clientOf(emulator, memory), redis: clientOf(emulator, redis) };
  try {
    await redis.connect();
    for (let i = 0; i < 100; i++) {
      await clients.memory.resendFulfillmentEmail(order);
      await clients.redis.resendFulfillmentEmail(order);
      await Promise.all([oneSend(memory, i), oneSend(redis, i)]);
    }
    const whole = { memory: [] as number[], redis: [] as number[] };
    const ledgerOnly = { memory: [] as number[], redis: [] as number[] };
    for (let i = 0; i < sends; i++) {
      whole.memory.push(await timed(() => clients.memory.resendFulfillmentEmail(order)));
      whole.redis.push(await timed(() => clients.redis.resendFulfillmentEmail(order)));
      ledgerOnly.memory.push(await oneSend(memory, i));
      ledgerOnly.redis.push(await oneSend(redis, i));
    }
    return [
      '| what | p10 ms | p50 ms | p90 ms | n |',
      '|---|---|---|---|---|',
      ...rows('whole send (SDK → emulator)', whole.memory, whole.redis),
      ...rows('ledger steps only', ledgerOnly.memory, ledgerOnly.redis),
      '',
      'Goal: a send through Redis adds ≤ 5 ms at p50 over the memory ledger.',
    ].join('\n');
  } finally {
    await redis.close();
    await emulator.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRedisLedger(process.argv.includes('--quick') ? 100 : 1_000));
}
