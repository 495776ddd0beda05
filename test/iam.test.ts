import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  iamTokenProvider,
  SendOutcomeUnknownError,
  SslOrdersClient,
  type SslOrdersEvent,
  TimeoutError,
} from '../src/index.js';
import { type Emulator, startEmulator } from '../src/testing/index.js';

const API_KEY = 'ibm-cloud-key-0123456789abcdef';

/** A tiny IAM token endpoint: counts requests and answers through `answer`. */
interface TokenServer {
  url: string;
  requests: Array<{ headers: IncomingMessage['headers']; form: URLSearchParams }>;
  answer: (n: number) => Promise<{ status: number; body: string }> | { status: number; body: string };
}
let tokenServer: TokenServer;
let http: Server;

const tokenBody = (n: number, expiresIn = 3_600) =>
  JSON.stringify({ access_token: `token-${n}-xyz`, expires_in: expiresIn, token_type: 'Bearer' });

beforeAll(async () => {
  tokenServer = { url: '', requests: [], answer: (n) => ({ status: 200, body: tokenBody(n) }) };
  http = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    tokenServer.requests.push({ headers: req.headers, form: new URLSearchParams(body) });
    const { status, body: out } = await tokenServer.answer(tokenServer.requests.length);
    res.writeHead(status, { 'content-type': 'application/json' }).end(out);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  tokenServer.url = `http://127.0.0.1:${(http.address() as { port: number }).port}/identity/token`;
});
afterEach(() => {
  tokenServer.requests = [];
  tokenServer.answer = (n) => ({ status: 200, body: tokenBody(n) });
  vi.useRealTimers();
});
afterAll(() => new Promise((resolve) => http.close(resolve)));

const provider = (options: { refreshAt?: number; timeout?: number } = {}) =>
  iamTokenProvider({ apiKey: API_KEY, tokenUrl: tokenServer.url, ...options });
const ask = { forceRefresh: false };

