import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { SslOrdersClient, VERSION } from '../src/index.js';
import { ORDER_MASK } from '../src/internal/endpoint.js';
import {
  BASE,
  clientOptions,
  getHandler,
  listHandler,
  makeClient,
  ORDER_SERVICE,
  order,
  useMswServer,
} from './helpers/msw.js';

const msw = useMswServer();
const LIST_URL = `${BASE}${ORDER_SERVICE}/getSslCertificateRequests.json`;
const ACCOUNT_URL = `${BASE}SoftLayer_Account/getObject.json`;
const KEY = 'k'.repeat(64);

function b64(text: string): string {
  return Buffer.from(text).toString('base64');
}

describe('listOrders request shape', () => {
  it('POSTs the account id with mask, filter, resultLimit and headers', async () => {
    let body: unknown;
    const match = order(1, { commonName: 'WWW.example.com', status: { name: 'Pending CA Approval' } });
    msw.server.use(
      http.post(LIST_URL, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json([match], { headers: { 'SoftLayer-Total-Items': '7' } });
      }),
    );
    const { client } = makeClient({ userAgent: 'cert-bot/1.2' });
    const page = await client.listOrders({
      status: 'Pending CA Approval',
      commonName: 'www.example.com',
      limit: 5,
      offset: 10,
    });
    expect(msw.requests).toHaveLength(1);
    const [seen] = msw.requests;
    expect(seen?.method).toBe('POST');
    expect(`${seen?.url.origin}${seen?.url.pathname}`).toBe(LIST_URL);
    expect(body).toEqual({ parameters: [1234567] });
    const query = seen?.url.searchParams;
    expect(query?.get('objectMask')).toBe(ORDER_MASK);
    expect(JSON.parse(query?.get('objectFilter') ?? 'null')).toEqual({
      id: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
      status: { name: { operation: '_= Pending CA Approval' } },
      commonName: { operation: '_= www.example.com' },
    });
    expect(query?.get('resultLimit')).toBe('10,5');
    // Brackets and commas are percent-encoded, as SoftLayer's examples do.
    expect(seen?.url.search).toContain('objectMask=mask%5Bid%2C');
    expect(seen?.headers.get('accept')).toBe('application/json');
    expect(seen?.headers.get('content-type')).toBe('application/json');
    expect(seen?.headers.get('user-agent')).toBe(`softlayer-ssl-orders/${VERSION} cert-bot/1.2`);
    expect(seen?.headers.get('authorization')).toBe(`Basic ${b64(`SL1234567_jane:${KEY}`)}`);
    expect(page).toEqual({ orders: [match], total: 7, offset: 10, limit: 5 });
  });

  it('has only the orderBy in the filter, and default paging, without filter options', async () => {
    msw.server.use(listHandler([]));
    const { client } = makeClient();
    const page = await client.listOrders();
    const query = msw.requests[0]?.url.searchParams;
    expect(JSON.parse(query?.get('objectFilter') ?? 'null')).toEqual({
      id: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
    });
    expect(query?.get('resultLimit')).toBe('0,100');
    expect(msw.requests[0]?.headers.get('user-agent')).toBe(`softlayer-ssl-orders/${VERSION}`);
    expect(page.total).toBeUndefined();
  });

  it('the mask asks for the SslOrder fields and status[id,name,description], not the CSR', () => {
    expect(ORDER_MASK).toBe(
      'mask[id,accountId,commonName,approverEmailAddress,technicalContactEmailAddress,statusId,' +
        'createDate,modifyDate,effectiveDate,expirationDate,status[id,name,description]]',
    );
  });

  it.each([
    ['ibmCloudApiKey', { ibmCloudApiKey: 'ibm-key-0123456789' }, `Basic ${b64('apikey:ibm-key-0123456789')}`],
    ['bearer string', { bearerToken: 'tok-abcdef123456' }, 'Bearer tok-abcdef123456'],
    ['bearer function', { bearerToken: () => 'tok-from-fn-1234' }, 'Bearer tok-from-fn-1234'],
    ['bearer async function', { bearerToken: async () => 'tok-async-98765' }, 'Bearer tok-async-98765'],
  ])('sends the Authorization header for %s auth', async (_kind, auth, expected) => {
    msw.server.use(listHandler([]));
    const { client } = makeClient({ auth });
    await client.listOrders();
    expect(msw.requests[0]?.headers.get('authorization')).toBe(expected);
  });
});

