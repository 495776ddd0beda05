/**
 * FileSendLedger, one operation at a time, on a real file: the blocking rule, settle/release by intent,
 * forced reservations and their restore, persistence across instances, retention, and the file's
 * permissions. Multi-process behaviour is in multi-process.test.ts.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RETENTION_MS, FileSendLedger } from '../../src/node/index.js';
import { HOUR, NOW, reservation, tempDir } from './support.js';

const rule = (now = NOW, extra: { cooldown?: number; force?: boolean } = {}) => ({
  now,
  cooldown: extra.cooldown ?? HOUR,
  force: extra.force ?? false,
});

function ledgerIn(dir: string, options: { retention?: number } = {}) {
  return new FileSendLedger({ path: join(dir, 'state', 'nested', 'ledger.json'), ...options });
}

describe('FileSendLedger operations', () => {
  it('reserves a free key, refuses a live reservation even when forced, and persists it for other instances', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    expect(await ledger.reserve('k1', reservation('k1', 'i1'), rule())).toBeUndefined();
    const holder = await ledger.reserve('k1', reservation('k1', 'i2'), rule(NOW + 1, { force: true }));
    expect(holder).toMatchObject({ key: 'k1', intentId: 'i1', state: 'reserved' });

    const other = ledgerIn(tmp.dir);
    expect(await other.get('k1')).toMatchObject({ intentId: 'i1', state: 'reserved' });
    expect(await other.reserve('k1', reservation('k1', 'i3'), rule(NOW + 2))).toMatchObject({
      intentId: 'i1',
    });
    expect((await other.list()).map((record) => record.intentId)).toEqual(['i1']);
  });

  it('creates missing directories with mode 0700 and the file with mode 0600', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    await ledger.reserve('k1', reservation('k1', 'i1'), rule());
    expect(statSync(join(tmp.dir, 'state')).mode & 0o777).toBe(0o700);
    expect(statSync(join(tmp.dir, 'state', 'nested')).mode & 0o777).toBe(0o700);
    expect(statSync(ledger.path).mode & 0o777).toBe(0o600);
    const text = readFileSync(ledger.path, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 2, records: [{ key: 'k1', intentId: 'i1' }] });
  });

  it('settles only its own intent, and a sent record blocks within the cooldown unless forced', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    await ledger.reserve('k1', reservation('k1', 'i1'), rule());
    expect(await ledger.settle('k1', 'other', { state: 'sent', at: NOW + 10 })).toBeUndefined();
    expect(await ledger.get('k1')).toMatchObject({ state: 'reserved' });
    expect(await ledger.settle('missing', 'i1', { state: 'sent', at: NOW + 10 })).toBeUndefined();

    const sent = await ledger.settle('k1', 'i1', { state: 'sent', at: NOW + 10, keepFor: HOUR });
    expect(sent).toMatchObject({ state: 'sent', settledAt: NOW + 10, expiresAt: NOW + 10 + HOUR });
    expect(await ledger.get('k1')).toEqual(sent);

    expect(await ledger.reserve('k1', reservation('k1', 'i2'), rule(NOW + HOUR - 1))).toMatchObject({
      intentId: 'i1',
      state: 'sent',
    });
    // Past the cooldown the key is free again; the new reservation replaces the sent record.
    expect(await ledger.reserve('k1', reservation('k1', 'i2', NOW + HOUR + 11), rule(NOW + HOUR + 11))).toBe(
      undefined,
    );
    expect(await ledger.get('k1')).toMatchObject({ intentId: 'i2', state: 'reserved' });
  });

  it('an unknown record, or a reservation past its deadline, blocks until forced; release restores what a forced send replaced', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    await ledger.reserve('k1', reservation('k1', 'i1'), rule());
    const afterDeadline = NOW + 60_001;
    expect(
      await ledger.reserve('k1', reservation('k1', 'i2', afterDeadline), rule(afterDeadline)),
    ).toMatchObject({ intentId: 'i1' });
    expect(
      await ledger.reserve(
        'k1',
        reservation('k1', 'i2', afterDeadline),
        rule(afterDeadline, { force: true }),
      ),
    ).toBeUndefined();
    const forced = await ledger.get('k1');
    expect(forced).toMatchObject({ intentId: 'i2', replaced: { intentId: 'i1', state: 'reserved' } });

    expect(await ledger.release('k1', 'i1')).toBe(false);
    expect(await ledger.release('k1', 'i2')).toBe(true);
    const restored = await ledger.get('k1');
    expect(restored).toMatchObject({ intentId: 'i1', state: 'reserved' });
    expect(restored?.replaced).toBeUndefined();

    await ledger.settle('k1', 'i1', { state: 'unknown', at: afterDeadline });
    const muchLater = NOW + 400 * 24 * HOUR;
    expect(await ledger.reserve('k1', reservation('k1', 'i3', muchLater), rule(muchLater))).toMatchObject({
      state: 'unknown',
    });
  });

  it('a not-sent record never blocks and is not kept as the replaced record', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    await ledger.reserve('k1', reservation('k1', 'i1'), rule());
    await ledger.settle('k1', 'i1', { state: 'not-sent', at: NOW + 1, reason: 'bounced', marked: true });
    expect(await ledger.reserve('k1', reservation('k1', 'i2', NOW + 2), rule(NOW + 2))).toBeUndefined();
    const record = await ledger.get('k1');
    expect(record).toMatchObject({ intentId: 'i2' });
    expect(record?.replaced).toBeUndefined();
    expect(await ledger.release('k1', 'i2')).toBe(true);
    expect(await ledger.get('k1')).toBeUndefined();
    expect(await ledger.list()).toEqual([]);
  });

  it('keeps Infinity deadlines and expiries meaningful across the JSON round trip', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir);
    await ledger.reserve('k1', reservation('k1', 'i1', NOW, { deadline: Number.POSITIVE_INFINITY }), rule());
    const later = NOW + 10_000 * 24 * HOUR;
    expect(
      await ledger.reserve('k1', reservation('k1', 'i2', later), rule(later, { force: true })),
    ).toMatchObject({ state: 'reserved', intentId: 'i1' });
    await ledger.settle('k1', 'i1', { state: 'sent', at: NOW, keepFor: Number.POSITIVE_INFINITY });
    const stored = await ledger.get('k1');
    expect(stored?.expiresAt).toBeUndefined();
    const rule2 = rule(later, { cooldown: Number.POSITIVE_INFINITY });
    expect(await ledger.reserve('k2', reservation('k2', 'i9', later), rule2)).toBeUndefined();
    expect(await ledger.reserve('k1', reservation('k1', 'i3', later), rule2)).toMatchObject({
      state: 'sent',
    });
  });

  it('serialises concurrent operations of many instances in one process: one winner per key', async () => {
    using tmp = tempDir();
    const ledgers = Array.from({ length: 5 }, () => ledgerIn(tmp.dir));
    const attempts = ledgers.flatMap((ledger, i) =>
      ['a', 'b', 'c'].map(async (key) => ({
        key,
        won: (await ledger.reserve(key, reservation(key, `${key}-${i}`), rule())) === undefined,
      })),
    );
    const results = await Promise.all(attempts);
    for (const key of ['a', 'b', 'c']) {
      expect(results.filter((result) => result.key === key && result.won)).toHaveLength(1);
    }
    expect(await ledgers[0]!.list()).toHaveLength(3);
  });
});

describe('FileSendLedger retention', () => {
  const DAY = 24 * HOUR;

  it('defaults to 90 days', () => {
    using tmp = tempDir();
    expect(ledgerIn(tmp.dir).retention).toBe(90 * DAY);
    expect(DEFAULT_RETENTION_MS).toBe(90 * DAY);
  });

  it('drops settled records once retention and expiresAt have passed; keeps unknown, reserved and no-expiry sent records', async () => {
    using tmp = tempDir();
    const ledger = ledgerIn(tmp.dir, { retention: 10 * DAY });
    const settleAs = async (key: string, state: 'sent' | 'unknown' | 'not-sent', keepFor?: number) => {
      await ledger.reserve(key, reservation(key, key), rule());
      await ledger.settle(key, key, { state, at: NOW, keepFor });
    };
    await settleAs('sent-1h', 'sent', HOUR);
    await settleAs('sent-20d', 'sent', 20 * DAY);
    await settleAs('sent-forever', 'sent');
    await settleAs('unknown', 'unknown');
    await settleAs('not-sent', 'not-sent');
    await ledger.reserve('reserved', reservation('reserved', 'reserved'), rule());

    const keys = async () => (await ledger.list()).map((record) => record.key).sort();
    // Past expiresAt but within retention: kept for history.
    await ledger.reserve('probe-1', reservation('probe-1', 'p1'), rule(NOW + 2 * DAY));
    expect(await keys()).toContain('sent-1h');
    // Past retention: the 1-hour record and the not-sent one go; the 20-day expiry still holds.
    const day11 = NOW + 11 * DAY;
    await ledger.reserve('probe-2', reservation('probe-2', 'p2', day11), rule(day11));
    expect(await keys()).toEqual(['probe-1', 'probe-2', 'reserved', 'sent-20d', 'sent-forever', 'unknown']);
    const day21 = NOW + 21 * DAY;
    await ledger.reserve('probe-3', reservation('probe-3', 'p3', day21), rule(day21));
    expect(await keys()).not.toContain('sent-20d');
    expect(await keys()).toEqual(expect.arrayContaining(['reserved', 'sent-forever', 'unknown']));
  });
});
