/**
 * The SendLedger v2 contract as a reusable suite: every store (memory, file, Redis) runs the same
 * cases, so they all apply `blocks()` the same way and make each step atomic.
 *
 * Usage, in a store's test file:
 * ```ts
 * describeLedgerContract('FileSendLedger', async () => new FileSendLedger({ path: await tempPath() }));
 * ```
 * `makeLedger` is called once per case and must return an empty store; `dispose` (optional) is called
 * with it after the case. With `options.twin` (a second instance on the same storage: a second process's
 * view), the cases' calls alternate between the two instances, so every step must see the other's writes.
 */
import { describe, expect, it } from 'vitest';
import { type ReserveRule, SEND_RECORD_FORMAT, type SendLedger, type SendRecord } from '../../src/index.js';

const MINUTE = 60_000;

/** A fresh `reserved` record; `at` is its reservedAt (epoch ms), its deadline a minute later. */
export function reservation(overrides: Partial<SendRecord> = {}, at = Date.now()): SendRecord {
  const key = overrides.key ?? 'ssl-orders/v2/api.test.invalid/1234567/4471877/FulfillmentEmail';
  return {
    format: SEND_RECORD_FORMAT,
    key,
    intentId: crypto.randomUUID(),
    orderId: 4471877,
    emailType: 'FulfillmentEmail',
    endpoint: 'api.test.invalid',
    accountId: 1234567,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: at,
    deadline: at + MINUTE,
    ...overrides,
  };
}

const rule = (overrides: Partial<ReserveRule> = {}): ReserveRule => ({
  now: Date.now(),
  cooldown: 5 * MINUTE,
  force: false,
  ...overrides,
});

/** A store whose calls alternate between `a` and `b`, starting with `a`. */
function alternating(a: SendLedger, b: SendLedger): SendLedger {
  let turn = 0;
  const next = () => (turn++ % 2 === 0 ? a : b);
  return {
    reserve: (key, record, rule) => next().reserve(key, record, rule),
    settle: (key, intentId, settlement) => next().settle(key, intentId, settlement),
    release: (key, intentId) => next().release(key, intentId),
    get: (key) => next().get(key),
    list: () => next().list(),
  };
}

/**
 * Registers the contract cases for one store.
 *
 * @param name - the store's name, shown in the test titles.
 * @param makeLedger - returns an empty store (called once per case).
 * @param dispose - closes a store after its case (connections, files).
 * @param options - `twin` returns a second instance on the same storage as the one given.
 */
