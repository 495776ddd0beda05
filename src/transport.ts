/**
 * The HTTP layer, and the only module that knows ky: builds the request, adds the auth header, maps
 * every failure to a typed error, and runs the retry loop with the policy from retry.ts.
 *
 * ky is used with its own retries and timeout off. Retrying here keeps one policy for reads and sends
 * (ky's `ky.retry()` would skip its method check and could re-send a POST), and one abort signal per
 * attempt covers the body read as well as the headers.
 *
 * @module
 */
import ky from 'ky';
import type { AuthState } from './auth.js';
import {
  ApiError,
  ConnectionError,
  errorFromResponse,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SslOrdersError,
  TimeoutError,
  TOKEN_EXPIRED_CODE,
} from './errors.js';
import type { SslOrdersEvent } from './events.js';
import { abortable, sleep } from './internal/abort.js';
import { excerpt } from './internal/redact.js';
import type { PacerHook } from './pace.js';
import { type Operation, type RetryPolicy, retryReasonFor } from './retry.js';
import { parseRetryAfter, retryDelay } from './retry-backoff.js';
import type { RetryBudget } from './retry-budget.js';

/** Settings the transport needs, resolved once by the client. */
export interface TransportConfig {
  /** Absolute base URL ending in `/`. */
  baseUrl: string;
  timeout: number;
  totalTimeout: number | undefined;
  fetch: typeof fetch | undefined;
  userAgent: string;
  auth: AuthState;
  retry: RetryPolicy;
  budget: RetryBudget | undefined;
  emit: (event: SslOrdersEvent) => void;
  /** Client-side pacing; `undefined` when `rateLimit: false`. */
  pacer?: PacerHook | undefined;
}

/** One logical API call, which may take several attempts. */
export interface Call {
  method: 'GET' | 'POST';
  /** Path below the base URL, already encoded, e.g. `SoftLayer_Account/getObject.json`. */
  path: string;
  /** Query string without `?`, already encoded. */
  query?: string | undefined;
  /** Positional parameters, sent as `{"parameters":[…]}`. */
  parameters?: readonly unknown[] | undefined;
  operation: Operation;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  totalTimeout?: number | undefined;
  retry?: RetryPolicy | undefined;
  intentId?: string | undefined;
}

/** A successful answer. */
export interface Reply {
  body: unknown;
  headers: Headers;
  status: number;
}

/**
 * The end of a call. `dispatched` tells whether the last attempt's request left this machine, so a
 * send can tell "nothing was sent" from "may have been sent".
 */
export type Outcome = { ok: true; reply: Reply } | { ok: false; error: unknown; dispatched: boolean };

// Connect-phase failures: no byte of the request reached a server.
const NOT_DISPATCHED_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);

