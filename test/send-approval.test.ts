/**
 * `approvedRecipient` and `approvalId` (issue 18 item 1): a confirmation a person gave elsewhere, checked
 * against the order as it is now, and one email per approval, across replicas sharing a ledger.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateSendError, MemorySendLedger, PreconditionFailedError } from '../src/index.js';
import { sameAddress } from '../src/send-options.js';
import {
  APPROVED,
  APPROVED_2,
  type Emulator,
  makeClient,
  PENDING,
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
  await emulator.close();
});

function changeApprover(id: number, address: string): void {
  const order = emulator.orders.find((candidate) => candidate.id === id);
  emulator.addOrders({ ...order!, approverEmailAddress: address });
}

describe('approvedRecipient', () => {
  it('sends when the order still has the approved address; the client hook is not called', async () => {
    let asked = 0;
    const { client, events } = makeClient(emulator, {
      confirm: () => {
        asked++;
        return true;
      },
    });
    const result = await client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@example.com' });
    expect(result).toMatchObject({ outcome: 'sent', recipient: 'admin@example.com' });
    expect(asked).toBe(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'send.confirmed', confirmedBy: 'approval' }),
    );
    const approver = await client.resendApproverEmail(PENDING, { approvedRecipient: 'admin@example.com' });
    expect(approver.outcome).toBe('sent');
    expect(emulator.outbox).toHaveLength(2);
  });

  it('works without any confirm hook on the client', async () => {
    const { client } = makeClient(emulator, { confirm: undefined });
    await expect(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@example.com' }),
    ).resolves.toMatchObject({ outcome: 'sent' });
  });

  it('the address changed after the approval → PreconditionFailedError naming both, no POST', async () => {
    changeApprover(APPROVED, 'new-admin@example.com');
    const { client, events } = makeClient(emulator);
    const error = await rejection(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@example.com' }),
    );
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(error).toMatchObject({
      recipient: 'new-admin@example.com',
      approvedRecipient: 'admin@example.com',
    });
    expect((error as Error).message).toContain('new-admin@example.com');
    expect((error as Error).message).toContain('not admin@example.com');
    expect(posts(emulator)).toBe(0);
    expect(sendEventTypes(events)).toEqual(['send.planned', 'send.failed']);
  });

  it('the rule: domain case-insensitive, local part exact, nothing trimmed', async () => {
    expect(sameAddress('admin@EXAMPLE.com', 'admin@example.com')).toBe(true);
    expect(sameAddress('Admin@example.com', 'admin@example.com')).toBe(false);
    expect(sameAddress('admin@example.com ', 'admin@example.com')).toBe(false);
    expect(sameAddress('a@b@example.com', 'a@b@EXAMPLE.COM')).toBe(true);
    expect(sameAddress('admin@example.com', 'admin@example.co')).toBe(false);
    const { client } = makeClient(emulator);
    await expect(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@Example.COM' }),
    ).resolves.toMatchObject({ outcome: 'sent' });
    const error = await rejection(
      client.resendFulfillmentEmail(APPROVED_2, { approvedRecipient: 'Hostmaster@example.com' }),
    );
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(posts(emulator)).toBe(1);
  });

  it('a dry run checks the address too', async () => {
    changeApprover(APPROVED, 'new-admin@example.com');
    const { client } = makeClient(emulator);
    await expect(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'admin@example.com', dryRun: true }),
    ).rejects.toBeInstanceOf(PreconditionFailedError);
    await expect(
      client.resendFulfillmentEmail(APPROVED, { approvedRecipient: 'new-admin@example.com', dryRun: true }),
    ).resolves.toMatchObject({ outcome: 'dry-run' });
  });
});

describe('approvalId: one email per approval', () => {
  it('a redelivered approval sends nothing, whatever the cooldown, force included', async () => {
    const { client } = makeClient(emulator, { sendCooldown: 0 });
    const options = { approvedRecipient: 'admin@example.com', approvalId: 'approval-42' };
    const first = await client.resendFulfillmentEmail(APPROVED, options);
    const again = await rejection(client.resendFulfillmentEmail(APPROVED, options));
    expect(again).toBeInstanceOf(DuplicateSendError);
    expect(again).toMatchObject({
      reason: 'approval-used',
      approvalId: 'approval-42',
      lastIntentId: first.intentId,
    });
    expect((again as Error).message).toContain('approval-42');
    const forced = await rejection(
      client.resendFulfillmentEmail(APPROVED, { ...options, force: { reason: 'again' } }),
    );
    expect(forced).toMatchObject({ reason: 'approval-used' });
    // A new approval of the same address is a new intent: with sendCooldown 0 it goes.
    await client.resendFulfillmentEmail(APPROVED, { ...options, approvalId: 'approval-43' });
    expect(emulator.outbox).toHaveLength(2);
    const [newest] = await client.listSendRecords();
    expect(newest).toMatchObject({ approvalId: 'approval-43', state: 'sent' });
  });

  it('an approval refused by the cooldown is not used up', async () => {
    const ledger = new MemorySendLedger();
    const { client } = makeClient(emulator, { sendLedger: ledger });
    await client.resendFulfillmentEmail(APPROVED);
    const options = { approvedRecipient: 'admin@example.com', approvalId: 'approval-7' };
    expect(await rejection(client.resendFulfillmentEmail(APPROVED, options))).toMatchObject({
      reason: 'cooldown',
    });
    expect((await ledger.list()).some((record) => record.approvalId === 'approval-7')).toBe(false);
    await expect(
      client.resendFulfillmentEmail(APPROVED, { ...options, force: { reason: 'the admin asked twice' } }),
    ).resolves.toMatchObject({ outcome: 'sent' });
  });

  it('two replicas sharing a ledger receive the same approval at once: one email', async () => {
    const ledger = new MemorySendLedger();
    const replicas = Array.from(
      { length: 4 },
      () => makeClient(emulator, { sendLedger: ledger, sendCooldown: 0 }).client,
    );
    const options = { approvedRecipient: 'admin@example.com', approvalId: 'webhook-delivery-9' };
    const settled = await Promise.allSettled(
      replicas.map((replica) => replica.resendFulfillmentEmail(APPROVED, options)),
    );
    expect(settled.filter((one) => one.status === 'fulfilled')).toHaveLength(1);
    for (const one of settled) {
      if (one.status === 'rejected') expect(one.reason).toBeInstanceOf(DuplicateSendError);
    }
    expect(posts(emulator)).toBe(1);
    expect(emulator.outbox).toHaveLength(1);
  });
});
