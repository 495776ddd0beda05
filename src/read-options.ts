/**
 * Checks of the options every read accepts, resolved once per call (or once per list, for all of its
 * pages) into the form the transport takes.
 */
import { InvalidArgumentError } from './errors.js';
import { checkDuration, checkOptionsObject } from './internal/arguments.js';
import { checkFilter, type OrderFilter, orderFilterJson } from './internal/filter.js';
import type { ReadOptions } from './options.js';
import { type RetryPolicy, resolveRetryPolicy } from './retry.js';
import { checkRetryOptions } from './retry-options.js';

/** Checks the options every read accepts and resolves the per-call retry policy over `base`. */
export function checkReadOptions(
  options: ReadOptions,
  base: RetryPolicy,
): {
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  totalTimeout: number | undefined;
  retry: RetryPolicy | undefined;
} {
  checkOptionsObject(options);
  const { signal, timeout, totalTimeout, retry } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal', 'signal must be an AbortSignal, e.g. AbortSignal.timeout(5000)');
  }
  // Shape first: `'budget' in retry` would throw a TypeError for a non-object.
  const checkedRetry = checkRetryOptions(retry);
  if (checkedRetry && 'budget' in checkedRetry) {
    throw new InvalidArgumentError(
      'retry.budget',
      'retry.budget is a client option; it cannot be changed per call',
    );
  }
  return {
    signal,
    timeout: timeout === undefined ? undefined : checkDuration(timeout, 'timeout'),
    totalTimeout: totalTimeout === undefined ? undefined : checkDuration(totalTimeout, 'totalTimeout'),
    retry: checkedRetry === undefined ? undefined : resolveRetryPolicy(checkedRetry, base),
  };
}

/** The checked options of one read call. */
export type ReadCallOptions = ReturnType<typeof checkReadOptions>;

/** A list call's checked filter and read options, shared by every page of an iteration. */
export interface ListQuery {
  filter: OrderFilter;
  filterJson: string;
  read: ReadCallOptions;
}

/** Checks a list call's filter and read options once, for all of its pages. */
export function checkListQuery(options: OrderFilter & ReadOptions, base: RetryPolicy): ListQuery {
  const filter = checkFilter(options);
  return { filter, filterJson: orderFilterJson(filter), read: checkReadOptions(options, base) };
}
