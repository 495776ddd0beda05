/**
 * What a person records about a send (`markSendOutcome`) over the real emulator: an unknown outcome
 * blocks until then; a mark applies only to the record it read (compare-and-set), and marks the
 * send's approval with it. Every wait is on an event or a gate, never on a sleep.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MemorySendLedger, type SendLedger, SendOutcomeUnknownError } from '../src/index.js';
import {
  APPROVED,
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

describe('an unknown outcome blocks until a person acts', () => {
  it('refuses every plain send, even with sendCooldown 0, naming both ways out', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const { client } = makeClient(emulator, { sendCooldown: 0 });
    const unknown = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(unknown).toBeInstanceOf(SendOutcomeUnknownError);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toMatchObject({
      name: 'DuplicateSendError',
      reason: 'unknown-outcome',
      cooldownEndsAt: undefined,
    });
    expect((error as Error).message).toMatch(
      /markSendOutcome\(4471877, 'FulfillmentEmail'.*force: \{ reason \}/,
    );
    expect(posts(emulator)).toBe(1);
  });

  it('markSendOutcome not-sent lets the next send go; marked sent blocks for the cooldown', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after', times: 2 });
    const { client } = makeClient(emulator);
    const first = (await rejection(client.resendFulfillmentEmail(APPROVED))) as SendOutcomeUnknownError;
    const marked = await client.markSendOutcome(APPROVED, 'FulfillmentEmail', {
      outcome: 'not-sent',
      reason: 'admin saw nothing',
    });
    expect(marked).toMatchObject({
      intentId: first.intentId,
      state: 'not-sent',
      marked: true,
      reason: 'admin saw nothing',
    });
    const second = (await rejection(client.resendFulfillmentEmail(APPROVED))) as SendOutcomeUnknownError;
    expect(second).toBeInstanceOf(SendOutcomeUnknownError);
    await client.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'sent', reason: 'it arrived' });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED))).toMatchObject({ reason: 'cooldown' });
    expect(posts(emulator)).toBe(2);
    const history = await client.listSendRecords();
    expect(history.map((record) => [record.intentId, record.state])).toEqual([[second.intentId, 'sent']]);
  });

  it('markSendOutcome refuses while a send is in flight, and with nothing to mark; bad input is typed', async () => {
    const gate = gatedFetch();
    const { client } = makeClient(emulator, { fetch: gate.fetch });
    await expect(
      client.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'sent', reason: 'x' }),
    ).rejects.toMatchObject({ name: 'MarkRefusedError', reason: 'no-record' });
    const sending = client.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    await expect(
      client.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'not-sent', reason: 'x' }),
    ).rejects.toMatchObject({ name: 'MarkRefusedError', reason: 'in-flight' });
    // Another client of the same ledger sees the live reservation too.
    gate.open();
    await sending;
    for (const bad of [{ outcome: 'maybe', reason: 'x' }, { outcome: 'sent', reason: ' ' }, null]) {
      await expect(client.markSendOutcome(APPROVED, 'FulfillmentEmail', bad as never)).rejects.toMatchObject({
        name: 'InvalidArgumentError',
      });
    }
    await expect(
      client.markSendOutcome(APPROVED, 'Fulfillment' as never, { outcome: 'sent', reason: 'x' }),
    ).rejects.toMatchObject({ name: 'InvalidArgumentError', argument: 'emailType' });
  });
});

describe('a mark applies only to the record it read (compare-and-set)', () => {
  it('the owning send settles sent between the mark read and its write: refused as changed, sent kept', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const inner = new MemorySendLedger();
    const gate = gatedFetch();
    const owner = makeClient(emulator, { sendLedger: inner, fetch: gate.fetch, retry: false }).client;
    const sending = owner.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    const reserved = await inner.get(fulfillmentKey(emulator, APPROVED));
    // The POST is slow: the reservation's deadline passes, so the record reads as unknown elsewhere.
    vi.setSystemTime(reserved!.deadline + 1);
    // Another process reads the record, and the owner's answer lands before its mark is written.
    const racing: SendLedger = {
      reserve: (of, record, rule) => inner.reserve(of, record, rule),
      settle: (of, intentId, settlement) => inner.settle(of, intentId, settlement),
      release: (of, intentId) => inner.release(of, intentId),
      list: () => inner.list(),
      get: async (of) => {
        const read = await inner.get(of);
        gate.open();
        await sending;
        return read;
      },
    };
    const person = makeClient(emulator, { sendLedger: racing }).client;
    const refused = await rejection(
      person.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'not-sent', reason: 'saw nothing' }),
    );
    expect(refused).toMatchObject({ name: 'MarkRefusedError', reason: 'changed', currentState: 'sent' });
    expect((refused as Error).message).toMatch(/changed while it was being marked: it is now sent/);
    expect(await inner.get(fulfillmentKey(emulator, APPROVED))).toMatchObject({
      state: 'sent',
      marked: undefined,
    });
    expect(await rejection(owner.resendFulfillmentEmail(APPROVED))).toMatchObject({ reason: 'cooldown' });
    expect(posts(emulator)).toBe(1);
  });
});

describe('approvals and marks', () => {
  const options = { approvedRecipient: 'admin@example.com', approvalId: 'approval-9' };

  it('an unknown approved send: marking not-sent frees the approval with its email; sent uses it up', async () => {
    emulator.inject({ route: 'resend', kind: 'reset-after', times: 2 });
    const { client } = makeClient(emulator, { sendCooldown: 0 });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED, options))).toBeInstanceOf(
      SendOutcomeUnknownError,
    );
    await client.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'not-sent', reason: 'bounced' });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED, options))).toBeInstanceOf(
      SendOutcomeUnknownError,
    );
    await client.markSendOutcome(APPROVED, 'FulfillmentEmail', { outcome: 'sent', reason: 'it arrived' });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED, options))).toMatchObject({
      reason: 'approval-used',
    });
    expect(posts(emulator)).toBe(2);
  });

  it('an approval record never expires, whatever sendRetention', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now());
    const ledger = new MemorySendLedger();
    const { client } = makeClient(emulator, { sendLedger: ledger, sendCooldown: 0, sendRetention: 60_000 });
    await client.resendFulfillmentEmail(APPROVED, options);
    const approval = (await ledger.list()).find((record) => record.key.includes('/approval/'));
    expect(approval).toMatchObject({ state: 'sent', expiresAt: undefined });
    vi.setSystemTime(Date.now() + 10 * 60_000);
    // A reservation sweeps what expired: the email's record goes, the approval's stays.
    await client.resendFulfillmentEmail(APPROVED);
    expect(await rejection(client.resendFulfillmentEmail(APPROVED, options))).toMatchObject({
      reason: 'approval-used',
    });
    expect(posts(emulator)).toBe(2);
  });
});
