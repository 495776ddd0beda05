/**
 * The HTTP layer, and the only module that knows ky: builds the request, adds the auth header, maps
 * every failure to a typed error, and runs the retry loop with the policy from retry.ts. It knows
 * nothing of sends: a call says only whether it is idempotent, and a failed call says how far its
 * last request got (`reached`), which is what a caller needs to tell "not sent" from "maybe sent".
 *
 * ky builds the request here, with its own retries and timeout off. What ky 2 does not do that the
 * SDK needs (each shown on ky itself in test/transport-ky-gaps.test.ts):
 * - ky runs `beforeRequest` hooks outside its per-attempt `timeout` (only `totalTimeout` bounds them,
 *   and not even an abort ends the wait), so a token fetched there would escape the attempt's
 *   deadline; here the token provider runs under the attempt's timer and gets its signal.
 * - ky caps a `Retry-After` above `maxRetryAfter` and retries early (into the same limit); here such
 *   an answer fails at once with the RateLimitError, which carries `retryAfterMs`.
 * - ky's `timeout` ends when the headers arrive, and a body read through the Response is unbounded;
 *   one attempt here is bounded as a whole, body included.
 * - `ky.retry()` from an `afterResponse` hook (the way to retry on a SoftLayer error body sent with
 *   HTTP 200 or 500) skips ky's method check, so it would repeat the resend POST.
 * ky's `shouldRetry` could consult the retry budget and SoftLayer's codes for reads; moving the read
 * retries onto it is not done yet: it would split the loop in two (ky's for reads, this one for the
 * send and the token refresh) for the same events, deadline and budget.
 *
 * @module
 */
import ky from 'ky';
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
import { abortable, sleep } from './internal/abort.js';
import { mayHaveLeft, rootCause, systemErrorCode } from './internal/network.js';
import type { PacerHook } from './pace.js';
import { type RetryPolicy, retryReasonFor } from './retry.js';
import { retryDelay } from './retry-backoff.js';
import type { RetryBudget } from './retry-budget.js';
import { type Reply, readAnswer } from './transport-response.js';

export type { Reply } from './transport-response.js';

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

