/**
 * Request forms SLDN documents beyond the common ones (parameters in the URL, dates read in a time
 * zone), and the points SLDN leaves open, which the emulator makes configurable (issue 17).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, SSL_REQUEST_STATUSES, startEmulator } from '../../src/testing/index.js';
import { call, q } from './helpers.js';

const SSL = 'SoftLayer_Security_Certificate_Request';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

describe('parameters of simple types in the URL (SLDN REST article)', () => {
  it('resendEmail/FulfillmentEmail.json sends, with POST or GET', async () => {
    const post = await call(emulator, `${SSL}/4471877/resendEmail/FulfillmentEmail.json`, { method: 'POST' });
    expect(post.status).toBe(200);
    expect(post.json).toBe(true);
    const get = await call(emulator, `${SSL}/4502244/resendEmail/ApproverEmail`);
    expect(get.json).toBe(true);
    expect(emulator.outbox.map((e) => [e.orderId, e.emailType])).toEqual([
      [4471877, 'FulfillmentEmail'],
      [4502244, 'ApproverEmail'],
    ]);
    expect(emulator.requests.map((r) => [r.methodName, r.id])).toEqual([
      ['resendEmail', 4471877],
      ['resendEmail', 4502244],
    ]);
  });

  it('getSslCertificateRequests/1234567.json lists, and other ids are refused', async () => {
    const res = await call(
      emulator,
      `${SSL}/getSslCertificateRequests/1234567.json${q({ objectMask: 'id' })}`,
    );
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(12);
    const other = await call(emulator, `${SSL}/getSslCertificateRequests/7654321.json`);
    expect(other.json).toEqual({ error: 'Access Denied.', code: 'SoftLayer_Exception_AccessDenied' });
  });

  it('checks URL parameters like body parameters', async () => {
    const bad = await call(emulator, `${SSL}/4471877/resendEmail/Fulfillment.json`);
    expect(bad.status).toBe(500);
    expect(bad.json).toMatchObject({ error: expect.stringContaining('Invalid email type "Fulfillment"') });
    const both = await call(emulator, `${SSL}/4471877/resendEmail/FulfillmentEmail.json`, {
      body: { parameters: ['FulfillmentEmail'] },
    });
    expect(both.status).toBe(500);
    expect(emulator.outbox).toEqual([]);
  });
});

describe('filter dates without an offset', () => {
  const isDate = (date: string) =>
    q({
      objectMask: 'id',
      objectFilter: { expirationDate: { operation: 'isDate', options: [{ name: 'date', value: [date] }] } },
    });

  it('are read in filterTimeZone (default America/Chicago)', async () => {
    const central = await call(
      emulator,
      `${SSL}/getSslCertificateRequests/1234567.json${isDate('11/03/2024')}`,
    );
    expect(central.json).toEqual([{ id: 4471203 }]);
    await using tokyo = await startEmulator({ filterTimeZone: 'Asia/Tokyo' });
    expect(tokyo.state.filterTimeZone).toBe('Asia/Tokyo');
    const there = await call(tokyo, `${SSL}/getSslCertificateRequests/1234567.json${isDate('11/04/2024')}`);
    expect(there.json).toEqual([{ id: 4471203 }]);
    expect(
      (await call(tokyo, `${SSL}/getSslCertificateRequests/1234567.json${isDate('11/03/2024')}`)).json,
    ).toEqual([]);
  });

  it('refuses an unknown zone up front, naming the option', async () => {
    await expect(startEmulator({ filterTimeZone: 'Mars/Olympus' })).rejects.toThrow(
      /filterTimeZone "Mars\/Olympus" is not a time zone/,
    );
  });
});

describe('what SLDN leaves open is configurable', () => {
  it('resendInWrongStatus: error (default), false, or send', async () => {
    const wrong = (target: Emulator) =>
      call(target, `${SSL}/4502244/resendEmail.json`, { body: { parameters: ['FulfillmentEmail'] } });
    const error = await wrong(emulator);
    expect(error.status).toBe(500);
    expect(error.json).toMatchObject({ code: 'SoftLayer_Exception_Public' });
    expect(emulator.outbox).toHaveLength(0);

    await using answersFalse = await startEmulator({ resendInWrongStatus: 'false' });
    const no = await wrong(answersFalse);
    expect([no.status, no.json]).toEqual([200, false]);
    expect(answersFalse.outbox).toHaveLength(0);

    await using sends = await startEmulator({ resendInWrongStatus: 'send' });
    const yes = await wrong(sends);
    expect([yes.status, yes.json]).toEqual([200, true]);
    expect(sends.outbox.map((e) => e.orderId)).toEqual([4502244]);
  });

  it('statuses: other ids, matched to orders by name everywhere', async () => {
    const statuses = SSL_REQUEST_STATUSES.map((s) => ({ ...s, id: s.id * 10 + 7 }));
    await using custom = await startEmulator({ statuses });
    const list = await call(
      custom,
      `${SSL}/getSslCertificateRequests/1234567.json${q({
        objectMask: 'mask[id,statusId,status[id,name]]',
        objectFilter: { status: { id: { operation: 27 } } },
      })}`,
    );
    expect(list.json).toEqual(
      [4471877, 4482310, 4490155, 4495021].map((id) => ({
        id,
        statusId: 27,
        status: { id: 27, name: 'Approved' },
      })),
    );
    const served = await call(
      custom,
      'SoftLayer_Security_Certificate_Request_Status/getSslRequestStatuses.json',
    );
    expect(served.json).toEqual(statuses);
    custom.setOrderStatus(4502244, 'Approved');
    expect(custom.orders.find((o) => o.id === 4502244)).toMatchObject({ statusId: 27, status: { id: 27 } });
    const resend = await call(custom, `${SSL}/4502244/resendEmail/FulfillmentEmail.json`);
    expect(resend.json).toBe(true);
  });
});
