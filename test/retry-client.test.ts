import { createServer } from 'node:net';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  SendOutcomeUnknownError,
  ServerError,
  SslOrdersClient,
  type SslOrdersClientOptions,
  type SslOrdersEvent,
  TimeoutError,
} from '../src/index.js';

const BASE = 'https://api.retry.test/rest/v3.1/';
const RATE_LIMIT = 'SoftLayer_Exception_WebService_RateLimitExceeded';
const ORDER = {
  id: 7,
  accountId: 1,
  commonName: 'www.example.com',
  approverEmailAddress: 'admin@example.com',
  statusId: 2,
  status: { id: 2, name: 'Approved' },
};

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledFrame: 'bypass' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

type Responder = (n: number, request: Request) => Response | Promise<Response>;

/** Serves every API request with `respond`, numbering the requests per method. */
function serve(respond: Responder, onlyMethod?: 'GET' | 'POST') {
  const counts = { GET: 0, POST: 0, total: 0 };
  server.use(
    http.all(`${BASE}*`, ({ request }) => {
      const method = request.method as 'GET' | 'POST';
      counts[method]++;
      counts.total++;
      if (onlyMethod && method !== onlyMethod) {
        return HttpResponse.json(request.url.includes('resendEmail') ? true : ORDER);
      }
      return respond(onlyMethod ? counts[method] : counts.total, request);
    }),
  );
  return counts;
}

// Timeout rows use a short per-attempt timeout; the others a long one, so that a busy machine
// never turns a slow answer into an unexpected timeout.
const SLOW = 1_500;
const timeoutFor = (label: string) => (label.includes('timeout') ? 150 : 5_000);
const ok = () => HttpResponse.json(ORDER);
const slError = (status: number, code: string, headers: Record<string, string> = {}) =>
  HttpResponse.json({ error: `failed: ${code}`, code }, { status, headers });

function makeClient(options: Partial<SslOrdersClientOptions> = {}) {
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({
    auth: { username: 'SL1_jane', apiKey: 'a'.repeat(64) },
    accountId: 1,
    baseUrl: BASE,
    timeout: 1_000,
    retry: { baseDelay: 1, maxDelay: 4 },
    confirm: () => true,
    sendCooldown: 0,
    onEvent: (event) => events.push(event),
    ...options,
  });
  const retries = () => events.filter((event) => event.type === 'retry');
  return { client, events, retries };
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/**
 * A dead API at the fetch boundary: every request gets HTTP 503. In-process, because a thousand
 * real sockets (or msw's interceptor) take seconds on a busy machine and prove nothing more here.
 */
function deadApi() {
  const counts = { total: 0 };
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    counts.total++;
    await new Request(input, init).text();
    return Response.json({ error: 'down', code: 'SoftLayer_Exception_Public' }, { status: 503 });
  };
  return { counts, fetch: fetchImpl as typeof fetch };
}

const retried: Array<[string, Responder, new (...args: never[]) => Error]> = [
  ['HTTP 429', () => slError(429, 'SoftLayer_Exception_Public'), RateLimitError],
  ['HTTP 500 + RateLimitExceeded', () => slError(500, RATE_LIMIT), RateLimitError],
  ['HTTP 500', () => slError(500, 'SoftLayer_Exception_Public'), ServerError],
  ['HTTP 502 HTML', () => new HttpResponse('<html>Bad Gateway</html>', { status: 502 }), ServerError],
  ['HTTP 503', () => slError(503, 'SoftLayer_Exception_Public'), ServerError],
  ['a network error', () => HttpResponse.error(), ConnectionError],
  [
    'an attempt timeout',
    async () => {
      await delay(SLOW);
      return ok();
    },
    TimeoutError,
  ],
];

describe('reads retry transient failures', () => {
  it.each(retried)('%s: 1 + maxRetries requests, then the typed error', async (label, respond, type) => {
    const counts = serve(respond);
    const { client, retries } = makeClient({ timeout: timeoutFor(label) });
    await expect(client.getOrder(7)).rejects.toBeInstanceOf(type);
    expect(counts.total).toBe(3);
    expect(retries().map((event) => event.attempt)).toEqual([1, 2]);
  });

  it.each(retried)('%s twice, then success: resolves after 3 requests', async (label, respond) => {
    const counts = serve((n, request) => (n <= 2 ? respond(n, request) : ok()));
    const { client } = makeClient({ timeout: timeoutFor(label) });
    await expect(client.getOrder(7)).resolves.toMatchObject({ id: 7 });
    expect(counts.total).toBe(3);
  });

  it('a refused connection is retried and reported with its system code', async () => {
    const port = await closedPort();
    const { client, retries, events } = makeClient({ baseUrl: `http://127.0.0.1:${port}/rest/v3.1/` });
    const error = await client.getOrder(7).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error).toMatchObject({ code: 'ECONNREFUSED', dispatched: false });
    expect(events.filter((event) => event.type === 'request')).toHaveLength(3);
    expect(retries()[0]).toMatchObject({
      reason: 'connection',
      code: 'ECONNREFUSED',
      errorName: 'ConnectionError',
    });
  });
});

