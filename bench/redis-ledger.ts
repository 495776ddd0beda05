/**
 * What the Redis ledger adds to a send: the ledger's part of a send (reserve, then settle `sent`) through
 * `RedisSendLedger` on a local redis-server, side by side with `MemorySendLedger`, interleaved so both
 * see the same machine state. Goal (issue 13): ≤ 5 ms added at p50. Needs /usr/bin/redis-server.
 *
 * Usage: tsx bench/redis-ledger.ts [--quick]. When bench/ledger.ts (every ledger side by side) exists,
 * this belongs in its list; until then it runs alone.
 */
import { randomUUID } from 'node:crypto';
import { RedisSendLedger } from '../src/redis/index.js';
import { MemorySendLedger, type SendLedger, type SendRecord } from '../src/send-ledger.js';
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

export async function runRedisLedger(sends: number): Promise<string> {
  const server = await startRedisServer();
  const redis = new RedisSendLedger({ url: server.url });
  const memory = new MemorySendLedger();
  try {
    await redis.connect();
    for (let i = 0; i < 200; i++) await Promise.all([oneSend(memory, i), oneSend(redis, i)]);
    const times = { memory: [] as number[], redis: [] as number[] };
    for (let i = 0; i < sends; i++) {
      times.memory.push(await oneSend(memory, i));
      times.redis.push(await oneSend(redis, i));
    }
    const m = spread(times.memory);
    const r = spread(times.redis);
    return [
      '| ledger | p10 ms | p50 ms | p90 ms | sends |',
      '|---|---|---|---|---|',
      `| MemorySendLedger | ${fmt(m.p10, 3)} | ${fmt(m.median, 3)} | ${fmt(m.p90, 3)} | ${m.n} |`,
      `| RedisSendLedger (loopback) | ${fmt(r.p10, 3)} | ${fmt(r.median, 3)} | ${fmt(r.p90, 3)} | ${r.n} |`,
      '',
      `Redis adds ${fmt(r.median - m.median, 3)} ms at p50 per send (reserve + settle; goal ≤ 5 ms).`,
    ].join('\n');
  } finally {
    await redis.close();
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await runRedisLedger(process.argv.includes('--quick') ? 200 : 5_000));
}