export class Transport {
  readonly #config: TransportConfig;
  readonly #ky: typeof ky;
  readonly #host: string;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#host = new URL(config.baseUrl).host;
    this.#ky = ky.create({
      retry: 0,
      timeout: false,
      throwHttpErrors: false,
      ...(config.fetch ? { fetch: config.fetch } : {}),
    });
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
    const base = { method: call.method, path: call.path, idempotent: call.idempotent };
    let attempt = 0;
    let retries = 0;
    let lastRetryCost = 0;
    let refreshed = false;
    let forceRefresh = false;
    for (;;) {
      attempt++;
      const state: { reached: Reach } = { reached: 'not-sent' };
      try {
        // Every step before an attempt belongs here (the pacing hook too), so that an abort while
        // waiting counts as "not sent".
        if (call.signal?.aborted) return { ok: false, error: call.signal.reason, reached: 'not-sent' };
        const reply = await this.#attempt(call, attempt, forceRefresh, deadline, totalTimeout, state);
        config.budget?.recordSuccess(lastRetryCost);
        return { ok: true, reply };
      } catch (error) {
        if (call.signal?.aborted) return { ok: false, error: call.signal.reason, reached: state.reached };
        const failed = { ok: false as const, error, reached: state.reached };
        if (
          error instanceof ApiError &&
          error.code === TOKEN_EXPIRED_CODE &&
          config.auth.refreshable &&
          !refreshed
        ) {
          // The server rejected the token before acting, so even a send may repeat once with a new one.
          refreshed = true;
          forceRefresh = true;
          config.emit({ type: 'auth.refresh', ...base, attempt });
          continue;
        }
        forceRefresh = false;
        if (error instanceof RateLimitError) config.pacer?.rateLimited(error.serverMessage);
        // A server that asks for a longer wait than the policy allows would only refuse an early
        // retry again: fail now, with the wait it asked for on the error (`retryAfterMs`).
        if (error instanceof ApiError && (error.retryAfterMs ?? 0) > policy.maxRetryAfter) return failed;
        const reason =
          retries < policy.maxRetries ? retryReasonFor(error, call.idempotent, policy) : undefined;
        if (reason === undefined) return failed;
        const delayMs = Math.round(retryDelay(error, retries + 1, policy));
        if (Date.now() + delayMs >= deadline) return failed;
        const cost = config.budget?.acquire(reason);
        if (config.budget && cost === undefined) return failed;
        lastRetryCost = cost ?? 0;
        config.emit({
          type: 'retry',
          ...base,
          attempt,
          delayMs,
          reason,
          status: error instanceof ApiError ? error.status : undefined,
          code: error instanceof ApiError || error instanceof ConnectionError ? error.code : undefined,
          errorName: error instanceof Error ? error.name : typeof error,
        });
        try {
          await sleep(delayMs, call.signal);
        } catch (abortReason) {
          return { ok: false, error: abortReason, reached: 'not-sent' };
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
    state: { reached: Reach },
  ): Promise<Reply> {
    const config = this.#config;
    const info = { method: call.method, path: call.path };
    const attemptTimeout = call.timeout ?? config.timeout;
    // Paced inside the call's deadline but before the attempt's timer starts: a wait is not a timeout.
    await config.pacer?.acquire(call, attempt, deadline, totalTimeout);
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new TimeoutError({ ...info, timeoutMs: totalTimeout ?? 0, limit: 'total' });
    const byDeadline = remaining < attemptTimeout;
    const timeoutMs = byDeadline ? remaining : attemptTimeout;
    // One timer for the whole attempt, token included: a provider that never answers must not hang
    // the call (it gets the attempt's signal, and the wait for it ends with the timer).
    const timer = new AbortController();
    const handle = setTimeout(() => timer.abort(), timeoutMs);
    const signal = call.signal ? AbortSignal.any([call.signal, timer.signal]) : timer.signal;
    const timedOut = () =>
      byDeadline
        ? new TimeoutError({ ...info, timeoutMs: totalTimeout ?? timeoutMs, limit: 'total' })
        : new TimeoutError({ ...info, timeoutMs, limit: 'attempt' });
    try {
      let authorization: string;
      try {
        const header = config.auth.header({ forceRefresh, signal });
        authorization = typeof header === 'string' ? header : await abortable(header, signal);
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (timer.signal.aborted) throw timedOut();
        throw error;
      }
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
      config.emit({ type: 'request', ...info, idempotent: call.idempotent, attempt });
      const started = performance.now();
      let response: Response;
      let text: string;
      try {
        state.reached = 'maybe';
        // Raced against the signal too: a custom fetch that ignores it must not hang the call.
        response = await abortable(
          this.#ky(this.url(call), { method: call.method, headers, body, ...this.#abortWith(signal) }),
          signal,
        );
        text = await abortable(response.text(), signal);
      } catch (error) {
        if (call.signal?.aborted) throw call.signal.reason;
        if (timer.signal.aborted) throw timedOut();
        if (error instanceof SslOrdersError) throw error;
        const code = systemErrorCode(error);
        // A refused connection never carried the request; anything else may have.
        const dispatched = mayHaveLeft(code);
        if (!dispatched) state.reached = 'not-sent';
        throw new ConnectionError({ ...info, code, dispatched, host: this.#host }, rootCause(error));
      }
      state.reached = 'answered';
      config.emit({
        type: 'response',
        ...info,
        idempotent: call.idempotent,
        attempt,
        status: response.status,
        durationMs: Math.round(performance.now() - started),
      });
      const { redact, source: credentialSource } = config.auth;
      return readAnswer({ ...info, redact, baseUrl: config.baseUrl, credentialSource }, response, text);
    } finally {
      clearTimeout(handle);
    }
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
}
