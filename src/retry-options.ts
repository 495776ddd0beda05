/**
 * The check of the `retry` option, client-wide or per call.
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import { shown } from './internal/arguments.js';
import { RETRY_REASONS, type RetryOptions } from './retry.js';
import { DEFAULT_RETRY_BUDGET } from './retry-budget.js';

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
