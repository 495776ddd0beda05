/** MemorySendLedger against the v2 contract suite, and its bounded growth. */
import { describe, expect, it } from 'vitest';
import { MemorySendLedger } from '../src/index.js';
import { describeLedgerContract, reservation } from './helpers/ledger-contract.js';

describeLedgerContract('MemorySendLedger', () => new MemorySendLedger());

describe('MemorySendLedger growth', () => {
  it('drops records past their expiresAt as new reservations arrive; keeps those without one', async () => {
    const ledger = new MemorySendLedger();
    const now = Date.now();
    const old = reservation({ key: 'old' }, now - 10_000);
    const unknown = reservation({ key: 'unknown' }, now - 10_000);
    const rule = { now: now - 10_000, cooldown: 0, force: false };
    await ledger.reserve(old.key, old, rule);
    await ledger.reserve(unknown.key, unknown, rule);
    await ledger.settle(old.key, old.intentId, { state: 'sent', at: now - 10_000, keepFor: 1_000 });
    await ledger.settle(unknown.key, unknown.intentId, { state: 'unknown', at: now - 10_000 });
    await ledger.reserve('new', reservation({ key: 'new' }), { now, cooldown: 0, force: false });
    expect((await ledger.list()).map((record) => record.key).sort()).toEqual(['new', 'unknown']);
  });
});
