/**
 * Property tests: whatever the server (or the fetch under the SDK) does — any status, headers, body,
 * bytes, error bodies, orders with fields of random types, thrown values, streams that fail midway,
 * fetches that never answer — every method gives a typed value or a typed SslOrdersError, never an
 * untyped throw, a hang or an unhandled rejection. Sends additionally never POST again after an
 * answer that did not prove a refusal, and report `sent` only after a 2xx `true`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SslOrdersClient, SslOrdersError } from '../../src/index.js';
import { anyValue, nastyString } from './support/arbitraries.js';
import { describeSettled, settle } from './support/harness.js';
import { countCases, recordSend, scaled, tally, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const RUNS = scaled(150);
const RATE_LIMIT_CODE = 'SoftLayer_Exception_WebService_RateLimitExceeded';
const TOKEN_CODE = 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(() => {
  process.off('unhandledRejection', onUnhandled);
});

/** What one fetch call does. */
type Answer =
  | { kind: 'response'; status: number; headers: Record<string, string>; body: string | Uint8Array }
  | { kind: 'throw'; value: unknown }
  | { kind: 'failing-stream'; status: number; prefix: string }
  | { kind: 'not-a-response'; value: unknown }
  | { kind: 'hang-until-abort' };

const fieldValue = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    null,
    '',
    'Approved',
    '12',
    '-0',
    '1e3',
    2 ** 53,
    1.5,
    Number.MAX_SAFE_INTEGER,
    true,
    [],
    {},
  ),
  fc.string(),
  fc.jsonValue(),
);
const status = fc
  .oneof(fc.constantFrom('Approved', 'Complete', 'Pending CA Approval', 'Canceled'), fc.string())
  .map((name) => ({ id: 2, name, description: 'x' }));
/** Orders that are valid, nearly valid, or valid with random extra or wrongly typed fields. */
const orderish = fc.record(
  {
    id: fc.oneof(
      { weight: 4, arbitrary: fc.integer({ min: 1, max: 99_999_999 }) },
      { weight: 1, arbitrary: fieldValue },
    ),
    accountId: fc.oneof(fc.constant(1234567), fieldValue),
    commonName: fc.oneof(fc.domain(), fieldValue),
    approverEmailAddress: fc.oneof(fc.emailAddress(), fieldValue),
    statusId: fc.oneof(fc.integer({ min: 1, max: 4 }), fieldValue),
    status: fc.oneof({ weight: 3, arbitrary: status }, { weight: 1, arbitrary: fieldValue }),
    createDate: fc.oneof(fc.constant('2024-01-01T00:00:00-06:00'), fieldValue),
    extra: fc.jsonValue(),
  },
  { requiredKeys: [] },
);
const validOrder = fc.record({
  id: fc.integer({ min: 1, max: 99_999_999 }),
  approverEmailAddress: fc.emailAddress(),
  commonName: fc.domain(),
  status: fc.constantFrom('Approved', 'Complete', 'Pending CA Approval').map((name) => ({ id: 1, name })),
});

const body: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.constantFrom(
    '',
    'true',
    'false',
    'null',
    '[]',
    '{}',
    ' true ',
    '"true"',
    '<html><body>502</body></html>',
    '{"error":',
    '[{"id":1},',
  ),
  orderish.map((order) => JSON.stringify(order)),
  validOrder.map((order) => JSON.stringify(order)),
  fc.array(orderish, { maxLength: 5 }).map((orders) => JSON.stringify(orders)),
  fc.array(validOrder, { maxLength: 5 }).map((orders) => JSON.stringify(orders)),
  fc
    .record(
      {
        error: fc.oneof(nastyString, fc.jsonValue()),
        code: fc.oneof(
          fc.constantFrom(
            RATE_LIMIT_CODE,
            TOKEN_CODE,
            'SoftLayer_Exception_ObjectNotFound',
            'SoftLayer_Exception_Public',
          ),
          fc.jsonValue(),
        ),
      },
      { requiredKeys: ['error'] },
    )
    .map((error) => JSON.stringify(error)),
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 64 }),
  nastyString,
);

const headerValue = fc
  .oneof(
    nastyString,
    fc.stringMatching(/^\d{1,12}$/),
    fc.date().map((date) => date.toUTCString()),
  )
  .filter((value) => /^[\t\x20-\x7e]*$/.test(value));
