/**
 * The resend pipeline end to end over the emulator: what a send returns, the events it emits (no
 * secret in any), and the option checks made before any request.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidArgumentError, type SslOrdersEvent } from '../src/index.js';
import {
  APPROVED,
  type Emulator,
  makeClient,
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

describe('results and events', () => {
  it('a success returns exactly { outcome, orderId, emailType, recipient, intentId, sentAt }', async () => {
    const { client } = makeClient(emulator);
    const before = Date.now();
    const result = await client.resendFulfillmentEmail(APPROVED);
    expect(Object.keys(result).sort()).toEqual(
      ['emailType', 'intentId', 'orderId', 'outcome', 'recipient', 'sentAt'].sort(),
    );
    expect(result).toMatchObject({
      outcome: 'sent',
      orderId: APPROVED,
      emailType: 'FulfillmentEmail',
      recipient: 'admin@example.com',
    });
    expect(result.intentId).toMatch(UUID);
    const sentAt = result.outcome === 'sent' ? result.sentAt.getTime() : 0;
    expect(sentAt).toBeGreaterThanOrEqual(before);
    expect(sentAt).toBeLessThanOrEqual(Date.now());
  });

  it('intentId is fresh per call and in every event of that call, in order', async () => {
    const { client, events } = makeClient(emulator, { sendCooldown: 0 });
    const first = await client.resendFulfillmentEmail(APPROVED);
    const second = await client.resendFulfillmentEmail(APPROVED);
    expect(first.intentId).not.toBe(second.intentId);
    for (const result of [first, second]) {
      const own = events.filter((event) => 'intentId' in event && event.intentId === result.intentId);
      expect(own.map((event) => event.type)).toEqual([
        'send.planned',
        'send.confirmed',
        'send.dispatched',
        'send.sent',
      ]);
      let last = 0;
      for (const event of own as Extract<SslOrdersEvent, { intentId: string }>[]) {
        expect(event).toMatchObject({ orderId: APPROVED, emailType: 'FulfillmentEmail' });
        expect(event.elapsedMs).toBeGreaterThanOrEqual(last);
        last = event.elapsedMs;
      }
    }
    expect(sendEventTypes(events)).toHaveLength(8);
  });

  it('no event or error carries a secret, whatever happens', async () => {
    const { apiKey, username } = emulator.credentials;
    const basic = btoa(`${username}:${apiKey}`);
    const { client, events } = makeClient(emulator, { sendCooldown: 0 });
    await client.resendFulfillmentEmail(APPROVED);
    emulator.inject({ route: 'resend', kind: 'server-error', status: 401 });
    const refused = await rejection(client.resendFulfillmentEmail(APPROVED));
    await client.resendFulfillmentEmail(APPROVED, { dryRun: true });
    emulator.inject({ route: 'resend', kind: 'reset-after' });
    const unknown = await rejection(client.resendFulfillmentEmail(APPROVED));
    const text = JSON.stringify([events, refused, unknown]) + String(refused) + String(unknown);
    for (const secret of [apiKey, basic]) expect(text).not.toContain(secret);
    expect(sendEventTypes(events)).toContain('send.outcome-unknown');
  });
});

describe('argument checks, before any request', () => {
  it.each([
    ['retry', { retry: { maxRetries: 3 } }],
    ['dryrun', { dryrun: true }],
    ['confirm', { confirm: 'yes' }],
    ['signal', { signal: {} }],
    ['dryRun', { dryRun: 'true' }],
    ['allowAnyStatus', { allowAnyStatus: 1 }],
    ['force', { force: true }],
    ['force', { force: { reason: '  ' } }],
    ['timeout', { timeout: -1 }],
    ['approvedRecipient', { approvedRecipient: 'not an address' }],
    ['approvedRecipient', { approvedRecipient: '@example.com' }],
    ['approvalId', { approvalId: 'a-1' }],
    ['approvalId', { approvedRecipient: 'admin@example.com', approvalId: 'bad\nid' }],
    ['confirm', { approvedRecipient: 'admin@example.com', confirm: () => true }],
    ['confirm', { approvedRecipient: 'admin@example.com', confirm: false }],
  ])('option %s → InvalidArgumentError', async (argument, options) => {
    const { client } = makeClient(emulator);
    const error = await rejection(client.resendFulfillmentEmail(APPROVED, options as never));
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ argument });
    expect(emulator.requests).toHaveLength(0);
  });

  it.each([0, -5, 1.5, '4471877', Number.NaN, null])('order id %s → InvalidArgumentError', async (id) => {
    const { client, events } = makeClient(emulator);
    await expect(client.resendApproverEmail(id as never)).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(emulator.requests).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it('retry is refused with a reason', async () => {
    const { client } = makeClient(emulator);
    await expect(client.resendFulfillmentEmail(APPROVED, { retry: false } as never)).rejects.toThrow(
      /provably did not act/,
    );
  });
});
