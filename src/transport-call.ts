/**
 * One call as ky runs it: the ky options of the call, and the three functions ky calls back: the
 * attempt (given to ky as its `fetch`), `shouldRetry` (the retry policy, the budget, the token
 * refresh), and the pacer (the `beforeRetry` hook; the first attempt is paced before ky starts).
 * Why each sits where it does is in the opening comment of transport.ts.
 *
 * @module
 */
import type { Options } from 'ky';
import { NetworkError as KyNetworkError, TimeoutError as KyTimeoutError } from 'ky';
import type { AuthState } from './auth.js';
import {
  ApiError,
  ConnectionError,
  RateLimitError,
  SslOrdersError,
  TimeoutError,
  TOKEN_EXPIRED_CODE,
} from './errors.js';
import type { SslOrdersEvent } from './events.js';
import { abortable } from './internal/abort.js';
import { mayHaveLeft, systemErrorCode } from './internal/network.js';
import type { PacerHook } from './pace.js';
import { type RetryPolicy, retryReasonFor } from './retry.js';
import { retryDelay } from './retry-backoff.js';
import type { RetryBudget } from './retry-budget.js';
import { type Reply, readAnswer } from './transport-response.js';

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
  /** Receives the transport's own events: request, response, retry, auth.refresh. */
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
  /**
   * Whether repeating the call is harmless. A call that is not (the resend POST) is retried only
   * when the server provably did not act: a rate-limit answer, or a connection refused before the
   * request left; the policy's `retryOn` cannot widen that.
   */
  idempotent: boolean;
  signal?: AbortSignal | undefined;
  timeout?: number | undefined;
  totalTimeout?: number | undefined;
  retry?: RetryPolicy | undefined;
}

/**
 * How far the last attempt's request got: `not-sent` (no byte of it left this machine: an abort or
 * a failure before dispatch, a token that could not be had, a refused connection), `maybe` (it left
 * or may have, and no answer came), `answered` (the server answered; the error is that answer).
 */
export type Reach = 'not-sent' | 'maybe' | 'answered';

/** The end of a call. */
export type Outcome = { ok: true; reply: Reply } | { ok: false; error: unknown; reached: Reach };

/** What the transport reads of a call once ky is done with it. */
export interface CallState {
  /** How far the last attempt's request got. */
  reached: Reach;
  /** The answer of the attempt that succeeded. */
  reply: Reply | undefined;
  /** What the call's last retry took from the budget (`0`: none), refunded on success. */
  lastRetryCost: number;
}

/** One call: its state, and the functions the transport and ky call for it. */
export interface KyCall {
  readonly state: CallState;
  /**
   * Waits for the pacer before the next attempt. The first attempt's wait runs before ky starts
   * rather than in a `beforeRequest` hook: such a hook cost 7 µs of CPU per call (measured on ky
   * with a stub fetch; ky runs it through its total-timeout race and hands it a frozen copy of its
   * options), paid by every call for a wait that is nearly always none.
   */
  pace(): Promise<void> | undefined;
  /**
   * The ky options of the call, made after the first attempt's pacing. The first attempt runs
   * without ky's retry: ky clones its Request before every attempt of a call that may retry, 17 µs
   * of CPU per GET measured on ky with a stub fetch, paid by every call though nearly all succeed at
   * once. When the first attempt failed and
   * {@link retryAfter} says to retry, a second ky call runs with ky's retry, its own first attempt
   * failing at once with `first.failure`, so ky waits, paces and retries as for any failure.
   */
  options(first?: { failure: unknown }): Options;
  /** Whether the first attempt's failure is retried; when it is, the wait is decided and reported. */
  retryAfter(failure: unknown): boolean;
  /** The SDK's error for what ky threw. ky's errors hold the Request, Authorization header included. */
  error(thrown: unknown): unknown;
}

