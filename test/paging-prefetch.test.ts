/**
 * Prefetching iterateOrders, against a fetch whose answers the test releases one by one: order of
 * the orders, the bound on pages held, stopping when the consumer stops, and a failed page.
 * Synchronised on the fetch calls themselves, never on time.
 */
import { describe, expect, it } from 'vitest';
import { ServerError, SslOrdersClient } from '../src/index.js';
import { BASE, order } from './helpers/msw.js';

interface Call {
  offset: number;
  limit: number | undefined;
  signal: AbortSignal;
  answer(status?: number): void;
}

/** A fetch for a list of `count` orders that answers only when the test says so. */
function gatedApi(count: number) {
  const calls: Call[] = [];
  const waiting: { count: number; resolve: () => void }[] = [];
  const fetch = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    const limit = new URL(request.url).searchParams.get('resultLimit');
    const [offset, size] = limit === null ? [0, undefined] : limit.split(',').map(Number);
    return new Promise<Response>((resolve, reject) => {
      request.signal.addEventListener('abort', () => reject(request.signal.reason), { once: true });
      calls.push({
        offset: offset ?? 0,
        limit: size,
        signal: request.signal,
        answer: (status = 200) => {
          const start = offset ?? 0;
          const ids = Array.from(
            { length: Math.max(0, Math.min(count, start + (size ?? count)) - start) },
            (_, i) => start + i + 1,
          );
          const body =
            status === 200
              ? ids.map((id) => order(id))
              : { error: 'boom', code: 'SoftLayer_Exception_Public' };
          resolve(
            new Response(JSON.stringify(body), {
              status,
              headers: { 'content-type': 'application/json', 'SoftLayer-Total-Items': String(count) },
            }),
          );
        },
      });
      for (const waiter of waiting.splice(0)) {
        if (calls.length >= waiter.count) waiter.resolve();
        else waiting.push(waiter);
      }
    });
  };
  /** Resolves once `n` requests were made. */
  const made = (n: number) =>
    calls.length >= n
      ? Promise.resolve()
      : new Promise<void>((resolve) => waiting.push({ count: n, resolve }));
  return { calls, fetch, made };
}

function clientWith(fetch: typeof globalThis.fetch) {
  return new SslOrdersClient({
    auth: { username: 'SL1234567_jane', apiKey: 'k'.repeat(64) },
    baseUrl: BASE,
    accountId: 1234567,
    fetch,
    retry: false,
    // Pacing is tested elsewhere; here its waits would only add timers between the gates.
    rateLimit: false,
  });
}

/** Lets every promise job and I/O callback already due run (no timer is involved in these tests). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('prefetching iterateOrders', () => {
  it('fetches up to `concurrency` pages ahead at the server page size and yields in order, whatever order answers come in', async () => {
    const api = gatedApi(20);
    const iterator = clientWith(api.fetch).iterateOrders({ pageSize: 4, concurrency: 3 });
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const item of iterator) seen.push(item.id);
    })();
    await api.made(1);
    api.calls[0]!.answer();
    await api.made(4);
    expect(api.calls.map((call) => [call.offset, call.limit])).toEqual([
      [0, 4],
      [4, 4],
      [8, 4],
      [12, 4],
    ]);
    // Answer the later pages first: the orders still come out in order.
    api.calls[3]!.answer();
    api.calls[2]!.answer();
    api.calls[1]!.answer();
    await api.made(5);
    api.calls[4]!.answer();
    await consumer;
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(api.calls).toHaveLength(5);
  });

  it('holds at most `concurrency` pages: a slow consumer stops the fetching', async () => {
    const api = gatedApi(40);
    const iterator = clientWith(api.fetch).iterateOrders({ pageSize: 2, concurrency: 3 });
    const first = iterator.next();
    await api.made(1);
    api.calls[0]!.answer();
    expect((await first).value).toMatchObject({ id: 1 });
    await iterator.next(); // id 2, the rest of the first page
    const third = iterator.next(); // needs the second page: three pages are fetched ahead
    await api.made(4);
    for (const call of api.calls.slice(1)) call.answer();
    expect((await third).value).toMatchObject({ id: 3 });
    // Every answer is in, the consumer holds page 2 and pages 3 and 4 wait: nothing more is asked for.
    await settle();
    expect(api.calls).toHaveLength(4);
    await iterator.return(undefined);
  });

  it('stops fetching when the consumer stops: pages in flight are aborted', async () => {
    const api = gatedApi(40);
    const iterator = clientWith(api.fetch).iterateOrders({ pageSize: 2, concurrency: 4 });
    const first = iterator.next();
    await api.made(1);
    api.calls[0]!.answer();
    await first;
    await iterator.next();
    const third = iterator.next();
    await api.made(5);
    api.calls[1]!.answer();
    expect((await third).value).toMatchObject({ id: 3 });
    await iterator.return(undefined);
    expect(api.calls.slice(2).map((call) => call.signal.aborted)).toEqual([true, true, true]);
    await settle();
    expect(api.calls).toHaveLength(5);
  });

  it('a failed page ends the iteration with its typed error, after every order before it', async () => {
    const api = gatedApi(20);
    const iterator = clientWith(api.fetch).iterateOrders({ pageSize: 4, concurrency: 4 });
    const seen: number[] = [];
    const consumer = (async () => {
      for await (const item of iterator) seen.push(item.id);
    })();
    await api.made(1);
    api.calls[0]!.answer();
    await api.made(5);
    // The third page fails before the second one answers.
    api.calls[2]!.answer(500);
    api.calls[1]!.answer();
    const error = await consumer.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ServerError);
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // The pages after the failed one were aborted.
    expect(api.calls.slice(3).every((call) => call.signal.aborted)).toBe(true);
  });

  it('rejects a bad concurrency before any request', async () => {
    const api = gatedApi(1);
    const iterator = clientWith(api.fetch).iterateOrders({ concurrency: 0 });
    await expect(iterator.next()).rejects.toThrow(/concurrency must be an integer from 1 to 16/);
    expect(api.calls).toHaveLength(0);
  });
});