describe('getOrder and listStatuses', () => {
  it('GETs getObject of the id with the order mask and no body', async () => {
    msw.server.use(getHandler(4471203, order(4471203)));
    const { client } = makeClient();
    const result = await client.getOrder(4471203);
    expect(result).toEqual(order(4471203));
    const [seen] = msw.requests;
    expect(seen?.method).toBe('GET');
    expect(seen?.url.pathname).toBe(`/rest/v3.1/${ORDER_SERVICE}/4471203/getObject.json`);
    expect([...(seen?.url.searchParams.keys() ?? [])]).toEqual(['objectMask']);
    expect(seen?.url.searchParams.get('objectMask')).toBe(ORDER_MASK);
    expect(seen?.headers.get('content-type')).toBeNull();
  });

  it('lists the statuses', async () => {
    const statuses = [
      { id: 1, name: 'Pending CA Approval' },
      { id: 2, name: 'Approved', description: 'ok' },
    ];
    msw.server.use(
      http.get(`${BASE}SoftLayer_Security_Certificate_Request_Status/getSslRequestStatuses.json`, () =>
        HttpResponse.json(statuses),
      ),
    );
    const { client } = makeClient();
    expect(await client.listStatuses()).toEqual(statuses);
    expect(msw.requests.map((r) => r.method)).toEqual(['GET']);
  });
});

describe('account id resolution', () => {
  function accountHandler(respond: () => Response | Promise<Response>) {
    return http.get(ACCOUNT_URL, respond);
  }

  it('is read once with mask[id], shared by concurrent callers and cached', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    msw.server.use(
      accountHandler(async () => {
        await gate;
        return HttpResponse.json({ id: 99 });
      }),
      listHandler([]),
    );
    const { client, events } = makeClient({ accountId: undefined });
    const calls = [client.listOrders(), client.listOrders(), client.getAccountId()];
    await new Promise((resolve) => setTimeout(resolve, 20));
    release();
    await Promise.all(calls);
    await client.listOrders();
    const accountCalls = msw.requests.filter((r) =>
      r.url.pathname.endsWith('SoftLayer_Account/getObject.json'),
    );
    expect(accountCalls).toHaveLength(1);
    expect(accountCalls[0]?.url.searchParams.get('objectMask')).toBe('mask[id]');
    expect(accountCalls[0]?.url.search).toBe('?objectMask=mask%5Bid%5D');
    const lists = msw.requests.filter((r) => r.method === 'POST');
    expect(lists).toHaveLength(3);
    for (const list of lists) expect(JSON.parse(list.body)).toEqual({ parameters: [99] });
    expect(await client.getAccountId()).toBe(99);
    expect(events.filter((e) => e.type === 'account.resolved')).toEqual([
      { type: 'account.resolved', accountId: 99 },
    ]);
  });

  it('is tried again on the next call after a failure', async () => {
    let calls = 0;
    msw.server.use(
      accountHandler(() => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { error: 'denied', code: 'SoftLayer_Exception_PermissionDenied' },
              { status: 403 },
            )
          : HttpResponse.json({ id: 42 });
      }),
    );
    const { client } = makeClient({ accountId: undefined });
    await expect(client.getAccountId()).rejects.toMatchObject({ name: 'PermissionDeniedError' });
    expect(await client.getAccountId()).toBe(42);
    expect(await client.getAccountId()).toBe(42);
    expect(calls).toBe(2);
  });

  it('one caller aborting does not cancel the lookup for the others', async () => {
    msw.server.use(
      accountHandler(async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        return HttpResponse.json({ id: 5 });
      }),
    );
    const { client } = makeClient({ accountId: undefined });
    const controller = new AbortController();
    const reason = new Error('stop');
    const aborted = client.getAccountId({ signal: controller.signal });
    const other = client.getAccountId();
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    expect(await other).toBe(5);
    expect(msw.requests).toHaveLength(1);
  });

  it('is skipped when accountId is given', async () => {
    msw.server.use(listHandler([]));
    const { client } = makeClient({ accountId: 777 });
    await client.listOrders();
    expect(await client.getAccountId()).toBe(777);
    expect(msw.requests.map((r) => r.url.pathname)).toEqual([
      `/rest/v3.1/${ORDER_SERVICE}/getSslCertificateRequests.json`,
    ]);
  });
});

