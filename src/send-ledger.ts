/**
 * The duplicate guard's memory, contract v2: one atomic reservation per key. A send reserves its key
 * before the POST, then settles it (`sent`, `unknown`) or releases it when the server provably did not
 * act. Every operation that changes a record is atomic in the store, so of two processes that race
 * for the same key exactly one holds it; nothing here is a read followed by a write.
 *
 * The rule that decides whether a record blocks a new reservation is {@link blocks}, one pure function
 * that every store applies inside its atomic step (the Redis store runs the same rule in Lua).
 *
 * @module
 */
import type { EmailType } from './errors.js';

/** The record format this SDK reads and writes. A record of another format is refused, never guessed. */
export const SEND_RECORD_FORMAT = 2;

/**
 * Where a send stands:
 * - `reserved`: the key is held by a send that is about to POST or is waiting for its answer. Once
 *   past its `deadline` (the longest that send could take) it reads as `unknown`: its process may have
 *   crashed after the POST.
 * - `sent`: the API accepted the request.
 * - `unknown`: the request may have reached the server but no clear answer came back (crash, lost
 *   answer, Ctrl-C after dispatch). Blocks until a person records what they learned, or forces.
 * - `not-sent`: a person recorded that the email did not go out (or the server provably refused and the
 *   record was kept for history). Never blocks.
 */
export type SendState = 'reserved' | 'sent' | 'unknown' | 'not-sent';

/** One send, as a ledger keeps it. Plain JSON: every field is a string, number or boolean. */
export interface SendRecord {
  /** Always {@link SEND_RECORD_FORMAT}. */
  format: typeof SEND_RECORD_FORMAT;
  /** The ledger key the record is stored under. */
  key: string;
  /** The send's intent id, as in its events and errors. */
  intentId: string;
  /** The order the email is for. */
  orderId: number;
  /** Which email. */
  emailType: EmailType;
  /** The API host the send went to (`api.softlayer.com`, `127.0.0.1:4010`), never a credential. */
  endpoint: string;
  /** The account the order belongs to. */
  accountId: number;
  /** The address the certificate authority emails. */
  recipient: string;
  /** See {@link SendState}. */
  state: SendState;
  /** When the key was reserved, in epoch milliseconds. */
  reservedAt: number;
  /** After this instant (epoch ms) a `reserved` record reads as `unknown`. */
  deadline: number;
  /** When the record left `reserved` (sent, unknown, or marked), in epoch milliseconds. */
  settledAt?: number | undefined;
  /** A store may drop the record after this instant (epoch ms); absent: keep until a person acts. */
  expiresAt?: number | undefined;
  /** The `force` reason of a forced send, or the reason a person gave when marking the outcome. */
  reason?: string | undefined;
  /** The send was forced past an earlier record. */
  forced?: boolean | undefined;
  /** The state was recorded by a person (`markSendOutcome`), not by a send. */
  marked?: boolean | undefined;
  /** The approval the send carried (`approvalId`), if any. */
  approvalId?: string | undefined;
  /**
   * The record a forced reservation replaced, restored by {@link SendLedger.release} when the forced
   * send provably did nothing. Never nested: a replaced record has no `replaced` of its own.
   */
  replaced?: Omit<SendRecord, 'replaced'> | undefined;
}

/** What a reservation asks of the record it meets. */
export interface ReserveRule {
  /** The reserving process's clock, epoch milliseconds. */
  now: number;
  /** A `sent` record blocks for this long after it settled (ms); `Infinity` for ever (approvals). */
  cooldown: number;
  /** `force: { reason }`: pass over `sent` and `unknown` records, never over a live reservation. */
  force: boolean;
}

/** What a compare-and-set settlement expects to find stored (see {@link Settlement.expect}). */
export interface SettlementExpectation {
  /** The stored state string (a `reserved` record counts as `reserved` even past its deadline). */
  state: SendState;
  /** The stored `settledAt`, epoch milliseconds; absent on either side counts as equal. */
  settledAt?: number | undefined;
}

/** How a send, or a person, settles a reservation. */
export interface Settlement {
  /** The new state. */
  state: 'sent' | 'unknown' | 'not-sent';
  /** When, in epoch milliseconds (becomes `settledAt`). */
  at: number;
  /** How long the store must keep the record at least (ms); it may drop it after. Absent: keep it. */
  keepFor?: number | undefined;
  /** Why a person marked it, or why it was forced. */
  reason?: string | undefined;
  /** A person recorded this (`markSendOutcome`). */
  marked?: boolean | undefined;
  /**
   * A compare-and-set precondition: apply the settlement only when the stored record's `state` (the
   * stored string: a `reserved` record stays `reserved` past its deadline) equals `expect.state` and
   * its `settledAt` equals `expect.settledAt` (absent on both sides counts as equal, so an absent
   * `expect.settledAt` requires a record with no `settledAt`). Otherwise the store changes nothing and
   * resolves `undefined`. `markSendOutcome` passes the record it read, so it never overwrites a state
   * it did not see (a send that settled `sent` in between). Absent: the intent id alone decides. Never
   * stored in the record. See {@link settlementApplies}.
   */
  expect?: SettlementExpectation | undefined;
}

/**
 * The state a record stands for now: a `reserved` record past its deadline reads as `unknown`.
 *
 * @param record - a stored record.
 * @param now - epoch milliseconds.
 */
export function effectiveState(record: SendRecord, now: number): SendState {
  return record.state === 'reserved' && now > record.deadline ? 'unknown' : record.state;
}

