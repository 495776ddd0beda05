/**
 * The HTTP layer; transport-call.ts and transport-wire.ts are the only modules that know ky, and
 * they load with the first call (`loadWire`): an app that builds a client at startup does not
 * parse ky and the call code until it calls. It knows nothing of sends: a call says only whether it
 * is idempotent, and a failed call says how far its last request got (`reached`), which is what a
 * caller needs to tell "not sent" from "maybe sent".
 *
 * ky runs every call: it builds the request, times each attempt (`timeout`) and the whole call
 * (`totalTimeout`, waits included), decides retries through `retry.shouldRetry`, waits between
 * attempts (ending the wait when the caller aborts), and calls the pacer from its `beforeRetry`
 * hook, outside the attempt's timer (a wait for the pacer is not a timeout). Our `shouldRetry`
 * (transport-call.ts) holds what ky does not know: SoftLayer's error bodies (a typed error, even for
 * HTTP 200), the retry budget (ky has none), the send's at-most-once rule, the token refresh, and
 * the `retry` and `auth.refresh` events (ky's `beforeRetry` runs after the wait and is not told it,
 * so the event that states the wait comes from `shouldRetry`, which also picks it: retry-backoff.ts).
 * Where ky 2.1 cannot do what the SDK needs (each shown on ky itself in
 * test/transport-ky-gaps.test.ts):
 * - Hooks run outside the per-attempt `timeout`: ky races `beforeRequest` and `beforeRetry` hooks
 *   against `totalTimeout` only (Ky.js `#runBeforeRequestHooks`, `#retryFromError`), and an abort
 *   does not end the wait, so a token fetched in a hook would escape the attempt's deadline. The
 *   Authorization header is set inside the attempt instead: ky's `fetch` option, which ky's timer
 *   wraps whole (utils/timeout.js); the token provider gets the Request's signal, which ky aborts.
 * - ky's `timeout` ends when `fetch` resolves, i.e. at the headers; a body read later through the
 *   Response is unbounded, and ky's body shortcuts (`.text()`) time the body with a second, separate
 *   `timeout` once the retries are over, so a stalled body is never retried. The attempt reads the
 *   body inside that same `fetch`, under the attempt's one timer, and a stall is a retryable timeout.
 * - ky caps a `Retry-After` above `maxRetryAfter` and retries early, into the same limit. Ours
 *   returns `false` for such an answer, so its RateLimitError (with `retryAfterMs`) ends the call;
 *   ky's own Retry-After code never runs, as `shouldRetry` always returns a boolean and ky then takes
 *   the wait from `retry.delay`, which hands back the wait `shouldRetry` chose (and reported).
 * - `ky.retry()` from an `afterResponse` hook (ky's way to retry on a body) skips the method check
 *   and `shouldRetry`, so it would repeat the resend POST: never used. An error body becomes a
 *   typed error inside the attempt, which ky hands to `shouldRetry` like any other failure.
 * - ky's method check cannot tell a read from the send: SoftLayer's reads are POSTs too. Every call
 *   lists GET and POST, and `shouldRetry` retries a call that is not idempotent only when the server
 *   provably did not act (retry.ts `retryReasonFor`).
 * - ky readies every call that may retry for its retries: it clones the Request before each
 *   attempt (Ky.js `#fetch`, `retryRequest`; a body's stream teed), which a call that succeeds at once
 *   never needs (17 µs of CPU per GET, 16 µs more per POST body, measured on ky with a stub fetch).
 *   So the first attempt runs without ky's retry, and the body goes to fetch, not ky; a failure to
 *   retry starts a second ky call with ky's retry, whose own first attempt fails at once with that
 *   failure (transport-call.ts `options`).
 * - ky's errors hold the Request, Authorization header included: none leaves this layer.
 *
 * @module
 */
import { ConnectionError, TimeoutError } from './errors.js';
import { abortable } from './internal/abort.js';
import type { Call, Outcome, TransportConfig } from './transport-call.js';
import type { Reply } from './transport-response.js';

export type { Call, Outcome, Reach, TransportConfig } from './transport-call.js';
export type { Reply } from './transport-response.js';

/** The module the first call loads: ky, the call's callbacks, the pacer, the pager, validation. */
export type Wire = typeof import('./transport-wire.js');

let wire: Wire | undefined;
let loading: Promise<Wire> | undefined;

/**
 * Loads the wire code once per process. A failed load (a bundler's chunk that did not download) is
 * not kept: the next call tries again.
 */
export function loadWire(): Promise<Wire> {
  if (wire) return Promise.resolve(wire);
  if (!loading) {
    const current = import('./transport-wire.js').then((module) => {
      wire = module;
      return module;
    });
    current.catch(() => {
      if (loading === current) loading = undefined;
    });
    loading = current;
  }
  return loading;
}

/**
 * The wire module, loaded: for what runs after a call (the call loaded it before it could return).
 *
 * @throws Error when no call has loaded it yet: a bug in the caller, never a user's mistake.
 */
export function loadedWire(): Wire {
  if (!wire) throw new Error('softlayer-ssl-orders: the wire code is used before any call loaded it');
  return wire;
}

export class Transport {
  readonly #config: TransportConfig;
  readonly #host: string;

  constructor(config: TransportConfig) {
    this.#config = config;
    this.#host = new URL(config.baseUrl).host;
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

  /**
   * Runs a call with retries; never throws. The first call of the process loads the wire code first,
   * as part of the call: within its `totalTimeout` (a {@link TimeoutError}), abortable by its signal,
   * and a failed load is a {@link ConnectionError} with the loader's error as its cause, nothing sent.
   */
  async run(call: Call): Promise<Outcome> {
    if (call.signal?.aborted) return { ok: false, error: call.signal.reason, reached: 'not-sent' };
    const started = Date.now();
    const loaded = wire ?? (await this.load(call));
    if ('ok' in loaded) return loaded;
    return loaded.runCall(this.#config, this.#host, this.url(call), call, started);
  }

  /**
   * The wire code, loaded as the first part of `call` (see {@link run}); or the call's failed
   * outcome. The pager loads it this way too, before its first page: there the load has a
   * `totalTimeout` window of its own, and the first page another.
   */
  async load(
    call: Pick<Call, 'method' | 'path' | 'signal' | 'totalTimeout'>,
  ): Promise<Wire | Extract<Outcome, { ok: false }>> {
    if (wire) return wire;
    const info = { method: call.method, path: call.path };
    const total = call.totalTimeout ?? this.#config.totalTimeout;
    let timer: AbortSignal | undefined;
    try {
      // Whole milliseconds only (a RangeError otherwise), and durations may have fractions.
      timer = total === undefined ? undefined : AbortSignal.timeout(Math.ceil(total));
      const signals = [call.signal, timer].filter((signal) => signal !== undefined);
      return await abortable(loadWire(), signals.length > 1 ? AbortSignal.any(signals) : signals[0]);
    } catch (error) {
      const failure = call.signal?.aborted
        ? call.signal.reason
        : timer?.aborted
          ? new TimeoutError({ ...info, timeoutMs: total ?? 0, limit: 'total' })
          : new ConnectionError(
              {
                ...info,
                code: undefined,
                dispatched: false,
                service: "the SDK's call code (its chunk did not load)",
              },
              error,
            );
      return { ok: false, error: failure, reached: 'not-sent' };
    }
  }
}
