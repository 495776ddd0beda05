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

/** The state of one call across its attempts, and the functions ky calls for it. */
export class CallRun {
  /** How far the last attempt's request got. */
  reached: Reach = 'not-sent';
  /** The answer of the attempt that succeeded. */
  reply: Reply | undefined;
  /** What the call's last retry took from the budget (`0`: none), refunded on success. */
  lastRetryCost = 0;
  readonly #config: TransportConfig;
  readonly #host: string;
  readonly #call: Call;
  readonly #policy: RetryPolicy;
  readonly #deadline: number;
  readonly #totalTimeout: number | undefined;
  readonly #timeout: number;
  #attempt = 0;
  #retries = 0;
  #refreshed = false;
  #forceRefresh = false;
  /** The wait `shouldRetry` decided on; ky reads it through `retry.delay`. */
  #delayMs = 0;
  /** The Request of the last attempt ky timed, and whether its timer was the call's deadline. */
  #timed: Request | undefined;
  #byDeadline = false;
  /**
   * The request body, added by the attempt rather than given to ky: ky clones its Request before
   * every attempt when retries are on, and cloning a body tees its stream (16 µs of CPU per POST,
   * a third of ky's own cost, measured on ky with a stub fetch); fetch builds its own Request from
   * `init` anyway, so the global fetch gets the body there at no cost.
   */
  #body: string | undefined;

  constructor(config: TransportConfig, host: string, call: Call) {
    this.#config = config;
    this.#host = host;
    this.#call = call;
    this.#policy = call.retry ?? config.retry;
    this.#totalTimeout = call.totalTimeout ?? config.totalTimeout;
    this.#deadline =
      this.#totalTimeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + this.#totalTimeout;
    this.#timeout = call.timeout ?? config.timeout;
  }

  /** The ky options of this call. */
  options(userAgent: string): Options {
    const call = this.#call;
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': userAgent };
    if (call.parameters) {
      headers['content-type'] = 'application/json';
      this.#body = JSON.stringify({ parameters: call.parameters });
    }
    const pace = this.#config.pacer ? [() => this.pace()] : [];
    return {
      method: call.method,
      headers,
      signal: call.signal ?? null,
      timeout: this.#timeout,
      // What is left after the first attempt's pacing (the call's deadline counts from its start).
      totalTimeout: this.#totalTimeout === undefined ? false : Math.max(0, this.#deadline - Date.now()),
      retry: {
        // The most retries shouldRetry can grant (the token refresh is one more); ky calls it for
        // every failure below this, so the budget and the events see every retry.
        limit: this.#policy.maxRetries + (this.#config.auth.refreshable ? 1 : 0),
        // Reads are POSTs too (getSslCertificateRequests); shouldRetry applies the call's idempotency.
        methods: ['get', 'post'],
        shouldRetry: ({ error }) => this.#shouldRetry(error),
        delay: () => this.#delayMs,
      },
      hooks: { beforeRetry: pace },
      fetch: (request, init) => this.#fetch(request as Request, init),
    };
  }

