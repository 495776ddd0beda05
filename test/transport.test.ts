import { inspect } from 'node:util';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import { TOKEN_EXPIRED_CODE } from '../src/errors.js';
import {
  type Auth,
  InvalidArgumentError,
  ServerError,
  SslOrdersClient,
  type SslOrdersClientOptions,
  type SslOrdersEvent,
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
const ID = 4471203;
const GET_URL = `${BASE}${ORDER_SERVICE}/${ID}/getObject.json`;

describe('secrets never leak', () => {
  const KEY = 'a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1b2';
  const kinds: { kind: string; auth: Auth; secrets: string[] }[] = [
    {
      kind: 'classic',
      auth: { username: 'SL1234567_jane', apiKey: KEY },
      secrets: [KEY, Buffer.from(`SL1234567_jane:${KEY}`).toString('base64')],
    },
    {
      kind: 'ibmCloudApiKey',
      auth: { ibmCloudApiKey: KEY },
      secrets: [KEY, Buffer.from(`apikey:${KEY}`).toString('base64')],
    },
    { kind: 'bearer string', auth: { bearerToken: KEY }, secrets: [KEY] },
    { kind: 'bearer function', auth: { bearerToken: async () => KEY }, secrets: [KEY] },
  ];

  /** Every view of a value a user or a logger could see. */
  function views(value: unknown): string[] {
    const out = [
      String(value),
      JSON.stringify(value) ?? '',
      inspect(value, { depth: Infinity, showHidden: true }),
    ];
    if (value instanceof Error) {
      out.push(value.stack ?? '');
      for (const field of Object.values(value)) out.push(String(field), JSON.stringify(field) ?? '');
      if (value.cause !== undefined) out.push(...views(value.cause));
    }
    return out;
  }

  function expectClean(value: unknown, secrets: string[]): void {
    for (const view of views(value)) {
      for (const secret of secrets) {
        expect(view).not.toContain(secret);
        // A partial secret is a leak too.
        expect(view).not.toContain(secret.slice(0, 16));
      }
    }
  }

  function echo(request: Request): string {
    return `Credentials ${request.headers.get('authorization')} and key ${KEY} were refused`;
  }

  const responders: [string, (request: Request) => Response | Promise<Response>][] = [
    [
      'JSON error echoing the header and key',
      (r) =>
        HttpResponse.json(
          { error: echo(r), code: 'SoftLayer_Exception_InvalidLegacyToken' },
          { status: 401 },
        ),
    ],
    [
      'error body with HTTP 200 echoing them',
      (r) => HttpResponse.json({ error: echo(r), code: 'SoftLayer_Exception_Public' }),
    ],
    [
      'key in the code field',
      () => HttpResponse.json({ error: 'no', code: `SoftLayer_Exception_${KEY}` }, { status: 400 }),
    ],
    [
      'key cut by the excerpt limit',
      () => HttpResponse.json({ error: `${'x'.repeat(975)} ${KEY}` }, { status: 500 }),
    ],
    [
      'HTML error page echoing them',
      (r) => new HttpResponse(`<html><body><pre>${echo(r)}</pre></body></html>`, { status: 502 }),
    ],
    [
      'HTML error page with the key past the excerpt limit',
      () => new HttpResponse(`<p>${'y'.repeat(175)} ${KEY}</p>`, { status: 502 }),
    ],
    ['non-JSON success body echoing them', (r) => new HttpResponse(`oops ${echo(r)}`, { status: 200 })],
    [
      'non-JSON success body with the key at the excerpt limit',
      () => new HttpResponse(`${'z'.repeat(70)} ${KEY}`, { status: 200 }),
    ],
    ['wrong shape with the key as a value', () => HttpResponse.json({ id: KEY, commonName: KEY })],
    ['network error', () => HttpResponse.error()],
    ['hanging response', () => new Promise<Response>(() => undefined)],
  ];

  for (const { kind, auth, secrets } of kinds) {
    describe(`with ${kind} auth`, () => {
      it.each(responders)('%s: no secret in the error, its cause or the events', async (name, respond) => {
        msw.server.use(http.get(GET_URL, ({ request }) => respond(request)));
        // Only the hanging case needs the timeout; elsewhere a short one could fire before the request
        // leaves on a loaded machine, and the test would check nothing.
        const timeout = name === 'hanging response' ? 50 : 10_000;
        const { client, events } = makeClient({ auth, retry: false, timeout });
        const error = await rejection(client.getOrder(ID));
        expect(error).toBeInstanceOf(Error);
        expectClean(error, secrets);
        expectClean(events, secrets);
        expectClean(client, secrets);
        expect(msw.requests[0]?.headers.get('authorization')).toContain(
          kind.startsWith('bearer') ? KEY : secrets[1],
        );
      });

      it('retry events carry no secret either', async () => {
        msw.server.use(
          http.get(GET_URL, ({ request }) => HttpResponse.json({ error: echo(request) }, { status: 503 })),
        );
        const { client, events } = makeClient({ auth, retry: { maxRetries: 1, baseDelay: 1 } });
        expectClean(await rejection(client.getOrder(ID)), secrets);
        expect(events.some((e) => e.type === 'retry')).toBe(true);
        expectClean(events, secrets);
      });
    });
  }

  it.each([
    ['a key with a line break', { username: 'SL1_jane', apiKey: `${KEY}\n` }],
    ['a too-short key', { username: 'SL1_jane', apiKey: 'abc' }],
    ['mixed shapes', { ibmCloudApiKey: KEY, bearerToken: KEY }],
    ['a username with a colon', { username: `jane:${KEY}`, apiKey: KEY }],
  ])('constructor errors for %s do not echo the secret', (_, auth) => {
    let caught: unknown;
    try {
      new SslOrdersClient(clientOptions({ auth: auth as Auth }));
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InvalidArgumentError);
    expectClean(caught, [KEY, 'abc']);
  });
});

describe('retries', () => {
  function countingServer(failures: number, fail: () => Response | Promise<Response>) {
    let calls = 0;
    msw.server.use(
      http.get(GET_URL, () => {
        calls++;
        return calls <= failures ? fail() : HttpResponse.json(order(ID));
      }),
    );
  }

  function retryClient(overrides: Partial<SslOrdersClientOptions> = {}) {
    return makeClient({ retry: { baseDelay: 1, maxDelay: 2 }, timeout: 50, ...overrides });
  }

  const retried: [string, () => Response | Promise<Response>][] = [
    ['HTTP 503', () => HttpResponse.json({ error: 'down' }, { status: 503 })],
    [
      'HTTP 500 Internal Error',
      () =>
        HttpResponse.json({ error: 'Internal Error', code: 'SoftLayer_Exception_Public' }, { status: 500 }),
    ],
    ['HTTP 429', () => HttpResponse.json({ error: 'slow' }, { status: 429 })],
    [
      'rate limit code at 500',
      () =>
        HttpResponse.json(
          { error: 'slow', code: 'SoftLayer_Exception_WebService_RateLimitExceeded' },
          { status: 500 },
        ),
    ],
    ['an HTML 502 page', () => new HttpResponse('<h1>Bad Gateway</h1>', { status: 502 })],
    [
      'an error body with HTTP 200',
      () => HttpResponse.json({ error: 'Internal Error', code: 'SoftLayer_Exception_Public' }),
    ],
    ['an empty HTTP 200 body', () => new HttpResponse('', { status: 200 })],
    ['a connection error', () => HttpResponse.error()],
    ['a timeout', () => new Promise<Response>(() => undefined)],
  ];

  it.each(retried)('reads retry after %s (2 failures → third attempt succeeds)', async (_, fail) => {
    countingServer(2, fail);
    const { client, events } = retryClient();
    expect(await client.getOrder(ID)).toEqual(order(ID));
    expect(msw.requests).toHaveLength(3);
    expect(events.filter((e) => e.type === 'retry')).toHaveLength(2);
  });

  it.each(retried)('gives up after maxRetries on %s', async (_, fail) => {
    countingServer(10, fail);
    const { client } = retryClient({ retry: { baseDelay: 1, maxRetries: 1 } });
    await rejection(client.getOrder(ID));
    expect(msw.requests).toHaveLength(2);
  });

  const never: [string, () => Response][] = [
    ['HTTP 400', () => HttpResponse.json({ error: 'bad' }, { status: 400 })],
    ['HTTP 401', () => HttpResponse.json({ error: 'who' }, { status: 401 })],
    ['HTTP 403', () => HttpResponse.json({ error: 'no' }, { status: 403 })],
    ['HTTP 404', () => HttpResponse.json({ error: 'gone' }, { status: 404 })],
    [
      'ObjectNotFound at 500',
      () => HttpResponse.json({ error: 'gone', code: 'SoftLayer_Exception_ObjectNotFound' }, { status: 500 }),
    ],
    ['a validation error', () => HttpResponse.json({ id: 'not a number' })],
    ['a non-JSON success body', () => new HttpResponse('<html>', { status: 200 })],
  ];

  it.each(never)('never retries %s', async (_, fail) => {
    countingServer(10, fail);
    const { client, events } = retryClient();
    await rejection(client.getOrder(ID));
    expect(msw.requests).toHaveLength(1);
    expect(events.filter((e: SslOrdersEvent) => e.type === 'retry')).toHaveLength(0);
  });

  it('retry: false makes one attempt, per client and per call', async () => {
    countingServer(10, () => HttpResponse.json({ error: 'down' }, { status: 503 }));
    const { client } = retryClient({ retry: false });
    await rejection(client.getOrder(ID));
    expect(msw.requests).toHaveLength(1);
    const { client: other } = retryClient();
    await rejection(other.getOrder(ID, { retry: false }));
    expect(msw.requests).toHaveLength(2);
  });

  it('list pages and the account lookup retry as reads too', async () => {
    let accountCalls = 0;
    let listCalls = 0;
    msw.server.use(
      http.get(`${BASE}SoftLayer_Account/getObject.json`, () =>
        ++accountCalls === 1 ? HttpResponse.error() : HttpResponse.json({ id: 9 }),
      ),
      http.post(`${BASE}${ORDER_SERVICE}/getSslCertificateRequests.json`, () =>
        ++listCalls === 1
          ? HttpResponse.json({ error: 'x' }, { status: 500 })
          : HttpResponse.json([order(1)]),
      ),
    );
    const { client } = retryClient({ accountId: undefined });
    expect((await client.listOrders()).orders).toHaveLength(1);
    expect([accountCalls, listCalls]).toEqual([2, 2]);
  });

  it('a POST read sends its body on every attempt, through the global fetch and a custom one', async () => {
    let listCalls = 0;
    msw.server.use(
      http.post(`${BASE}${ORDER_SERVICE}/getSslCertificateRequests.json`, () =>
        ++listCalls % 2 === 1
          ? HttpResponse.json({ error: 'x' }, { status: 500 })
          : HttpResponse.json([order(1)]),
      ),
    );
    // The body is added by the attempt, not given to ky (see transport-call.ts): both routes carry it.
    const viaRequest: string[] = [];
    const custom: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      viaRequest.push(await request.clone().text());
      return fetch(request);
    };
    expect((await retryClient({ accountId: 7 }).client.listOrders()).orders).toHaveLength(1);
    expect((await retryClient({ accountId: 7, fetch: custom }).client.listOrders()).orders).toHaveLength(1);
    expect(msw.requests.map((r) => [r.method, r.body])).toEqual(
      Array.from({ length: 4 }, () => ['POST', '{"parameters":[7]}']),
    );
    expect(viaRequest).toEqual(['{"parameters":[7]}', '{"parameters":[7]}']);
  });

  // The replay is ky's retry 1 by position: a provider that caches its rejected promise throws the
  // same object on every attempt, and each of those still meets the policy, the budget and the events.
  it('a token provider that throws the same error object every time gets maxRetries retries, not one more', async () => {
    const down = new ServerError({
      method: 'POST',
      path: 'identity/token',
      status: 503,
      code: undefined,
      serverMessage: 'down',
    });
    let asked = 0;
    const { client, events } = retryClient({
      auth: {
        bearerToken: () => {
          asked++;
          return Promise.reject(down);
        },
      },
      retry: { baseDelay: 1, maxDelay: 2, maxRetries: 2, budget: { capacity: 100, retryCost: 5 } },
    });
    expect(await rejection(client.getOrder(ID))).toBe(down);
    expect(asked).toBe(3);
    expect(events.filter((event) => event.type === 'retry').map((event) => event.attempt)).toEqual([1, 2]);
    expect(msw.requests).toHaveLength(0);
  });

  // The first attempt runs in a ky call without retries, the rest in a second one that starts by
  // replaying the first failure (transport-call.ts): none of it may show in events or the budget.
  it('a retried call reports each attempt once: events in order, across a refresh and a retry', async () => {
    let calls = 0;
    msw.server.use(
      http.get(GET_URL, () => {
        calls++;
        if (calls === 1)
          return HttpResponse.json({ error: 'expired', code: TOKEN_EXPIRED_CODE }, { status: 500 });
        if (calls === 2) return HttpResponse.json({ error: 'down' }, { status: 503 });
        return HttpResponse.json(order(ID));
      }),
    );
    const forced: boolean[] = [];
    const { client, events } = retryClient({
      auth: {
        bearerToken: ({ forceRefresh }) => {
          forced.push(forceRefresh);
          return `token-${forced.length}`;
        },
      },
    });
    await client.getOrder(ID);
    // Pacing events depend on what earlier tests took from the shared limiter; the transport's do not.
    const own = events.filter((event) =>
      ['request', 'response', 'retry', 'auth.refresh'].includes(event.type),
    );
    expect(own.map((event) => ('attempt' in event ? `${event.type} ${event.attempt}` : event.type))).toEqual([
      'request 1',
      'response 1',
      'auth.refresh 1',
      'request 2',
      'response 2',
      'retry 2',
      'request 3',
      'response 3',
    ]);
    expect(forced).toEqual([false, true, false]);
  });

  it('the budget pays once per retry: a budget of two retries allows exactly two', async () => {
    countingServer(100, () => HttpResponse.json({ error: 'down' }, { status: 503 }));
    const { client, events } = retryClient({
      retry: { baseDelay: 1, maxDelay: 2, maxRetries: 5, budget: { capacity: 10, retryCost: 5 } },
    });
    await rejection(client.getOrder(ID));
    await rejection(client.getOrder(ID));
    expect(msw.requests).toHaveLength(4);
    expect(events.filter((event) => event.type === 'retry')).toHaveLength(2);
  });

  it('sends the same request on every attempt', async () => {
    countingServer(2, () => HttpResponse.json({ error: 'down' }, { status: 503 }));
    const { client } = retryClient();
    await client.getOrder(ID);
    const urls = new Set(msw.requests.map((r) => r.url.href));
    const auths = new Set(msw.requests.map((r) => r.headers.get('authorization')));
    expect([urls.size, auths.size]).toEqual([1, 1]);
    expect(BASE).toContain('https://');
  });
});
