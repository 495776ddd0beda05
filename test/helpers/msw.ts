/**
 * Shared msw helpers for focused request-shape tests: one server per test file, strict about
 * unhandled requests, and a log of every request that reached it (so tests can count requests and
 * assert that none was made).
 */
import { HttpResponse, http, type JsonBodyType } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { SslOrdersClient, type SslOrdersClientOptions, type SslOrdersEvent } from '../../src/index.js';

/** The base URL msw answers on; not a real host, so nothing can leak to the network. */
export const BASE = 'https://api.test.invalid/rest/v3.1/';
export const ORDER_SERVICE = 'SoftLayer_Security_Certificate_Request';

/** A request as msw saw it, with its body read. */
export interface Seen {
  method: string;
  url: URL;
  headers: Headers;
  body: string;
}

export interface MswContext {
  server: ReturnType<typeof setupServer>;
  /** Every request since the current test started, in order. */
  requests: Seen[];
}

/**
 * Starts an msw server for the whole file (`onUnhandledFrame: 'error'`, msw 2's `onUnhandledRequest`), resets handlers and the
 * request log after each test. Call it at the top level of a test file.
 */
export function useMswServer(): MswContext {
  const server = setupServer();
  const context: MswContext = { server, requests: [] };
  server.events.on('request:start', ({ request }) => {
    const clone = request.clone();
    const seen: Seen = {
      method: request.method,
      url: new URL(request.url),
      headers: request.headers,
      body: '',
    };
    context.requests.push(seen);
    void clone.text().then(
      (text) => {
        seen.body = text;
      },
      () => undefined,
    );
  });
  // msw 3 renamed msw 2's onUnhandledRequest to onUnhandledFrame.
  beforeAll(() => server.listen({ onUnhandledFrame: 'error' }));
  afterEach(() => {
    server.resetHandlers();
    context.requests.length = 0;
  });
  afterAll(() => server.close());
  return context;
}

/** A well-formed order as SoftLayer returns it with the SDK's mask. */
export function order(id: number, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    accountId: 1234567,
    commonName: `site${id}.example.com`,
    approverEmailAddress: `admin${id}@example.com`,
    technicalContactEmailAddress: `tech${id}@example.com`,
    statusId: 3,
    status: { id: 3, name: 'Approved', description: 'The order was approved' },
    createDate: '2024-01-02T03:04:05-06:00',
    modifyDate: '2024-01-03T03:04:05-06:00',
    ...overrides,
  };
}

/** Options for a client pointed at {@link BASE}, with tiny retry delays. */
export function clientOptions(overrides: Partial<SslOrdersClientOptions> = {}): SslOrdersClientOptions {
  return {
    auth: { username: 'SL1234567_jane', apiKey: 'k'.repeat(64) },
    accountId: 1234567,
    baseUrl: BASE,
    retry: { baseDelay: 1, maxDelay: 2 },
    ...overrides,
  };
}

/** A client for {@link BASE} and the events it emitted. */
export function makeClient(overrides: Partial<SslOrdersClientOptions> = {}): {
  client: SslOrdersClient;
  events: SslOrdersEvent[];
} {
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({ ...clientOptions(overrides), onEvent: (event) => events.push(event) });
  return { client, events };
}

/** Handler for the list endpoint answering with `orders` (and an optional total header). */
export function listHandler(orders: unknown[], total?: number) {
  return http.post(`${BASE}${ORDER_SERVICE}/getSslCertificateRequests.json`, () =>
    HttpResponse.json(orders, {
      headers: total === undefined ? {} : { 'SoftLayer-Total-Items': String(total) },
    }),
  );
}

/** Handler for getObject of order `id` answering with `body` (JSON) and `status`. */
export function getHandler(id: number | string, body: JsonBodyType, status = 200) {
  return http.get(`${BASE}${ORDER_SERVICE}/${id}/getObject.json`, () => HttpResponse.json(body, { status }));
}

export { rejection } from './rejection.js';