  /** The SDK's error for what ky threw. ky's errors hold the Request, Authorization header included. */
  error(thrown: unknown): unknown {
    if (thrown instanceof KyTimeoutError) {
      const info = { method: this.#call.method, path: this.#call.path };
      if (thrown.request === this.#timed && !this.#byDeadline) {
        return new TimeoutError({ ...info, timeoutMs: this.#timeout, limit: 'attempt' });
      }
      return new TimeoutError({ ...info, timeoutMs: this.#totalTimeout ?? this.#timeout, limit: 'total' });
    }
    // Only an error the token provider threw can get here (the attempt maps fetch's own failures).
    if (thrown instanceof KyNetworkError) return thrown.cause;
    return thrown;
  }

  /**
   * Waits for the pacer before the next attempt. The first attempt's wait runs before ky starts
   * rather than in a `beforeRequest` hook: such a hook cost 7 µs of CPU per call (measured on ky
   * with a stub fetch; ky runs it through its total-timeout race and hands it a frozen copy of its
   * options), paid by every call for a wait that is nearly always none.
   */
  pace(): Promise<void> | undefined {
    return this.#config.pacer?.acquire(this.#call, this.#attempt + 1, this.#deadline, this.#totalTimeout);
  }

  /** One attempt, token and body included, so that ky's `timeout` bounds all of it. */
  async #fetch(request: Request, init: RequestInit | undefined): Promise<Response> {
    const config = this.#config;
    const call = this.#call;
    const info = { method: call.method, path: call.path };
    const attempt = ++this.#attempt;
    this.reached = 'not-sent';
    this.#timed = request;
    this.#byDeadline = this.#deadline - Date.now() < this.#timeout;
    const forceRefresh = this.#forceRefresh;
    this.#forceRefresh = false;
    // ky aborts this signal when the attempt's time is up, or when the caller aborts.
    const { signal } = request;
    // A provider that never answers must not hang the call: it gets the signal, and the wait ends with it.
    const header = config.auth.header({ forceRefresh, signal });
    request.headers.set(
      'authorization',
      typeof header === 'string' ? header : await abortable(header, signal),
    );
    config.emit({ type: 'request', ...info, idempotent: call.idempotent, attempt });
    const started = performance.now();
    let response: Response;
    let text: string;
    try {
      this.reached = 'maybe';
      // Raced against the signal too: a custom fetch that ignores it must not hang the call.
      response = await abortable(this.#send(request, init), signal);
      text = await abortable(response.text(), signal);
    } catch (error) {
      // ky has already failed the attempt with its TimeoutError, or the caller aborted.
      if (signal.aborted) throw signal.reason;
      if (error instanceof SslOrdersError) throw error;
      const code = systemErrorCode(error);
      // A refused connection never carried the request; anything else may have.
      const dispatched = mayHaveLeft(code);
      if (!dispatched) this.reached = 'not-sent';
      throw new ConnectionError({ ...info, code, dispatched, host: this.#host }, error);
    }
    this.reached = 'answered';
    config.emit({
      type: 'response',
      ...info,
      idempotent: call.idempotent,
      attempt,
      status: response.status,
      durationMs: Math.round(performance.now() - started),
    });
    const { redact, source: credentialSource } = config.auth;
    try {
      this.reply = readAnswer({ ...info, redact, baseUrl: config.baseUrl, credentialSource }, response, text);
    } catch (error) {
      if (error instanceof RateLimitError) config.pacer?.rateLimited(error.serverMessage);
      throw error;
    }
    return response;
  }

  /** Sends the attempt's Request, with the body; a custom fetch may read the Request alone. */
  #send(request: Request, init: RequestInit | undefined): Promise<Response> {
    const body = this.#body;
    if (this.#config.fetch) {
      return this.#config.fetch(body === undefined ? request : new Request(request, { body }), init);
    }
    return fetch(request, body === undefined ? init : { ...init, body });
  }

  /** Whether ky repeats the call after `thrown`; when it does, ky waits `#delayMs` first. */
  #shouldRetry(thrown: unknown): boolean {
    const config = this.#config;
    const call = this.#call;
    const policy = this.#policy;
    if (call.signal?.aborted) return false;
    const error = this.error(thrown);
    const base = {
      method: call.method,
      path: call.path,
      idempotent: call.idempotent,
      attempt: this.#attempt,
    };
    if (
      error instanceof ApiError &&
      error.code === TOKEN_EXPIRED_CODE &&
      config.auth.refreshable &&
      !this.#refreshed
    ) {
      // The server rejected the token before acting, so even a send may repeat once with a new one.
      this.#refreshed = true;
      this.#forceRefresh = true;
      this.#delayMs = 0;
      this.reached = 'not-sent';
      config.emit({ type: 'auth.refresh', ...base });
      return true;
    }
    // A server that asks for a longer wait than the policy allows would only refuse an early retry
    // again: fail now, with the wait it asked for on the error (`retryAfterMs`).
    if (error instanceof ApiError && (error.retryAfterMs ?? 0) > policy.maxRetryAfter) return false;
    const reason =
      this.#retries < policy.maxRetries ? retryReasonFor(error, call.idempotent, policy) : undefined;
    if (reason === undefined) return false;
    const delayMs = Math.round(retryDelay(error, this.#retries + 1, policy));
    if (Date.now() + delayMs >= this.#deadline) return false;
    const cost = config.budget?.acquire(reason);
    if (config.budget && cost === undefined) return false;
    this.lastRetryCost = cost ?? 0;
    config.emit({
      type: 'retry',
      ...base,
      delayMs,
      reason,
      status: error instanceof ApiError ? error.status : undefined,
      code: error instanceof ApiError || error instanceof ConnectionError ? error.code : undefined,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    this.#delayMs = delayMs;
    this.#retries++;
    // Until the next attempt starts, an abort finds nothing sent.
    this.reached = 'not-sent';
    return true;
  }
}
