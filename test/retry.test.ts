import { describe, expect, it } from 'vitest';
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  TimeoutError,
} from '../src/errors.js';
import {
  classifyFailure,
  DEFAULT_RETRY_POLICY,
  NO_RETRY_POLICY,
  type RetryOptions,
  type RetryPolicy,
  type RetryReason,
  resolveRetryPolicy,
  retryReasonFor,
} from '../src/retry.js';
import { backoffDelay, parseRetryAfter, retryDelay } from '../src/retry-backoff.js';
import { RetryBudget } from '../src/retry-budget.js';
import { checkRetryOptions } from '../src/retry-options.js';

const info = { method: 'GET', path: 'SoftLayer_Account/getObject.json' };
const api = (status: number, code?: string, retryAfterMs?: number) => ({
  ...info,
  status,
  code,
  serverMessage: 'x',
  retryAfterMs,
});

const failures: Array<[string, unknown, RetryReason | undefined]> = [
  ['429', new RateLimitError(api(429)), 'rate-limit'],
  [
    '500 + RateLimitExceeded',
    new RateLimitError(api(500, 'SoftLayer_Exception_WebService_RateLimitExceeded')),
    'rate-limit',
  ],
  ['500', new ServerError(api(500, 'SoftLayer_Exception_Public')), 'server-error'],
  ['502', new ServerError(api(502)), 'server-error'],
  ['503', new ServerError(api(503)), 'server-error'],
  ['error body with HTTP 200', new ServerError(api(200, 'SoftLayer_Exception')), 'server-error'],
  ['400', new ApiError(api(400, 'SoftLayer_Exception_InvalidValue')), undefined],
  ['401', new AuthenticationError(api(401)), undefined],
  ['403', new PermissionDeniedError(api(403)), undefined],
  ['404', new NotFoundError(api(404, 'SoftLayer_Exception_ObjectNotFound')), undefined],
  ['validation', new ResponseValidationError({ ...info, issues: [] }), undefined],
  ['invalid argument', new InvalidArgumentError('id', 'bad'), undefined],
  [
    'refused',
    new ConnectionError({ ...info, code: 'ECONNREFUSED', dispatched: false }, undefined),
    'connection',
  ],
  ['reset', new ConnectionError({ ...info, code: 'ECONNRESET', dispatched: true }, undefined), 'connection'],
  ['attempt timeout', new TimeoutError({ ...info, timeoutMs: 5, limit: 'attempt' }), 'timeout'],
  ['total timeout', new TimeoutError({ ...info, timeoutMs: 5, limit: 'total' }), undefined],
  ['abort reason', new DOMException('stop', 'AbortError'), undefined],
  ['programming error', new TypeError('x is not a function'), undefined],
  ['a string', 'boom', undefined],
];

describe('classifyFailure', () => {
  it.each(failures)('%s → %s', (_label, error, reason) => {
    expect(classifyFailure(error)).toBe(reason);
  });
});

