/**
 * The rules of the ledger contract v2 as pure functions over records: when a record blocks a new
 * reservation, whether a settlement applies, and the records a settle, a forced reservation and a
 * release produce. Every JavaScript store applies them inside its atomic step; the Redis store's Lua
 * script implements the same rules. Re-exported by src/send-ledger.ts (kept apart so that file stays
 * the contract's types and the default store).
 *
 * @module
 */
import type { ReserveRule, SendRecord, SendState, Settlement } from './send-ledger.js';

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
