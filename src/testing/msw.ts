/**
 * msw request handlers over the emulator core (`softlayer-ssl-orders/testing/msw`), for unit tests that
 * intercept `fetch` instead of opening sockets. `msw` is an optional peer dependency.
 *
 * @module softlayer-ssl-orders/testing/msw
 */
import { delay, type HttpHandler, HttpResponse, http } from 'msw';
import { handleRequest } from './core.js';
import type { CoreResponse } from './respond.js';
import { createEmulatorState, type EmulatorState } from './state.js';
import type { EmulatorStateOptions } from './types.js';

/**
 * Options of {@link createMswHandlers}: the state options, plus the URLs to intercept.
 *
 * @example
 * ```ts
 * createMswHandlers({ baseUrl: ['https://api.softlayer.com', 'https://api.service.softlayer.com'] });
 * ```
 */
export interface MswHandlersOptions extends EmulatorStateOptions {
  /**
   * SoftLayer API base URL(s); everything under `<base>/rest/` is intercepted (v3 and v3.1).
   * Default `'https://api.softlayer.com'`.
   */
  baseUrl?: string | readonly string[];
  /** IAM token endpoint to intercept. Default `'https://iam.cloud.ibm.com/identity/token'`. */
  iamTokenUrl?: string;
  /** Serve an existing state; the state options are then ignored. */
  state?: EmulatorState;
  /** Share the state of a running emulator (`startEmulator()`); the state options are then ignored. */
  emulator?: {
    /** The running emulator's state, served by the handlers too. */
    readonly state: EmulatorState;
  };
}

/**
 * The handlers and the state they serve.
 *
 * @example
 * ```ts
 * const { handlers, state } = createMswHandlers();
 * server.use(...handlers);
 * expect(state.outbox).toHaveLength(0);
 * ```
 */
export interface MswHandlers {
  /** Pass them to `setupServer(...handlers)` or `server.use(...handlers)`. */
  readonly handlers: HttpHandler[];
  /** Inspect `state.outbox`, `state.requests`; inject faults with `state.inject(…)`. */
  readonly state: EmulatorState;
}

function truncatedBody(body: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(body);
  let sent = false;
  return new ReadableStream({
    async pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(bytes.subarray(0, Math.floor(bytes.length / 2)));
        return;
      }
      // Erroring only after the first chunk went out lets the client see the headers first.
      await new Promise((resolve) => setTimeout(resolve, 10));
      controller.error(new TypeError('terminated: the emulator cut the response body short'));
    },
  });
}

async function toResponse(response: CoreResponse): Promise<Response> {
  switch (response.action) {
    case 'reset':
      // msw's network error is the closest thing to a destroyed socket.
      return HttpResponse.error();
    case 'hang':
      await delay('infinite');
      return HttpResponse.error();
    case 'truncate':
      // Announce more bytes than will come, as the node:http transport does.
      return new HttpResponse(truncatedBody(response.body), {
        status: response.status,
        headers: {
          ...response.headers,
          'content-length': String(new TextEncoder().encode(response.body).length + 16),
        },
      });
    case 'respond':
      return new HttpResponse(response.body === '' ? null : response.body, {
        status: response.status,
        headers: response.headers,
      });
  }
}

async function forward(state: EmulatorState, request: Request, path: string): Promise<Response> {
  const headers: Record<string, string> = {};
  request.headers.forEach((value, name) => {
    headers[name.toLowerCase()] = value;
  });
  let response: CoreResponse;
  try {
    response = await handleRequest(
      state,
      { method: request.method, url: path, headers, body: await request.text() },
      { signal: request.signal },
    );
  } catch {
    return HttpResponse.error();
  }
  return toResponse(response);
}

function restPrefix(baseUrl: string): { pattern: string; prefix: string } {
  const url = new URL(baseUrl);
  const at = url.pathname.indexOf('/rest/');
  const prefix = (at >= 0 ? url.pathname.slice(0, at) : url.pathname).replace(/\/+$/, '');
  return { pattern: `${url.origin}${prefix}/rest/*`, prefix };
}

/**
 * Creates msw handlers that answer like the emulator: the SoftLayer REST API under `baseUrl` and the IAM
 * token endpoint. Socket-level faults become `HttpResponse.error()` (a network error; `reset-after` only
 * after the request was processed), `hang` never answers (`delay('infinite')`), and `truncated` streams
 * half of the body then errors.
 *
 * Defaults: `https://api.softlayer.com`, `https://iam.cloud.ibm.com/identity/token`, and a new state with
 * the defaults of `createEmulatorState()`.
 *
 * @example
 * ```ts
 * import { setupServer } from 'msw/node';
 * import { createMswHandlers } from 'softlayer-ssl-orders/testing/msw';
 *
 * const { handlers, state } = createMswHandlers();
 * const server = setupServer(...handlers);
 * server.listen({ onUnhandledFrame: 'error' });
 * state.inject({ route: 'list', kind: 'rate-limit' });
 * ```
 */
export function createMswHandlers(options: MswHandlersOptions = {}): MswHandlers {
  const {
    baseUrl = 'https://api.softlayer.com',
    iamTokenUrl = 'https://iam.cloud.ibm.com/identity/token',
    state: givenState,
    emulator,
    ...stateOptions
  } = options;
  const state = emulator?.state ?? givenState ?? createEmulatorState(stateOptions);
  const bases = typeof baseUrl === 'string' ? [baseUrl] : baseUrl;
  const handlers: HttpHandler[] = bases.map((base) => {
    const { pattern, prefix } = restPrefix(base);
    return http.all(pattern, ({ request }) => {
      const url = new URL(request.url);
      return forward(state, request, `${url.pathname.slice(prefix.length)}${url.search}`);
    });
  });
  handlers.push(
    http.all(iamTokenUrl, ({ request }) =>
      forward(state, request, `/identity/token${new URL(request.url).search}`),
    ),
  );
  return { handlers, state };
}
