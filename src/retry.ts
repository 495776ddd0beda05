/**
 * Retry policy as data, and the pure functions that apply it: classify a failure, compute a delay,
 * parse `Retry-After`, and a per-client retry budget. The loop that uses them is in transport.ts.
 *
 * @module
 */
import {
  ApiError,
  ConnectionError,
  InvalidArgumentError,
  RateLimitError,
  ServerError,
  TimeoutError,
} from './errors.js';

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
  /** Cap on a server-given `Retry-After` wait, in milliseconds. Default `60000`. */
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

/** The default retry budget. */
export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = Object.freeze({
  capacity: 500,
  retryCost: 5,
  timeoutCost: 10,
  successRefund: 1,
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

/** Which kind of call failed: reads are safe to repeat, a send emails a person. */
export type Operation = 'read' | 'send';

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
 * Decides whether a failed attempt may be retried under `policy`. For a send the answer is yes only
 * when the server provably did not act: a rate-limit rejection, or a connection that was refused
 * before the request left (design §3); the policy's `retryOn` cannot widen that.
 */
export function retryReasonFor(
  error: unknown,
  operation: Operation,
  policy: RetryPolicy,
): RetryReason | undefined {
  const reason = classifyFailure(error);
  if (reason === undefined) return undefined;
  if (operation === 'send') {
    if (reason === 'rate-limit') return reason;
    if (error instanceof ConnectionError && !error.dispatched) return reason;
    return undefined;
  }
  return policy.retryOn.includes(reason) ? reason : undefined;
}

/**
 * Backoff delay before retry number `retry` (1 for the first retry), in milliseconds:
 * `min(baseDelay × 2^(retry−1), maxDelay)`, then jittered. `random` is injectable for tests.
 *
 * @example
 * ```ts
 * import { backoffDelay, DEFAULT_RETRY_POLICY } from 'softlayer-ssl-orders';
 * backoffDelay(3, { ...DEFAULT_RETRY_POLICY, jitter: 'none' }); // 2000 (500 × 2²)
 * ```
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const exponential = Math.min(policy.baseDelay * 2 ** Math.max(0, retry - 1), policy.maxDelay);
  switch (policy.jitter) {
    case 'none':
      return exponential;
    case 'equal':
      return exponential / 2 + random() * (exponential / 2);
    default:
      return random() * exponential;
  }
}

/**
 * Parses a `Retry-After` header (delay seconds or an HTTP date) into milliseconds from `now`.
 * Returns `undefined` for a missing or malformed value; a date in the past gives `0`.
 *
 * @example
 * ```ts
 * import { parseRetryAfter } from 'softlayer-ssl-orders';
 * parseRetryAfter('2'); // 2000
 * parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT'); // 0: that date has passed
 * parseRetryAfter('soon'); // undefined
 * ```
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // HTTP dates always name a weekday and GMT; anything else Date.parse might accept is not one.
  if (!/^[A-Za-z]{3},? .*GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * The wait before the next retry: the server's `Retry-After` (capped at `maxRetryAfter`) when it
 * sent one, otherwise the jittered backoff.
 */
export function retryDelay(
  error: unknown,
  retry: number,
  policy: RetryPolicy,
  random?: () => number,
): number {
  if (error instanceof ApiError && error.retryAfterMs !== undefined) {
    return Math.min(error.retryAfterMs, policy.maxRetryAfter);
  }
  return backoffDelay(retry, policy, random);
}

/**
 * A token bucket shared by all calls of one client. Each retry takes tokens; successes put some
 * back. When the API is down and every call fails, the bucket empties and calls fail fast with
 * their last error instead of multiplying the load: with the defaults (500 tokens, 5 per retry),
 * any number of failing calls add at most 100 retries in all. The client builds one from its
 * `retry.budget` option; the class is exported to reason about and test a configuration.
 *
 * @example
 * ```ts
 * import { RetryBudget } from 'softlayer-ssl-orders';
 * const budget = new RetryBudget({ capacity: 20 });
 * budget.acquire('server-error'); // 5: tokens taken
 * budget.acquire('timeout'); // 10
 * budget.acquire('timeout'); // undefined: too few left, fail fast
 * ```
 */
export class RetryBudget {
  /** The bucket's settings, defaults filled in. */
  readonly options: Readonly<RetryBudgetOptions>;
  #tokens: number;

  constructor(options: Partial<RetryBudgetOptions> = {}) {
    this.options = Object.freeze({ ...DEFAULT_RETRY_BUDGET, ...definedOnly(options) });
    this.#tokens = this.options.capacity;
  }

  /** Tokens left now. */
  get available(): number {
    return this.#tokens;
  }

  /** Takes the cost of one retry; returns the tokens taken, or `undefined` when the bucket is too low. */
  acquire(reason: RetryReason): number | undefined {
    const cost = reason === 'timeout' ? this.options.timeoutCost : this.options.retryCost;
    if (this.#tokens < cost) return undefined;
    this.#tokens -= cost;
    return cost;
  }

  /**
   * Records a successful call. `lastRetryCost` is what the call's last retry took (`0` when the first
   * attempt succeeded): that much goes back, as in AWS SDK v3; a first-attempt success puts back
   * `successRefund`. Only the last retry is refunded so that a server which needs three attempts for
   * every call still drains the bucket instead of tripling the load for ever.
   */
  recordSuccess(lastRetryCost: number): void {
    const refund = lastRetryCost > 0 ? lastRetryCost : this.options.successRefund;
    this.#tokens = Math.min(this.options.capacity, this.#tokens + refund);
  }
}

// Safe for any input: String() throws on objects without a prototype.
function shown(value: unknown): string {
  return typeof value === 'object' && value !== null ? 'an object' : String(value);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Checks `retry` options and throws a helpful error for a wrong field.
 *
 * @throws {@link InvalidArgumentError} naming the field.
 */
export function checkRetryOptions(options: unknown, argument = 'retry'): RetryOptions | false | undefined {
  if (options === undefined || options === false) return options;
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be false or an object such as { maxRetries: 2 }`,
    );
  }
  const value = options as Record<string, unknown>;
  const known = new Set([
    'maxRetries',
    'baseDelay',
    'maxDelay',
    'jitter',
    'maxRetryAfter',
    'retryOn',
    'budget',
  ]);
  for (const key of Object.keys(value)) {
    if (!known.has(key))
      throw new InvalidArgumentError(
        `${argument}.${key}`,
        `${argument}.${key} is not a retry option; known: ${[...known].join(', ')}`,
      );
  }
  const count = (key: string, max: number) => {
    const field = value[key];
    if (
      field !== undefined &&
      (typeof field !== 'number' || !Number.isInteger(field) || field < 0 || field > max)
    ) {
      throw new InvalidArgumentError(
        `${argument}.${key}`,
        `${argument}.${key} must be an integer from 0 to ${max}, got ${shown(field)}`,
      );
    }
  };
  count('maxRetries', 20);
  count('baseDelay', 600_000);
  count('maxDelay', 600_000);
  count('maxRetryAfter', 3_600_000);
  if (value['jitter'] !== undefined && !['full', 'equal', 'none'].includes(value['jitter'] as string)) {
    throw new InvalidArgumentError(
      `${argument}.jitter`,
      `${argument}.jitter must be 'full', 'equal' or 'none'`,
    );
  }
  const retryOn = value['retryOn'];
  if (
    retryOn !== undefined &&
    (!Array.isArray(retryOn) || !retryOn.every((reason) => RETRY_REASONS.includes(reason)))
  ) {
    throw new InvalidArgumentError(
      `${argument}.retryOn`,
      `${argument}.retryOn must list some of: ${RETRY_REASONS.join(', ')}`,
    );
  }
  const budget = value['budget'];
  if (budget !== undefined && budget !== false) {
    if (typeof budget !== 'object' || budget === null) {
      throw new InvalidArgumentError(
        `${argument}.budget`,
        `${argument}.budget must be false or an object such as { capacity: 500 }`,
      );
    }
    for (const [key, field] of Object.entries(budget)) {
      if (
        !(key in DEFAULT_RETRY_BUDGET) ||
        typeof field !== 'number' ||
        !Number.isFinite(field) ||
        field < 0
      ) {
        throw new InvalidArgumentError(
          `${argument}.budget.${key}`,
          `${argument}.budget.${key} must be a known field (capacity, retryCost, timeoutCost, successRefund) with a number of 0 or more`,
        );
      }
    }
  }
  return options as RetryOptions;
}