export class Transport {
  readonly #config: TransportConfig;
  readonly #ky: typeof ky;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#ky = ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
  }

  /** Sends an event to the client's `onEvent`. */
  emit(event: SslOrdersEvent): void {
    this.#config.emit(event);
  }

  /** The absolute URL of a call. */
  url(call: Pick<Call, 'path' | 'query'>): string {
    return this.#config.baseUrl + call.path + (call.query ? `?${call.query}` : '');
  }

  /** Runs a call and returns its body, or throws its typed error. */
  async call(call: Call): Promise<Reply> {
    const outcome = await this.run(call);
    if (outcome.ok) return outcome.reply;
    throw outcome.error;
  }

  /** Runs a call with retries; never throws. */
  async run(call: Call): Promise<Outcome> {
    const config = this.#config;
    const policy = call.retry ?? config.retry;
    const totalTimeout = call.totalTimeout ?? config.totalTimeout;
    const deadline = totalTimeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + totalTimeout;
    let attempt = 0;
    let retries = 0;
    let lastRetryCost = 0;
    let refreshed = false;
    let forceRefresh = false;
    for (;;) {
      attempt++;
      const state = { dispatched: false };
      try {
        if (call.signal?.aborted) return { ok: false, error: call.signal.reason, dispatched: false };
        const reply = await this.#attempt(call, attempt, forceRefresh, deadline, totalTimeout, state);
        config.budget?.recordSuccess(lastRetryCost);
        return { ok: true, reply };
      } catch (error) {
        if (call.signal?.aborted)
          return { ok: false, error: call.signal.reason, dispatched: state.dispatched };
        const failed = { ok: false as const, error, dispatched: state.dispatched };
        if (
          error instanceof ApiError &&
          error.code === TOKEN_EXPIRED_CODE &&
          config.auth.refreshable &&
          !refreshed
        ) {
          // The server rejected the token before acting, so even a send may repeat once with a new one.
          refreshed = true;
          forceRefresh = true;
          config.emit({
            type: 'auth.refresh',
            method: call.method,
            path: call.path,
            attempt,
            operation: call.operation,
          });
          continue;
        }
        forceRefresh = false;
        if (error instanceof RateLimitError) config.pacer?.rateLimited(error.serverMessage);
        const reason =
          retries < policy.maxRetries ? retryReasonFor(error, call.operation, policy) : undefined;
        if (reason === undefined) return failed;
        const delayMs = Math.round(retryDelay(error, retries + 1, policy));
        if (Date.now() + delayMs >= deadline) return failed;
        const cost = config.budget?.acquire(reason);
        if (config.budget && cost === undefined) return failed;
        lastRetryCost = cost ?? 0;
        config.emit({
          type: 'retry',
          method: call.method,
          path: call.path,
          attempt,
          operation: call.operation,
          delayMs,
          reason,
          status: error instanceof ApiError ? error.status : undefined,
          code: error instanceof ApiError || error instanceof ConnectionError ? error.code : undefined,
          errorName: error instanceof Error ? error.name : typeof error,
        });
        try {
          await sleep(delayMs, call.signal);
        } catch (abortReason) {
          return { ok: false, error: abortReason, dispatched: false };
        }
        retries++;
      }
    }
  }

  async #attempt(
    call: Call,
    attempt: number,
    forceRefresh: boolean,
    deadline: number,
    totalTimeout: number | undefined,
    state: { dispatched: boolean },
  ): Promise<Reply> {
    const config = this.#config;
    const info = { method: call.method, path: call.path, intentId: call.intentId };
    const attemptTimeout = call.timeout ?? config.timeout;
    const authorization = await config.auth.header({ forceRefresh, signal: call.signal });
    // Paced inside the call's deadline but before the attempt's timer starts: a wait is not a timeout.
    await config.pacer?.acquire(call, attempt, deadline, totalTimeout);
    // An abort that lands while the token was fetched must not count as a dispatched request.
    call.signal?.throwIfAborted();
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new TimeoutError({ ...info, timeoutMs: totalTimeout ?? 0, limit: 'total' });
    const byDeadline = remaining < attemptTimeout;
    const timeoutMs = byDeadline ? remaining : attemptTimeout;

    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timer.signal]) : timer.signal;
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization,
      'user-agent': config.userAgent,
    };
    let body: string | null = null;
    if (call.parameters) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify({ parameters: call.parameters });
    }
    config.emit({
      type: 'request',
      method: call.method,
      path: call.path,
      attempt,
      operation: call.operation,
    });
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      state.dispatched = true;
      // Raced against the signal too: a custom fetch that ignores it must not hang the call.
      response = await abortable(
        this.#ky(this.url(call), { method: call.method, headers, body, ...this.#abortWith(signal) }),
        signal,
      );
      text = await abortable(response.text(), signal);
    } catch (error) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (timer.signal.aborted) {
        throw byDeadline
          ? new TimeoutError({ ...info, timeoutMs: totalTimeout ?? timeoutMs, limit: 'total' })
          : new TimeoutError({ ...info, timeoutMs, limit: 'attempt' });
      }
      if (error instanceof SslOrdersError) throw error;
      const code = systemErrorCode(error);
      // A refused connection never carried the request; anything else may have.
      const dispatched = code === undefined || !NOT_DISPATCHED_CODES.has(code);
      state.dispatched = dispatched;
      throw new ConnectionError({ ...info, code, dispatched }, rootCause(error));
    } finally {
      clearTimeout(handle);
    }
    config.emit({
      type: 'response',
      method: call.method,
      path: call.path,
      attempt,
      operation: call.operation,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
    return this.#interpret(call, response, text);
  }

  /**
   * How the attempt's signal reaches fetch. Given to ky as `signal`, ky merges it with its own
   * controller through AbortSignal.any, which a profile showed to cost about 4% of a loopback read;
   * the global fetch honours `init.signal` over the Request's, so it gets the signal directly. A
   * custom fetch may read only the Request, so it keeps the ky route.
   */
  #abortWith(signal: AbortSignal): { signal: AbortSignal } | { fetch: typeof fetch } {
    if (this.#config.fetch) return { signal };
    return { fetch: (input, init) => fetch(input, { ...init, signal }) };
  }

  #interpret(call: Call, response: Response, text: string): Reply {
    const { status } = response;
    const redact = this.#config.auth.redact;
    const info = { method: call.method, path: call.path, intentId: call.intentId };
    let body: unknown;
    let parsed = false;
    if (text !== '') {
      try {
        body = JSON.parse(text);
        parsed = true;
      } catch {
        // Not JSON: handled below, as an error answer or an unreadable success body.
      }
    }
    const errorBody = parsed && isErrorBody(body) ? body : undefined;
    if (status < 200 || status >= 300 || errorBody) {
      // Redact before shortening (a cut could leave half a secret the redactor no longer sees), and
      // flatten to one line: the server's text ends up inside our one-line message.
      let serverMessage: string;
      if (errorBody) serverMessage = excerpt(redact(errorBody.error), 1000);
      else if (text === '') serverMessage = `empty response (${response.statusText || 'no status text'})`;
      else
        serverMessage =
          excerpt(redact(text).replace(/<[^>]*>/g, ' ')) ||
          `unreadable response (${excerpt(redact(response.statusText), 100)})`;
      const code =
        errorBody && typeof errorBody.code === 'string' ? excerpt(redact(errorBody.code), 200) : undefined;
      throw errorFromResponse({
        ...info,
        status,
        code,
        serverMessage,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      });
    }
    if (!parsed) {
      if (text === '') {
        throw new ServerError({ ...info, status, code: undefined, serverMessage: 'empty response body' });
      }
      const issues = [{ path: '', message: `body is not JSON (${excerpt(redact(text), 80)})` }];
      throw new ResponseValidationError({ ...info, issues });
    }
    return { body, headers: response.headers, status };
  }
}

function isErrorBody(body: unknown): body is { error: string; code?: unknown } {
  return (
    typeof body === 'object' &&
    body !== null &&
    !Array.isArray(body) &&
    typeof (body as { error?: unknown }).error === 'string' &&
    Object.keys(body).every((key) => key === 'error' || key === 'code')
  );
}

/** The first `code` found along an error's cause chain (undici nests it two levels down). */
function systemErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    if (current instanceof AggregateError && current.errors[0] instanceof Error) current = current.errors[0];
    else current = current.cause;
  }
  return undefined;
}

/**
 * The runtime's own error under ky's wrapper. ky's errors hold the Request, whose headers include the
 * Authorization value, so they must never be kept as a cause.
 */
function rootCause(error: unknown): unknown {
  if (error instanceof Error && error.name === 'NetworkError' && 'request' in error) return error.cause;
  return error;
}
