/**
 * The duplicate guard with a ledger shared by two clients (standing in for two processes; the real
 * multi-process runs are in test/reliability/send-races.test.ts): the second client is refused after,
 * and while, the first one sends; records are crash-safe and keyed by API host.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemorySendLedger, type SentResult } from '../src/index.js';
import {
  APPROVED,
  APPROVED_2,
  type Emulator,
  fulfillmentKey,
  gatedFetch,
  makeClient,
  posts,
  rejection,
  startEmulator,
} from './send-fixture.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  vi.useRealTimers();
  await emulator.close();
});

describe('a ledger shared by two clients ("two processes")', () => {
  it('blocks the second client after the first sent, per order and email type', async () => {
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger }).client;
    const two = makeClient(emulator, { sendLedger: ledger }).client;
    await one.resendFulfillmentEmail(APPROVED);
    await expect(two.resendFulfillmentEmail(APPROVED)).rejects.toMatchObject({ reason: 'cooldown' });
    await expect(two.resendFulfillmentEmail(APPROVED_2)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(2);
  });

  it('refuses the second client while the first is in flight: in-flight, and force does not pass it', async () => {
    const gate = gatedFetch();
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger, fetch: gate.fetch }).client;
    const two = makeClient(emulator, { sendLedger: ledger }).client;
    const first = one.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    expect(await rejection(two.resendFulfillmentEmail(APPROVED))).toMatchObject({
      reason: 'in-flight',
      lastOutcome: 'in-flight',
    });
    const forced = await rejection(two.resendFulfillmentEmail(APPROVED, { force: { reason: 'now' } }));
    expect(forced).toMatchObject({ reason: 'in-flight' });
    expect(
      await rejection(two.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'sent', reason: 'x' })),
    ).toMatchObject({
      reason: 'in-flight',
    });
    gate.open();
    await expect(first).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });

  it('refuses a send whose person said yes after the other client sent (the reservation decides)', async () => {
    const ledger = new MemorySendLedger();
    const one = makeClient(emulator, { sendLedger: ledger }).client;
    let answer: (value: boolean) => void = () => {};
    let asked: () => void = () => {};
    const askedNow = new Promise<void>((resolve) => (asked = resolve));
    const two = makeClient(emulator, {
      sendLedger: ledger,
      confirm: () => {
        asked();
        return new Promise<boolean>((resolve) => (answer = resolve));
      },
    }).client;
    const slow = two.resendFulfillmentEmail(APPROVED);
    await askedNow;
    await one.resendFulfillmentEmail(APPROVED);
    answer(true);
    expect(await rejection(slow)).toMatchObject({ name: 'DuplicateSendError', reason: 'cooldown' });
    expect(posts(emulator)).toBe(1);
  });

  it('holds a reserved record while the POST is in flight (crash-safe), then a sent one kept for the retention', async () => {
    const gate = gatedFetch();
    const ledger = new MemorySendLedger();
    const { client } = makeClient(emulator, {
      sendLedger: ledger,
      fetch: gate.fetch,
      sendRetention: 3_600_000,
    });
    const sending = client.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    const during = await ledger.get(fulfillmentKey(emulator, APPROVED));
    expect(during).toMatchObject({
      state: 'reserved',
      recipient: 'admin@example.com',
      accountId: emulator.accountId,
    });
    gate.open();
    const result = (await sending) as SentResult;
    const after = await ledger.get(fulfillmentKey(emulator, APPROVED));
    expect(after).toMatchObject({
      intentId: result.intentId,
      state: 'sent',
      settledAt: result.sentAt.getTime(),
    });
    expect(after?.expiresAt).toBe(result.sentAt.getTime() + 3_600_000);
  });

  it('keys name the API host: the same ledger keeps two endpoints apart', async () => {
    await using other = await startEmulator();
    const ledger = new MemorySendLedger();
    await makeClient(emulator, { sendLedger: ledger }).client.resendFulfillmentEmail(APPROVED);
    await expect(
      makeClient(other, { sendLedger: ledger }).client.resendFulfillmentEmail(APPROVED),
    ).resolves.toMatchObject({
      outcome: 'sent',
    });
    const keys = (await ledger.list()).map((record) => record.key);
    expect(keys).toHaveLength(2);
    expect(keys).toContain(
      `ssl-orders/v2/${new URL(emulator.url).host}/${emulator.accountId}/${APPROVED}/FulfillmentEmail`,
    );
  });
});
