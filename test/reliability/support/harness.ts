/**
 * Shared pieces of the reliability suite: how to settle a call without letting it hang, which
 * operations exist, a closed port, and fetch adapters (connection refusal on chosen routes, and the
 * emulator's core without sockets for the fast property tests).
 */
import { connect, createServer } from 'node:net';
import {
  SslOrdersClient,
  type SslOrdersClientOptions,
  SslOrdersError,
  type SslOrdersEvent,
} from '../../../src/index.js';
import { handleRequest } from '../../../src/testing/core.js';
import type { EmulatorState } from '../../../src/testing/index.js';

/** How a call ended. `hang` means it did not settle within the limit given to {@link settle}. */
export type Settled<T = unknown> =
  | { kind: 'value'; value: T }
  | { kind: 'error'; error: unknown }
  | { kind: 'hang'; afterMs: number };

/** Awaits a call, but never longer than `limitMs`. */
export async function settle<T>(run: () => Promise<T>, limitMs = 5_000): Promise<Settled<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const hang = new Promise<Settled<T>>((resolve) => {
    timer = setTimeout(() => resolve({ kind: 'hang', afterMs: limitMs }), limitMs);
  });
  const call = (async (): Promise<Settled<T>> => {
    try {
      return { kind: 'value', value: await run() };
    } catch (error) {
      return { kind: 'error', error };
    }
  })();
  try {
    return await Promise.race([call, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Describes a settled call in one short line, for assertion messages and the report. */
export function describeSettled(settled: Settled): string {
  if (settled.kind === 'hang') return `hang (> ${settled.afterMs} ms)`;
  if (settled.kind === 'value') return 'value';
  const error = settled.error;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` ← ${error.cause.name}` : '';
    return `${error.name}${cause}`;
  }
  return `non-Error ${typeof error}`;
}

/** The public operations the matrix exercises. */
export type Operation =
  | 'listOrders'
  | 'iterateOrders'
  | 'getOrder'
  | 'resendFulfillmentEmail'
  | 'resendApproverEmail';

/** Seeded orders in a status that allows each email (see src/testing/seed.ts). */
export const SEND_ORDER = { resendFulfillmentEmail: 4471877, resendApproverEmail: 4502244 } as const;
/** An order that exists, for getOrder. */
export const READ_ORDER = 4471203;

/** Runs one operation to completion; iterateOrders collects every order. */
export function runOperation(client: SslOrdersClient, operation: Operation): Promise<unknown> {
  switch (operation) {
    case 'listOrders':
      return client.listOrders({ limit: 5 });
    case 'iterateOrders':
      return (async () => {
        const ids: number[] = [];
        for await (const order of client.iterateOrders({ pageSize: 5 })) ids.push(order.id);
        return ids;
      })();
    case 'getOrder':
      return client.getOrder(READ_ORDER);
    case 'resendFulfillmentEmail':
      return client.resendFulfillmentEmail(SEND_ORDER.resendFulfillmentEmail, { confirm: () => true });
    case 'resendApproverEmail':
      return client.resendApproverEmail(SEND_ORDER.resendApproverEmail, { confirm: () => true });
  }
}

function refuses(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

let refusing: Promise<number> | undefined;

/**
 * A loopback port that refuses connections. A privileged port when one is free (the emulators started
 * concurrently can never be given it), otherwise a port that was bound and closed again.
 */
export function refusedPort(): Promise<number> {
  refusing ??= (async () => {
    // Not 1, 7, 9, …: fetch refuses the "bad ports" of the Fetch standard itself, without connecting.
    for (const port of [2, 3, 4]) if (await refuses(port)) return port;
    return closedPort();
  })();
  return refusing;
}

/** A loopback port nothing listens on: bound once, then closed. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Which emulator route a request URL goes to (the same names as the emulator's faults). */
export function routeOf(url: string): 'list' | 'get' | 'resend' | 'account' | 'statuses' | 'iam' | 'other' {
  if (url.includes('/identity/token')) return 'iam';
  if (url.includes('getSslCertificateRequests')) return 'list';
  if (url.includes('/resendEmail')) return 'resend';
  if (url.includes('SoftLayer_Security_Certificate_Request_Status')) return 'statuses';
  if (url.includes('SoftLayer_Account')) return 'account';
  if (/SoftLayer_Security_Certificate_Request\/\d+\//.test(url)) return 'get';
  return 'other';
}

/**
 * A fetch over real sockets that sends the next `times` requests of `route` to a closed port
 * instead (connection refused), and everything else on unchanged.
 */
export function refusingFetch(closed: number): {
  fetch: typeof fetch;
  arm(route: string, times: number): void;
  refused(): number;
} {
  let armed: { route: string; remaining: number } | undefined;
  let refused = 0;
  const refusing: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    if (armed && armed.remaining > 0 && routeOf(request.url) === armed.route) {
      armed.remaining--;
      refused++;
      const url = new URL(request.url);
      url.port = String(closed);
      // The body does not matter: the connection is refused before any byte is sent.
      return fetch(url, { method: 'GET', signal: request.signal });
    }
    return fetch(input, init);
  };
  return {
    fetch: refusing,
    arm(route, times) {
      armed = { route, remaining: times };
    },
    refused: () => refused,
  };
}

/**
 * A fetch that hands each request to the emulator core in this process: the emulator's behaviour and
 * request log without sockets, thousands of calls a second. Network actions (reset, hang) become a
 * rejected fetch, as undici reports them.
 */
export function coreFetch(state: EmulatorState): typeof fetch {
  return async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const headers: Record<string, string> = {};
    request.headers.forEach((value, name) => {
      headers[name] = value;
    });
    const url = new URL(request.url);
    const response = await handleRequest(
      state,
      { method: request.method, url: url.pathname + url.search, headers, body: await request.text() },
      { signal: request.signal },
    );
    if (response.action !== 'respond')
      throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
    const nullBody = response.status === 204 || response.status === 205 || response.status === 304;
    return new Response(nullBody ? null : response.body, {
      status: response.status,
      headers: response.headers,
    });
  };
}

/** Whether a rejection is one the SDK promises: a typed SDK error, or the caller's own abort reason. */
export function isTypedRejection(error: unknown, abortReason?: unknown): boolean {
  return error instanceof SslOrdersError || (abortReason !== undefined && error === abortReason);
}

/** Builds a client that records its events. */
export function recordingClient(options: SslOrdersClientOptions): {
  client: SslOrdersClient;
  events: SslOrdersEvent[];
} {
  const events: SslOrdersEvent[] = [];
  const client = new SslOrdersClient({ ...options, onEvent: (event) => events.push(event) });
  return { client, events };
}

/** Fast retry settings for fault tests: tiny delays, server waits capped at 30 ms. */
export const FAST_RETRY = { maxRetries: 2, baseDelay: 1, maxDelay: 5, maxRetryAfter: 30 } as const;
