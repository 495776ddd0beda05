/**
 * The CLI's pure parts: which ledger the flags and environment pick, the history view, the progress
 * bar, and the status match.
 */
import { describe, expect, it } from 'vitest';
import { historyEntries } from '../../src/cli/commands/history.js';
import { chooseLedger, redactUrl } from '../../src/cli/ledger.js';
import { barText, clock } from '../../src/cli/progress.js';
import { DOCUMENTED_STATUSES, matchStatus } from '../../src/cli/statuses.js';
import { SEND_RECORD_FORMAT, type SendRecord } from '../../src/index.js';

describe('chooseLedger', () => {
  it('--ledger, else SSL_ORDERS_LEDGER, else memory for --emulator, else the default file', () => {
    const env = { SSL_ORDERS_LEDGER: '/srv/ledger.json' };
    expect(chooseLedger({ ledger: 'redis://cache:6379', emulator: false }, env)).toEqual({
      kind: 'redis',
      url: 'redis://cache:6379',
    });
    expect(chooseLedger({ ledger: undefined, emulator: false }, env)).toEqual({
      kind: 'file',
      path: '/srv/ledger.json',
    });
    expect(chooseLedger({ ledger: undefined, emulator: true }, {})).toMatchObject({ kind: 'memory' });
    expect(chooseLedger({ ledger: undefined, emulator: false }, {})).toEqual({
      kind: 'file',
      path: undefined,
    });
    expect(chooseLedger({ ledger: 'rediss://u:pw@db:6380/0', emulator: true }, {})).toMatchObject({
      kind: 'redis',
    });
  });

  it('another URL scheme is a usage error that never shows a password', () => {
    expect(() =>
      chooseLedger({ ledger: undefined, emulator: false }, { SSL_ORDERS_LEDGER: 'https://u:s3cret@x/y' }),
    ).toThrow(/^SSL_ORDERS_LEDGER takes a file path or a redis:\/\/ or rediss:\/\/ URL/);
    try {
      chooseLedger({ ledger: 'mysql://root:s3cret@db/x', emulator: false }, {});
    } catch (error) {
      expect(String(error)).not.toContain('s3cret');
    }
    expect(redactUrl('rediss://default:s3cret@db.example.com:6380/0')).toBe(
      'rediss://default:***@db.example.com:6380/0',
    );
    expect(redactUrl('redis://:s3cret@localhost')).toBe('redis://***@localhost');
    expect(redactUrl('redis://localhost:6379')).toBe('redis://localhost:6379');
  });
});

function record(overrides: Partial<SendRecord>): SendRecord {
  return {
    format: SEND_RECORD_FORMAT,
    key: `k${overrides.orderId ?? 1}`,
    intentId: `intent-${overrides.orderId ?? 1}`,
    orderId: 1,
    emailType: 'FulfillmentEmail',
    endpoint: '127.0.0.1:4010',
    accountId: 1234567,
    recipient: 'admin@example.com',
    state: 'sent',
    reservedAt: 0,
    deadline: 60_000,
    ...overrides,
  };
}

describe('historyEntries', () => {
  const day = 86_400_000;
  const now = 200 * day;
  const records = [
    record({ orderId: 1, reservedAt: now - 5 * day, settledAt: now - 5 * day }),
    record({
      orderId: 2,
      reservedAt: now - 1 * day,
      settledAt: now - 1 * day,
      forced: true,
      reason: 'lost it',
    }),
    record({ orderId: 3, state: 'unknown', reservedAt: now - 150 * day, settledAt: now - 150 * day }),
    record({ orderId: 4, reservedAt: now - 120 * day, settledAt: now - 120 * day }),
    record({ orderId: 5, state: 'reserved', reservedAt: now - 1000, deadline: now + 60_000 }),
    record({ orderId: 6, state: 'reserved', reservedAt: now - 3 * day, deadline: now - 3 * day + 60_000 }),
  ];

  it('newest first; settled records past the retention dropped; blocking ones always kept', () => {
    const entries = historyEntries(records, { retentionMs: 90 * day, now });
    expect(entries.map((entry) => entry.orderId)).toEqual([5, 2, 6, 1, 3]);
    expect(entries.map((entry) => entry.outcome)).toEqual([
      'in-flight',
      'sent',
      'unknown',
      'sent',
      'unknown',
    ]);
    expect(entries[1]).toMatchObject({
      forced: true,
      reason: 'lost it',
      time: new Date(now - day).toISOString(),
    });
  });

  it('--order keeps one order; a shorter retention drops more', () => {
    expect(
      historyEntries(records, { orderId: 2, retentionMs: 90 * day, now }).map((entry) => entry.orderId),
    ).toEqual([2]);
    expect(historyEntries(records, { retentionMs: 2 * day, now }).map((entry) => entry.orderId)).toEqual([
      5, 2, 6, 3,
    ]);
  });
});

describe('the progress bar', () => {
  it('shows done/total, the counts and an ETA from the average so far', () => {
    expect(barText(5, 10, 'sent 5', 5_000, 80)).toBe(
      `[${'#'.repeat(15)}${'-'.repeat(15)}] 5/10  sent 5  ETA 0:05`,
    );
    expect(barText(10, 10, 'sent 10', 9_000, 80)).toBe(`[${'#'.repeat(30)}] 10/10  sent 10`);
    expect(barText(0, 10, 'sent 0', 0, 80)).not.toContain('ETA');
    expect(barText(1, 400, 'sent 1 · skipped 0', 1_000, 40).length).toBeLessThanOrEqual(39);
  });

  it('clock', () => {
    expect(clock(75)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
  });
});

describe('matchStatus', () => {
  it('matches in any case and returns the canonical name', () => {
    expect(matchStatus('pending ca approval', DOCUMENTED_STATUSES, 'list')).toBe('Pending CA Approval');
  });

  it('suggests the closest name for a typo, and lists every name', () => {
    expect(() => matchStatus('Aproved', DOCUMENTED_STATUSES, 'list')).toThrow(
      'unknown status "Aproved"; did you mean Approved? The statuses are: Approved, Complete, Pending CA Approval, Canceled',
    );
    expect(() => matchStatus('Cancelled', DOCUMENTED_STATUSES, 'list')).toThrow('did you mean Canceled?');
    expect(() => matchStatus('zzz', DOCUMENTED_STATUSES, 'list')).toThrow(
      /^unknown status "zzz"; The statuses are/,
    );
  });
});