/**
 * Whether `holder` keeps a new reservation under `rule` from taking its key. Stores call it inside
 * their atomic step; the Redis store's Lua script implements the same table:
 *
 * | holder | blocks |
 * |---|---|
 * | `reserved`, before its deadline | always, even a forced send |
 * | `reserved` past its deadline, or `unknown` | unless forced |
 * | `sent` | within `cooldown` of `settledAt`, unless forced |
 * | `not-sent` | never |
 */
export function blocks(holder: SendRecord, rule: ReserveRule): boolean {
  switch (effectiveState(holder, rule.now)) {
    case 'reserved':
      return true;
    case 'unknown':
      return !rule.force;
    case 'sent':
      return !rule.force && rule.now - (holder.settledAt ?? holder.reservedAt) < rule.cooldown;
    case 'not-sent':
      return false;
    default:
      // A state this SDK does not know (a newer writer, a damaged record): fail closed, like `unknown`.
      return !rule.force;
  }
}

/**
 * Whether `settle(key, intentId, settlement)` applies to the stored `record`: it has `intentId` and
 * meets `settlement.expect`, if any. Stores that settle in JavaScript call it inside their atomic step;
 * the Redis store's Lua script implements the same test.
 */
export function settlementApplies(
  record: SendRecord | undefined,
  intentId: string,
  settlement: Settlement,
): record is SendRecord {
  if (record?.intentId !== intentId) return false;
  const { expect } = settlement;
  if (expect === undefined) return true;
  return record.state === expect.state && (record.settledAt ?? undefined) === (expect.settledAt ?? undefined);
}

/** The record `release` puts back: what a forced reservation replaced, or nothing. */
export function restoredBy(record: SendRecord): SendRecord | undefined {
  return record.replaced ? { ...record.replaced } : undefined;
}

/** `record` with the settlement applied. Used by stores that settle in JavaScript. */
export function applySettlement(record: SendRecord, settlement: Settlement): SendRecord {
  const { replaced: _replaced, ...rest } = record;
  // `expect` is a precondition of the step, never part of the record.
  return {
    ...rest,
    state: settlement.state,
    settledAt: settlement.at,
    expiresAt: settlement.keepFor === undefined ? undefined : settlement.at + settlement.keepFor,
    reason: settlement.reason ?? record.reason,
    marked: settlement.marked ?? record.marked,
  };
}

/**
 * The reservation as stored when it takes a key from `holder` (a forced send over an earlier record):
 * it remembers the holder, so a release can put it back.
 */
export function replacing(record: SendRecord, holder: SendRecord | undefined): SendRecord {
  if (!holder || effectiveState(holder, record.reservedAt) === 'not-sent') return record;
  const { replaced: _nested, ...flat } = holder;
  return { ...record, replaced: flat };
}

/**
 * Storage for the duplicate guard, contract v2. Each method is one atomic step in the store: a shared
 * store must make its effect visible to every other process before it resolves. A store that cannot
 * answer rejects; the send then stops before its POST (fail closed).
 *
 * Keys are opaque strings that name the API host, the account, the order and the email type (or an
 * approval id), so records of an emulator never meet those of a real account.
 *
 * @example A store over a Map (one process), showing where each step must be atomic
 * ```ts
 * import {
 *   applySettlement,
 *   blocks,
 *   replacing,
 *   restoredBy,
 *   type SendLedger,
 *   type SendRecord,
 *   settlementApplies,
 * } from 'softlayer-ssl-orders';
 * const records = new Map<string, SendRecord>();
 * const ledger: SendLedger = {
 *   async reserve(key, record, rule) {
 *     const holder = records.get(key);
 *     if (holder && blocks(holder, rule)) return holder;
 *     records.set(key, replacing(record, holder));
 *     return undefined;
 *   },
 *   async settle(key, intentId, settlement) {
 *     const current = records.get(key);
 *     if (!settlementApplies(current, intentId, settlement)) return undefined;
 *     const next = applySettlement(current, settlement);
 *     records.set(key, next);
 *     return next;
 *   },
 *   async release(key, intentId) {
 *     const current = records.get(key);
 *     if (current?.intentId !== intentId) return false;
 *     const previous = restoredBy(current);
 *     if (previous) records.set(key, previous);
 *     else records.delete(key);
 *     return true;
 *   },
 *   async get(key) {
 *     return records.get(key);
 *   },
 *   async list() {
 *     return [...records.values()];
 *   },
 * };
 * ```
 */
export interface SendLedger {
  /**
   * Atomically: when no record of `key` {@link blocks} under `rule`, store `record` (as
   * {@link replacing} makes it) and resolve `undefined`; otherwise store nothing and resolve the
   * record that holds the key.
   */
  reserve(key: string, record: SendRecord, rule: ReserveRule): Promise<SendRecord | undefined>;
  /**
   * Atomically: when the record of `key` has `intentId` and meets `settlement.expect` (if given: same
   * stored `state` and `settledAt`, see {@link Settlement.expect} and {@link settlementApplies}), apply
   * `settlement` ({@link applySettlement}) and resolve the new record; otherwise change nothing and
   * resolve `undefined`.
   */
  settle(key: string, intentId: string, settlement: Settlement): Promise<SendRecord | undefined>;
  /**
   * Atomically: when the record of `key` has `intentId`, put back what it replaced ({@link restoredBy})
   * or remove it, and resolve `true`; otherwise change nothing and resolve `false`. Used only when the
   * server provably did not act.
   */
  release(key: string, intentId: string): Promise<boolean>;
  /** The record of `key`, if any. */
  get(key: string): Promise<SendRecord | undefined>;
  /** Every record the store keeps, in any order (for history). */
  list(): Promise<SendRecord[]>;
}
