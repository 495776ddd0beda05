/**
 * Paging that never loses an order, end to end against the emulator's list behaviours
 * (`paging: { maxPageSize, ignoreOffset, ignoreResultLimit, ignoreFilter }`).
 */
import { describe, expect, it } from 'vitest';
import { SslOrdersClient, type SslOrdersEvent } from '../src/index.js';
import { type Emulator, type EmulatorPagingOptions, startEmulator } from '../src/testing/index.js';

const ORDERS = 250;

async function setUp(paging: EmulatorPagingOptions) {
  const emulator = await startEmulator({ orderCount: ORDERS, paging });
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({
    auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
    baseUrl: emulator.url,
    accountId: emulator.accountId,
    onEvent: (event) => events.push(event),
  });
  return { emulator, client, events };
}

async function ids(iterable: AsyncIterable<{ id: number }>): Promise<number[]> {
  const out: number[] = [];
  for await (const item of iterable) out.push(item.id);
  return out;
}

const allIds = (emulator: Emulator) => emulator.orders.map((order) => order.id);
const listRequests = (emulator: Emulator) =>
  emulator.requests.filter((request) => request.methodName === 'getSslCertificateRequests');
const limits = (emulator: Emulator) => listRequests(emulator).map((request) => request.query['resultLimit']);

describe('a well-behaved server', () => {
  it('yields every order once, in order, prefetching at the page size', async () => {
    const { emulator, client } = await setUp({});
    await using _ = emulator;
    expect(await ids(client.iterateOrders({ pageSize: 50 }))).toEqual(allIds(emulator));
    // Pages in flight together may reach the server in any order.
    const offsets = limits(emulator).map((limit) => Number(limit?.split(',')[0]));
    expect(offsets.sort((a, b) => a - b)).toEqual([0, 50, 100, 150, 200]);
    expect(new Set(limits(emulator).map((limit) => limit?.split(',')[1]))).toEqual(new Set(['50']));
  });

  it('listOrders: one request, total counts the matching orders', async () => {
    const { emulator, client } = await setUp({});
    await using _ = emulator;
    const approved = emulator.orders.filter((order) => order.status?.name === 'Approved');
    const page = await client.listOrders({ status: 'Approved', limit: 10 });
    expect(page.total).toBe(approved.length);
    expect(page.orders.map((order) => order.id)).toEqual(approved.slice(0, 10).map((order) => order.id));
    expect(listRequests(emulator)).toHaveLength(1);
  });
});

describe('a server that caps pages (maxPageSize)', () => {
  it('goes on from what was received, at the size it really sends', async () => {
    const { emulator, client, events } = await setUp({ maxPageSize: 100 });
    await using _ = emulator;
    expect(await ids(client.iterateOrders({ pageSize: 200 }))).toEqual(allIds(emulator));
    const [first, ...ahead] = limits(emulator);
    expect(first).toBe('0,200');
    expect(ahead.sort()).toEqual(['100,100', '200,100']);
    expect(events.filter((event) => event.type === 'paging.capped')).toEqual([
      { type: 'paging.capped', asked: 200, received: 100 },
    ]);
  });
});

describe('a server that ignores the offset (ignoreOffset)', () => {
  it('reads once without resultLimit and yields the rest deduplicated, saying why', async () => {
    const { emulator, client, events } = await setUp({ ignoreOffset: true });
    await using _ = emulator;
    const seen = await ids(client.iterateOrders({ pageSize: 100 }));
    expect(seen).toEqual(allIds(emulator));
    expect(events.filter((event) => event.type === 'paging.offset-ignored')).toEqual([
      { type: 'paging.offset-ignored', offset: 100, skipped: 100 },
    ]);
    // The last list request is the one without resultLimit.
    expect(limits(emulator).at(-1)).toBeUndefined();
  });
});

describe('a server that ignores resultLimit (ignoreResultLimit)', () => {
  it('takes the one answer as everything', async () => {
    const { emulator, client } = await setUp({ ignoreResultLimit: true });
    await using _ = emulator;
    expect(await ids(client.iterateOrders({ pageSize: 100 }))).toEqual(allIds(emulator));
    expect(listRequests(emulator)).toHaveLength(1);
  });
});

describe('a server that ignores the filter (ignoreFilter)', () => {
  it('iteration filters on the client and yields exactly the matching orders', async () => {
    const { emulator, client, events } = await setUp({ ignoreFilter: true });
    await using _ = emulator;
    const approved = emulator.orders
      .filter((order) => order.status?.name === 'Approved')
      .map((order) => order.id);
    expect(approved.length).toBeGreaterThan(0);
    expect(await ids(client.iterateOrders({ status: 'approved', pageSize: 100 }))).toEqual(approved);
    expect(events.some((event) => event.type === 'filter.mismatch')).toBe(true);
  });

  it('listOrders counts the matching orders by reading every order, and cuts its page from them', async () => {
    const { emulator, client } = await setUp({ ignoreFilter: true });
    await using _ = emulator;
    const approved = emulator.orders
      .filter((order) => order.status?.name === 'Approved')
      .map((order) => order.id);
    const page = await client.listOrders({ status: 'Approved', offset: 5, limit: 10 });
    expect(page.total).toBe(approved.length);
    expect(page.orders.map((order) => order.id)).toEqual(approved.slice(5, 15));
    // The first page showed the filter ignored; then every order was read (250 fit in one page of 1,000).
    expect(limits(emulator)).toEqual(['5,10', '0,1000']);
    // Known from then on: the next call reads everything at once.
    const again = await client.listOrders({ status: 'Approved', limit: 3 });
    expect(again.total).toBe(approved.length);
    expect(limits(emulator).slice(2)).toEqual(['0,1000']);
  });

  it('capped and ignoring the filter at once: still every matching order', async () => {
    const { emulator, client } = await setUp({ ignoreFilter: true, maxPageSize: 40 });
    await using _ = emulator;
    const complete = emulator.orders
      .filter((order) => order.status?.name === 'Complete')
      .map((order) => order.id);
    expect(await ids(client.iterateOrders({ status: 'Complete', pageSize: 100 }))).toEqual(complete);
    const page = await client.listOrders({ status: 'Complete', limit: 1 });
    expect(page.total).toBe(complete.length);
  });
});
