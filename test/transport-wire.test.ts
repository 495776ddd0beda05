/**
 * The call code (ky, the call's callbacks, the pacer, the pager, validation) loads with the first call
 * of a process (src/transport-wire.ts). What a user can see of that load: a failed load fails the
 * call with the loader's error and sends nothing, and the next call loads again; an abort ends the
 * wait for the load; the load counts against the call's totalTimeout. Each test loads the SDK afresh
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

/** A client whose fetch answers with ORDER and counts the requests that reached it. */
function clientOf(sdk: typeof Sdk, options: Partial<Sdk.SslOrdersClientOptions> = {}) {
  const requests: string[] = [];
  const client = new sdk.SslOrdersClient({
    auth: { username: 'SL1234567_jane', apiKey: 'k'.repeat(64) },
    accountId: 1000,
    fetch: async (input) => {
      requests.push(input instanceof Request ? input.url : String(input));
      return Response.json(ORDER);
    },
    ...options,
  });
  return { client, requests };
}

afterEach(() => {
  vi.doUnmock('../src/transport-wire.js');
  vi.restoreAllMocks();
});

describe('the call code loads with the first call', () => {
  it('a failed load fails the call with the loader error, nothing sent; the next call loads it again', async () => {
    let imports = 0;
    const failure = new TypeError('Failed to fetch dynamically imported module: transport-wire.js');
    const sdk = await freshSdk(async (load) => {
      imports++;
      if (imports === 1) throw failure;
      return load();
    });
    const { client, requests } = clientOf(sdk);
    // vitest's module mocker wraps what a factory throws; a bundler's loader rejects with it as is.
    await expect(client.getOrder(ORDER.id)).rejects.toMatchObject({ cause: failure });
    expect(requests).toEqual([]);
    expect(await client.getOrder(ORDER.id)).toMatchObject({ id: ORDER.id });
    expect(requests).toHaveLength(1);
    expect(imports).toBe(2);
  });

  it('a send whose load fails sends nothing and leaves no record that blocks a retry', async () => {
    let imports = 0;
    const sdk = await freshSdk(async (load) => {
      imports++;
      if (imports === 1) throw new TypeError('chunk failed');
      return load();
    });
    const { client, requests } = clientOf(sdk);
    await expect(
      client.resendFulfillmentEmail(ORDER.id, { approvedRecipient: 'admin@example.com' }),
    ).rejects.toMatchObject({ cause: { message: 'chunk failed' } });
    expect(requests).toEqual([]);
    expect(await client.listSendRecords()).toEqual([]);
  });

  it('concurrent first calls share one load', async () => {
    let imports = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const sdk = await freshSdk(async (load) => {
      imports++;
      await gate;
      return load();
    });
    const { client, requests } = clientOf(sdk);
    const calls = [client.getOrder(ORDER.id), client.getOrder(ORDER.id), client.listStatuses()];
    release();
    const [first, second] = await Promise.allSettled(calls);
    expect(first).toMatchObject({ status: 'fulfilled', value: { id: ORDER.id } });
    expect(second).toMatchObject({ status: 'fulfilled', value: { id: ORDER.id } });
    expect(imports).toBe(1);
    expect(requests).toHaveLength(3);
  });

  it("an abort while the code loads ends the call at once with the signal's reason, nothing sent", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => {
      started = resolve;
    });
    const sdk = await freshSdk(async (load) => {
      started();
      await gate;
      return load();
    });
    const { client, requests } = clientOf(sdk);
    const controller = new AbortController();
    const call = client.getOrder(ORDER.id, { signal: controller.signal });
    await loading;
    const reason = new Error('user left the page');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    release();
    // The load goes on for the next call.
    expect(await client.getOrder(ORDER.id)).toMatchObject({ id: ORDER.id });
    expect(requests).toHaveLength(1);
  });

  it('the load counts against totalTimeout: a load that outlasts it ends the call with a total TimeoutError', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => undefined;
    const loading = new Promise<void>((resolve) => {
      started = resolve;
    });
    const sdk = await freshSdk(async (load) => {
      started();
      await gate;
      return load();
    });
    const { client, requests } = clientOf(sdk, { totalTimeout: 5_000, rateLimit: false });
    const call = client.getOrder(ORDER.id);
    await loading;
    // The load took longer than the call's totalTimeout (the clock moves; no real wait).
    const now = Date.now();
    vi.spyOn(Date, 'now').mockReturnValue(now + 6_000);
    release();
    const error = await call.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(sdk.TimeoutError);
    expect(error).toMatchObject({ limit: 'total', timeoutMs: 5_000 });
    expect(requests).toEqual([]);
  });
});