describe('iamTokenProvider', () => {
  it('exchanges the key with a form-encoded apikey grant', async () => {
    await expect(provider()(ask)).resolves.toBe('token-1-xyz');
    const [request] = tokenServer.requests;
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers.accept).toBe('application/json');
    expect(request?.form.get('grant_type')).toBe('urn:ibm:params:oauth:grant-type:apikey');
    expect(request?.form.get('apikey')).toBe(API_KEY);
  });

  it('takes a timeout with a fraction of a millisecond, as every duration option does', async () => {
    await expect(provider({ timeout: 1000.5 })(ask)).resolves.toBe('token-1-xyz');
  });

  it('caches the token', async () => {
    const get = provider();
    for (let i = 0; i < 5; i++) expect(await get(ask)).toBe('token-1-xyz');
    expect(tokenServer.requests).toHaveLength(1);
  });

  it('shares one in-flight request between concurrent callers', async () => {
    tokenServer.answer = async (n) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return { status: 200, body: tokenBody(n) };
    };
    const get = provider();
    const tokens = await Promise.all(Array.from({ length: 25 }, () => get(ask)));
    expect(new Set(tokens)).toEqual(new Set(['token-1-xyz']));
    expect(tokenServer.requests).toHaveLength(1);
    // Concurrent forced refreshes share one request too.
    const forced = await Promise.all(Array.from({ length: 10 }, () => get({ forceRefresh: true })));
    expect(new Set(forced)).toEqual(new Set(['token-2-xyz']));
    expect(tokenServer.requests).toHaveLength(2);
  });

  it('refreshes in the background at 80% of the lifetime, and blocks once expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.parse('2025-03-01T12:00:00Z');
    vi.setSystemTime(start);
    tokenServer.answer = (n) => ({ status: 200, body: tokenBody(n, 1_000) });
    const get = provider();
    expect(await get(ask)).toBe('token-1-xyz');
    vi.setSystemTime(start + 799_000);
    expect(await get(ask)).toBe('token-1-xyz');
    expect(tokenServer.requests).toHaveLength(1);
    vi.setSystemTime(start + 801_000);
    // Still valid: served at once while a refresh runs in the background.
    expect(await get(ask)).toBe('token-1-xyz');
    await vi.waitFor(() => expect(tokenServer.requests).toHaveLength(2));
    await vi.waitFor(async () => expect(await get(ask)).toBe('token-2-xyz'));
    // Long past expiry with no call in between: the caller waits for a new token.
    vi.setSystemTime(start + 10_000_000);
    expect(await get(ask)).toBe('token-3-xyz');
    expect(tokenServer.requests).toHaveLength(3);
  });

  it('honours refreshAt', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = Date.now();
    tokenServer.answer = (n) => ({ status: 200, body: tokenBody(n, 1_000) });
    const get = provider({ refreshAt: 0.5 });
    await get(ask);
    vi.setSystemTime(start + 490_000);
    await get(ask);
    expect(tokenServer.requests).toHaveLength(1);
    vi.setSystemTime(start + 510_000);
    await get(ask);
    await vi.waitFor(() => expect(tokenServer.requests).toHaveLength(2));
  });

  it('trusts the relative expires_in over an absolute expiration from a skewed clock', async () => {
    tokenServer.answer = (n) => ({
      status: 200,
      body: JSON.stringify({ access_token: `token-${n}-xyz`, expires_in: 3_600, expiration: 1_000 }),
    });
    const get = provider();
    await get(ask);
    await get(ask);
    expect(tokenServer.requests).toHaveLength(1);
  });

  it('forceRefresh replaces a cached token', async () => {
    const get = provider();
    expect(await get(ask)).toBe('token-1-xyz');
    expect(await get({ forceRefresh: true })).toBe('token-2-xyz');
    expect(await get(ask)).toBe('token-2-xyz');
  });

  it.each([
    [
      400,
      { errorCode: 'BXNIM0415E', errorMessage: 'Provided API key could not be found' },
      /BXNIM0415E: IAM: Provided API key could not be found/,
    ],
    [
      401,
      { errorCode: 'BXNIM0109E', errorMessage: 'Property missing or empty' },
      /HTTP 401 BXNIM0109E: IAM: Property missing/,
    ],
    [200, { token_type: 'Bearer' }, /IAM: \{"token_type":"Bearer"\}/],
  ])('HTTP %i %j becomes an AuthenticationError with the IAM text', async (status, body, message) => {
    tokenServer.answer = () => ({ status, body: JSON.stringify(body) });
    const error = await provider()(ask).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as Error).message).toMatch(message);
    expect(error).toMatchObject({ status, path: 'identity/token' });
  });

  it('a non-JSON error page is quoted; a failure is not cached', async () => {
    tokenServer.answer = (n) =>
      n === 1 ? { status: 502, body: '<html>Bad gateway</html>' } : { status: 200, body: tokenBody(n) };
    const get = provider();
    await expect(get(ask)).rejects.toThrow(/HTTP 502: IAM: <html>Bad gateway<\/html>/);
    await expect(get(ask)).resolves.toBe('token-2-xyz');
  });

  it('an IAM server that echoes the key back never shows it', async () => {
    tokenServer.answer = () => ({
      status: 400,
      body: JSON.stringify({ errorCode: `BX ${API_KEY}`, errorMessage: `API key ${API_KEY} not found` }),
    });
    const error = await provider()(ask).catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toContain('[REDACTED]');
    expect(JSON.stringify(error)).not.toContain(API_KEY);
    expect(String((error as Error).message)).not.toContain(API_KEY);
  });

  it('a hanging IAM endpoint times out; a refused one is a ConnectionError', async () => {
    tokenServer.answer = () => new Promise(() => undefined);
    await expect(provider({ timeout: 50 })(ask)).rejects.toBeInstanceOf(TimeoutError);
    const refused = iamTokenProvider({ apiKey: API_KEY, tokenUrl: 'http://127.0.0.1:1/identity/token' });
    await expect(refused(ask)).rejects.toBeInstanceOf(ConnectionError);
  });

  it('a refused IAM endpoint is named as IAM with its host, and the request provably never left', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const tokenUrl = `http://127.0.0.1:${port}/identity/token`;
    const error = await iamTokenProvider({ apiKey: API_KEY, tokenUrl })(ask).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(ConnectionError);
    const failure = error as ConnectionError;
    expect(failure.message).toContain(`IBM Cloud IAM at 127.0.0.1:${port}`);
    expect(failure.message).not.toContain('SoftLayer API');
    expect(failure).toMatchObject({ code: 'ECONNREFUSED', dispatched: false, host: `127.0.0.1:${port}` });
    expect(JSON.stringify(failure)).not.toContain(API_KEY);
  });

  it('an abort ends one caller’s wait at once; the shared refresh still serves the others', async () => {
    let release: () => void = () => undefined;
    tokenServer.answer = (n) =>
      new Promise((resolve) => {
        release = () => resolve({ status: 200, body: tokenBody(n) });
      });
    const get = provider();
    const controller = new AbortController();
    const reason = new Error('gave up');
    const aborted = get({ forceRefresh: false, signal: controller.signal });
    const patient = get(ask);
    await vi.waitFor(() => expect(tokenServer.requests).toHaveLength(1));
    controller.abort(reason);
    await expect(aborted).rejects.toBe(reason);
    release();
    await expect(patient).resolves.toBe('token-1-xyz');
    expect(tokenServer.requests).toHaveLength(1);
  });

  it.each([
    [{ apiKey: '' }, 'apiKey'],
    [{ apiKey: API_KEY, tokenUrl: 'http://iam.example.com/identity/token' }, 'tokenUrl'],
    [{ apiKey: API_KEY, tokenUrl: 'not a url' }, 'tokenUrl'],
    [{ apiKey: API_KEY, refreshAt: 0 }, 'refreshAt'],
    [{ apiKey: API_KEY, refreshAt: 1.5 }, 'refreshAt'],
  ])('%j is an InvalidArgumentError on %s', (options, argument) => {
    expect(() => iamTokenProvider(options)).toThrow(InvalidArgumentError);
    expect(() => iamTokenProvider(options)).toThrow(expect.objectContaining({ argument }));
  });

  it('checks timeout with the client’s own duration rule, and shows what it got', () => {
    for (const timeout of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31]) {
      expect(() => iamTokenProvider({ apiKey: API_KEY, timeout })).toThrow(
        expect.objectContaining({
          argument: 'timeout',
          message: `timeout must be a number of milliseconds greater than 0, got ${timeout}`,
        }),
      );
    }
  });

  it('refuses an API key with a character no key has, without showing it', () => {
    for (const [apiKey, kind] of [
      ['Zq7SECRET\u0000key', 'at position 10,'],
      ['Zq7SECRET key', 'at position 10,'],
      ['Zq7SECRET\u0100key', 'at position 10,'],
    ] as const) {
      let error: unknown;
      try {
        iamTokenProvider({ apiKey });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toMatchObject({ argument: 'apiKey' });
      expect((error as Error).message).toContain(
        `apiKey has a space, line break, control or non-ASCII character ${kind}`,
      );
      expect(`${(error as Error).message} ${JSON.stringify(error)} ${inspect(error)}`).not.toContain(
        'SECRET',
      );
    }
  });

  it('accepts https anywhere and plain http on loopback', () => {
    for (const tokenUrl of [
      'https://iam.cloud.ibm.com/identity/token',
      'http://localhost:8080/t',
      'http://[::1]:9/t',
    ]) {
      expect(typeof iamTokenProvider({ apiKey: API_KEY, tokenUrl })).toBe('function');
    }
  });
});

