/**
 * Property tests: arbitrary input to every public method (ids of any type, option objects with random
 * keys and values, filters full of URL, JSON and operator characters) gives a typed value or a typed
 * SslOrdersError, InvalidArgumentError only before any request, and never a hang or an unhandled
 * rejection. The client talks to the emulator core in-process, so thousands of cases run in seconds.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_RETRY_POLICY,
  InvalidArgumentError,
  iamTokenProvider,
  type SendResult,
  SslOrdersClient,
  SslOrdersError,
} from '../../src/index.js';
import { backoffDelay, parseRetryAfter } from '../../src/retry-backoff.js';
import { createEmulatorState, type EmulatorState } from '../../src/testing/index.js';
import { anyId, anyOptions, anyValue, edgeNumber, materialise, nastyString } from './support/arbitraries.js';
import { coreFetch, describeSettled, type Settled, settle } from './support/harness.js';
import { countCases, scaled, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const RUNS = scaled(400);
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

let state: EmulatorState;
beforeAll(() => {
  state = createEmulatorState();
});

function client(withAccount: boolean): SslOrdersClient {
  return new SslOrdersClient({
    auth: { username: state.credentials.username, apiKey: state.credentials.apiKey },
    baseUrl: 'https://api.test.invalid/rest/v3.1/',
    ...(withAccount ? { accountId: state.accountId } : {}),
    fetch: coreFetch(state),
    retry: { maxRetries: 1, baseDelay: 1, maxDelay: 2, maxRetryAfter: 2 },
    sendCooldown: 0,
    // Pacing off: every run's client acts as the same user, so a shared account lookup left waiting
    // for a token by an aborted run would leave during the next run and be counted there.
    rateLimit: false,
  });
}

/** The invariant of every call: typed outcome, InvalidArgumentError only before any request. */
function expectTyped(
  settled: Settled,
  requestsMade: number,
  abortReason: unknown,
  isValue: (value: unknown) => boolean,
): void {
  const what = describeSettled(settled);
  expect(settled.kind, what).not.toBe('hang');
  if (settled.kind === 'value') {
    expect(isValue(settled.value), `unexpected value ${what}`).toBe(true);
    return;
  }
  if (settled.kind !== 'error') return;
  const error = settled.error;
  if (abortReason !== undefined && error === abortReason) return;
  expect(error instanceof SslOrdersError, `untyped rejection: ${String(error)}`).toBe(true);
  if (error instanceof InvalidArgumentError) expect(requestsMade, `${error.message} after a request`).toBe(0);
}

const isPage = (value: unknown) => {
  const page = value as { orders?: unknown; offset?: unknown; limit?: unknown };
  return Array.isArray(page.orders) && Number.isSafeInteger(page.offset) && Number.isSafeInteger(page.limit);
};
const isOrder = (value: unknown) => Number.isSafeInteger((value as { id?: unknown }).id);
const isSendResult = (value: unknown) =>
  ['sent', 'declined', 'dry-run'].includes((value as SendResult).outcome);

type Method =
  | 'getOrder'
  | 'listOrders'
  | 'iterateOrders'
  | 'listStatuses'
  | 'getAccountId'
  | 'resendFulfillmentEmail'
  | 'resendApproverEmail';

async function callMethod(
  target: SslOrdersClient,
  method: Method,
  id: unknown,
  options: unknown,
): Promise<unknown> {
  // The calls below pass deliberately wrong types: that is the point.
  const loose = target as unknown as Record<Method, (...args: unknown[]) => unknown>;
  switch (method) {
    case 'iterateOrders': {
      const seen: unknown[] = [];
      for await (const order of loose.iterateOrders(options) as AsyncIterable<unknown>) {
        seen.push(order);
        if (seen.length >= 30) break;
      }
      return seen;
    }
    case 'getOrder':
    case 'resendFulfillmentEmail':
    case 'resendApproverEmail':
      return loose[method](id, options);
    default:
      return loose[method](options);
  }
}

const VALUE_CHECK: Record<Method, (value: unknown) => boolean> = {
  getOrder: isOrder,
  listOrders: isPage,
  iterateOrders: (value) => Array.isArray(value) && value.every(isOrder),
  listStatuses: Array.isArray,
  getAccountId: (value) => value === state.accountId,
  resendFulfillmentEmail: isSendResult,
  resendApproverEmail: isSendResult,
};

