/**
 * The call code (ky, the call's callbacks, the pacer, the pager, validation) loads with the first call
 * of a process (src/transport-wire.ts). What a user can see of that load: a failed load fails the
 * call with a ConnectionError (the loader's error as its cause) and sends nothing, and the next call
 * loads again; an abort ends the wait for the load; the load counts against the call's totalTimeout. Each test loads the SDK afresh
 * (vi.resetModules), with the wire module's import held or failed by vi.doMock.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Sdk from '../src/index.js';

const ORDER = {
  id: 4471203,
  accountId: 1000,
  commonName: 'www.example.com',
  approverEmailAddress: 'admin@example.com',
  technicalContactEmailAddress: 'tech@example.com',
  statusId: 49,
  status: { id: 49, name: 'Approved', description: 'Approved' },
  createDate: '2026-01-01T00:00:00-06:00',
  modifyDate: '2026-01-01T00:00:00-06:00',
  effectiveDate: null,
  expirationDate: null,
};

/** The SDK loaded afresh, with `wire` deciding what each import of transport-wire.ts gives. */
async function freshSdk(wire: (load: () => Promise<unknown>) => Promise<unknown>): Promise<typeof Sdk> {
  vi.resetModules();
  vi.doMock('../src/transport-wire.js', async (importOriginal) => wire(importOriginal));
  return import('../src/index.js');
}

/**
 * A client whose fetch answers as SoftLayer would (the order, a page of it, or `true` for the resend)
 * and records the requests that reached it.
 */
function clientOf(sdk: typeof Sdk, options: Partial<Sdk.SslOrdersClientOptions> = {}) {
  const requests: string[] = [];
  const client = new sdk.SslOrdersClient({
    auth: { username: 'SL1234567_jane', apiKey: 'k'.repeat(64) },
    accountId: 1000,
    fetch: async (input) => {
      const url = input instanceof Request ? input.url : String(input);
      requests.push(url);
      if (url.includes('/resendEmail.json')) return Response.json(true);
      if (url.includes('/getSslCertificateRequests.json')) return Response.json([ORDER]);
      if (url.includes('/getSslRequestStatuses.json')) return Response.json([ORDER.status]);
      return Response.json(ORDER);
    },
    ...options,
  });
  return { client, requests };
}

/** The SDK loaded afresh, whose first import of the call code fails with `failure`; later ones load. */
async function sdkWhoseFirstLoadFails(failure: Error): Promise<{ sdk: typeof Sdk; imports: () => number }> {
  let imports = 0;
  const sdk = await freshSdk(async (load) => {
    imports++;
    if (imports === 1) throw failure;
    return load();
  });
  return { sdk, imports: () => imports };
}