describe('a client with a token provider, against the emulator', () => {
  let emulator: Emulator;
  beforeAll(async () => {
    emulator = await startEmulator();
  });
  afterEach(() => emulator.reset());
  afterAll(() => emulator.close());

  function makeClient(bearerToken: ConstructorParameters<typeof SslOrdersClient>[0]['auth']) {
    const events: SslOrdersEvent[] = [];
    const client = new SslOrdersClient({
      auth: bearerToken,
      baseUrl: emulator.url,
      accountId: emulator.accountId,
      retry: { baseDelay: 1 },
      sendCooldown: 0,
      onEvent: (event) => events.push(event),
    });
    return { client, events };
  }
  const iam = () => ({
    bearerToken: iamTokenProvider({
      apiKey: emulator.credentials.ibmCloudApiKey,
      tokenUrl: emulator.iamTokenUrl,
    }),
  });
  const approvedId = () =>
    emulator.orders.find((order) => order.statusId === 2 || order.status?.name === 'Approved')?.id;

  it('gets one IAM token for many calls', async () => {
    const { client } = makeClient(iam());
    await Promise.all([client.listOrders(), client.listOrders({ limit: 5 }), client.listStatuses()]);
    await client.listOrders();
    expect(emulator.count({ route: 'iam' })).toBe(1);
    expect(
      emulator.requests.filter((request) => request.route !== 'iam').every((r) => r.auth.scheme === 'bearer'),
    ).toBe(true);
  });

  it('an expired token on a read: one forced refresh, the call is repeated', async () => {
    const { client, events } = makeClient(iam());
    await client.listOrders();
    emulator.expireTokens();
    const before = emulator.count({ route: 'list' });
    await expect(client.listOrders()).resolves.toMatchObject({ offset: 0 });
    expect(emulator.count({ route: 'list' }) - before).toBe(2);
    expect(emulator.count({ route: 'iam' })).toBe(2);
    expect(events.filter((event) => event.type === 'auth.refresh')).toHaveLength(1);
  });

  it('an expired token on a send: refreshed once, repeated once, exactly one email', async () => {
    const { client, events } = makeClient(iam());
    const id = approvedId();
    expect(id).toBeDefined();
    // Tokens expire while a person confirms: the read went through, the POST is rejected.
    const result = await client.resendFulfillmentEmail(id ?? 0, {
      confirm: () => {
        emulator.expireTokens();
        return true;
      },
    });
    expect(result.outcome).toBe('sent');
    expect(emulator.outbox).toHaveLength(1);
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(2);
    expect(emulator.count({ route: 'iam' })).toBe(2);
    expect(events.filter((event) => event.type === 'auth.refresh')).toMatchObject([{ idempotent: false }]);
  });

  it('a provider that keeps returning a dead token gets one refresh, then AuthenticationError; nothing is sent', async () => {
    const dead = emulator.issueToken();
    emulator.expireTokens();
    const requests: boolean[] = [];
    const { client } = makeClient({
      bearerToken: ({ forceRefresh }) => {
        requests.push(forceRefresh);
        return dead;
      },
    });
    await expect(client.getOrder(approvedId() ?? 0)).rejects.toBeInstanceOf(AuthenticationError);
    expect(requests).toEqual([false, true]);
    expect(emulator.count({ route: 'get' })).toBe(2);
  });

  it('a static bearer token is not refreshable: a send fails as a clean AuthenticationError', async () => {
    const token = emulator.issueToken();
    const { client, events } = makeClient({ bearerToken: token });
    const id = approvedId() ?? 0;
    const error = await client
      .resendFulfillmentEmail(id, {
        confirm: () => {
          emulator.expireTokens();
          return true;
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AuthenticationError);
    expect(error).not.toBeInstanceOf(SendOutcomeUnknownError);
    expect(emulator.outbox).toHaveLength(0);
    expect(emulator.count({ route: 'resend', method: 'POST' })).toBe(1);
    expect(events.some((event) => event.type === 'auth.refresh')).toBe(false);
  });
});