describe('arbitrary input to every client method', () => {
  it.each(Object.keys(VALUE_CHECK) as Method[])('%s', async (method) => {
    await fc.assert(
      fc.asyncProperty(anyId, anyOptions, fc.boolean(), async (id, rawOptions, withAccount) => {
        countCases('input fuzz');
        const { options, abortReason } = materialise(rawOptions);
        const target = client(withAccount);
        const before = state.requests.length;
        // Only the synchronous part of a call may throw InvalidArgumentError before a request, so a
        // synchronous throw counts too.
        const settled = await settle(async () => callMethod(target, method, id, options), 3_000);
        expectTyped(settled, state.requests.length - before, abortReason, VALUE_CHECK[method]);
      }),
      { numRuns: RUNS },
    );
    expect(unhandled).toEqual([]);
  });

  it('single argument calls with no options object at all', async () => {
    // `listOrders()` and friends default their options; passing `undefined` explicitly is the same.
    for (const method of Object.keys(VALUE_CHECK) as Method[]) {
      const settled = await settle(() => callMethod(client(true), method, 4471203, undefined));
      expectTyped(settled, 0, undefined, VALUE_CHECK[method]);
    }
  });
});

describe('arbitrary input to the constructors and helpers', () => {
  const authArbitrary = fc.oneof(
    anyValue,
    fc.record(
      { username: fc.oneof(nastyString, anyValue), apiKey: fc.oneof(nastyString, anyValue) },
      { requiredKeys: [] },
    ),
    fc.record({ ibmCloudApiKey: fc.oneof(nastyString, anyValue) }),
    fc.record({
      bearerToken: fc.oneof(
        nastyString,
        anyValue,
        fc.constant(() => 'token-1234'),
      ),
    }),
  );
  const clientOptions = fc.oneof(
    anyValue,
    fc.record(
      {
        auth: authArbitrary,
        accountId: fc.oneof(edgeNumber, anyValue),
        baseUrl: fc.oneof(
          fc.constantFrom(
            'public',
            'private',
            'http://127.0.0.1:1/',
            'http://example.com/',
            'https://u:p@x.test/',
            'ftp://x',
          ),
          fc.webUrl(),
          nastyString,
          anyValue,
        ),
        timeout: fc.oneof(edgeNumber, anyValue),
        totalTimeout: fc.oneof(edgeNumber, anyValue),
        retry: anyValue,
        confirm: anyValue,
        sendCooldown: fc.oneof(edgeNumber, anyValue),
        sendLedger: anyValue,
        fetch: anyValue,
        onEvent: anyValue,
        userAgent: fc.oneof(nastyString, anyValue),
      },
      { requiredKeys: [] },
    ),
  );

  function expectTypedThrow(run: () => unknown): void {
    try {
      run();
    } catch (error) {
      expect(error instanceof InvalidArgumentError, `untyped throw: ${String(error)}`).toBe(true);
    }
  }

  it('new SslOrdersClient(options) constructs or throws InvalidArgumentError', () => {
    fc.assert(
      fc.property(clientOptions, (options) => {
        countCases('input fuzz');
        expectTypedThrow(() => new SslOrdersClient(options as never));
      }),
      { numRuns: RUNS * 2 },
    );
  });

  it('SslOrdersClient.fromEnv(overrides, source) constructs or throws InvalidArgumentError', () => {
    const env = fc.dictionary(
      fc.constantFrom(
        'SL_USERNAME',
        'SL_API_KEY',
        'IBMCLOUD_API_KEY',
        'IC_API_KEY',
        'SL_ENDPOINT_URL',
        'SL_TIMEOUT',
        'OTHER',
      ),
      fc.oneof(
        nastyString,
        fc.constantFrom('apikey', '0', '-1', 'NaN', '1e400', 'http://example.com/xmlrpc/v3/'),
      ),
    );
    fc.assert(
      fc.property(
        fc.oneof(clientOptions, fc.constant(undefined)),
        fc.oneof(env, anyValue),
        (overrides, variables) => {
          countCases('input fuzz');
          expectTypedThrow(() =>
            SslOrdersClient.fromEnv(overrides as never, { env: variables as never, configFile: false }),
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('iamTokenProvider(options) builds a provider or throws InvalidArgumentError', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          anyValue,
          fc.record(
            {
              apiKey: fc.oneof(nastyString, anyValue),
              tokenUrl: fc.oneof(fc.webUrl(), nastyString, anyValue),
              timeout: fc.oneof(edgeNumber, anyValue),
              refreshAt: fc.oneof(edgeNumber, anyValue),
              fetch: anyValue,
            },
            { requiredKeys: [] },
          ),
        ),
        (options) => {
          countCases('input fuzz');
          expectTypedThrow(() => iamTokenProvider(options as never));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('parseRetryAfter and backoffDelay return sane numbers for any input', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          nastyString,
          fc.stringMatching(/^\d{1,12}(\.\d{1,4})?$/),
          fc.date().map((d) => d.toUTCString()),
        ),
        (value) => {
          countCases('input fuzz');
          const parsed = parseRetryAfter(value);
          if (parsed !== undefined) expect(Number.isFinite(parsed) && parsed >= 0).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (retry, random) => {
          countCases('input fuzz');
          const delay = backoffDelay(retry, DEFAULT_RETRY_POLICY, () => random);
          expect(delay >= 0 && delay <= DEFAULT_RETRY_POLICY.maxDelay).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
