/**
 * What ky 2 cannot do that the SDK needs (named in the opening comment of src/transport.ts), each
 * shown on ky itself and then on the client; what the transport relies on ky to do, shown on ky (so
 * that a ky release that changes it fails here first); and the connection messages of issue 15 item 9.
 */

import ky, { NetworkError as KyNetworkError, TimeoutError as KyTimeoutError } from 'ky';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  ConnectionError,
  NotFoundError,
  RateLimitError,
  SslOrdersClient,
  TimeoutError,
  type TokenRequest,
} from '../src/index.js';
import {
  BASE,
  clientOptions,
  makeClient,
  ORDER_SERVICE,
  order,
  rejection,
  useMswServer,
} from './helpers/msw.js';

const msw = useMswServer();

/** Settles to 'pending' if `promise` has not settled after `ms` (a bound on a negative, not a sleep). */
function stillPendingAfter(promise: Promise<unknown>, ms: number): Promise<'settled' | 'pending'> {
  return Promise.race([
    promise.then(
      () => 'settled' as const,
      () => 'settled' as const,
    ),
    new Promise<'pending'>((resolve) => setTimeout(() => resolve('pending'), ms)),
  ]);
}

describe('a token provider that never answers (issue 15 item 1)', () => {
  it('ky: a beforeRequest hook is not bounded by ky’s timeout', async () => {
    const controller = new AbortController();
    const request = ky('https://api.test.invalid/x', {
      timeout: 20,
      retry: 0,
      signal: controller.signal,
      hooks: { beforeRequest: [() => new Promise<undefined>(() => undefined)] },
    });
    // Ten times the timeout later the call still waits for the hook, and an abort does not end the
    // wait either (the hook is raced against totalTimeout only); the promise is left to be collected.
    expect(await stillPendingAfter(request, 200)).toBe('pending');
    controller.abort();
    expect(await stillPendingAfter(request, 50)).toBe('pending');
  });

  it('the client: TimeoutError within the timeout; the provider got a signal that aborted', async () => {
    const signals: AbortSignal[] = [];
    const provider = ({ signal }: TokenRequest) => {
      if (signal) signals.push(signal);
      return new Promise<string>(() => undefined);
    };
    const client = new SslOrdersClient(
      clientOptions({ auth: { bearerToken: provider }, timeout: 200, totalTimeout: 500, retry: false }),
    );
    const error = await rejection(client.getOrder(5));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: 'attempt', timeoutMs: 200 });
    expect(signals).toHaveLength(1);
    expect(signals[0]?.aborted).toBe(true);
    expect(msw.requests).toHaveLength(0);
  });

  it('the client: with retries, the total deadline ends the call', async () => {
    const client = new SslOrdersClient(
      clientOptions({
        auth: { bearerToken: () => new Promise<string>(() => undefined) },
        timeout: 100,
        totalTimeout: 250,
        retry: { maxRetries: 5, baseDelay: 1, maxDelay: 1 },
      }),
    );
    const error = await rejection(client.getOrder(5));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(msw.requests).toHaveLength(0);
  });
});

describe('a Retry-After longer than maxRetryAfter (issue 15 item 4)', () => {
  it('ky: caps the wait and retries early, into the same limit', async () => {
    let calls = 0;
    const fetch = async () => {
      calls++;
      return calls === 1
        ? new Response('slow down', { status: 429, headers: { 'Retry-After': '120' } })
        : new Response('{}', { status: 200 });
    };
    const response = await ky('https://api.test.invalid/x', {
      fetch,
      retry: { limit: 1, maxRetryAfter: 10, afterStatusCodes: [429], statusCodes: [429] },
    });
    expect(response.status).toBe(200);
    expect(calls).toBe(2);
  });

  it('the client: fails at once with RateLimitError carrying retryAfterMs', async () => {
    msw.server.use(
      http.get(`${BASE}*`, () =>
        HttpResponse.json({ error: 'Too many requests' }, { status: 429, headers: { 'Retry-After': '120' } }),
      ),
    );
    const client = new SslOrdersClient(clientOptions({ retry: { maxRetries: 3, maxRetryAfter: 10_000 } }));
    const error = await rejection(client.getOrder(5));
    expect(error).toBeInstanceOf(RateLimitError);
    expect((error as RateLimitError).retryAfterMs).toBe(120_000);
    expect(msw.requests).toHaveLength(1);
  });
});

