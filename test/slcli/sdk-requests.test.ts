/**
 * The SDK's own requests pass the checks slcli's pass: the documented REST grammar (documented.ts, with
 * the emulator's strict mask parser) and a 200 from the emulator. So the emulator cannot drift towards
 * what the SDK happens to send, nor the SDK towards what only the emulator accepts. Also: the error
 * codes of issue 17 reach the SDK as errors it does not retry.
 */
import { describe, expect, it } from 'vitest';
import { ApiError, PermissionDeniedError, ServerError, SslOrdersClient } from '../../src/index.js';
import { type Emulator, startEmulator } from '../../src/testing/index.js';
import { undocumented } from './documented.js';

function expectAccepted(emulator: Emulator): void {
  expect(emulator.requests.length).toBeGreaterThan(0);
  for (const request of emulator.requests) {
    expect({ path: request.path, problems: undocumented(request) }).toEqual({
      path: request.path,
      problems: [],
    });
    expect(request.status).toBe(200);
  }
}

describe('the SDK against the emulator', () => {
  it('sends only documented requests, which the emulator accepts: lists with filters, get, iterate, resend', async () => {
    await using emulator = await startEmulator({ orderCount: 250 });
    const client = new SslOrdersClient(
      emulator.clientOptions({ accountId: undefined, confirm: async () => true }),
    );
    const approved = await client.listOrders({ status: 'Approved', limit: 20, offset: 5 });
    expect(approved.orders.length).toBe(20);
    expect(approved.orders.every((o) => o.status?.name === 'Approved')).toBe(true);
    const byName = await client.listOrders({ commonName: 'HOST-7.example.com' });
    expect(byName.orders.map((o) => o.id)).toEqual([emulator.orders[7]!.id]);
    const seen: number[] = [];
    for await (const order of client.iterateOrders({ pageSize: 100 })) seen.push(order.id);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    const one = await client.getOrder(emulator.orders[0]!.id);
    expect(one.id).toBe(emulator.orders[0]!.id);
    await client.listStatuses();
    const fulfil = emulator.orders.find((o) => o.status?.name === 'Approved')!;
    const pending = emulator.orders.find((o) => o.status?.name === 'Pending CA Approval')!;
    await client.resendFulfillmentEmail(fulfil.id);
    await client.resendApproverEmail(pending.id);
    expect(emulator.outbox.map((e) => [e.orderId, e.emailType])).toEqual([
      [fulfil.id, 'FulfillmentEmail'],
      [pending.id, 'ApproverEmail'],
    ]);
    const methods = new Set(emulator.requests.map((r) => r.methodName));
    expect([...methods].sort()).toEqual(
      ['getObject', 'getSslCertificateRequests', 'getSslRequestStatuses', 'resendEmail'].sort(),
    );
    expect(emulator.requests.some((r) => r.query['objectFilter']?.includes('_= Approved'))).toBe(true);
    expectAccepted(emulator);
  });
});

describe('error codes the SDK does not retry, whatever the HTTP status', () => {
  it('another account id: SoftLayer_Exception_AccessDenied is a PermissionDeniedError, sent once', async () => {
    await using emulator = await startEmulator();
    const client = new SslOrdersClient(emulator.clientOptions({ accountId: 7654321 }));
    const error = await client.listOrders().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error).toMatchObject({ status: 500, code: 'SoftLayer_Exception_AccessDenied' });
    expect(emulator.count({ route: 'list' })).toBe(1);
  });

  // The SDK's masks are fixed, so a fetch wrapper swaps in a bad one: the emulator answers for real.
  it.each([
    ['mask[id,nope]', 'SoftLayer_Exception_WebService_ObjectMask'],
    ['mask[id,status[name', 'SoftLayer_Exception_Common_Parser'],
  ])('objectMask=%s: %s is a plain ApiError (not a ServerError), sent once', async (mask, code) => {
    await using emulator = await startEmulator();
    const swapMask: typeof fetch = (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      url.searchParams.set('objectMask', mask);
      return fetch(input instanceof Request ? new Request(url, input) : url, init);
    };
    const client = new SslOrdersClient(emulator.clientOptions({ fetch: swapMask }));
    const error = await client.getOrder(4471203).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).not.toBeInstanceOf(ServerError);
    expect(error).toMatchObject({ status: 500, code });
    expect(emulator.count({ route: 'get' })).toBe(1);
  });
});
