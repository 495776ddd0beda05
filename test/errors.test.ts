import { createServer as createHttpServer } from 'node:http';
import { createServer } from 'node:net';
import { HttpResponse, http, passthrough } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SslOrdersClient,
  SslOrdersError,
  TimeoutError,
} from '../src/index.js';
import { BASE, clientOptions, makeClient, ORDER_SERVICE, rejection, useMswServer } from './helpers/msw.js';

const msw = useMswServer();
const ID = 4471203;
const PATH = `${ORDER_SERVICE}/${ID}/getObject.json`;

function respondWith(respond: () => Response | Promise<Response>): void {
  msw.server.use(http.get(`${BASE}${PATH}`, respond));
}

async function getError(respond: () => Response | Promise<Response>, timeout?: number): Promise<unknown> {
  respondWith(respond);
  const { client } = makeClient({ retry: false, ...(timeout ? { timeout } : {}) });
  return rejection(client.getOrder(ID));
}

const body = (error: string, code?: string) => (code === undefined ? { error } : { error, code });

describe('error mapping', () => {
  const rows: [string, number, ReturnType<typeof body>, new (...args: never[]) => ApiError, string][] = [
    [
      '401',
      401,
      body('Invalid API token.', 'SoftLayer_Exception_InvalidLegacyToken'),
      AuthenticationError,
      'AuthenticationError',
    ],
    ['401 without code', 401, body('Access Denied.'), AuthenticationError, 'AuthenticationError'],
    [
      'token expired at 500',
      500,
      body('Token expired', 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation'),
      AuthenticationError,
      'AuthenticationError',
    ],
    ['403', 403, body('Forbidden'), PermissionDeniedError, 'PermissionDeniedError'],
    [
      'permission code at 500',
      500,
      body('No access', 'SoftLayer_Exception_PermissionDenied'),
      PermissionDeniedError,
      'PermissionDeniedError',
    ],
    ['404', 404, body('Not here'), NotFoundError, 'NotFoundError'],
    [
      'ObjectNotFound at 500',
      500,
      body("Unable to find object with id of '4471203'.", 'SoftLayer_Exception_ObjectNotFound'),
      NotFoundError,
      'NotFoundError',
    ],
    ['429', 429, body('Slow down'), RateLimitError, 'RateLimitError'],
    [
      'RateLimitExceeded at 500',
      500,
      body(
        'Rate limit of 50 requests for every 1 second(s) exceeded.',
        'SoftLayer_Exception_WebService_RateLimitExceeded',
      ),
      RateLimitError,
      'RateLimitError',
    ],
    [
      'RateLimitExceeded at 200',
      200,
      body('Rate limit exceeded', 'SoftLayer_Exception_WebService_RateLimitExceeded'),
      RateLimitError,
      'RateLimitError',
    ],
    ['500 Public', 500, body('Internal Error', 'SoftLayer_Exception_Public'), ServerError, 'ServerError'],
    ['503', 503, body('Service Unavailable'), ServerError, 'ServerError'],
    ['400', 400, body('Bad filter', 'SoftLayer_Exception_Public'), ApiError, 'ApiError'],
    [
      'error body with HTTP 200',
      200,
      body('Internal Error', 'SoftLayer_Exception_Public'),
      ServerError,
      'ServerError',
    ],
  ];

  const table = rows.map(([label, status, payload, Class, name]) => ({
    label,
    status,
    payload,
    Class,
    name,
  }));
  it.each(table)('$label → $name', async ({ status, payload, Class, name }) => {
    const error = await getError(() => HttpResponse.json(payload, { status }));
    expect(error).toBeInstanceOf(Class);
    expect(error).toBeInstanceOf(SslOrdersError);
    const api = error as ApiError;
    expect(api.name).toBe(name);
    expect(api.status).toBe(status);
    expect(api.code).toBe(payload.code);
    expect(api.serverMessage).toBe(payload.error);
    expect(api.method).toBe('GET');
    expect(api.path).toBe(PATH);
    // An AuthenticationError also says which credential was refused (no secret: the option's names).
    const source = Class === AuthenticationError ? ' (credentials from auth.username + auth.apiKey)' : '';
    expect(api.message).toBe(
      `GET ${PATH} failed: HTTP ${status}${payload.code ? ` ${payload.code}` : ''}: ${payload.error}${source}`,
    );
  });

  it('the exact 400 class is ApiError itself', async () => {
    const error = await getError(() => HttpResponse.json(body('Bad'), { status: 400 }));
    expect(Object.getPrototypeOf(error)).toBe(ApiError.prototype);
  });

  it('keeps Retry-After on a RateLimitError', async () => {
    const error = await getError(() =>
      HttpResponse.json(body('Slow down'), { status: 429, headers: { 'Retry-After': '3' } }),
    );
    expect((error as RateLimitError).retryAfterMs).toBe(3000);
  });

  it('an HTML error page gives a typed error with a short one-line excerpt', async () => {
    const html = `<html><head><title>502 Bad Gateway</title></head>\n<body><h1>Bad Gateway</h1>${'x'.repeat(5000)}</body></html>`;
    const error = (await getError(
      () => new HttpResponse(html, { status: 502, headers: { 'content-type': 'text/html' } }),
    )) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.code).toBeUndefined();
    expect(error.serverMessage).toMatch(/^502 Bad Gateway Bad Gateway x+…$/);
    expect(error.serverMessage.length).toBeLessThanOrEqual(200);
    expect(error.message).not.toMatch(/[<>\n]/);
  });

  it('an empty error body gives a typed error that says so', async () => {
    const error = (await getError(() => new HttpResponse(null, { status: 500 }))) as ServerError;
    expect(error).toBeInstanceOf(ServerError);
    expect(error.message).toMatch(/^GET \S+ failed: HTTP 500: empty response/);
  });

  it('an empty success body is an error, not undefined', async () => {
    const error = await getError(() => new HttpResponse('', { status: 200 }));
    expect(error).toBeInstanceOf(ServerError);
    expect((error as ServerError).message).toMatch(/empty response body/);
  });

  it('an invalid JSON success body is a ResponseValidationError', async () => {
    const error = (await getError(
      () => new HttpResponse('{"id": 12,', { status: 200 }),
    )) as ResponseValidationError;
    expect(error).toBeInstanceOf(ResponseValidationError);
    expect(error.message).toMatch(/^GET \S+ returned an unexpected response at \(root\): body is not JSON/);
  });

  it('a server message with line breaks still gives a one-line error message', async () => {
    const error = (await getError(() =>
      HttpResponse.json(body('line one\nline two\r\n  three', 'SoftLayer_Exception_Public'), { status: 500 }),
    )) as ServerError;
    expect(error.message).not.toMatch(/[\r\n]/);
    expect(error.message).toContain('line one line two three');
  });

  it('a network error → ConnectionError with a cause', async () => {
    const error = (await getError(() => HttpResponse.error())) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.name).toBe('ConnectionError');
    expect(error.method).toBe('GET');
    expect(error.path).toBe(PATH);
    expect(error.dispatched).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
    // The request left, so the message must not say it never reached the server.
    expect(error.message).toBe(
      `GET ${PATH} failed: the connection to the SoftLayer API at api.test.invalid failed after the request was sent; the server may have received it`,
    );
    expect(error.host).toBe('api.test.invalid');
  });

  it('a hanging response with timeout: 50 → TimeoutError', async () => {
    const started = Date.now();
    const error = (await getError(() => new Promise<Response>(() => undefined), 50)) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.timeoutMs).toBe(50);
    expect(error.limit).toBe('attempt');
    expect(error.message).toBe(`GET ${PATH} timed out after 50 ms (timeout)`);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body that stalls after the headers also times out', async () => {
    // A real socket: msw's interceptor trips an undici assertion when a mocked body is aborted.
    const server = createHttpServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
      response.write('[{"id":1');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as { port: number };
      const base = `http://127.0.0.1:${port}/rest/v3.1/`;
      msw.server.use(http.all(`${base}*`, () => passthrough()));
      const client = new SslOrdersClient(clientOptions({ baseUrl: base, retry: false, timeout: 50 }));
      const started = Date.now();
      const error = await rejection(client.getOrder(ID));
      expect(error).toBeInstanceOf(TimeoutError);
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('an abort rejects with the signal reason itself', async () => {
    respondWith(() => new Promise<Response>(() => undefined));
    const { client } = makeClient();
    const controller = new AbortController();
    const reason = new Error('user cancelled');
    const pending = client.getOrder(ID, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 10);
    expect(await rejection(pending)).toBe(reason);
  });

  it('an already-aborted signal rejects with its reason and makes no request', async () => {
    respondWith(() => HttpResponse.json({ id: ID }));
    const { client } = makeClient();
    const reason = { custom: 'reason object' };
    const controller = new AbortController();
    controller.abort(reason);
    expect(await rejection(client.getOrder(ID, { signal: controller.signal }))).toBe(reason);
    expect(await rejection(client.listOrders({ signal: controller.signal }))).toBe(reason);
    expect(msw.requests).toHaveLength(0);
  });

  it('an abort during a retry wait rejects with the reason and stops retrying', async () => {
    respondWith(() => HttpResponse.json(body('down'), { status: 503 }));
    const { client } = makeClient({ retry: { baseDelay: 10_000, maxDelay: 10_000, jitter: 'none' } });
    const controller = new AbortController();
    const reason = new Error('enough');
    const pending = client.getOrder(ID, { signal: controller.signal });
    setTimeout(() => controller.abort(reason), 30);
    expect(await rejection(pending)).toBe(reason);
    expect(msw.requests).toHaveLength(1);
  });

  it('errors serialise to plain objects with their fields', async () => {
    const error = await getError(() =>
      HttpResponse.json(body('gone', 'SoftLayer_Exception_ObjectNotFound'), { status: 404 }),
    );
    expect(JSON.parse(JSON.stringify(error))).toEqual({
      name: 'NotFoundError',
      message: `GET ${PATH} failed: HTTP 404 SoftLayer_Exception_ObjectNotFound: gone`,
      status: 404,
      code: 'SoftLayer_Exception_ObjectNotFound',
      serverMessage: 'gone',
      method: 'GET',
      path: PATH,
    });
  });

  it('a refused connection → ConnectionError ECONNREFUSED, not dispatched, with the runtime error as cause', async () => {
    // Find a loopback port nobody listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise((resolve) => probe.close(resolve));
    const base = `http://127.0.0.1:${port}/rest/v3.1/`;
    msw.server.use(http.all(`${base}*`, () => passthrough()));
    const client = new SslOrdersClient(clientOptions({ baseUrl: base, retry: false }));
    const error = (await rejection(client.getOrder(ID))) as ConnectionError;
    expect(error).toBeInstanceOf(ConnectionError);
    expect(error.code).toBe('ECONNREFUSED');
    expect(error.dispatched).toBe(false);
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toBe(
      `GET ${PATH} failed: could not reach the SoftLayer API at 127.0.0.1:${port} (ECONNREFUSED: nothing accepts connections there)`,
    );
  });

  it('an async onEvent hook that rejects does not break the call', async () => {
    respondWith(() => HttpResponse.json({ id: ID }));
    const client = new SslOrdersClient(
      clientOptions({
        onEvent: async () => {
          throw new Error('logger down');
        },
      }),
    );
    const unhandled: unknown[] = [];
    const listener = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listener);
    try {
      expect(await client.getOrder(ID)).toEqual({ id: ID });
      await new Promise((resolve) => setTimeout(resolve, 20));
    } finally {
      process.off('unhandledRejection', listener);
    }
    expect(unhandled).toEqual([]);
  });
});
