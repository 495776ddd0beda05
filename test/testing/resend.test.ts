import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { call } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const resend = (id: number | string, emailType: unknown, path = 'resendEmail.json') =>
  call(emulator, `SoftLayer_Security_Certificate_Request/${id}/${path}`, {
    body: { parameters: [emailType] },
  });

describe('resendEmail', () => {
  it('sends the fulfillment email of an Approved or Complete order to the approver and answers true', async () => {
    const before = Date.now();
    const res = await resend(4471877, 'FulfillmentEmail');
    expect(res.status).toBe(200);
    expect(res.text).toBe('true');
    expect(emulator.outbox).toEqual([
      {
        orderId: 4471877,
        emailType: 'FulfillmentEmail',
        recipient: 'admin@example.com',
        commonName: 'shop.example.com',
        at: expect.any(String),
        requestId: emulator.requests.at(-1)!.requestId,
      },
    ]);
    expect(Date.parse(emulator.outbox[0]!.at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await resend(4471203, 'FulfillmentEmail')).text).toBe('true');
    expect(emulator.outbox.map((e) => e.orderId)).toEqual([4471877, 4471203]);
  });

  it('sends the approver email only while the order is pending', async () => {
    expect((await resend(4502244, 'ApproverEmail')).text).toBe('true');
    expect(emulator.outbox[0]).toMatchObject({ emailType: 'ApproverEmail', recipient: 'admin@example.com' });
    const refused = await resend(4471877, 'ApproverEmail');
    expect(refused.status).toBe(500);
    expect(refused.json).toMatchObject({
      code: 'SoftLayer_Exception_Public',
      error: expect.stringContaining("'Approved'"),
    });
    expect(emulator.outbox).toHaveLength(1);
  });

  it.each([
    [4502244, 'Pending CA Approval'],
    [4433012, 'Canceled'],
  ])(
    'refuses the fulfillment email of order %i (%s) with a message naming the status',
    async (id, status) => {
      const res = await resend(id, 'FulfillmentEmail');
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({
        code: 'SoftLayer_Exception_Public',
        error: expect.stringContaining(`'${status}'`),
      });
      expect(emulator.outbox).toHaveLength(0);
    },
  );

  it('follows status changes made with setOrderStatus', async () => {
    emulator.setOrderStatus(4502244, 'Approved');
    expect((await resend(4502244, 'FulfillmentEmail')).status).toBe(200);
    const order = emulator.orders.find((o) => o.id === 4502244)!;
    expect(order).toMatchObject({ statusId: 2, effectiveDate: expect.stringMatching(/-06:00$/) });
    expect(() => emulator.setOrderStatus(1, 'Approved')).toThrow();
  });

  it.each([['fulfillmentemail'], ['SomethingElse'], [42], [null]])(
    'rejects the email type %j with 500',
    async (type) => {
      const res = await resend(4471877, type);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_Public' });
      expect(emulator.outbox).toHaveLength(0);
    },
  );

  it('rejects a call without parameters, or through GET (whose body is ignored)', async () => {
    expect(
      (await call(emulator, 'SoftLayer_Security_Certificate_Request/4471877/resendEmail.json', { body: {} }))
        .status,
    ).toBe(500);
    expect(
      (
        await call(emulator, 'SoftLayer_Security_Certificate_Request/4471877/resendEmail.json', {
          method: 'GET',
        })
      ).status,
    ).toBe(500);
    expect(emulator.outbox).toHaveLength(0);
  });

  it('answers an unknown order with 404', async () => {
    const res = await resend(999, 'FulfillmentEmail');
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_ObjectNotFound' });
  });

  it('accepts the URL without .json and is counted per route', async () => {
    await resend(4471877, 'FulfillmentEmail', 'resendEmail');
    await resend(4471203, 'Bad');
    expect(emulator.outbox).toHaveLength(1);
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(2);
    expect(emulator.count({ route: 'resend', status: 200 })).toBe(1);
  });
});