/** A promise and the function that settles it, for holding a load until the test lets it go. */
function gate(): { promise: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

/**
 * The SDK loaded afresh, whose import of the call code waits for `release()`; `started` resolves
 * once that import has begun.
 */
async function sdkWithHeldLoad(): Promise<{
  sdk: typeof Sdk;
  started: Promise<void>;
  release: () => void;
  imports: () => number;
}> {
  const held = gate();
  const started = gate();
  let imports = 0;
  const sdk = await freshSdk(async (load) => {
    imports++;
    started.open();
    await held.promise;
    return load();
  });
  return { sdk, started: started.promise, release: held.open, imports: () => imports };
}

afterEach(() => {
  vi.doUnmock('../src/transport-wire.js');
  vi.restoreAllMocks();
});

describe('the call code loads with the first call', () => {
  it('a failed load is a ConnectionError (not dispatched), nothing sent; the next call loads it again', async () => {
    const failure = new TypeError('Failed to fetch dynamically imported module: transport-wire.js');
    const { sdk, imports } = await sdkWhoseFirstLoadFails(failure);
    const { client, requests } = clientOf(sdk);
    const error = await client.getOrder(ORDER.id).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(sdk.ConnectionError);
    expect(error).toMatchObject({ dispatched: false, method: 'GET' });
    expect(String(error)).toContain("could not reach the SDK's call code");
    // vitest's module mocker wraps what a factory throws; a bundler's loader rejects with it as is.
    expect((error as Error).cause).toMatchObject({ cause: failure });
    expect(requests).toEqual([]);
    expect(await client.getOrder(ORDER.id)).toMatchObject({ id: ORDER.id });
    expect(requests).toHaveLength(1);
    expect(imports()).toBe(2);
  });

  it('a send whose load fails sends nothing and blocks nothing: sent again, it emails once', async () => {
    const { sdk } = await sdkWhoseFirstLoadFails(new TypeError('chunk failed'));
    const { client, requests } = clientOf(sdk);
    const send = () => client.resendFulfillmentEmail(ORDER.id, { approvedRecipient: 'admin@example.com' });
    await expect(send()).rejects.toBeInstanceOf(sdk.ConnectionError);
    expect(requests).toEqual([]);
    expect(await send()).toMatchObject({ outcome: 'sent' });
    expect(requests.filter((url) => url.includes('/resendEmail.json'))).toHaveLength(1);
    expect(await client.listSendRecords()).toMatchObject([{ orderId: ORDER.id, state: 'sent' }]);
  });

  it('iteration loads the pager with the call code: a failed load is the same typed error, nothing sent', async () => {
    const { sdk } = await sdkWhoseFirstLoadFails(new TypeError('chunk failed'));
    const { client, requests } = clientOf(sdk);
    const first = client.iterateOrders()[Symbol.asyncIterator]().next();
    await expect(first).rejects.toBeInstanceOf(sdk.ConnectionError);
    expect(requests).toEqual([]);
    const ids: number[] = [];
    for await (const order of client.iterateOrders()) ids.push(order.id);
    expect(ids).toEqual([ORDER.id]);
  });

  it('concurrent first calls all wait for the one load, then all answer', async () => {
    const { sdk, started, release, imports } = await sdkWithHeldLoad();
    const { client, requests } = clientOf(sdk);
    const calls = Promise.all([client.getOrder(ORDER.id), client.getOrder(ORDER.id), client.listStatuses()]);
    await started;
    expect(requests).toEqual([]);
    release();
    const [first, second, statuses] = await calls;
    expect(first).toMatchObject({ id: ORDER.id });
    expect(second).toMatchObject({ id: ORDER.id });
    expect(statuses).toEqual([ORDER.status]);
    expect(requests).toHaveLength(3);
    expect(imports()).toBe(1);
  });

  it('a first call with a fractional totalTimeout loads and answers (AbortSignal.timeout takes whole ms)', async () => {
    const { sdk, release } = await sdkWithHeldLoad();
    const { client } = clientOf(sdk, { totalTimeout: 30_000.5 });
    const call = client.getOrder(ORDER.id, { totalTimeout: 1_000.5 });
    release();
    expect(await call).toMatchObject({ id: ORDER.id });
  });

  it("an abort while the code loads ends the call at once with the signal's reason, nothing sent", async () => {
    const { sdk, started, release } = await sdkWithHeldLoad();
    const { client, requests } = clientOf(sdk);
    const controller = new AbortController();
    const call = client.getOrder(ORDER.id, { signal: controller.signal });
    await started;
    const reason = new Error('user left the page');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    release();
    // The load goes on for the next call.
    expect(await client.getOrder(ORDER.id)).toMatchObject({ id: ORDER.id });
    expect(requests).toHaveLength(1);
  });

  it('a load that does not finish within totalTimeout ends the call with a total TimeoutError, nothing sent', async () => {
    const { sdk, release } = await sdkWithHeldLoad();
    const { client, requests } = clientOf(sdk);
    const error = await client.getOrder(ORDER.id, { totalTimeout: 50 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(sdk.TimeoutError);
    expect(error).toMatchObject({ limit: 'total', timeoutMs: 50 });
    expect(requests).toEqual([]);
    // The load goes on, and the next call uses it. Awaited so that no import is still running when
    // the next test resets the module registry: in one full run the next test timed out, and an
    // import left running is one of the two suspects (a frozen Date.now, now shifted, the other).
    release();
    expect(await client.getOrder(ORDER.id)).toMatchObject({ id: ORDER.id });
  });

  it('the load counts against totalTimeout: a call whose load used it up sends nothing', async () => {
    const { sdk, started, release } = await sdkWithHeldLoad();
    const { client, requests } = clientOf(sdk, { totalTimeout: 5_000, rateLimit: false });
    const call = client.getOrder(ORDER.id);
    await started;
    // The clock says the load took longer than the call's totalTimeout (no real wait). Shifted, not
    // frozen: whatever else reads the clock meanwhile still sees it move.
    const realNow = Date.now.bind(Date);
    vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 6_000);
    release();
    const error = await call.catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(sdk.TimeoutError);
    expect(error).toMatchObject({ limit: 'total', timeoutMs: 5_000 });
    expect(requests).toEqual([]);
  });
});
