/**
 * Retry policy as data, and the classification of a failure into a retry reason. The delays are in
 * retry-backoff.ts, the per-client budget in retry-budget.ts, the option checks in retry-options.ts.
 * ky runs the retries; its `shouldRetry` (transport-call.ts) asks these.
 *
 * @module
 */
import { ConnectionError, RateLimitError, ServerError, TimeoutError } from './errors.js';

/** Why a failed attempt may be retried. */
export type RetryReason = 'rate-limit' | 'server-error' | 'connection' | 'timeout';

/** Every retry reason, in the order the docs list them. */
export const RETRY_REASONS: readonly RetryReason[] = ['rate-limit', 'server-error', 'connection', 'timeout'];

/** How a failed call is retried. Every field has a default; see {@link DEFAULT_RETRY_POLICY}. */
export interface RetryPolicy {
  /** Retries after the first attempt. `0` means one attempt. Default `2`. */
  maxRetries: number;
  /** Delay before the first retry, in milliseconds; doubles for each further retry. Default `500`. */
  baseDelay: number;
  /** Upper bound of one backoff delay, in milliseconds. Default `8000`. */
  maxDelay: number;
  /**
   * How the backoff delay is randomised so that many clients do not retry in step: `full` picks
   * uniformly in [0, delay], `equal` in [delay/2, delay], `none` uses the delay as is. Default `full`.
   * Server-given waits (`Retry-After`) are never randomised.
   */
  jitter: 'full' | 'equal' | 'none';
  /**
   * Longest server-given `Retry-After` wait that is honoured, in milliseconds. A longer one fails the
   * call at once with the error (its `retryAfterMs` says how long the server asked for), since a
   * retry before then would be refused again. Default `60000`.
   */
  maxRetryAfter: number;
  /**
   * Which failures are retried. Reads default to all four. Sends ignore this list: they retry only
   * a rate-limit rejection and a connection refused before dispatch (the server did not act).
   */
  retryOn: readonly RetryReason[];
}

/** Token bucket that bounds retries per client, as AWS SDK v3's retry quota does. */
export interface RetryBudgetOptions {
  /** Tokens in a full bucket. Default `500`. */
  capacity: number;
  /** Tokens one retry costs. Default `5`. */
  retryCost: number;
  /** Tokens a retry after a timeout costs (timeouts hint at an overloaded server). Default `10`. */
  timeoutCost: number;
  /** Tokens a first-attempt success puts back. Default `1`. */
  successRefund: number;
}

/**
 * The `retry` option: `false` turns retries off; an object overrides some fields of the policy.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * const client = new SslOrdersClient({
 *   auth: { username: 'SL1_jane', apiKey: 'key-123456' },
 *   retry: { maxRetries: 4, baseDelay: 250, retryOn: ['rate-limit', 'connection'], budget: { capacity: 100 } },
 * });
 * ```
 */
export interface RetryOptions extends Partial<RetryPolicy> {
  /** The client's retry budget, or `false` for none. Only meaningful on the client, not per call. */
  budget?: Partial<RetryBudgetOptions> | false;
}

/** The default retry policy for reads. */
export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxRetries: 2,
  baseDelay: 500,
  maxDelay: 8_000,
  jitter: 'full',
  maxRetryAfter: 60_000,
  retryOn: RETRY_REASONS,
});

/** A policy that never retries, for `retry: false`. */
export const NO_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  ...DEFAULT_RETRY_POLICY,
  maxRetries: 0,
});

/** Merges `retry` options over a base policy; `false` gives {@link NO_RETRY_POLICY}. */
export function resolveRetryPolicy(
  options: RetryOptions | false | undefined,
  base: RetryPolicy,
): RetryPolicy {
  if (options === false) return NO_RETRY_POLICY;
  if (options === undefined) return base;
  const { budget: _budget, ...rest } = options;
  const merged: RetryPolicy = { ...base };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

/**
 * Sorts a failure into a retry reason, or `undefined` when it must never be retried (4xx,
 * validation errors, aborts, programming errors).
 */
export function classifyFailure(error: unknown): RetryReason | undefined {
  if (error instanceof RateLimitError) return 'rate-limit';
  // ServerError also covers an internal-error body (or an empty body) sent with HTTP 200.
  if (error instanceof ServerError) return 'server-error';
  if (error instanceof ConnectionError) return 'connection';
  if (error instanceof TimeoutError) return error.limit === 'attempt' ? 'timeout' : undefined;
  return undefined;
}

/**
 * Decides whether a failed attempt may be retried under `policy`. A call that is not idempotent (a
 * send emails a person) is retried only when the server provably did not act: a rate-limit
 * rejection, or a connection that was refused before the request left (design §3); the policy's
 * `retryOn` cannot widen that.
 */
export function retryReasonFor(
  error: unknown,
  idempotent: boolean,
  policy: RetryPolicy,
): RetryReason | undefined {
  const reason = classifyFailure(error);
  if (reason === undefined) return undefined;
  if (!idempotent) {
    if (reason === 'rate-limit') return reason;
    if (error instanceof ConnectionError && !error.dispatched) return reason;
    return undefined;
  }
  return policy.retryOn.includes(reason) ? reason : undefined;
}
