/**
 * A ledger that fails: before the POST the send stops with a typed SendLedgerError and no POST (fail
 * closed); after the POST the result stands and an event says the record could not be written. Also
 * records of another format, and stores written for the v1 contract.
 */
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidArgumentError,
  MemorySendLedger,
  type SendLedger,
  SendLedgerError,
  SendOutcomeUnknownError,
  SslOrdersClient,
} from '../src/index.js';
import { APPROVED, type Emulator, makeClient, posts, rejection, startEmulator } from './send-fixture.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

const SECRET = 'hunter2-redis-password';

/** A memory ledger whose `operation` throws (an error that quotes a connection URL with a password). */
function failing(
  operation: keyof SendLedger,
  after = 0,
  url = `redis://default:${SECRET}@10.0.0.7:6379`,
): MemorySendLedger {
  const ledger = new MemorySendLedger();
  let calls = 0;
  const original = ledger[operation].bind(ledger) as (...args: unknown[]) => Promise<unknown>;
  Object.assign(ledger, {
    [operation]: (...args: unknown[]) => {
      if (++calls > after) throw new Error(`connect ECONNREFUSED ${url}`);
      return original(...args);
    },
  });
  return ledger;
}

describe('a store that fails before the POST: typed error, no POST', () => {
  it('a password holding a raw @ is redacted whole, up to the last @ before the host', async () => {
    const { client } = makeClient(emulator, { sendLedger: failing('get', 0, 'redis://u:p@ss@host:6379') });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect((error as Error).message).toContain('redis://[REDACTED]@host:6379');
    expect((error as Error).message).not.toMatch(/p@ss|ss@host|u:p/);
  });

  it.each(['get', 'reserve'] as const)(
    '%s throws → SendLedgerError naming the operation, nothing sent',
    async (operation) => {
      let asked = 0;
      const { client, events } = makeClient(emulator, {
        sendLedger: failing(operation),
        confirm: () => {
          asked++;
          return true;
        },
      });
      const error = await rejection(client.resendFulfillmentEmail(APPROVED));
      expect(error).toBeInstanceOf(SendLedgerError);
      expect(error).toMatchObject({ operation, problem: 'failed' });
      expect(posts(emulator)).toBe(0);
      // The precheck fails before anyone is asked; a failing reserve comes after the hook.
      expect(asked).toBe(operation === 'get' ? 0 : 1);
      const rendered = [String(error), inspect(error), JSON.stringify(error), JSON.stringify(events)].join(
        '\n',
      );
      expect(rendered).not.toContain(SECRET);
      expect((error as Error).cause).toBeUndefined();
      expect((error as Error).message).toContain('ECONNREFUSED');
    },
  );

  it('a store that never answers the reservation → TimeoutError at totalTimeout, no POST', async () => {
    const ledger = new MemorySendLedger();
    let answer: () => void = () => {};
    const original = ledger.reserve.bind(ledger);
    ledger.reserve = (...args) =>
      new Promise((resolve) => {
        answer = () => resolve(original(...args));
      });
    const { client } = makeClient(emulator, { sendLedger: ledger, totalTimeout: 300 });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toMatchObject({ name: 'TimeoutError', limit: 'total' });
    // The store answers late and did reserve: that reservation is released, since nothing was sent.
    answer();
    await expect.poll(async () => (await ledger.list()).length).toBe(0);
    expect(posts(emulator)).toBe(0);
  });
});

describe('a store that fails after the POST never invites a resend', () => {
  it('settle throws: the result is still sent, an event says so, and the reservation keeps blocking', async () => {
    const ledger = failing('settle');
    const { client, events } = makeClient(emulator, { sendLedger: ledger });
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(result.outcome).toBe('sent');
    const failed = events.find((event) => event.type === 'send.record-failed');
    expect(failed).toMatchObject({ operation: 'settle', intentId: result.intentId });
    expect(JSON.stringify(failed)).not.toContain(SECRET);
    const [record] = await ledger.list();
    expect(record).toMatchObject({ state: 'reserved', intentId: result.intentId });
    // Another client of the ledger: the reservation is live until its deadline, then reads as unknown.
    const other = makeClient(emulator, { sendLedger: ledger }).client;
    await expect(other.resendFulfillmentEmail(APPROVED)).rejects.toMatchObject({ reason: 'in-flight' });
    expect(posts(emulator)).toBe(1);
  });

  it('release throws after a provable refusal: the refusal stands, an event says the record stays', async () => {
    emulator.inject({ route: 'resend', kind: 'server-error', status: 403 });
    const ledger = failing('release');
    const { client, events } = makeClient(emulator, { sendLedger: ledger });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED))).toMatchObject({
      name: 'PermissionDeniedError',
    });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'send.record-failed', operation: 'release' }),
    );
    // The stale reservation errs on the side of not sending: it blocks until its deadline, then reads unknown.
    expect(await ledger.list()).toEqual([expect.objectContaining({ state: 'reserved' })]);
  });

  it('settle throws after an unknown outcome: still SendOutcomeUnknownError', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const { client, events } = makeClient(emulator, { sendLedger: failing('settle') });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED))).toBeInstanceOf(SendOutcomeUnknownError);
    expect(events.some((event) => event.type === 'send.record-failed')).toBe(true);
  });
});

describe('record format and the v1 contract', () => {
  it('a record of another format → SendLedgerError (format), no POST', async () => {
    const ledger = new MemorySendLedger();
    const original = ledger.get.bind(ledger);
    ledger.get = async (key) => ({ ...(await original(key)), format: 1 }) as never;
    const { client } = makeClient(emulator, { sendLedger: ledger });
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toMatchObject({ name: 'SendLedgerError', problem: 'format', operation: 'get' });
    expect((error as Error).message).toMatch(/format 1.*format 2.*CHANGELOG/);
    expect(posts(emulator)).toBe(0);
  });

  it('a store written for v1 (get/set) → InvalidArgumentError at construction naming sendLedger and the migration', () => {
    const v1 = { get: async () => undefined, set: async () => undefined };
    const build = () =>
      new SslOrdersClient({ auth: { bearerToken: 'x'.repeat(40) }, sendLedger: v1 as unknown as SendLedger });
    expect(build).toThrow(InvalidArgumentError);
    expect(build).toThrow(/sendLedger.*v1.*Migrating a custom SendLedger/s);
    try {
      build();
    } catch (error) {
      expect(error).toMatchObject({ argument: 'sendLedger' });
    }
  });

  it('a store missing a v2 method is named; a bad sendRetention is refused', () => {
    const noList = {
      reserve: async () => undefined,
      settle: async () => undefined,
      release: async () => false,
      get: async () => undefined,
    };
    expect(
      () =>
        new SslOrdersClient({
          auth: { bearerToken: 'x'.repeat(40) },
          sendLedger: noList as unknown as SendLedger,
        }),
    ).toThrow(/lacks list/);
    for (const sendRetention of [0, 59_999, 1.5, Number.NaN]) {
      expect(() => new SslOrdersClient({ auth: { bearerToken: 'x'.repeat(40) }, sendRetention })).toThrow(
        /sendRetention/,
      );
    }
  });
});
