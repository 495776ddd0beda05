/**
 * The duplicate guard over the real emulator: concurrent duplicates in one client, the cooldown, an
 * unknown outcome and how a person clears it, force, and a ledger shared by two clients (standing in
 * for two processes). Every wait is on an event or a gate, never on a sleep.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DuplicateSendError,
  MemorySendLedger,
  SendOutcomeUnknownError,
  type SentResult,
} from '../src/index.js';
import { ledgerKey } from '../src/send-guard.js';
import {
  APPROVED,
  APPROVED_2,
  type Emulator,
  gatedFetch,
  makeClient,
  posts,
  rejection,
  sendEventTypes,
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

const key = (orderId: number) =>
  ledgerKey(new URL(emulator.url).host, emulator.accountId, orderId, 'FulfillmentEmail');

describe('a concurrent duplicate in one client: its own options, and what the first send did', () => {
  it('waits for the first send; after it sent, is refused for the cooldown without being asked', async () => {
    const gate = gatedFetch();
    let asked = 0;
    const { client } = makeClient(emulator, { fetch: gate.fetch });
    const first = client.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    const second = client.resendFulfillmentEmail(APPROVED, {
      confirm: () => {
        asked++;
        return true;
      },
    });
    gate.open();
    const sent = (await first) as SentResult;
    const error = await rejection(second);
    expect(error).toBeInstanceOf(DuplicateSendError);
    expect(error).toMatchObject({
      reason: 'cooldown',
      lastIntentId: sent.intentId,
      recipient: 'admin@example.com',
    });
    expect(asked).toBe(0);
    expect(posts(emulator)).toBe(1);
  });

  it('after the first send was provably refused, sends on its own (the first one s failure is not shared)', async () => {
    const gate = gatedFetch();
    emulator.inject({ route: 'resend', kind: 'server-error', status: 403 });
    const { client } = makeClient(emulator, { fetch: gate.fetch });
    const first = client.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    const second = client.resendFulfillmentEmail(APPROVED);
    gate.open();
    expect((await rejection(first)) as Error).toMatchObject({ name: 'PermissionDeniedError' });
    await expect(second).resolves.toMatchObject({ outcome: 'sent' });
    expect(emulator.outbox).toHaveLength(1);
  });

  it('the first caller aborting after dispatch gives the joiner unknown-outcome, not the abort reason; force sends', async () => {
    const gate = gatedFetch();
    const { client } = makeClient(emulator, { fetch: gate.fetch });
    const controller = new AbortController();
    const first = client.resendFulfillmentEmail(APPROVED, { signal: controller.signal });
    await gate.reached;
    const plain = client.resendFulfillmentEmail(APPROVED);
    controller.abort(new Error('first caller gave up'));
    expect(await rejection(first)).toBeInstanceOf(SendOutcomeUnknownError);
    const error = await rejection(plain);
    expect(error).toBeInstanceOf(DuplicateSendError);
    expect(error).toMatchObject({
      reason: 'unknown-outcome',
      lastOutcome: 'unknown',
      cooldownEndsAt: undefined,
    });
    gate.open();
    const forced = client.resendFulfillmentEmail(APPROVED, { force: { reason: 'the first was cancelled' } });
    await expect(forced).resolves.toMatchObject({ outcome: 'sent' });
    // The aborted POST never reached the emulator (it was held at the gate); the forced one did.
    expect(posts(emulator)).toBe(1);
  });

  it('a joiner that aborts stops waiting with its own reason and does not cancel the first send', async () => {
    const gate = gatedFetch();
    const controller = new AbortController();
    const reason = new Error('gave up');
    let reads = 0;
    // The joiner's read is the second one: once it is answered, the joiner goes on to wait for the first.
    const onEvent = (event: { type: string }) => {
      if (event.type === 'response' && ++reads === 2) controller.abort(reason);
    };
    const { client } = makeClient(emulator, { fetch: gate.fetch, onEvent });
    const first = client.resendFulfillmentEmail(APPROVED);
    await gate.reached;
    const joined = client.resendFulfillmentEmail(APPROVED, { signal: controller.signal });
    expect(await rejection(joined)).toBe(reason);
    gate.open();
    await expect(first).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });

  it('different orders and email types run side by side', async () => {
    const { client } = makeClient(emulator);
    const results = await Promise.all([
      client.resendFulfillmentEmail(APPROVED),
      client.resendFulfillmentEmail(APPROVED_2),
      client.resendApproverEmail(4502244),
      client.resendFulfillmentEmail(4471203, { dryRun: true }),
    ]);
    expect(results.map((result) => result.outcome).sort()).toEqual(['dry-run', 'sent', 'sent', 'sent']);
    expect(posts(emulator)).toBe(3);
  });
});

describe('the cooldown', () => {
  it('refuses a second send naming the first: who, when, which intent, both ways out; nobody asked', async () => {
    let asked = 0;
    const { client, events } = makeClient(emulator, {
      sendCooldown: 60_000,
      confirm: () => {
        asked++;
        return true;
      },
    });
    const first = (await client.resendFulfillmentEmail(APPROVED)) as SentResult;
    const error = await rejection(client.resendFulfillmentEmail(APPROVED));
    expect(error).toBeInstanceOf(DuplicateSendError);
    const duplicate = error as DuplicateSendError;
    expect(duplicate).toMatchObject({
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      reason: 'cooldown',
      recipient: 'admin@example.com',
      lastIntentId: first.intentId,
      lastOutcome: 'sent',
    });
    expect(duplicate.lastSentAt.getTime()).toBe(first.sentAt.getTime());
    expect(duplicate.cooldownEndsAt?.getTime()).toBe(first.sentAt.getTime() + 60_000);
    expect(duplicate.message).toContain('admin@example.com');
    expect(duplicate.message).toContain(first.intentId);
    expect(duplicate.message).toContain('force: { reason }');
    expect(duplicate.message).toContain('markSendOutcome(');
    expect(duplicate.intentId).not.toBe(first.intentId);
    expect(asked).toBe(1);
    expect(posts(emulator)).toBe(1);
    expect(sendEventTypes(events, duplicate.intentId)).toEqual([
      'send.planned',
      'send.suppressed',
      'send.failed',
    ]);
  });

  it.each([
    ['declined', () => ({ confirm: () => false })],
    [
      'refused with 403',
      () => {
        emulator.inject({ route: 'resend', kind: 'server-error', status: 403 });
        return {};
      },
    ],
    [
      'rate-limited to the end',
      () => {
        emulator.inject({ route: 'resend', kind: 'rate-limit', times: 3 });
        return {};
      },
    ],
    ['dry-run', () => ({ dryRun: true })],
  ])('does not follow a send that was %s', async (_name, setUp) => {
    const { client } = makeClient(emulator);
    await client.resendFulfillmentEmail(APPROVED, setUp()).catch(() => undefined);
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(emulator.outbox).toHaveLength(1);
    expect(await client.listSendRecords()).toHaveLength(1);
  });

  it('force: { reason } passes it, and the reason is kept in the ledger', async () => {
    const { client } = makeClient(emulator);
    await client.resendFulfillmentEmail(APPROVED);
    const again = await client.resendFulfillmentEmail(APPROVED, {
      force: { reason: 'admin lost the email' },
    });
    expect(again.outcome).toBe('sent');
    expect(emulator.outbox).toHaveLength(2);
    const [newest] = await client.listSendRecords();
    expect(newest).toMatchObject({
      intentId: again.intentId,
      state: 'sent',
      forced: true,
      reason: 'admin lost the email',
    });
  });

  it('ends when the cooldown has passed (clock moved, no sleep); 0 lets a sent email go again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { client } = makeClient(emulator, { sendCooldown: 60_000 });
    await client.resendFulfillmentEmail(APPROVED);
    vi.setSystemTime(Date.now() + 59_000);
    await expect(client.resendFulfillmentEmail(APPROVED)).rejects.toBeInstanceOf(DuplicateSendError);
    vi.setSystemTime(Date.now() + 2_000);
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    const off = makeClient(emulator, { sendCooldown: 0 }).client;
    await off.resendFulfillmentEmail(APPROVED_2);
    await off.resendFulfillmentEmail(APPROVED_2);
    expect(emulator.outbox).toHaveLength(4);
  });
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
    const during = await ledger.get(key(APPROVED));
    expect(during).toMatchObject({
      state: 'reserved',
      recipient: 'admin@example.com',
      accountId: emulator.accountId,
    });
    gate.open();
    const result = (await sending) as SentResult;
    const after = await ledger.get(key(APPROVED));
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
