/**
 * A password with special characters (a raw `@`, `%40`-encoded, `:`, a lone `%`) appears in no error
 * message, cause, util.inspect or JSON.stringify, in none of its spellings (as written in the URL, as
 * the URL parser keeps it, decoded), for ledgers made from `{ url }` and from a caller's `{ client }`.
 * (The plain-password cases are in connection.test.ts.)
 */
import { inspect } from 'node:util';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisConnection } from '../../src/redis/connection.js';
import { RedisSendLedger, RedisStoreError } from '../../src/redis/index.js';
import { type RedisServer, startRedisServer } from '../helpers/redis-server.js';

/** What Redis is given: contains `@`, `:` and `%`. */
const PASSWORD = 'p@ss:w@rd%x';
/** Written with raw `@` and `:` and the second `@` as `%40` (the `%x` as `%25x`). */
const WRITTEN = 'p@ss:w%40rd%25x';
/** Fragments that no view may hold, whichever spelling leaked. */
const FRAGMENTS = ['p@ss', 'ss:w', 'w@rd', 'w%40rd', 'p%40ss', 'ss%3Aw', 'rd%x', 'rd%25x'];

function everyView(error: unknown): string {
  const cause = (error as Error).cause;
  return [
    (error as Error).message,
    String(cause),
    inspect(cause),
    inspect(error, { depth: 5 }),
    JSON.stringify(error),
    (error as Error).stack ?? '',
  ].join('\n');
}

function expectNoPassword(view: string): void {
  for (const fragment of FRAGMENTS) expect(view).not.toContain(fragment);
}

let server: RedisServer;
let urls: string[];

beforeAll(async () => {
  server = await startRedisServer({ password: PASSWORD });
  urls = [
    `redis://default:${WRITTEN}@127.0.0.1:${server.port}`,
    `redis://default:${encodeURIComponent(PASSWORD)}@127.0.0.1:${server.port}`,
  ];
});

afterAll(async () => {
  await server?.stop();
});

describe('a password with @, %40, : and % never shows', () => {
  it('both spellings of the URL log in', async () => {
    for (const url of urls) {
      const ledger = new RedisSendLedger({ url });
      try {
        expect(await ledger.get('k')).toBeUndefined();
        expectNoPassword(
          `${inspect(ledger, { depth: 5 })}\n${JSON.stringify(ledger)}\n${ledger.description}`,
        );
      } finally {
        await ledger.close();
      }
    }
  });

  it('{ url }: a driver error that quotes the URL is scrubbed of every spelling', () => {
    for (const url of urls) {
      const connection = new RedisConnection({ url }, {});
      const quoting = new Error(
        `connect failed for ${url} (password ${PASSWORD}, ${encodeURIComponent(PASSWORD)})`,
      );
      const error = connection.error('unreachable', 'get', quoting);
      expect(error).toBeInstanceOf(RedisStoreError);
      expect(error.message).toContain(`127.0.0.1:${server.port}`);
      expectNoPassword(everyView(error));
      expectNoPassword(everyView(connection.error('record', 'get', undefined, `bad ${url}`)));
    }
  });

  it('{ client }: the same for a caller client made from either URL or with a password option', async () => {
    const clients: Array<[string, ReturnType<typeof createClient>]> = [
      ...urls.map((url): [string, ReturnType<typeof createClient>] => [url, createClient({ url })]),
      [
        `password ${encodeURIComponent(PASSWORD)}`,
        createClient({ socket: { host: '127.0.0.1', port: server.port }, password: PASSWORD }),
      ],
    ];
    try {
      for (const [made, client] of clients) {
        await client.connect();
        const connection = new RedisConnection({ client }, {});
        const quoting = new Error(`AUTH ${PASSWORD} failed; made from ${made}`);
        expectNoPassword(everyView(connection.error('auth', 'get', quoting)));
        const ledger = new RedisSendLedger({ client, keyPrefix: 'secrets:' });
        expect(await ledger.get('k')).toBeUndefined();
        expectNoPassword(`${inspect(ledger, { depth: 5 })}\n${JSON.stringify(ledger)}`);
        await client.sendCommand(['SET', 'secrets:bad', 'not json']);
        const record = await ledger.get('bad').catch((e: unknown) => e);
        expect(record).toMatchObject({ name: 'RedisStoreError', failure: 'record' });
        expectNoPassword(everyView(record));
        await client.close();
        const closed = await ledger.get('k').catch((e: unknown) => e);
        expect(closed).toMatchObject({ name: 'RedisStoreError', failure: 'closed' });
        expectNoPassword(everyView(closed));
      }
    } finally {
      for (const [, client] of clients) if (client.isOpen) await client.close();
    }
  });

  it('a refused password, and an unreachable server, give typed errors without it', async () => {
    const wrong = new RedisSendLedger({ url: `redis://default:${WRITTEN}Z@127.0.0.1:${server.port}` });
    const refused = await wrong.get('k').catch((e: unknown) => e);
    await wrong.close();
    expect(refused).toMatchObject({ name: 'RedisStoreError', failure: 'auth', port: server.port });
    expectNoPassword(everyView(refused));
    const nowhere = new RedisSendLedger({ url: `redis://default:${WRITTEN}@127.0.0.1:1` });
    const unreachable = await nowhere.get('k').catch((e: unknown) => e);
    await nowhere.close();
    expect(unreachable).toMatchObject({ name: 'RedisStoreError', failure: 'unreachable', port: 1 });
    expectNoPassword(everyView(unreachable));
  });

  it('a lone % in the password is no URIError: the ledger is built and names only the host', () => {
    const ledger = new RedisSendLedger({ url: 'redis://:50%off@127.0.0.1:1' });
    expect(ledger.description).toBe('redis://127.0.0.1:1');
    const error = new RedisConnection({ url: 'redis://:50%off@127.0.0.1:1' }, {}).error(
      'auth',
      'get',
      new Error('password 50%off refused'),
    );
    expect(everyView(error)).not.toContain('50%off');
  });
});
