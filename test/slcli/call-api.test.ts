/**
 * `slcli call-api` (Debian's python3-softlayer) against the emulator: what a real client sends must get
 * what the real API answers. Each test has its own emulator, so the tests run concurrently (each slcli
 * start costs about half a second of Python).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/testing/index.js';
import { undocumented } from './documented.js';
import { requireSoftLayerPython, slcliHome } from './helpers.js';

const SSL = 'SoftLayer_Security_Certificate_Request';

beforeAll(requireSoftLayerPython);

/** An emulator and an slcli HOME for one test; checks at the end that slcli only sent documented forms. */
async function session(options: EmulatorOptions = {}) {
  const emulator = await startEmulator(options);
  const home = await slcliHome(emulator);
  return {
    emulator,
    home,
    async [Symbol.asyncDispose]() {
      await home[Symbol.asyncDispose]();
      await emulator.close();
    },
  };
}

function expectDocumented(emulator: Emulator): void {
  expect(emulator.requests.length).toBeGreaterThan(0);
  for (const request of emulator.requests) expect(undocumented(request)).toEqual([]);
}

const idsOf = (rows: unknown) => (rows as Array<{ id: number }>).map((row) => row.id);

describe.concurrent('slcli call-api against the emulator', () => {
  it('looks the account up', async () => {
    await using s = await session();
    expect(await s.home.json('call-api', 'SoftLayer_Account', 'getObject', '--mask', 'id')).toEqual({
      id: 1234567,
    });
    expect(s.emulator.requests[0]).toMatchObject({ method: 'GET', methodName: 'getObject', status: 200 });
    expect(s.emulator.requests[0]?.auth).toEqual({ scheme: 'basic', username: 'SL1234567_demo' });
    expectDocumented(s.emulator);
  });

  it('lists with a mask, a limit and an offset; the account id arrives as a string', async () => {
    await using s = await session();
    const rows = await s.home.json(
      'call-api',
      SSL,
      'getSslCertificateRequests',
      '1234567',
      '--mask',
      'id,commonName,status.name',
      '--limit',
      '2',
      '--offset',
      '3',
    );
    const expected = s.emulator.orders.slice(3, 5).map((o) => ({
      id: o.id,
      commonName: o.commonName,
      status: { name: o.status?.name },
    }));
    expect(rows).toEqual(expected);
    const [request] = s.emulator.requests;
    expect(request).toMatchObject({ method: 'POST', body: '{"parameters": ["1234567"]}', status: 200 });
    expect(request?.query['resultLimit']).toBe('3,2');
    expectDocumented(s.emulator);
  });

  it('takes a mask separated by ;', async () => {
    await using s = await session();
    const rows = await s.home.json(
      'call-api',
      SSL,
      'getObject',
      '--id',
      '4471203',
      '--mask',
      'id;commonName',
    );
    expect(rows).toEqual({ id: 4471203, commonName: 'www.example.com' });
    expectDocumented(s.emulator);
  });

  const orders = (filter: (o: Emulator['orders'][number]) => boolean, emulator: Emulator) =>
    emulator.orders.filter(filter).map((o) => o.id);

  it.each([
    ['~ (contains, with case)', ['-f', 'commonName=~ shop'], (o) => o.commonName.includes('shop')],
    [
      '!~ (does not contain)',
      ['-f', 'commonName=!~ example.com'],
      (o) => !o.commonName.includes('example.com'),
    ],
    [
      'in',
      ['-f', 'status.name IN Approved,Canceled'],
      (o) => o.status?.name === 'Approved' || o.status?.name === 'Canceled',
    ],
    [
      'not in',
      [
        '--json-filter',
        JSON.stringify({
          status: {
            name: { operation: 'not in', options: [{ name: 'data', value: ['Approved', 'Complete'] }] },
          },
        }),
      ],
      (o) => o.status?.name !== 'Approved' && o.status?.name !== 'Complete',
    ],
  ] satisfies Array<[string, string[], (o: Emulator['orders'][number]) => boolean]>)(
    'filters with %s',
    async (_name, args, expected) => {
      await using s = await session();
      const rows = await s.home.json(
        'call-api',
        SSL,
        'getSslCertificateRequests',
        '1234567',
        '--mask',
        'id',
        ...args,
      );
      const want = orders(expected, s.emulator);
      expect(want.length).toBeGreaterThan(0);
      expect(want.length).toBeLessThan(s.emulator.orders.length);
      expect(idsOf(rows).sort()).toEqual(want.sort());
      expectDocumented(s.emulator);
    },
  );

  const dateFilter = (property: string, operation: string, options: Record<string, string>) =>
    JSON.stringify({
      [property]: {
        operation,
        options: Object.entries(options).map(([name, value]) => ({ name, value: [value] })),
      },
    });

  // Seed orders: 4471203 created 2023-11-02T09:14:27-06:00, 4471877 2023-11-30T14:05:51-06:00; 4502244
  // and 4503981 in December 2024; 4401388 (Feb 2022) is the oldest; 4471203 expires 2024-11-03.
  it.each([
    [
      'betweenDate',
      dateFilter('createDate', 'betweenDate', {
        startDate: '11/1/2023 0:0:0',
        endDate: '11/30/2023 23:59:59',
      }),
      [4471203, 4471877],
    ],
    [
      'greaterThanDate',
      dateFilter('createDate', 'greaterThanDate', { date: '12/01/2024' }),
      [4502244, 4503981],
    ],
    ['lessThanDate', dateFilter('createDate', 'lessThanDate', { date: '03/01/2022' }), [4401388]],
    ['isDate', dateFilter('expirationDate', 'isDate', { date: '11/03/2024' }), [4471203]],
  ])('filters with %s (options form)', async (_name, filter, want) => {
    await using s = await session();
    const rows = await s.home.json(
      'call-api',
      SSL,
      'getSslCertificateRequests',
      '1234567',
      '--mask',
      'id',
      '--json-filter',
      filter,
    );
    expect(idsOf(rows).sort()).toEqual(want);
    expectDocumented(s.emulator);
  });

  it('gets an order by id', async () => {
    await using s = await session();
    const order = await s.home.json(
      'call-api',
      SSL,
      'getObject',
      '--id',
      '4471877',
      '--mask',
      'mask[id,commonName,status[name]]',
    );
    expect(order).toEqual({ id: 4471877, commonName: 'shop.example.com', status: { name: 'Approved' } });
    expectDocumented(s.emulator);
  });

  it.each([
    ['FulfillmentEmail', 4471877],
    ['ApproverEmail', 4502244],
  ] as const)('resends the %s: the outbox grows by exactly one', async (emailType, id) => {
    await using s = await session();
    expect(s.emulator.outbox).toHaveLength(0);
    expect(await s.home.json('call-api', SSL, 'resendEmail', '--id', String(id), emailType)).toBe(true);
    expect(s.emulator.outbox).toEqual([expect.objectContaining({ orderId: id, emailType })]);
    expect(s.emulator.count({ route: 'resend' })).toBe(1);
    expectDocumented(s.emulator);
  });

  it('reports a missing order as 404', async () => {
    await using s = await session();
    const result = await s.home.slcli('call-api', SSL, 'getObject', '--id', '999');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      "SoftLayerAPIError(404): Unable to find object with id of '999'.",
    );
  });

  it('reports bad credentials', async () => {
    await using emulator = await startEmulator();
    await using home = await slcliHome(emulator, 'not-the-api-key');
    const result = await home.slcli('call-api', 'SoftLayer_Account', 'getObject', '--mask', 'id');
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain('Authentication Failed');
    expect(emulator.requests.map((r) => r.status)).toEqual([401]);
  });

  it('reports the rate limit as SoftLayer does (HTTP 500, RateLimitExceeded)', async () => {
    await using s = await session({ rateLimit: { requestsPerSecond: 50 } });
    s.emulator.inject({ route: 'list', kind: 'rate-limit' });
    const result = await s.home.slcli(
      'call-api',
      SSL,
      'getSslCertificateRequests',
      '1234567',
      '--mask',
      'id',
    );
    expect(result.code).not.toBe(0);
    expect(result.stdout + result.stderr).toContain(
      'SoftLayerAPIError(500): Rate limit of 50 requests for every 1 second(s) exceeded.',
    );
  });

  it('reports another account id, an unknown mask property and a malformed mask', async () => {
    await using s = await session();
    const [denied, property, malformed] = await Promise.all([
      s.home.slcli('call-api', SSL, 'getSslCertificateRequests', '7654321'),
      s.home.slcli('call-api', SSL, 'getObject', '--id', '4471203', '--mask', 'id,nope'),
      s.home.slcli('call-api', SSL, 'getObject', '--id', '4471203', '--mask', 'id,status[name'),
    ]);
    expect(denied.stdout + denied.stderr).toContain('SoftLayerAPIError(500): Access Denied.');
    expect(property.stdout + property.stderr).toContain(
      "SoftLayerAPIError(500): Property 'nope' not valid for 'SoftLayer_Security_Certificate_Request'.",
    );
    expect(malformed.stdout + malformed.stderr).toMatch(
      /SoftLayerAPIError\(500\): Error on line 1 at column \d+: Expected/,
    );
    expect(s.emulator.requests.map((r) => r.status)).toEqual([500, 500, 500]);
  });
});
