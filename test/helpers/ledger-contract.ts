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
 * A store that stamps records with its own clock (the Redis store uses Redis `TIME`, so a fleet's hosts
 * share one clock) passes `{ storeClock: true }`: the cases then compare its times loosely and simulate
 * no past through `at` or `rule.now`; the store's own tests pin its times.
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

/** How a store keeps time. */
export interface LedgerContractOptions {
  /**
   * The store takes `reservedAt`, `deadline`, `settledAt` and `expiresAt` from its own clock (keeping the
   * deadline's and keepFor's durations) and decides `blocks()` at its own now. Default false: the
   * caller's times are stored as given.
   */
  storeClock?: boolean;
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
 * @param options - see {@link LedgerContractOptions}; `twin` returns a second instance on the same
 *   storage as the one given.
 */
export function describeLedgerContract(
  name: string,
  makeLedger: () => SendLedger | Promise<SendLedger>,
  dispose: (ledger: SendLedger) => void | Promise<void> = () => {},
  options: LedgerContractOptions & { twin?: (ledger: SendLedger) => SendLedger | Promise<SendLedger> } = {},
): void {
  const storeClock = options.storeClock ?? false;
  /** `record` as the store keeps it: with a store clock, its times are the store's (any number). */
  const asKept = (record: SendRecord): SendRecord => {
    if (!storeClock) return record;
    const times = (each: Omit<SendRecord, 'replaced'>) => ({
      ...each,
      reservedAt: expect.any(Number),
      deadline: expect.any(Number),
      ...(each.settledAt === undefined ? {} : { settledAt: expect.any(Number) }),
      ...(each.expiresAt === undefined ? {} : { expiresAt: expect.any(Number) }),
    });
    return {
      ...times(record),
      ...(record.replaced ? { replaced: times(record.replaced) } : {}),
    } as SendRecord;
  };
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
        expect(await ledger.get(record.key)).toEqual(asKept(record));
        expect(await ledger.list()).toEqual([asKept(record)]);
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
          expect(holder).toEqual(asKept(first));
        }
        expect(await ledger.get(first.key)).toEqual(asKept(first));
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
        expect(await ledger.reserve(stale.key, reservation(), rule())).toEqual(asKept(stale));
        const forced = reservation({ forced: true, reason: 'checked with the admin' });
        expect(await ledger.reserve(stale.key, forced, rule({ force: true }))).toBeUndefined();
        expect(await ledger.get(stale.key)).toEqual(asKept({ ...forced, replaced: stale }));
        // The forced send provably did nothing: release puts the stale record back.
        expect(await ledger.release(stale.key, forced.intentId)).toBe(true);
        expect(await ledger.get(stale.key)).toEqual(asKept(stale));
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
        expect(await ledger.get(record.key)).toEqual(asKept(record));
        const sent = await ledger.settle(record.key, record.intentId, { state: 'sent', at, keepFor: MINUTE });
        expect(sent).toEqual(asKept({ ...record, state: 'sent', settledAt: at, expiresAt: at + MINUTE }));
        expect(sent!.expiresAt! - sent!.settledAt!).toBe(MINUTE);
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
        expect(await ledger.get(record.key)).toEqual(asKept(next));
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
        // A store clock cannot be sent back a minute: there the cooldown that has passed is 0.
        const passed = storeClock ? 0 : MINUTE / 2;
        expect(await ledger.reserve(record.key, later, rule({ now, cooldown: passed }))).toBeUndefined();
        expect(await ledger.get(record.key)).toMatchObject({
          intentId: later.intentId,
          replaced: { intentId: record.intentId },
        });
      }),
    );

    it(
      'settle with expect applies only when the stored state and settledAt match (compare-and-set)',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        const mark = { state: 'not-sent' as const, at: Date.now(), marked: true, reason: 'checked' };
        // The record is `reserved` with no settledAt: any other expectation is refused.
        for (const pre of [{ state: 'unknown' as const }, { state: 'reserved' as const, settledAt: 1 }])
          expect(await ledger.settle(record.key, record.intentId, { ...mark, expect: pre })).toBeUndefined();
        // The settledAt the store kept (the caller's `at`, or the store clock's now).
        const sentAt = (await ledger.settle(record.key, record.intentId, { state: 'sent', at: Date.now() }))!
          .settledAt!;
        // A mark that read `reserved` before the send settled `sent` must not overwrite it.
        const stale = { ...mark, expect: { state: 'reserved' as const } };
        expect(await ledger.settle(record.key, record.intentId, stale)).toBeUndefined();
        const wrongTime = { ...mark, expect: { state: 'sent' as const, settledAt: sentAt - 1 } };
        expect(await ledger.settle(record.key, record.intentId, wrongTime)).toBeUndefined();
        expect(await ledger.get(record.key)).toEqual(asKept({ ...record, state: 'sent', settledAt: sentAt }));
        const fresh = { ...mark, expect: { state: 'sent' as const, settledAt: sentAt } };
        const marked = await ledger.settle(record.key, record.intentId, fresh);
        expect(marked).toEqual(
          asKept({
            ...record,
            state: 'not-sent',
            settledAt: mark.at,
            marked: true,
            reason: 'checked',
          }),
        );
        expect(await ledger.get(record.key)).toEqual(marked);
      }),
    );

    it(
      'blocks() edge rows: cooldown 0, a sent record without settledAt, a state this SDK does not know',
      withLedger(async (ledger) => {
        const now = Date.now();
        const sent = reservation({ key: 'k/sent', state: 'sent', settledAt: now - 1 }, now - 10);
        await ledger.reserve(sent.key, sent, rule());
        expect(
          await ledger.reserve(sent.key, reservation({ key: sent.key }), rule({ cooldown: 0 })),
        ).toBeUndefined();
        // No settledAt: the cooldown counts from reservedAt.
        const bare = reservation({ key: 'k/bare', state: 'sent', deadline: now + 1 }, now - 2 * MINUTE);
        await ledger.reserve(bare.key, bare, rule());
        const within = rule({ now, cooldown: 3 * MINUTE });
        expect(await ledger.reserve(bare.key, reservation({ key: bare.key }), within)).toEqual(asKept(bare));
        // A store clock stamps reservedAt now, so only a cooldown of 0 has passed since.
        const passed = rule({ now, cooldown: storeClock ? 0 : MINUTE });
        expect(await ledger.reserve(bare.key, reservation({ key: bare.key }), passed)).toBeUndefined();
        // A foreign state: a store may refuse to keep it; one that keeps it must fail closed.
        const odd = { ...reservation({ key: 'k/odd' }), state: 'archived' } as unknown as SendRecord;
        const stored = await ledger.reserve(odd.key, odd, rule()).then(
          () => true,
          () => false,
        );
        if (stored) {
          const holder = await ledger.reserve(odd.key, reservation({ key: odd.key }), rule({ cooldown: 0 }));
          expect(holder?.intentId).toBe(odd.intentId);
        }
      }),
    );

    it(
      'release removes only its own reservation',
      withLedger(async (ledger) => {
        const record = reservation();
        await ledger.reserve(record.key, record, rule());
        expect(await ledger.release(record.key, 'someone-else')).toBe(false);
        expect(await ledger.get(record.key)).toEqual(asKept(record));
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