describe('reads never retry answers that will not change', () => {
  it.each([
    ['400', () => slError(400, 'SoftLayer_Exception_InvalidValue'), ApiError],
    ['401', () => slError(401, 'SoftLayer_Exception_InvalidLegacyToken'), AuthenticationError],
    ['403', () => slError(403, 'SoftLayer_Exception_PermissionDenied'), PermissionDeniedError],
    ['404', () => slError(404, 'SoftLayer_Exception_ObjectNotFound'), NotFoundError],
    ['an invalid body', () => HttpResponse.json({ id: 'seven' }), ResponseValidationError],
    ['non-JSON success', () => new HttpResponse('<html>ok</html>', { status: 200 }), ResponseValidationError],
  ] as Array<[string, Responder, new (...args: never[]) => Error]>)(
    '%s: one request',
    async (_l, respond, type) => {
      const counts = serve(respond);
      const { client, retries } = makeClient();
      await expect(client.getOrder(7)).rejects.toBeInstanceOf(type);
      expect(counts.total).toBe(1);
      expect(retries()).toEqual([]);
    },
  );
});

describe('Retry-After', () => {
  it.each([
    ['429', 429, 'SoftLayer_Exception_Public'],
    ['500 + RateLimitExceeded', 500, RATE_LIMIT],
  ])('is honoured for %s (seconds)', async (_label, status, code) => {
    serve((n) => (n === 1 ? slError(status, code, { 'Retry-After': '0.06' }) : ok()));
    const { client, retries } = makeClient();
    const started = performance.now();
    await client.getOrder(7);
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
    expect(retries()[0]).toMatchObject({
      delayMs: 60,
      reason: 'rate-limit',
      status,
      code,
      errorName: 'RateLimitError',
    });
  });

  it.each([
    ['seconds', '120'],
    ['an HTTP date', new Date(Date.now() + 3_600_000).toUTCString()],
  ])(
    'longer than maxRetryAfter (%s): fails at once with the RateLimitError carrying the wait',
    async (_label, value) => {
      const counts = serve(() => slError(429, 'x', { 'Retry-After': value }));
      const { client, retries } = makeClient({ retry: { maxRetries: 2, maxRetryAfter: 15_000 } });
      const error = await client.getOrder(7).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(RateLimitError);
      expect((error as RateLimitError).retryAfterMs).toBeGreaterThan(15_000);
      expect(counts.total).toBe(1);
      expect(retries()).toEqual([]);
    },
  );

  it('up to maxRetryAfter is waited for', async () => {
    serve((n) => (n === 1 ? slError(429, 'x', { 'Retry-After': '0.05' }) : ok()));
    const { client, retries } = makeClient({ retry: { maxRetries: 2, maxRetryAfter: 50 } });
    await client.getOrder(7);
    expect(retries().map((event) => event.delayMs)).toEqual([50]);
  });

  it('a garbage value falls back to the backoff delay', async () => {
    serve(() => slError(429, 'x', { 'Retry-After': 'soon' }));
    const { client, retries } = makeClient({ retry: { maxRetries: 1, baseDelay: 3, jitter: 'none' } });
    await expect(client.getOrder(7)).rejects.toBeInstanceOf(RateLimitError);
    expect(retries()[0]?.delayMs).toBe(3);
  });
});

