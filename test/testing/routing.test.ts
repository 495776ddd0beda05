import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Emulator, SSL_REQUEST_STATUSES, startEmulator } from '../../src/testing/index.js';
import { basic, call, q } from './helpers.js';

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
beforeEach(() => emulator.reset());
afterAll(() => emulator.close());

const SSL = 'SoftLayer_Security_Certificate_Request';

describe('URL dialect', () => {
  it('listens on 127.0.0.1 and exposes the URLs', () => {
    expect(emulator.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(emulator.url).toBe(`${emulator.origin}/rest/v3.1/`);
    expect(emulator.iamTokenUrl).toBe(`${emulator.origin}/identity/token`);
  });

  it.each([
    `${SSL}/4471203/getObject.json`,
    `${SSL}/4471203/getObject`,
    `${SSL}/4471203.json`,
    `${SSL}/4471203`,
    `${SSL}/4471203/Object.json`,
  ])('GET %s returns the order', async (path) => {
    const res = await call(emulator, `${path}${q({ objectMask: 'mask[id,commonName]' })}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(res.json).toEqual({ id: 4471203, commonName: 'www.example.com' });
  });

  it('serves /rest/v3/ like /rest/v3.1/', async () => {
    const res = await call(
      emulator,
      `/rest/v3/SoftLayer_Account/getObject.json${q({ objectMask: 'mask[id]' })}`,
    );
    expect(res.json).toEqual({ id: 1234567 });
  });

  it('serves SoftLayer_Account::getObject, masked, with or without the get prefix', async () => {
    expect(
      (await call(emulator, `SoftLayer_Account/getObject.json${q({ objectMask: 'mask[id]' })}`)).json,
    ).toEqual({
      id: 1234567,
    });
    const full = await call(emulator, 'SoftLayer_Account/Object');
    expect(full.json).toMatchObject({ id: 1234567, companyName: expect.any(String) });
  });

  it('serves getStatus and the status list', async () => {
    const status = await call(emulator, `${SSL}/4471877/getStatus.json`);
    expect(status.json).toEqual({ id: 2, name: 'Approved', description: expect.any(String) });
    const statuses = await call(
      emulator,
      'SoftLayer_Security_Certificate_Request_Status/getSslRequestStatuses.json',
    );
    expect(statuses.json).toEqual(SSL_REQUEST_STATUSES);
    expect(statuses.headers.get('softlayer-total-items')).toBe('4');
    expect((statuses.json as { name: string }[]).map((s) => s.name)).toEqual([
      'Pending CA Approval',
      'Approved',
      'Complete',
      'Canceled',
    ]);
  });

  it('rejects other formats with 500', async () => {
    const res = await call(emulator, `${SSL}/4471203/getObject.xml`);
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_Public' });
  });
});

describe('getSslCertificateRequests', () => {
  const list = (parameters: unknown[], method = 'getSslCertificateRequests.json') =>
    call(emulator, `${SSL}/${method}${q({ objectMask: 'mask[id,accountId,status[name]]' })}`, {
      body: { parameters },
    });

  it('lists the account orders, accepting the id as a number or a numeric string', async () => {
    const asNumber = await list([1234567]);
    const asString = await list(['1234567']);
    expect(asNumber.status).toBe(200);
    expect(asNumber.json).toHaveLength(12);
    expect(asString.json).toEqual(asNumber.json);
    expect(
      (asNumber.json as { status: { name: string } }[]).filter((o) => o.status.name === 'Approved'),
    ).toHaveLength(4);
  });

  it('accepts the getter without its get prefix', async () => {
    expect((await list([1234567], 'SslCertificateRequests.json')).json).toHaveLength(12);
  });

  it('answers another account id with SoftLayer_Exception_AccessDenied', async () => {
    const res = await list([7654321]);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: 'Access Denied.', code: 'SoftLayer_Exception_AccessDenied' });
    const account = await call(emulator, 'SoftLayer_Account/7654321/getObject.json');
    expect(account.status).toBe(500);
    expect(account.json).toEqual({ error: 'Access Denied.', code: 'SoftLayer_Exception_AccessDenied' });
  });

  it('answers a missing or malformed parameter with 500', async () => {
    expect((await list([])).status).toBe(500);
    expect((await list(['12a'])).status).toBe(500);
    const viaGet = await call(emulator, `${SSL}/getSslCertificateRequests.json`);
    expect(viaGet.status).toBe(500);
  });

  it("hides other accounts' orders from the list and from getObject", async () => {
    emulator.addOrders({ ...emulator.orders[0]!, id: 9_000_001, accountId: 42 });
    expect((await list([1234567])).json).toHaveLength(12);
    expect((await call(emulator, `${SSL}/9000001.json`)).status).toBe(404);
  });
});

describe('errors', () => {
  it('unknown id → 404 ObjectNotFound', async () => {
    const res = await call(emulator, `${SSL}/999/getObject.json`);
    expect(res.status).toBe(404);
    expect(res.json).toEqual({
      error: "Unable to find object with id of '999'.",
      code: 'SoftLayer_Exception_ObjectNotFound',
    });
  });

  it.each(['12abc/getObject.json', '12.5.json', '-3/getObject.json'])(
    'non-integer id %s → 500 Public',
    async (path) => {
      const res = await call(emulator, `${SSL}/${path}`);
      expect(res.status).toBe(500);
      expect(res.json).toMatchObject({ code: 'SoftLayer_Exception_Public' });
    },
  );

  it('unknown service → 500 "Service does not exist"', async () => {
    const res = await call(emulator, 'SoftLayer_Nope/getObject.json');
    expect(res.status).toBe(500);
    expect(res.json).toEqual({ error: 'Service does not exist', code: 'SoftLayer_Exception_Public' });
  });

  it('unknown method → 500 naming the function', async () => {
    const res = await call(emulator, `${SSL}/4471203/cancelEverything.json`);
    expect(res.status).toBe(500);
    expect(res.json).toEqual({
      error: 'Function ("cancelEverything") is not a valid method for this service.',
      code: 'SoftLayer_Exception_Public',
    });
  });

  it('a POST without a method is createObject, which the service does not have', async () => {
    const res = await call(emulator, `${SSL}.json`, { body: { parameters: [{}] } });
    expect(res.status).toBe(500);
    expect(res.json).toMatchObject({ error: expect.stringContaining('createObject') });
  });

  it('an instance method without an id → 500', async () => {
    const res = await call(emulator, `${SSL}/getObject.json`);
    expect(res.status).toBe(500);
  });

  it('a body that is not JSON → 500', async () => {
    const res = await call(emulator, `${SSL}/4471877/resendEmail.json`, { body: 'not json' });
    expect(res.status).toBe(500);
    expect(emulator.outbox).toHaveLength(0);
  });
});

describe('request log', () => {
  it('records each request with its route, method and status', async () => {
    await call(emulator, `${SSL}/4471203.json${q({ objectMask: 'mask[id]' })}`);
    await call(emulator, `${SSL}/999.json`);
    expect(emulator.requests).toHaveLength(2);
    expect(emulator.requests[0]).toMatchObject({
      requestId: 1,
      method: 'GET',
      path: `/rest/v3.1/${SSL}/4471203.json`,
      route: 'get',
      service: SSL,
      methodName: 'getObject',
      id: 4471203,
      query: { objectMask: 'mask[id]' },
      status: 200,
      fault: null,
      auth: { scheme: 'basic', username: 'SL1234567_demo' },
    });
    expect(emulator.count({ route: 'get', status: 404 })).toBe(1);
    expect(emulator.count({ method: 'get' })).toBe(2);
    expect(emulator.count({ methodName: 'resendEmail' })).toBe(0);
  });

  it('reset() restores the seed and empties the logs', async () => {
    emulator.setOrderStatus(4502244, 'Approved');
    await call(emulator, `${SSL}/4502244/resendEmail.json`, { body: { parameters: ['FulfillmentEmail'] } });
    expect(emulator.outbox).toHaveLength(1);
    emulator.reset();
    expect(emulator.outbox).toHaveLength(0);
    expect(emulator.requests).toHaveLength(0);
    expect(emulator.orders.find((o) => o.id === 4502244)?.statusId).toBe(1);
  });
});

describe('clientOptions', () => {
  it('gives { baseUrl, auth, accountId } for this emulator, overrides merged over them', async () => {
    await using custom = await startEmulator({
      accountId: 42,
      credentials: {
        users: [
          { username: 'u1', apiKey: 'k1-key' },
          { username: 'u2', apiKey: 'k2-key' },
        ],
      },
    });
    expect(custom.clientOptions()).toEqual({
      baseUrl: custom.url,
      auth: { username: 'u1', apiKey: 'k1-key' },
      accountId: 42,
    });
    const confirm = async () => true;
    const options = custom.clientOptions({ confirm, auth: { ibmCloudApiKey: 'ibm' }, accountId: undefined });
    expect(options).toEqual({
      baseUrl: custom.url,
      auth: { ibmCloudApiKey: 'ibm' },
      accountId: undefined,
      confirm,
    });
    // The options are a fresh object each time: changing one does not change the next.
    options.baseUrl = 'x';
    expect(custom.clientOptions().baseUrl).toBe(custom.url);
    const res = await call(custom, `SoftLayer_Account/getObject.json?objectMask=id`, {
      authorization: basic(custom.clientOptions().auth.username, custom.clientOptions().auth.apiKey),
    });
    expect(res.json).toEqual({ id: 42 });
  });
});