const headers = fc.record(
  {
    'content-type': fc.constantFrom(
      'application/json',
      'text/html',
      'text/plain',
      'application/octet-stream',
    ),
    'retry-after': headerValue,
    'softlayer-total-items': headerValue,
  },
  { requiredKeys: [] },
);
const httpStatus = fc.oneof(
  fc.constantFrom(200, 201, 204, 400, 401, 403, 404, 429, 500, 502, 503),
  fc.integer({ min: 200, max: 599 }),
);
const refusedError = fc.constant(
  Object.assign(new TypeError('fetch failed'), {
    cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
  }),
);

const answer: fc.Arbitrary<Answer> = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({ kind: fc.constant('response' as const), status: httpStatus, headers, body }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('throw' as const), value: fc.oneof(anyValue, refusedError) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('failing-stream' as const),
      status: httpStatus,
      prefix: fc.string(),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('not-a-response' as const), value: anyValue }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'hang-until-abort' as const }) },
);

const NULL_BODY = new Set([204, 205, 304]);

function toFetchResult(spec: Answer, signal: AbortSignal | null | undefined): Promise<Response> {
  switch (spec.kind) {
    case 'response':
      return Promise.resolve(
        new Response(NULL_BODY.has(spec.status) ? null : (spec.body as BodyInit), {
          status: spec.status,
          headers: spec.headers,
        }),
      );
    case 'throw':
      return Promise.reject(spec.value);
    case 'failing-stream': {
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(spec.prefix));
          controller.error(new TypeError('terminated'));
        },
      });
      return Promise.resolve(
        new Response(NULL_BODY.has(spec.status) ? null : stream, { status: spec.status }),
      );
    }
    case 'not-a-response':
      return Promise.resolve(spec.value as Response);
    case 'hang-until-abort':
      return new Promise((_resolve, reject) => {
        if (signal?.aborted) reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
  }
}

/** A refusal the server provably did not act on: what a send may retry after. */
function isRefusal(spec: Answer): boolean {
  if (spec.kind === 'throw')
    return (spec.value as { cause?: { code?: unknown } } | null)?.cause?.code === 'ECONNREFUSED';
  if (spec.kind !== 'response') return false;
  if (spec.status === 429) return true;
  if (typeof spec.body !== 'string') return false;
  try {
    const parsed = JSON.parse(spec.body) as { code?: unknown };
    return (
      parsed !== null &&
      typeof parsed === 'object' &&
      (parsed.code === RATE_LIMIT_CODE || parsed.code === TOKEN_CODE)
    );
  } catch {
    return false;
  }
}

function isTrueSuccess(spec: Answer): boolean {
  return (
    spec.kind === 'response' &&
    spec.status >= 200 &&
    spec.status < 300 &&
    typeof spec.body === 'string' &&
    spec.body.trim() === 'true'
  );
}

/** A fetch that plays `reads` for GETs and `posts` for POSTs, repeating the last answer of each. */
function scriptedFetch(reads: Answer[], posts: Answer[]) {
  const log: { method: string; url: string; answer: Answer }[] = [];
  const played = { GET: 0, POST: 0 };
  const fetchImpl: typeof fetch = (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const method = request.method === 'POST' && request.url.includes('/resendEmail') ? 'POST' : 'GET';
    const script = method === 'POST' ? posts : reads;
    const spec = script[Math.min(played[method], script.length - 1)]!;
    played[method]++;
    log.push({ method, url: request.url, answer: spec });
    return toFetchResult(spec, request.signal);
  };
  return { fetch: fetchImpl, log };
}

function client(fetchImpl: typeof fetch, withAccount: boolean): SslOrdersClient {
  return new SslOrdersClient({
    auth: { username: 'SL1234567_fuzz', apiKey: 'fuzz-api-key-0123456789' },
    baseUrl: 'https://api.test.invalid/rest/v3.1/',
    ...(withAccount ? { accountId: 1234567 } : {}),
    fetch: fetchImpl,
    timeout: 25,
    retry: { maxRetries: 2, baseDelay: 1, maxDelay: 2, maxRetryAfter: 2 },
    // Pacing off: thousands of scripted answers at 46 requests a second would take a minute, and the
    // property here is about answers, not pace (test/pace*.test.ts test pacing).
    rateLimit: false,
  });
}

