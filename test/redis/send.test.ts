/**
 * The SDK's sends on RedisSendLedger when Redis fails before the POST: the send stops with a typed
 * SendLedgerError naming the host and port, no POST reaches the server, and the password appears
 * nowhere. Also the ledger's eviction warning reaching the client's own onEvent handler.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendLedgerError, type SslOrdersEvent } from '../../src/index.js';
import { RedisSendLedger, type RedisStoreWarningEvent } from '../../src/redis/index.js';
import { startRedisServer } from '../helpers/redis-server.js';
import { APPROVED, type Emulator, makeClient, posts, startEmulator } from '../send-fixture.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  await emulator?.close();
});

function everyView(error: unknown): string {
  return [
    (error as Error).message,
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    String((error as Error).cause),
  ].join('\n');
}

describe('a send on a failing Redis ledger', () => {
  it('Redis unreachable: SendLedgerError naming the host and port, no POST, no password anywhere', async () => {
    const sendLedger = new RedisSendLedger({ url: 'redis://user:s3cret@127.0.0.1:1/' });
    const { client, events } = makeClient(emulator, { sendLedger });
    const before = posts(emulator);
    const error = await client.resendFulfillmentEmail(APPROVED).catch((caught: unknown) => caught);
    await sendLedger.close();
    expect(error).toBeInstanceOf(SendLedgerError);
    // The pipeline's first ledger step (its check, or the reservation) is where it stops.
    expect(['get', 'reserve']).toContain((error as SendLedgerError).operation);
    expect((error as Error).message).toContain('127.0.0.1:1');
    expect(posts(emulator)).toBe(before);
    expect(everyView(error)).not.toContain('s3cret');
    expect(JSON.stringify(events)).not.toContain('s3cret');
  });

  it('Redis stalled (SIGSTOP): SendLedgerError within the ledger bound, no POST', async () => {
    const server = await startRedisServer();
    const sendLedger = new RedisSendLedger({ url: server.url, commandTimeoutMs: 300 });
    try {
      await sendLedger.connect();
      server.process.kill('SIGSTOP');
      const { client } = makeClient(emulator, { sendLedger, timeout: 5_000 });
      const before = posts(emulator);
      const started = performance.now();
      const error = await client.resendFulfillmentEmail(APPROVED).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(SendLedgerError);
      expect((error as Error).message).toContain(`127.0.0.1:${server.port}`);
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(posts(emulator)).toBe(before);
    } finally {
      server.process.kill('SIGCONT');
      await sendLedger.close();
      await server.stop();
    }
  });

  it("the eviction warning reaches the client's onEvent when both get the same handler", async () => {
    const server = await startRedisServer({ args: ['--maxmemory-policy', 'volatile-lru'] });
    const seen: Array<SslOrdersEvent | RedisStoreWarningEvent> = [];
    const onEvent = (event: SslOrdersEvent | RedisStoreWarningEvent) => seen.push(event);
    const sendLedger = new RedisSendLedger({ url: server.url, onEvent });
    try {
      const { client } = makeClient(emulator, { sendLedger, onEvent });
      const result = await client.resendFulfillmentEmail(APPROVED, { force: { reason: 'warning test' } });
      expect(result.outcome).toBe('sent');
      const types = seen.map((event) => event.type);
      expect(types).toContain('ledger.warning');
      expect(types.indexOf('ledger.warning')).toBeLessThan(types.lastIndexOf('send.sent'));
    } finally {
      await sendLedger.close();
      await server.stop();
    }
  });
});