describe('paging', () => {
  /** A server of `count` orders that honours resultLimit (or not) and sends the total header. */
  function pagedServer(count: number, options: { honourLimit?: boolean; total?: boolean } = {}) {
    const all = Array.from({ length: count }, (_, index) => order(index + 1));
    msw.server.use(
      http.post(LIST_URL, ({ request }) => {
        const [offset, limit] = (new URL(request.url).searchParams.get('resultLimit') ?? '0,100')
          .split(',')
          .map(Number);
        const body = options.honourLimit === false ? all : all.slice(offset, (offset ?? 0) + (limit ?? 0));
        const headers = options.total === false ? {} : { 'SoftLayer-Total-Items': String(count) };
        return HttpResponse.json(body, { headers });
      }),
    );
    return all;
  }

  async function collect(iterable: AsyncIterable<{ id: number }>): Promise<number[]> {
    const ids: number[] = [];
    for await (const item of iterable) ids.push(item.id);
    return ids;
  }

  it('stops at the total without asking for an empty page', async () => {
    pagedServer(6);
    const { client } = makeClient();
    expect(await collect(client.iterateOrders({ pageSize: 3 }))).toEqual([1, 2, 3, 4, 5, 6]);
    expect(msw.requests.map((r) => r.url.searchParams.get('resultLimit'))).toEqual(['0,3', '3,3']);
  });

  it('stops on a short page when there is no total header', async () => {
    pagedServer(7, { total: false });
    const { client } = makeClient();
    expect(await collect(client.iterateOrders({ pageSize: 3 }))).toHaveLength(7);
    expect(msw.requests.map((r) => r.url.searchParams.get('resultLimit'))).toEqual(['0,3', '3,3', '6,3']);
  });

  it('asks for one empty page when an exact multiple has no total header', async () => {
    pagedServer(6, { total: false });
    const { client } = makeClient();
    expect(await collect(client.iterateOrders({ pageSize: 3 }))).toHaveLength(6);
    expect(msw.requests).toHaveLength(3);
  });

  it('makes one request when the server ignores resultLimit', async () => {
    pagedServer(8, { honourLimit: false });
    const { client } = makeClient();
    expect(await collect(client.iterateOrders({ pageSize: 3 }))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(msw.requests).toHaveLength(1);
  });

  it('loses no order when the server ignores the offset: one request without resultLimit, deduplicated', async () => {
    const all = Array.from({ length: 5 }, (_, index) => order(index + 1));
    msw.server.use(
      http.post(LIST_URL, ({ request }) => {
        const limit = new URL(request.url).searchParams.get('resultLimit');
        // The offset is ignored: every page starts at the first order.
        const body = limit === null ? all : all.slice(0, Number(limit.split(',')[1]));
        return HttpResponse.json(body, { headers: { 'SoftLayer-Total-Items': '5' } });
      }),
    );
    const { client, events } = makeClient();
    expect(await collect(client.iterateOrders({ pageSize: 2 }))).toEqual([1, 2, 3, 4, 5]);
    expect(events.filter((e) => e.type === 'paging.offset-ignored')).toEqual([
      { type: 'paging.offset-ignored', offset: 2, skipped: 2 },
    ]);
    expect(msw.requests.at(-1)?.url.searchParams.get('resultLimit')).toBeNull();
  });

  it('with concurrency 1, fetches one page at a time: no request before it is needed', async () => {
    pagedServer(5);
    const { client } = makeClient();
    const iterator = client.iterateOrders({ pageSize: 2, concurrency: 1 });
    expect(msw.requests).toHaveLength(0);
    expect((await iterator.next()).value).toMatchObject({ id: 1 });
    expect(msw.requests).toHaveLength(1);
    expect((await iterator.next()).value).toMatchObject({ id: 2 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(msw.requests).toHaveLength(1);
    expect((await iterator.next()).value).toMatchObject({ id: 3 });
    expect(msw.requests).toHaveLength(2);
    await iterator.return(undefined);
    expect(msw.requests).toHaveLength(2);
  });

  it('drops orders that do not match the filter and reports it', async () => {
    msw.server.use(
      listHandler([
        order(1),
        order(2, { status: { name: 'Canceled' } }),
        order(3, { status: { name: 'APPROVED' } }),
        order(4, { status: null }),
      ]),
    );
    const { client, events } = makeClient();
    const page = await client.listOrders({ status: 'approved' });
    expect(page.orders.map((o) => o.id)).toEqual([1, 3]);
    // The server was seen to ignore the filter: the total comes from reading every order. (This
    // server ignores the offset too, which the read of every order finds out and gets around.)
    expect(page.total).toBe(2);
    expect(msw.requests.map((r) => r.url.searchParams.get('resultLimit'))).toEqual([
      '0,100',
      '0,1000',
      '4,4',
      null,
    ]);
    const mismatches = events.filter((e) => e.type === 'filter.mismatch');
    expect(mismatches[0]).toEqual({ type: 'filter.mismatch', dropped: 2, filter: { status: 'approved' } });
  });

  it('dropping does not end iteration early: paging counts what the server sent', async () => {
    const keep = (id: number) => order(id, { commonName: 'Keep.example.com' });
    const pages = [[keep(1), order(2)], [keep(3), keep(4)], [keep(5)]];
    msw.server.use(http.post(LIST_URL, () => HttpResponse.json(pages[msw.requests.length - 1] ?? [])));
    const { client, events } = makeClient();
    const ids = await collect(client.iterateOrders({ pageSize: 2, commonName: 'keep.example.com' }));
    expect(ids).toEqual([1, 3, 4, 5]);
    expect(events.filter((e) => e.type === 'filter.mismatch')).toHaveLength(1);
    expect(msw.requests).toHaveLength(3);
  });
});

describe('the client object', () => {
  it('shows no secret in JSON or inspect, only the auth kind', async () => {
    const { inspect } = await import('node:util');
    const client = new SslOrdersClient(clientOptions());
    expect(JSON.parse(JSON.stringify(client))).toEqual({
      baseUrl: BASE,
      auth: 'classic',
      accountId: 1234567,
    });
    expect(inspect(client, { depth: 10, showHidden: true })).not.toContain(KEY);
    expect(Object.keys(client)).toEqual(['baseUrl']);
  });
});