export function describeLedgerContract(
  name: string,
  makeLedger: () => SendLedger | Promise<SendLedger>,
  dispose: (ledger: SendLedger) => void | Promise<void> = () => {},
  options: { twin?: (ledger: SendLedger) => SendLedger | Promise<SendLedger> } = {},
): void {
  const withLedger = (run: (ledger: SendLedger) => Promise<void>) => async () => {
    const ledger = await makeLedger();
    try {
      await run(options.twin ? alternating(ledger, await options.twin(ledger)) : ledger);
    } finally {
      await dispose(ledger);
    }
  };

  describe(`SendLedger contract v2: ${name}`, () => {
    it(
      'reserve on an empty key stores the record as given; get reads it back; list holds it',
      withLedger(async (ledger) => {
        const record = reservation({ approvalId: 'approval-7', reason: 'first' });
        expect(await ledger.reserve(record.key, record, rule())).toBeUndefined();
        expect(await ledger.get(record.key)).toEqual(record);
        expect(await ledger.list()).toEqual([record]);
        expect(await ledger.get('ssl-orders/v2/other')).toBeUndefined();
      }),
    );

    it(
      'a live reservation blocks every other reservation of its key, forced ones too, and is returned',
      withLedger(async (ledger) => {
        const first = reservation();
        await ledger.reserve(first.key, first, rule());
        for (const force of [false, true]) {
          const holder = await ledger.reserve(first.key, reservation(), rule({ force }));
          expect(holder).toEqual(first);
        }
        expect(await ledger.get(first.key)).toEqual(first);
      }),
    );

    it(
      'keys are independent, whatever characters they hold',
      withLedger(async (ledger) => {
        const keys = ['a/b/1/FulfillmentEmail', 'a/b/1/ApproverEmail', 'a/b/approval/x%2Fy é ✓', 'a:b'];
        for (const key of keys)
          expect(await ledger.reserve(key, reservation({ key }), rule())).toBeUndefined();
        expect((await ledger.list()).map((record) => record.key).sort()).toEqual([...keys].sort());
      }),
    );

    it(
      'a reservation past its deadline blocks unless forced; a forced one remembers what it replaced',
      withLedger(async (ledger) => {
        const now = Date.now();
        const stale = reservation({ deadline: now - 1 }, now - MINUTE);
        await ledger.reserve(stale.key, stale, rule());
        expect(await ledger.reserve(stale.key, reservation(), rule())).toEqual(stale);
        const forced = reservation({ forced: true, reason: 'checked with the admin' });
        expect(await ledger.reserve(stale.key, forced, rule({ force: true }))).toBeUndefined();
        expect(await ledger.get(stale.key)).toEqual({ ...forced, replaced: stale });
        // The forced send provably did nothing: release puts the stale record back.
        expect(await ledger.release(stale.key, forced.intentId)).toBe(true);
        expect(await ledger.get(stale.key)).toEqual(stale);
      }),
    );

    it(
      'settle applies only for the holding intent, with settledAt and expiresAt = at + keepFor',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        const at = Date.now();
        expect(
          await ledger.settle(record.key, 'someone-else', { state: 'sent', at, keepFor: 1 }),
        ).toBeUndefined();
        expect(await ledger.get(record.key)).toEqual(record);
        const sent = await ledger.settle(record.key, record.intentId, { state: 'sent', at, keepFor: MINUTE });
        expect(sent).toEqual({ ...record, state: 'sent', settledAt: at, expiresAt: at + MINUTE });
        expect(await ledger.get(record.key)).toEqual(sent);
        expect(
          await ledger.settle('ssl-orders/v2/missing', record.intentId, { state: 'sent', at }),
        ).toBeUndefined();
      }),
    );

    it(
      'unknown has no expiry and blocks until forced; a marked not-sent never blocks',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        const unknown = await ledger.settle(record.key, record.intentId, {
          state: 'unknown',
          at: Date.now(),
        });
        expect(unknown).toMatchObject({ state: 'unknown', expiresAt: undefined });
        expect(await ledger.reserve(record.key, reservation(), rule({ cooldown: 0 }))).toMatchObject({
          intentId: record.intentId,
        });
        const marked = await ledger.settle(record.key, record.intentId, {
          state: 'not-sent',
          at: Date.now(),
          keepFor: MINUTE,
          reason: 'the admin saw nothing',
          marked: true,
        });
        expect(marked).toMatchObject({ state: 'not-sent', marked: true, reason: 'the admin saw nothing' });
        const next = reservation();
        expect(await ledger.reserve(record.key, next, rule())).toBeUndefined();
        // A not-sent record is not remembered as replaced: there is nothing to restore.
        expect(await ledger.get(record.key)).toEqual(next);
      }),
    );

    it(
      'sent blocks within the cooldown, not after it, and never a forced reservation',
      withLedger(async (ledger) => {
        const now = Date.now();
        const record = reservation({}, now - 2 * MINUTE);
        await ledger.reserve(record.key, record, rule({ now: now - 2 * MINUTE }));
        await ledger.settle(record.key, record.intentId, {
          state: 'sent',
          at: now - MINUTE,
          keepFor: 10 * MINUTE,
        });
        expect(
          await ledger.reserve(record.key, reservation(), rule({ now, cooldown: 2 * MINUTE })),
        ).toMatchObject({
          intentId: record.intentId,
          state: 'sent',
        });
        const forced = reservation();
        expect(await ledger.reserve(record.key, forced, rule({ now, force: true }))).toBeUndefined();
        await ledger.release(record.key, forced.intentId);
        const later = reservation();
        expect(await ledger.reserve(record.key, later, rule({ now, cooldown: MINUTE / 2 }))).toBeUndefined();
        expect(await ledger.get(record.key)).toMatchObject({
          intentId: later.intentId,
          replaced: { intentId: record.intentId },
        });
      }),
    );

    it(
      'release removes only its own reservation',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        expect(await ledger.release(record.key, 'someone-else')).toBe(false);
        expect(await ledger.get(record.key)).toEqual(record);
        expect(await ledger.release(record.key, record.intentId)).toBe(true);
        expect(await ledger.get(record.key)).toBeUndefined();
        expect(await ledger.release(record.key, record.intentId)).toBe(false);
      }),
    );

    it(
      'returned records are copies: changing one changes nothing stored',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        record.state = 'sent';
        const read = await ledger.get(record.key);
        expect(read?.state).toBe('reserved');
        if (read) read.recipient = 'mallory@example.com';
        expect((await ledger.get(record.key))?.recipient).toBe('admin@example.com');
      }),
    );

    it(
      'of 50 concurrent reservations of one key exactly one wins, and the others see it',
      withLedger(async (ledger) => {
        const key = 'ssl-orders/v2/race/1/1/FulfillmentEmail';
        const records = Array.from({ length: 50 }, () => reservation({ key }));
        const answers = await Promise.all(records.map((record) => ledger.reserve(key, record, rule())));
        const winners = records.filter((_, index) => answers[index] === undefined);
        expect(winners).toHaveLength(1);
        for (const answer of answers) if (answer) expect(answer.intentId).toBe(winners[0]?.intentId);
        expect((await ledger.get(key))?.intentId).toBe(winners[0]?.intentId);
      }),
    );
  });
}