describe('one deadline per attempt, body included', () => {
  it('ky: its timeout ends when the headers arrive; a body that never ends is not bounded by it', async () => {
    const endless = new ReadableStream<Uint8Array>({
      start: (stream) => stream.enqueue(new Uint8Array([91])),
    });
    const response = await ky('https://api.test.invalid/x', {
      timeout: 20,
      retry: 0,
      fetch: async () => new Response(endless, { status: 200 }),
    });
    expect(await stillPendingAfter(response.text(), 200)).toBe('pending');
  });

  it('ky: its body shortcut times the body separately, after the retries: a stalled body is not retried', async () => {
    let calls = 0;
    const request = ky('https://api.test.invalid/x', {
      timeout: 30,
      retry: { limit: 2, retryOnTimeout: true, delay: () => 0 },
      fetch: async () => {
        calls++;
        const endless = new ReadableStream<Uint8Array>({
          start: (stream) => stream.enqueue(new Uint8Array([91])),
        });
        return new Response(endless, { status: 200 });
      },
    }).text();
    expect(await rejection(request)).toBeInstanceOf(KyTimeoutError);
    expect(calls).toBe(1);
  });

  it('the client: a body that never ends is a TimeoutError after the attempt timeout', async () => {
    const endless = () =>
      new ReadableStream<Uint8Array>({ start: (stream) => stream.enqueue(new Uint8Array([91])) });
    const client = new SslOrdersClient(
      clientOptions({
        fetch: async () => new Response(endless(), { status: 200 }),
        timeout: 100,
        retry: false,
      }),
    );
    const error = await rejection(client.getOrder(5));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toMatchObject({ limit: 'attempt', timeoutMs: 100 });
  });
  it('the client: a stalled body is an attempt timeout like any other, so a read retries it', async () => {
    let calls = 0;
    const { client, events } = makeClient({
      fetch: async () => {
        calls++;
        if (calls > 1) return Response.json(order(5));
        const endless = new ReadableStream<Uint8Array>({
          start: (stream) => stream.enqueue(new Uint8Array([91])),
        });
        return new Response(endless, { status: 200 });
      },
      timeout: 100,
      retry: { baseDelay: 1, maxDelay: 1 },
    });
    expect((await client.getOrder(5)).id).toBe(5);
    expect(calls).toBe(2);
    expect(events.filter((event) => event.type === 'retry')).toMatchObject([
      { reason: 'timeout', attempt: 1 },
    ]);
  });
});

describe('a send is never repeated by a forced retry', () => {
  it('ky: ky.retry() from afterResponse skips the method check and repeats a POST', async () => {
    let posts = 0;
    await ky.post('https://api.test.invalid/resendEmail', {
      fetch: async () => {
        posts++;
        return new Response('true', { status: 200 });
      },
      retry: { limit: 1, delay: () => 0 },
      hooks: { afterResponse: [({ retryCount }) => (retryCount === 0 ? ky.retry() : undefined)] },
    });
    expect(posts).toBe(2);
  });
});