/**
 * Sets up one call: its deadline, its state, and the callbacks ky runs it with.
 *
 * @param started - `Date.now()` when the call began; the deadline counts from there.
 */
export function kyCall(config: TransportConfig, host: string, call: Call, started = Date.now()): KyCall {
  const policy = call.retry ?? config.retry;
  const totalTimeout = call.totalTimeout ?? config.totalTimeout;
  const deadline = totalTimeout === undefined ? Number.POSITIVE_INFINITY : started + totalTimeout;
  const timeout = call.timeout ?? config.timeout;
  const info = { method: call.method, path: call.path };
  const state: CallState = { reached: 'not-sent', reply: undefined, lastRetryCost: 0 };
  // The request body is added by the attempt rather than given to ky: ky clones its Request before
  // every attempt when retries are on, and cloning a body tees its stream (16 µs of CPU per POST, a
  // third of ky's own cost, measured on ky with a stub fetch); fetch builds its own Request from
  // `init` anyway, so the global fetch gets the body there at no cost.
  const body = call.parameters && JSON.stringify({ parameters: call.parameters });
  let attempt = 0;
  let retries = 0;
  let refreshed = false;
  let forceRefresh = false;
  // The wait shouldRetry decided on; ky reads it through `retry.delay`.
  let delayMs = 0;
  // The Request of the last attempt ky timed, and whether its timer was the call's deadline.
  let timed: Request | undefined;
  let byDeadline = false;

  const pace = () => config.pacer?.acquire(call, attempt + 1, deadline, totalTimeout);

  const error = (thrown: unknown): unknown => {
    if (thrown instanceof KyTimeoutError) {
      return thrown.request === timed && !byDeadline
        ? new TimeoutError({ ...info, timeoutMs: timeout, limit: 'attempt' })
        : new TimeoutError({ ...info, timeoutMs: totalTimeout ?? timeout, limit: 'total' });
    }
    // Only an error the token provider threw can get here (the attempt maps fetch's own failures).
    if (thrown instanceof KyNetworkError) return thrown.cause;
    return thrown;
  };

  // Sends the attempt's Request with the body; a custom fetch may read the Request alone.
  const send = (request: Request, init: RequestInit | undefined): Promise<Response> => {
    if (config.fetch) return config.fetch(body ? new Request(request, { body }) : request, init);
    return fetch(request, body ? { ...init, body } : init);
  };

  // One attempt, token and body included, so that ky's `timeout` bounds all of it.
  const run = async (request: Request, init: RequestInit | undefined): Promise<Response> => {
    const current = ++attempt;
    state.reached = 'not-sent';
    timed = request;
    byDeadline = deadline - Date.now() < timeout;
    // ky aborts this signal when the attempt's time is up, or when the caller aborts.
    const { signal } = request;
    // A provider that never answers must not hang the call: it gets the signal, and the wait ends with it.
    const header = config.auth.header({ forceRefresh, signal });
    forceRefresh = false;
    request.headers.set(
      'authorization',
      typeof header === 'string' ? header : await abortable(header, signal),
    );
    config.emit({ type: 'request', ...info, idempotent: call.idempotent, attempt: current });
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      state.reached = 'maybe';
      // Raced against the signal too: a custom fetch that ignores it must not hang the call.
      response = await abortable(send(request, init), signal);
      text = await abortable(response.text(), signal);
    } catch (failure) {
      // ky has already failed the attempt with its TimeoutError, or the caller aborted.
      if (signal.aborted) throw signal.reason;
      if (failure instanceof SslOrdersError) throw failure;
      const code = systemErrorCode(failure);
      // A refused connection never carried the request; anything else may have.
      const dispatched = mayHaveLeft(code);
      if (!dispatched) state.reached = 'not-sent';
      throw new ConnectionError({ ...info, code, dispatched, host }, failure);
    }
    state.reached = 'answered';
    config.emit({
      type: 'response',
      ...info,
      idempotent: call.idempotent,
      attempt: current,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
    const { redact, source: credentialSource } = config.auth;
    try {
      state.reply = readAnswer(
        { ...info, redact, baseUrl: config.baseUrl, credentialSource },
        response,
        text,
      );
    } catch (failure) {
      if (failure instanceof RateLimitError) config.pacer?.rateLimited(failure.serverMessage);
      throw failure;
    }
    return response;
  };

  // Whether ky repeats the call after `thrown`; when it does, ky waits `delayMs` first.
  const shouldRetry = (thrown: unknown): boolean => {
    if (call.signal?.aborted) return false;
    const failure = error(thrown);
    const event = { ...info, idempotent: call.idempotent, attempt };
    if (
      failure instanceof ApiError &&
      failure.code === TOKEN_EXPIRED_CODE &&
      config.auth.refreshable &&
      !refreshed
    ) {
      // The server rejected the token before acting, so even a send may repeat once with a new one.
      refreshed = true;
      forceRefresh = true;
      delayMs = 0;
      state.reached = 'not-sent';
      config.emit({ type: 'auth.refresh', ...event });
      return true;
    }
    // A server that asks for a longer wait than the policy allows would only refuse an early retry
    // again: fail now, with the wait it asked for on the error (`retryAfterMs`).
    if (failure instanceof ApiError && (failure.retryAfterMs ?? 0) > policy.maxRetryAfter) return false;
    const reason = retries < policy.maxRetries ? retryReasonFor(failure, call.idempotent, policy) : undefined;
    if (reason === undefined) return false;
    const wait = Math.round(retryDelay(failure, retries + 1, policy));
    if (Date.now() + wait >= deadline) return false;
    const cost = config.budget?.acquire(reason);
    if (config.budget && cost === undefined) return false;
    state.lastRetryCost = cost ?? 0;
    config.emit({
      type: 'retry',
      ...event,
      delayMs: wait,
      reason,
      status: failure instanceof ApiError ? failure.status : undefined,
      code: failure instanceof ApiError || failure instanceof ConnectionError ? failure.code : undefined,
      errorName: failure instanceof Error ? failure.name : typeof failure,
    });
    delayMs = wait;
    retries++;
    // Until the next attempt starts, an abort finds nothing sent.
    state.reached = 'not-sent';
    return true;
  };

  // The most retries shouldRetry can grant (the token refresh is one more); ky calls it for every
  // failure below this, so the budget and the events see every retry.
  const limit = policy.maxRetries + (config.auth.refreshable ? 1 : 0);

  const options = (first?: { failure: unknown }): Options => {
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': config.userAgent };
    if (body) headers['content-type'] = 'application/json';
    let replay = first !== undefined;
    return {
      method: call.method,
      headers,
      signal: call.signal ?? null,
      timeout,
      // What is left after the first attempt (and its pacing): the deadline counts from the start.
      totalTimeout: totalTimeout === undefined ? false : Math.max(0, deadline - Date.now()),
      retry: first
        ? {
            limit,
            // Reads are POSTs too (getSslCertificateRequests); shouldRetry applies the call's idempotency.
            methods: ['get', 'post'],
            // The replayed failure (ky's retry 1: the first attempt of this ky call) was decided on
            // already (retryAfter), wait included. By position, not identity: a token provider that
            // caches its rejected promise throws the same object again, which must meet the policy.
            shouldRetry: ({ error: thrown, retryCount }) => retryCount === 1 || shouldRetry(thrown),
            delay: () => delayMs,
          }
        : 0,
      hooks: { beforeRetry: config.pacer ? [pace] : [] },
      fetch: (request, init) => {
        if (!replay) return run(request as Request, init);
        replay = false;
        return Promise.reject(first?.failure);
      },
    };
  };

  const retryAfter = (failure: unknown) => limit > 0 && shouldRetry(failure);

  return { state, pace, options, retryAfter, error };
}
