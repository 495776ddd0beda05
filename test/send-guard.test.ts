/**
 * The duplicate guard over the real emulator: concurrent duplicates in one client, the cooldown and
 * force (marks: test/send-mark.test.ts; a shared ledger: test/send-shared-ledger.test.ts). Every wait
 * is on an event or a gate, never on a sleep.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DuplicateSendError, SendOutcomeUnknownError, type SentResult } from '../src/index.js';
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