describe('what the transport relies on in ky 2.1', () => {
  const KY_URL = 'https://api.test.invalid/x';

  it('ky’s timeout bounds the whole fetch function: a wait inside it ends, and its signal aborts', async () => {
    let seen: AbortSignal | undefined;
    const error = await rejection(
      ky(KY_URL, {
        timeout: 30,
        retry: 0,
        fetch: async (request) => {
          seen = (request as Request).signal;
          // A token provider that never answers, then the body read: both inside the timed function.
          await new Promise<never>(() => undefined);
          return new Response('{}');
        },
      }),
    );
    expect(error).toBeInstanceOf(KyTimeoutError);
    expect(seen?.aborted).toBe(true);
  });

  it('so a body read inside fetch is bounded too', async () => {
    const endless = new ReadableStream<Uint8Array>({
      start: (stream) => stream.enqueue(new Uint8Array([91])),
    });
    const error = await rejection(
      ky(KY_URL, {
        timeout: 30,
        retry: 0,
        fetch: async () => {
          const response = new Response(endless, { status: 200 });
          await response.text();
          return response;
        },
      }),
    );
    expect(error).toBeInstanceOf(KyTimeoutError);
  });

  it('shouldRetry’s boolean is final, the wait is retry.delay’s, and POST retries when listed', async () => {
    const seen: number[] = [];
    let calls = 0;
    const response = await ky.post(KY_URL, {
      fetch: async () => {
        calls++;
        if (calls < 3) throw Object.assign(new Error('rate limited'), { status: 429 });
        return new Response('{}');
      },
      retry: {
        limit: 5,
        methods: ['post'],
        shouldRetry: ({ retryCount }) => {
          seen.push(retryCount);
          return true;
        },
        delay: () => 0,
      },
    });
    expect(response.status).toBe(200);
    expect([calls, seen]).toEqual([3, [1, 2]]);
    let refused = 0;
    await rejection(
      ky.post(KY_URL, {
        fetch: async () => {
          refused++;
          throw new Error('down');
        },
        retry: { limit: 5, methods: ['post'], shouldRetry: () => false },
      }),
    );
    expect(refused).toBe(1);
  });

  it('the limit is checked before shouldRetry: it is not asked about the last failure', async () => {
    const asked: number[] = [];
    await rejection(
      ky(KY_URL, {
        fetch: async () => {
          throw new Error('down');
        },
        retry: { limit: 2, shouldRetry: ({ retryCount }) => asked.push(retryCount) > 0, delay: () => 0 },
      }),
    );
    expect(asked).toEqual([1, 2]);
  });

  it('a TypeError("fetch failed") from fetch becomes a NetworkError that holds the Request, headers and all', async () => {
    const error = await rejection(
      ky(KY_URL, {
        retry: 0,
        headers: { authorization: 'Bearer secret-token' },
        fetch: async () => {
          throw new TypeError('fetch failed');
        },
      }),
    );
    expect(error).toBeInstanceOf(KyNetworkError);
    expect((error as KyNetworkError).request.headers.get('authorization')).toBe('Bearer secret-token');
  });
});

/** A fetch that fails the way undici does, with the system error two causes down. */
function failingFetch(code: string): typeof fetch {
  return async () => {
    const system = Object.assign(new Error(`getaddrinfo ${code} api.softlayre.com`), { code });
    throw new TypeError('fetch failed', { cause: system });
  };
}

describe('connection messages name the host (issue 15 item 9)', () => {
  it('a typo’d host: could not reach, the host, and what the code means', async () => {
    const client = new SslOrdersClient(
      clientOptions({
        baseUrl: 'https://api.softlayre.com/rest/v3.1/',
        fetch: failingFetch('ENOTFOUND'),
        retry: false,
      }),
    );
    const error = (await rejection(client.getOrder(5))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.dispatched).toBe(false);
    expect(error.host).toBe('api.softlayre.com');
    expect(error.message).toBe(
      `GET ${ORDER_SERVICE}/5/getObject.json failed: could not reach the SoftLayer API at api.softlayre.com (ENOTFOUND: no such host; check the host name)`,
    );
  });

  it('after the request was sent it never says "could not reach"', async () => {
    const client = new SslOrdersClient(clientOptions({ fetch: failingFetch('ECONNRESET'), retry: false }));
    const error = (await rejection(client.getOrder(5))) as ConnectionError;
    expect(error.dispatched).toBe(true);
    expect(error.message).not.toContain('could not reach');
    expect(error.message).toContain('after the request was sent (ECONNRESET)');
    expect(error.message).toContain('api.test.invalid');
  });

  it('a 404 from an endpoint without /rest/v3.1/ says so; a 404 from SoftLayer’s does not', async () => {
    const wrong = 'https://api.test.invalid/api/';
    msw.server.use(
      http.get(`${wrong}*`, () => new HttpResponse('<h1>Not Found</h1>', { status: 404 })),
      http.get(`${BASE}*`, () =>
        HttpResponse.json(
          { error: 'Unable to find object', code: 'SoftLayer_Exception_ObjectNotFound' },
          { status: 404 },
        ),
      ),
    );
    const atWrong = await rejection(
      new SslOrdersClient(clientOptions({ baseUrl: wrong, retry: false })).getOrder(5),
    );
    expect(atWrong).toBeInstanceOf(NotFoundError);
    expect((atWrong as Error).message).toContain(`the endpoint ${wrong} has no /rest/v3.1/ in its path`);
    const atSoftLayer = await rejection(new SslOrdersClient(clientOptions({ retry: false })).getOrder(5));
    expect(atSoftLayer).toBeInstanceOf(NotFoundError);
    expect((atSoftLayer as Error).message).not.toContain('/rest/v3.1/ in its path');
  });
});
