/**
 * How long to wait before a retry: the jittered exponential backoff, or the server's `Retry-After`.
 *
 * @module
 */
import { ApiError } from './errors.js';
import type { RetryPolicy } from './retry.js';

/**
 * Backoff delay before retry number `retry` (1 for the first retry), in milliseconds:
 * `min(baseDelay × 2^(retry−1), maxDelay)`, then jittered. `random` is injectable for tests.
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