describe('policy options', () => {
  it('retry: false makes one attempt', async () => {
    const counts = serve(() => slError(503, 'x'));
    const { client } = makeClient({ retry: false });
    await expect(client.getOrder(7)).rejects.toBeInstanceOf(ServerError);
    expect(counts.total).toBe(1);
  });

  it.each([
    ['{ maxRetries: 0 }', {}, { maxRetries: 0 }, 1],
    ['false', {}, false, 1],
    ['{ maxRetries: 4 }', {}, { maxRetries: 4 }, 5],
    ["{ retryOn: ['connection'] } on a 503", {}, { retryOn: ['connection'] }, 1],
    [
      '{ maxRetries: 1 } over a client with retry: false',
      { retry: false },
      { maxRetries: 1, baseDelay: 1 },
      2,
    ],
  ] as const)('a per-call %s reaches the transport', async (_label, clientOptions, retry, expected) => {
    const counts = serve(() => slError(503, 'x'));
    const { client } = makeClient(clientOptions as Partial<SslOrdersClientOptions>);
    await expect(client.getOrder(7, { retry: retry as never })).rejects.toBeInstanceOf(ServerError);
    expect(counts.total).toBe(expected);
    counts.total = 0;
    await expect(client.listOrders({ retry: retry as never })).rejects.toBeInstanceOf(ServerError);
    expect(counts.total).toBe(expected);
  });

  it('refuses a per-call budget, and any retry option on a send, before a request', async () => {
    const counts = serve(() => ok());
    const { client } = makeClient();
    const perCall = { retry: { budget: { capacity: 1 } } } as never;
    await expect(client.getOrder(7, perCall)).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'retry.budget',
    });
    await expect(
      client.resendFulfillmentEmail(7, { retry: { maxRetries: 3 } } as never),
    ).rejects.toMatchObject({
      name: 'InvalidArgumentError',
      argument: 'retry',
    });
    expect(counts.total).toBe(0);
  });

  it('totalTimeout stops retrying when the next wait would pass the deadline', async () => {
    const api = deadApi();
    const { client } = makeClient({
      fetch: api.fetch,
      retry: { maxRetries: 10, baseDelay: 60, maxDelay: 1_000, jitter: 'none' },
    });
    const started = performance.now();
    await expect(client.getOrder(7, { totalTimeout: 400 })).rejects.toBeInstanceOf(ServerError);
    // Waits of 60 and 120 ms fit in 400 ms; the next one (240 ms) would not, so the call ends early.
    expect(api.counts.total).toBe(3);
    expect(performance.now() - started).toBeLessThan(400);
  });

  it('totalTimeout cuts a slow attempt short with limit "total"', async () => {
    const counts = serve(async () => {
      await delay(2_000);
      return ok();
    });
    const { client } = makeClient({ timeout: 5_000, totalTimeout: 60 });
    const started = performance.now();
    await expect(client.getOrder(7)).rejects.toMatchObject({ name: 'TimeoutError', limit: 'total' });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(counts.total).toBe(1);
  });

  it('an abort during a wait between retries rejects at once with the reason', async () => {
    const counts = serve(() => slError(429, 'x', { 'Retry-After': '30' }));
    const controller = new AbortController();
    const reason = new Error('user pressed stop');
    const { client } = makeClient({
      onEvent: (event) => {
        if (event.type === 'retry') setTimeout(() => controller.abort(reason), 5);
      },
    });
    const started = performance.now();
    const error = await client.getOrder(7, { signal: controller.signal }).catch((caught: unknown) => caught);
    expect(error).toBe(reason);
    expect(performance.now() - started).toBeLessThan(500);
    expect(counts.total).toBe(1);
  });
});

describe('the retry event', () => {
  it.each([
    [
      'rate limit',
      () => slError(500, RATE_LIMIT),
      { reason: 'rate-limit', status: 500, code: RATE_LIMIT, errorName: 'RateLimitError' },
    ],
    [
      'server error',
      () => slError(503, 'SoftLayer_Exception_Public'),
      { reason: 'server-error', status: 503, code: 'SoftLayer_Exception_Public', errorName: 'ServerError' },
    ],
    [
      'network error',
      () => HttpResponse.error(),
      { reason: 'connection', status: undefined, errorName: 'ConnectionError' },
    ],
    [
      'timeout',
      async () => {
        await delay(SLOW);
        return ok();
      },
      { reason: 'timeout', status: undefined, code: undefined, errorName: 'TimeoutError' },
    ],
  ] as Array<[string, Responder, object]>)('%s', async (label, respond, fields) => {
    serve((n, request) => (n === 1 ? respond(n, request) : ok()));
    const { client, retries } = makeClient({
      timeout: timeoutFor(label),
      retry: { baseDelay: 2, jitter: 'none' },
    });
    await client.getOrder(7);
    expect(retries()).toEqual([
      {
        type: 'retry',
        method: 'GET',
        path: 'SoftLayer_Security_Certificate_Request/7/getObject.json',
        attempt: 1,
        idempotent: true,
        delayMs: 2,
        code: undefined,
        ...fields,
      },
    ]);
  });
});

