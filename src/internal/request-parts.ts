/**
 * Builds the parts of a SoftLayer REST request from checked input: paths, masks, filters, limits.
 * Every value that reaches a URL or a filter passes a check here first, so no input can add a path
 * segment or change a filter's operator.
 */
import { InvalidArgumentError } from '../errors.js';
import type { OrderFilter, ReadOptions, SslOrdersEvent } from '../options.js';
import { checkRetryOptions, type RetryPolicy, resolveRetryPolicy } from '../retry.js';

export const ORDER_SERVICE = 'SoftLayer_Security_Certificate_Request';
export const STATUS_SERVICE = 'SoftLayer_Security_Certificate_Request_Status';
export const ACCOUNT_SERVICE = 'SoftLayer_Account';

/** The fields of `SslOrder`; the CSR is left out because lists never need it. */
export const ORDER_MASK =
  'mask[id,accountId,commonName,approverEmailAddress,technicalContactEmailAddress,statusId,' +
  'createDate,modifyDate,effectiveDate,expirationDate,status[id,name,description]]';

/**
 * A short, safe rendering of a bad value for an error message. Never calls the value's own
 * toString or toJSON (which may throw, or be anything), and keeps strings short and on one line.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' ? 'a function' : String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The `objectMask` query parameter for orders, encoded once. */
export const ORDER_MASK_QUERY = `objectMask=${encodeURIComponent(ORDER_MASK)}`;

/** Checks an order id: a positive safe integer, nothing else (not '12', not 1.5). */
export function checkOrderId(id: unknown, argument = 'id'): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a positive integer order id, got ${shown(id)} (${typeof id}); pass a number such as 4471203`,
    );
  }
  return id;
}

/** Checks an integer option within [min, max]. */
export function checkInteger(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be an integer from ${min} to ${max}, got ${shown(value)}`,
    );
  }
  return value;
}

/** Checks a duration option in milliseconds (a positive finite number up to ~24.8 days, setTimeout's limit). */
export function checkDuration(value: unknown, argument: string, allowZero = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0) ||
    value > 2_147_483_647
  ) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a number of milliseconds${allowZero ? ' (0 or more)' : ' greater than 0'}, got ${shown(value)}`,
    );
  }
  return value;
}

/** Checks that an options argument is an object (a default parameter only covers `undefined`). */
export function checkOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      `options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
}

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

/**
 * Wraps `onEvent` so that a logging hook can never turn a good call into a failed one: a throw is
 * ignored, and so is a rejected promise from an async hook (which would otherwise be an unhandled
 * rejection, fatal in Node).
 */
export function safeEmitter(onEvent: ((event: SslOrdersEvent) => void) | undefined) {
  return (event: SslOrdersEvent): void => {
    if (!onEvent) return;
    try {
      const result: unknown = onEvent(event);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // Ignored on purpose: see above.
    }
  };
}

/** Checks an optional callback option. */
export function checkFunction(value: unknown, argument: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidArgumentError(argument, `${argument} must be a function, got ${typeof value}`);
  }
}

/** Checks the `userAgent` suffix: printable ASCII only, so it cannot split or add a header. */
export function checkUserAgent(value: unknown): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(value))) {
    throw new InvalidArgumentError(
      'userAgent',
      'userAgent must be 1 to 200 printable ASCII characters, e.g. "my-bot/1.2"',
    );
  }
  return value;
}

const STATUS_NAME = /^[A-Za-z][A-Za-z ]{0,63}$/;
// Host names, wildcards and internationalised names in punycode; nothing that could be an operator.
const COMMON_NAME = /^[A-Za-z0-9*][A-Za-z0-9.*-]{0,252}$/;

/** Checks the filter options of a list. */
export function checkFilter(filter: OrderFilter): OrderFilter {
  const out: OrderFilter = {};
  if (filter.status !== undefined) {
    if (typeof filter.status !== 'string' || !STATUS_NAME.test(filter.status)) {
      throw new InvalidArgumentError(
        'status',
        `status must be a status name such as "Approved" or "Pending CA Approval", got ${shown(filter.status)}`,
      );
    }
    out.status = filter.status;
  }
  if (filter.commonName !== undefined) {
    if (typeof filter.commonName !== 'string' || !COMMON_NAME.test(filter.commonName)) {
      throw new InvalidArgumentError(
        'commonName',
        `commonName must be a domain name such as "www.example.com", got ${shown(filter.commonName)}`,
      );
    }
    out.commonName = filter.commonName;
  }
  return out;
}

/**
 * The objectFilter for a list. Every leaf states its operator (`_=`, case-insensitive equals), so a
 * value can never be read as one. Results are ordered by id, because SoftLayer's order is otherwise
 * not stable between pages.
 */
export function orderFilterJson(filter: OrderFilter): string {
  const tree: Record<string, unknown> = {
    id: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
  };
  if (filter.status !== undefined) tree['status'] = { name: { operation: `_= ${filter.status}` } };
  if (filter.commonName !== undefined) tree['commonName'] = { operation: `_= ${filter.commonName}` };
  return JSON.stringify(tree);
}

/** Whether an order matches the filter, for when the server ignores one (it does so silently). */
export function matchesFilter(
  order: { commonName?: string | undefined; status?: { name?: string | undefined } | undefined },
  filter: OrderFilter,
): boolean {
  if (filter.status !== undefined && order.status?.name?.toLowerCase() !== filter.status.toLowerCase())
    return false;
  if (filter.commonName !== undefined && order.commonName?.toLowerCase() !== filter.commonName.toLowerCase())
    return false;
  return true;
}

/** Encodes query parameters the way SoftLayer expects (brackets and commas percent-encoded). */
export function queryString(parameters: Record<string, string | undefined>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(parameters)) {
    if (value !== undefined) parts.push(`${key}=${encodeURIComponent(value)}`);
  }
  return parts.join('&');
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Checks and normalises the base URL: `public`, `private`, or an http(s) URL with no credentials,
 * query or fragment; plain http only on loopback. The result ends with `/`.
 */
export function resolveBaseUrl(
  value: unknown,
  defaults: { baseUrl: string; privateBaseUrl: string },
): string {
  if (value === undefined || value === 'public') return defaults.baseUrl;
  if (value === 'private') return defaults.privateBaseUrl;
  if (typeof value !== 'string') {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must be a URL string, 'public' or 'private', got ${typeof value}`,
    );
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('baseUrl', `baseUrl is not a valid URL; use e.g. ${defaults.baseUrl}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must use https, got ${url.protocol}; use e.g. ${defaults.baseUrl}`,
    );
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new InvalidArgumentError(
      'baseUrl',
      `baseUrl must use https for ${url.hostname}: plain http is allowed only for loopback (127.0.0.1, localhost, ::1)`,
    );
  }
  if (url.username || url.password) {
    throw new InvalidArgumentError(
      'baseUrl',
      'baseUrl must not contain credentials; pass them in the auth option',
    );
  }
  if (url.search || url.hash) {
    throw new InvalidArgumentError('baseUrl', 'baseUrl must not have a query or fragment');
  }
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
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
