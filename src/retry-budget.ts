/**
 * The per-client retry budget: a token bucket that bounds the retries of all calls of one client.
 *
 * @module
 */
import type { RetryBudgetOptions, RetryReason } from './retry.js';

/** The default retry budget. */
export const DEFAULT_RETRY_BUDGET: Readonly<RetryBudgetOptions> = Object.freeze({
  capacity: 500,
  retryCost: 5,
  timeoutCost: 10,
  successRefund: 1,
});

/**
 * A token bucket shared by all calls of one client. Each retry takes tokens; successes put some
 * back. When the API is down and every call fails, the bucket empties and calls fail fast with
 * their last error instead of multiplying the load: with the defaults (500 tokens, 5 per retry),
 * any number of failing calls add at most 100 retries in all. The client builds one from its
 * `retry.budget` option over `DEFAULTS.retryBudget`.
 */
export class RetryBudget {
  /** The bucket's settings, defaults filled in. */
  readonly options: Readonly<RetryBudgetOptions>;
  #tokens: number;

  constructor(
    options: Partial<RetryBudgetOptions> = {},
    defaults: Readonly<RetryBudgetOptions> = DEFAULT_RETRY_BUDGET,
  ) {
    this.options = Object.freeze({ ...defaults, ...definedOnly(options) });
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

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