describe('the retry budget', () => {
  it('1,000 concurrent reads against a dead API make at most 1,000 + capacity/retryCost requests', async () => {
    const api = deadApi();
    // Pacing off: this measures the retry budget, and 1,000 paced calls would take 20 s.
    const { client, retries } = makeClient({
      fetch: api.fetch,
      retry: { baseDelay: 1, maxDelay: 2 },
      rateLimit: false,
    });
    const calls = Array.from({ length: 1_000 }, (_, i) =>
      i % 2 === 0 ? client.listOrders() : client.getOrder(i + 1),
    );
    const results = await Promise.allSettled(calls);
    expect(
      results.every((result) => result.status === 'rejected' && result.reason instanceof ServerError),
    ).toBe(true);
    // Default budget: capacity 500, retryCost 5 → 100 retries in all; without it, 3,000 requests.
    const bound = 1_000 + 500 / 5;
    expect(api.counts.total).toBe(bound);
    expect(retries()).toHaveLength(100);

    // The bucket is empty: the next call fails fast with its own error after one request.
    api.counts.total = 0;
    const started = performance.now();
    await expect(client.getOrder(1)).rejects.toBeInstanceOf(ServerError);
    expect(api.counts.total).toBe(1);
    expect(retries()).toHaveLength(100);
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('without the budget the same storm triples the load', async () => {
    const api = deadApi();
    const { client } = makeClient({
      fetch: api.fetch,
      retry: { baseDelay: 1, maxDelay: 2, budget: false },
      rateLimit: false,
    });
    await Promise.allSettled(Array.from({ length: 100 }, (_, i) => client.getOrder(i + 1)));
    expect(api.counts.total).toBe(300);
  });

  it('successes refill the bucket', async () => {
    let failing = true;
    const counts = serve(() => (failing ? slError(503, 'x') : ok()));
    const { client } = makeClient({
      retry: { maxRetries: 1, budget: { capacity: 10, retryCost: 5, successRefund: 5 } },
    });
    await Promise.allSettled([client.getOrder(1), client.getOrder(2), client.getOrder(3)]);
    // Two retries empty the bucket; the third call fails after one request.
    expect(counts.total).toBe(5);
    failing = false;
    await client.getOrder(1);
    await client.getOrder(1);
    failing = true;
    counts.total = 0;
    await expect(client.getOrder(1)).rejects.toBeInstanceOf(ServerError);
    expect(counts.total).toBe(2);
  });
});

describe('sends retry only what the server provably did not act on', () => {
  const send = (client: SslOrdersClient) => client.resendFulfillmentEmail(7, { confirm: false });

  it.each([
    ['HTTP 500', () => slError(500, 'SoftLayer_Exception_Public')],
    ['HTTP 503', () => slError(503, 'SoftLayer_Exception_Public')],
    ['a network error', () => HttpResponse.error()],
    [
      'a timeout',
      async () => {
        await delay(SLOW);
        return HttpResponse.json(true);
      },
    ],
  ] as Array<[string, Responder]>)('%s: one POST, outcome unknown', async (label, respond) => {
    const counts = serve(respond, 'POST');
    const { client, retries } = makeClient({
      timeout: timeoutFor(label),
      retry: { maxRetries: 5, baseDelay: 1 },
    });
    await expect(send(client)).rejects.toBeInstanceOf(SendOutcomeUnknownError);
    expect(counts.POST).toBe(1);
    expect(retries()).toEqual([]);
  });

  it.each([
    ['HTTP 429', 429, 'SoftLayer_Exception_Public'],
    ['HTTP 500 + RateLimitExceeded', 500, RATE_LIMIT],
  ])('%s is retried, then sent once', async (_label, status, code) => {
    const counts = serve((n) => (n === 1 ? slError(status, code) : HttpResponse.json(true)), 'POST');
    const { client, retries } = makeClient();
    await expect(send(client)).resolves.toMatchObject({ outcome: 'sent' });
    expect(counts.POST).toBe(2);
    expect(retries()).toMatchObject([{ idempotent: false, reason: 'rate-limit' }]);
  });

  it('a connection refused before dispatch is retried', async () => {
    const port = await closedPort();
    let posts = 0;
    const counts = serve(() => HttpResponse.json(true), 'POST');
    const { client } = makeClient({
      fetch: (input, init) => {
        const request = new Request(input, init);
        // The first POST goes to a port nobody listens on: a real ECONNREFUSED.
        if (request.method === 'POST' && posts++ === 0) return fetch(`http://127.0.0.1:${port}/`, init);
        return fetch(request);
      },
    });
    await expect(send(client)).resolves.toMatchObject({ outcome: 'sent' });
    expect(posts).toBe(2);
    expect(counts.POST).toBe(1);
  });

  it('rate limits on every attempt end with the RateLimitError after maxRetries', async () => {
    const counts = serve(() => slError(500, RATE_LIMIT), 'POST');
    const { client } = makeClient({ retry: { maxRetries: 2, baseDelay: 1 } });
    await expect(send(client)).rejects.toBeInstanceOf(RateLimitError);
    expect(counts.POST).toBe(3);
  });
});
