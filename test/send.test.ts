/**
 * The resend pipeline end to end over the emulator: the confirm hook, status preconditions and dry
 * runs (results, events and option checks: test/send-results.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type ConfirmContext,
  InvalidArgumentError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
} from '../src/index.js';
import {
  APPROVED,
  CANCELED,
  COMPLETE,
  type Emulator,
  makeClient,
  PENDING,
  posts,
  rejection,
  sendEventTypes,
  startEmulator,
} from './send-fixture.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe('the confirm hook', () => {
  it('is called once, after the order is read, with the recipient the server returned', async () => {
    const original = emulator.orders.find((order) => order.id === APPROVED);
    emulator.addOrders({ ...original!, approverEmailAddress: 'new-admin@example.com' });
    const controller = new AbortController();
    const seen: { context: ConfirmContext; reads: number; posts: number }[] = [];
    const { client } = makeClient(emulator, {
      confirm: (context) => {
        seen.push({ context, reads: emulator.count({ route: 'get' }), posts: posts(emulator) });
        return true;
      },
    });
    const result = await client.resendFulfillmentEmail(APPROVED, { signal: controller.signal });
    expect(seen).toHaveLength(1);
    const [{ context, reads, posts: postsBefore }] = seen as [(typeof seen)[0]];
    expect(reads).toBe(1);
    expect(postsBefore).toBe(0);
    expect(context).toMatchObject({
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      recipient: 'new-admin@example.com',
      commonName: original!.commonName,
      status: 'Approved',
      intentId: result.intentId,
      signal: controller.signal,
    });
    expect(context.order).toMatchObject({ id: APPROVED, approverEmailAddress: 'new-admin@example.com' });
    expect(result).toMatchObject({ outcome: 'sent', recipient: 'new-admin@example.com' });
    expect(emulator.outbox).toEqual([expect.objectContaining({ recipient: 'new-admin@example.com' })]);
  });

  it('may be async', async () => {
    const { client } = makeClient(emulator, {
      confirm: () => new Promise((resolve) => setTimeout(() => resolve(true), 20)),
    });
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts(emulator)).toBe(1);
  });

  it.each([
    ['false', false],
    ['a truthy non-boolean', 'yes'],
    ['undefined', undefined],
  ])('answering %s declines: { outcome: "declined" }, 0 POSTs', async (_name, answer) => {
    const { client, events } = makeClient(emulator, { confirm: async () => answer as boolean });
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(result).toEqual({
      outcome: 'declined',
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      recipient: 'admin@example.com',
      intentId: expect.stringMatching(UUID),
    });
    expect(posts(emulator)).toBe(0);
    expect(emulator.outbox).toHaveLength(0);
    expect(sendEventTypes(events)).toEqual(['send.planned', 'send.declined']);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('prompt crashed');
      },
    ],
    [
      'rejects',
      async () => {
        throw new Error('prompt crashed');
      },
    ],
  ])('that %s propagates its error, 0 POSTs', async (_name, confirm) => {
    const { client, events } = makeClient(emulator, { confirm });
    await expect(client.resendFulfillmentEmail(APPROVED)).rejects.toThrow('prompt crashed');
    expect(posts(emulator)).toBe(0);
    expect(events.find((event) => event.type === 'send.failed')).toMatchObject({ errorName: 'Error' });
  });

  it('per-call hook overrides the client default; confirm: false skips both', async () => {
    const calls: string[] = [];
    const { client, events } = makeClient(emulator, {
      sendCooldown: 0,
      confirm: () => {
        calls.push('client');
        return true;
      },
    });
    await client.resendFulfillmentEmail(APPROVED);
    await client.resendFulfillmentEmail(APPROVED, {
      confirm: () => {
        calls.push('call');
        return true;
      },
    });
    await client.resendFulfillmentEmail(APPROVED, { confirm: false });
    expect(calls).toEqual(['client', 'call']);
    expect(posts(emulator)).toBe(3);
    const confirmed = events.filter((event) => event.type === 'send.confirmed');
    expect(confirmed.map((event) => event.type === 'send.confirmed' && event.confirmedBy)).toEqual([
      'hook',
      'hook',
      'none',
    ]);
  });

  it.each([false, true])(
    'missing everywhere → InvalidArgumentError before any request (dryRun: %s)',
    async (dryRun) => {
      const { client } = makeClient(emulator, { confirm: undefined });
      const error = await rejection(client.resendFulfillmentEmail(APPROVED, { dryRun }));
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'confirm' });
      expect(emulator.requests).toHaveLength(0);
    },
  );
});

describe('status preconditions', () => {
  it.each([
    ['FulfillmentEmail', PENDING, 'Pending CA Approval'],
    ['FulfillmentEmail', CANCELED, 'Canceled'],
    ['ApproverEmail', APPROVED, 'Approved'],
    ['ApproverEmail', COMPLETE, 'Complete'],
  ] as const)(
    '%s for order %i (%s) → PreconditionFailedError naming the status, 0 POSTs',
    async (type, id, status) => {
      let asked = 0;
      const { client, events } = makeClient(emulator, {
        confirm: () => {
          asked++;
          return true;
        },
      });
      const send =
        type === 'FulfillmentEmail' ? client.resendFulfillmentEmail(id) : client.resendApproverEmail(id);
      const error = await rejection(send);
      expect(error).toBeInstanceOf(PreconditionFailedError);
      expect(error).toMatchObject({ orderId: id, emailType: type, status });
      expect((error as Error).message).toContain(`"${status}"`);
      const planned = events.find((event) => event.type === 'send.planned');
      // Both sides must be a real id: a missing event and a missing intentId would otherwise compare equal.
      expect(planned).toMatchObject({ intentId: expect.stringMatching(UUID) });
      expect((error as PreconditionFailedError).intentId).toBe((planned as { intentId: string }).intentId);
      expect(asked).toBe(0);
      expect(posts(emulator)).toBe(0);
    },
  );

  it.each([
    ['FulfillmentEmail', APPROVED],
    ['FulfillmentEmail', COMPLETE],
    ['ApproverEmail', PENDING],
  ] as const)('%s for order %i is allowed and sent', async (type, id) => {
    const { client } = makeClient(emulator);
    const send =
      type === 'FulfillmentEmail' ? client.resendFulfillmentEmail(id) : client.resendApproverEmail(id);
    await expect(send).resolves.toMatchObject({ outcome: 'sent', emailType: type, orderId: id });
    expect(emulator.outbox).toEqual([expect.objectContaining({ orderId: id, emailType: type })]);
  });

  it('reads the status fresh for every send', async () => {
    const { client } = makeClient(emulator, { sendCooldown: 0 });
    await client.resendFulfillmentEmail(APPROVED);
    emulator.setOrderStatus(APPROVED, 'Canceled');
    await expect(client.resendFulfillmentEmail(APPROVED)).rejects.toBeInstanceOf(PreconditionFailedError);
    expect(posts(emulator)).toBe(1);
  });

  it('allowAnyStatus: true skips the check (the POST is made)', async () => {
    const { client } = makeClient(emulator);
    const preview = await client.resendFulfillmentEmail(CANCELED, { allowAnyStatus: true, dryRun: true });
    expect(preview.outcome).toBe('dry-run');
    // The emulator refuses a Canceled order with HTTP 500, which proves nothing: an unknown outcome.
    const error = await rejection(client.resendFulfillmentEmail(CANCELED, { allowAnyStatus: true }));
    expect(error).toBeInstanceOf(SendOutcomeUnknownError);
    expect(posts(emulator)).toBe(1);
  });

  it('an order without an approver address → PreconditionFailedError, even with allowAnyStatus', async () => {
    const original = emulator.orders.find((order) => order.id === APPROVED);
    const { approverEmailAddress: _dropped, ...rest } = original!;
    emulator.addOrders(rest as typeof original & object);
    const { client } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED, { allowAnyStatus: true }));
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect((error as Error).message).toContain('approverEmailAddress');
    expect(posts(emulator)).toBe(0);
  });
});

describe('dryRun', () => {
  it('does everything up to the POST and returns the request, without credentials', async () => {
    let asked = 0;
    const { client, events } = makeClient(emulator, {
      confirm: () => {
        asked++;
        return true;
      },
    });
    const result = await client.resendApproverEmail(PENDING, { dryRun: true });
    expect(result).toEqual({
      outcome: 'dry-run',
      orderId: PENDING,
      emailType: 'ApproverEmail',
      recipient: 'admin@example.com',
      intentId: expect.stringMatching(UUID),
      request: {
        method: 'POST',
        url: `${emulator.url}SoftLayer_Security_Certificate_Request/${PENDING}/resendEmail.json`,
        body: { parameters: ['ApproverEmail'] },
      },
    });
    expect(asked).toBe(1);
    expect(emulator.count({ route: 'get' })).toBe(1);
    expect(posts(emulator)).toBe(0);
    const text = JSON.stringify(result);
    expect(text).not.toContain(emulator.credentials.apiKey);
    expect(text.toLowerCase()).not.toContain('authorization');
    expect(sendEventTypes(events)).toEqual(['send.planned', 'send.confirmed', 'send.dry-run']);
    expect(events[0]).toMatchObject({ type: 'send.planned', dryRun: true });
    // A dry run leaves no trace in the duplicate guard.
    await expect(client.resendApproverEmail(PENDING)).resolves.toMatchObject({ outcome: 'sent' });
  });

  it('still honours a declining hook and the preconditions', async () => {
    const { client } = makeClient(emulator, { confirm: () => false });
    await expect(client.resendFulfillmentEmail(APPROVED, { dryRun: true })).resolves.toMatchObject({
      outcome: 'declined',
    });
    await expect(client.resendFulfillmentEmail(PENDING, { dryRun: true })).rejects.toBeInstanceOf(
      PreconditionFailedError,
    );
    expect(posts(emulator)).toBe(0);
  });
});