const script = fc.array(answer, { minLength: 1, maxLength: 4 });

describe('arbitrary server answers', () => {
  const reads = ['getOrder', 'listOrders', 'iterateOrders', 'listStatuses', 'getAccountId'] as const;

  it.each(reads)('%s gives a typed value or a typed error', async (method) => {
    await fc.assert(
      fc.asyncProperty(script, fc.boolean(), async (answers, withAccount) => {
        countCases('response fuzz');
        const { fetch: fetchImpl } = scriptedFetch(answers, answers);
        const target = client(fetchImpl, withAccount);
        const settled = await settle(async () => {
          if (method === 'iterateOrders') {
            let n = 0;
            for await (const _order of target.iterateOrders({ pageSize: 2 })) if (++n > 20) break;
            return n;
          }
          if (method === 'getOrder') return target.getOrder(4471203);
          return target[method]();
        }, 3_000);
        const what = describeSettled(settled);
        expect(settled.kind, what).not.toBe('hang');
        if (settled.kind === 'error')
          expect(settled.error instanceof SslOrdersError, `untyped: ${what} ${String(settled.error)}`).toBe(
            true,
          );
        tally.faultsSurvived++;
      }),
      { numRuns: RUNS },
    );
    expect(unhandled).toEqual([]);
  });

  it.each(['resendFulfillmentEmail', 'resendApproverEmail'] as const)(
    '%s: typed outcome, no POST after an answer that was not a refusal, sent only after a 2xx true',
    async (method) => {
      const readScript = fc.oneof(
        {
          weight: 3,
          arbitrary: validOrder.map((order): Answer[] => [
            { kind: 'response', status: 200, headers: {}, body: JSON.stringify(order) },
          ]),
        },
        { weight: 1, arbitrary: script },
      );
      await fc.assert(
        fc.asyncProperty(readScript, script, async (readAnswers, postAnswers) => {
          countCases('response fuzz');
          const { fetch: fetchImpl, log } = scriptedFetch(readAnswers, postAnswers);
          const target = client(fetchImpl, true);
          const settled = await settle(
            () => target[method](4471203, { confirm: () => true, allowAnyStatus: true }),
            3_000,
          );
          const what = describeSettled(settled);
          const posts = log.filter((entry) => entry.method === 'POST');
          const acted = posts.filter((entry) => !isRefusal(entry.answer));
          recordSend(posts.length, acted.length, 0);
          expect(settled.kind, what).not.toBe('hang');
          // After an answer that was not a provable refusal, the send stops: that POST is the last.
          expect(acted.length, 'POSTs the server may have acted on').toBeLessThanOrEqual(1);
          if (acted.length === 1) expect(posts.at(-1)).toBe(acted[0]);
          if (settled.kind === 'error')
            expect(settled.error instanceof SslOrdersError, `untyped: ${what}`).toBe(true);
          if (settled.kind === 'value' && settled.value.outcome === 'sent') {
            expect(posts.length).toBeGreaterThan(0);
            expect(isTrueSuccess(posts.at(-1)!.answer), 'sent without a 2xx true').toBe(true);
          }
          tally.faultsSurvived++;
        }),
        { numRuns: RUNS },
      );
      expect(unhandled).toEqual([]);
    },
  );
});

describe('a fetch that ignores its abort signal', () => {
  it('still gives a TimeoutError after the per-attempt timeout, not a hang', async () => {
    countCases('response fuzz');
    // Some fetch polyfills and proxies never look at the signal; the SDK's timeout must not depend on it.
    const deaf: typeof fetch = () => new Promise<Response>(() => {});
    const target = new SslOrdersClient({
      auth: { username: 'SL1234567_fuzz', apiKey: 'fuzz-api-key-0123456789' },
      baseUrl: 'https://api.test.invalid/rest/v3.1/',
      accountId: 1234567,
      fetch: deaf,
      timeout: 50,
      retry: false,
    });
    const settled = await settle(() => target.getOrder(4471203), 2_000);
    expect(describeSettled(settled)).toBe('TimeoutError');
  });
});