describe('retryReasonFor', () => {
  const sendable = new Set(['429', '500 + RateLimitExceeded', 'refused']);
  it.each(failures)('read and send: %s', (label, error, reason) => {
    expect(retryReasonFor(error, true, DEFAULT_RETRY_POLICY)).toBe(reason);
    // A send retries only what the server provably did not act on.
    expect(retryReasonFor(error, false, DEFAULT_RETRY_POLICY)).toBe(sendable.has(label) ? reason : undefined);
  });

  it('reads follow retryOn; sends ignore it in both directions', () => {
    const only: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retryOn: ['connection'] };
    const none: RetryPolicy = { ...DEFAULT_RETRY_POLICY, retryOn: [] };
    const [, rateLimit] = failures[0] ?? [];
    const server = new ServerError(api(503));
    const refused = new ConnectionError({ ...info, code: 'ECONNREFUSED', dispatched: false }, undefined);
    expect(retryReasonFor(rateLimit, true, only)).toBeUndefined();
    expect(retryReasonFor(refused, true, only)).toBe('connection');
    expect(retryReasonFor(server, true, only)).toBeUndefined();
    expect(retryReasonFor(rateLimit, false, none)).toBe('rate-limit');
    expect(
      retryReasonFor(server, false, { ...DEFAULT_RETRY_POLICY, retryOn: ['server-error'] }),
    ).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  const policy = (jitter: RetryPolicy['jitter']): RetryPolicy => ({
    ...DEFAULT_RETRY_POLICY,
    baseDelay: 100,
    maxDelay: 1_000,
    jitter,
  });
  it.each([
    // retry, jitter, random, expected
    [1, 'none', 0.5, 100],
    [2, 'none', 0.5, 200],
    [3, 'none', 0.5, 400],
    [4, 'none', 0.5, 800],
    [5, 'none', 0.5, 1_000],
    [30, 'none', 0.5, 1_000],
    [1, 'full', 0, 0],
    [1, 'full', 0.5, 50],
    [3, 'full', 0.25, 100],
    [9, 'full', 0.999, 999],
    [1, 'equal', 0, 50],
    [1, 'equal', 1, 100],
    [3, 'equal', 0.5, 300],
    [9, 'equal', 0, 500],
  ] as const)('retry %i, jitter %s, random %f → %f ms', (retry, jitter, random, expected) => {
    expect(backoffDelay(retry, policy(jitter), () => random)).toBeCloseTo(expected, 6);
  });

  it('uses Math.random by default and stays within [0, cap]', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const delay = backoffDelay(2, policy('full'));
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(200);
      seen.add(delay);
    }
    expect(seen.size).toBeGreaterThan(100);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00Z');
  it.each([
    ['0', 0],
    ['1', 1_000],
    ['  7 ', 7_000],
    ['1.5', 1_500],
    ['120', 120_000],
    ['Sat, 01 Mar 2025 12:00:30 GMT', 30_000],
    ['Sat, 01 Mar 2025 12:05:00 GMT', 300_000],
    ['Sat, 01 Mar 2025 11:00:00 GMT', 0],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
    ['-1', undefined],
    ['abc', undefined],
    ['', undefined],
    ['1e3', undefined],
    ['2025-03-01T12:00:30Z', undefined],
    ['Sat, 99 Foo 2025 12:00:30 GMT', undefined],
    [null, undefined],
    [undefined, undefined],
  ] as const)('%j → %j', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

describe('retryDelay', () => {
  const policy: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    baseDelay: 10,
    maxDelay: 40,
    jitter: 'none',
    maxRetryAfter: 2_000,
  };
  it.each([
    ['429 with Retry-After below the cap', new RateLimitError(api(429, undefined, 1_500)), 1, 1_500],
    ['429 with Retry-After above the cap', new RateLimitError(api(429, undefined, 90_000)), 1, 2_000],
    [
      '500 RateLimitExceeded with Retry-After',
      new RateLimitError(api(500, 'SoftLayer_Exception_WebService_RateLimitExceeded', 700)),
      3,
      700,
    ],
    ['Retry-After 0', new RateLimitError(api(429, undefined, 0)), 2, 0],
    ['rate limit without Retry-After backs off', new RateLimitError(api(429)), 2, 20],
    ['server error backs off', new ServerError(api(503)), 3, 40],
    ['timeout backs off, capped', new TimeoutError({ ...info, timeoutMs: 1, limit: 'attempt' }), 9, 40],
  ] as const)('%s', (_label, error, retry, expected) => {
    expect(retryDelay(error, retry, policy, () => 0.5)).toBe(expected);
  });
});

describe('RetryBudget', () => {
  it('takes retryCost per retry, timeoutCost per timeout retry, and refuses when too low', () => {
    const budget = new RetryBudget({ capacity: 22, retryCost: 5, timeoutCost: 10 });
    expect(budget.acquire('server-error')).toBe(5);
    expect(budget.acquire('timeout')).toBe(10);
    expect(budget.acquire('connection')).toBe(5);
    expect(budget.available).toBe(2);
    expect(budget.acquire('rate-limit')).toBeUndefined();
    expect(budget.available).toBe(2);
  });

  it('refunds the last retry cost on success, successRefund on a first-attempt success, never above capacity', () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5, timeoutCost: 10, successRefund: 1 });
    budget.acquire('timeout');
    budget.acquire('server-error');
    expect(budget.available).toBe(5);
    budget.recordSuccess(5);
    expect(budget.available).toBe(10);
    budget.recordSuccess(0);
    expect(budget.available).toBe(11);
    for (let i = 0; i < 50; i++) budget.recordSuccess(0);
    expect(budget.available).toBe(20);
  });

  it('a server that always needs two retries drains the bucket', () => {
    const budget = new RetryBudget();
    let calls = 0;
    for (;;) {
      const first = budget.acquire('server-error');
      const second = first === undefined ? undefined : budget.acquire('server-error');
      if (second === undefined) break;
      budget.recordSuccess(second);
      calls++;
    }
    // Each such call nets one retryCost (5) out of 500.
    expect(calls).toBeGreaterThan(90);
    expect(calls).toBeLessThan(100);
  });

  it('uses the defaults for missing or undefined fields', () => {
    const budget = new RetryBudget({ capacity: undefined as unknown as number, retryCost: 7 });
    expect(budget.options).toEqual({ capacity: 500, retryCost: 7, timeoutCost: 10, successRefund: 1 });
    expect(budget.available).toBe(500);
  });
});

