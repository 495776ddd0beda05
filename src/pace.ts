/**
 * Client-side pacing under SoftLayer's rate limit (50 requests a second per user).
 *
 * @module
 */

/** A steady rate with a burst: at most `burst + requestsPerSecond` requests in any one second. */
export interface PaceRate {
  /** Requests a second, sustained. */
  requestsPerSecond: number;
  /** Requests that may leave at once after a quiet spell. */
  burst: number;
}

/**
 * A limiter shared by every process that acts as one user (`softlayer-ssl-orders/redis` has one on
 * Redis). Reservation based, as GCRA: a `take` counts the request at once and says how long to wait
 * before sending it, so waiting processes never poll the store.
 */
export interface SharedRateLimiter {
  /**
   * Counts one request for `key` at `rate` and resolves the milliseconds to wait before sending it
   * (0: now). Rejects when the store cannot be reached; the client then paces locally, with an event.
   *
   * @param key - names the user and API host, never a secret.
   */
  take(key: string, rate: PaceRate): Promise<number>;
  /** Where the limiter lives, for events and errors (`redis://host:6379`), never a password. */
  readonly description: string;
}
