/**
 * RedisSendLedger passes the SendLedger v2 contract suite every store runs (test/helpers/ledger-contract.ts),
 * as a store with its own clock (Redis `TIME`).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { RedisSendLedger } from '../../src/redis/index.js';
import type { SendLedger } from '../../src/send-ledger.js';
import { describeLedgerContract } from '../helpers/ledger-contract.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describeLedgerContract(
  'RedisSendLedger',
  // A fresh prefix per case is an empty store on the one server.
  () => new RedisSendLedger({ url: server.url, keyPrefix: `contract-${randomUUID()}:` }),
  (ledger: SendLedger) => (ledger as RedisSendLedger).close(),
  // Records carry Redis's times (TIME), not the caller's: clock.test.ts and rule-table.test.ts pin them.
  { storeClock: true },
);