describe('resolveRetryPolicy and checkRetryOptions', () => {
  it('false gives one attempt; undefined the base; fields merge over the base', () => {
    expect(resolveRetryPolicy(false, DEFAULT_RETRY_POLICY)).toBe(NO_RETRY_POLICY);
    expect(NO_RETRY_POLICY.maxRetries).toBe(0);
    expect(resolveRetryPolicy(undefined, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY);
    const merged = resolveRetryPolicy(
      // JavaScript callers may pass undefined fields: they keep the base value.
      { maxRetries: 5, baseDelay: undefined, budget: { capacity: 1 } } as unknown as RetryOptions,
      { ...DEFAULT_RETRY_POLICY, baseDelay: 3 },
    );
    expect(merged).toEqual({ ...DEFAULT_RETRY_POLICY, baseDelay: 3, maxRetries: 5 });
    expect(merged).not.toHaveProperty('budget');
  });

  it.each([
    [{ maxRetries: -1 }, 'retry.maxRetries'],
    [{ maxRetries: 1.5 }, 'retry.maxRetries'],
    [{ maxRetries: 21 }, 'retry.maxRetries'],
    [{ baseDelay: '5' }, 'retry.baseDelay'],
    [{ jitter: 'some' }, 'retry.jitter'],
    [{ retryOn: ['teapot'] }, 'retry.retryOn'],
    [{ retryOn: 'timeout' }, 'retry.retryOn'],
    [{ retries: 3 }, 'retry.retries'],
    [{ budget: 5 }, 'retry.budget'],
    [{ budget: { capacity: -1 } }, 'retry.budget.capacity'],
    [{ budget: { size: 3 } }, 'retry.budget.size'],
    [true, 'retry'],
    [[], 'retry'],
  ])('%j → InvalidArgumentError on %s', (options, argument) => {
    expect(() => checkRetryOptions(options)).toThrow(InvalidArgumentError);
    try {
      checkRetryOptions(options);
    } catch (error) {
      expect((error as InvalidArgumentError).argument).toBe(argument);
    }
  });

  it('accepts false, undefined and a full valid object', () => {
    expect(checkRetryOptions(false)).toBe(false);
    expect(checkRetryOptions(undefined)).toBeUndefined();
    const full = {
      maxRetries: 3,
      baseDelay: 1,
      maxDelay: 2,
      jitter: 'equal',
      maxRetryAfter: 5,
      retryOn: ['timeout'],
      budget: { capacity: 10, retryCost: 1, timeoutCost: 2, successRefund: 0 },
    };
    expect(checkRetryOptions(full)).toBe(full);
  });
});
