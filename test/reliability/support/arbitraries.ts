/** fast-check arbitraries shared by the property tests. */
import fc from 'fast-check';

/** Numbers at the edges of every check: zero, negatives, fractions, unsafe integers, NaN, infinities. */
export const edgeNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    1,
    -1,
    1.5,
    2 ** 31,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    Number.NaN,
    Infinity,
    -Infinity,
  ),
  fc.integer(),
  fc.double(),
  fc.integer({ min: 1, max: 10_000_000 }),
);

/** Strings that mean something to a URL, a JSON filter or a SoftLayer operator. */
export const nastyString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    'Approved',
    'approved',
    'Pending CA Approval',
    'www.example.com',
    '*.example.com',
    '../',
    '../../SoftLayer_Account',
    '1/resendEmail',
    '%2F',
    '%2e%2e%2f',
    '?objectMask=mask[id]',
    '#fragment',
    '"}',
    '"},"id":{"operation":"> 0"}',
    '{"operation":"!= 1"}',
    '_= Approved',
    '!~ x',
    'null',
    '\u0000',
    '\r\nX-Injected: 1',
    'Approved ',
    'a'.repeat(300),
    '😀.example.com',
    'xn--bcher-kva.example',
    '__proto__',
    'constructor',
  ),
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,20}$/),
  fc.stringMatching(/^[a-z0-9*][a-z0-9.*-]{0,30}$/),
);

/**
 * Values that cannot be turned into a string the usual ways: `String(x)` and template literals throw
 * for null-prototype objects and symbols, `JSON.stringify` throws for bigints.
 */
export const exoticValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(Object.create(null)),
  fc
    .dictionary(fc.string(), fc.integer(), { maxKeys: 2 })
    .map((entries) => Object.assign(Object.create(null), entries)),
  fc.bigInt(),
  fc.constant(Symbol('id')),
  fc.constant({ toString: () => ({}) }),
);

/**
 * Any JS value. `EXOTIC` (the default) mixes in {@link exoticValue}s; set RELIABILITY_EXOTIC=0 to
 * fuzz with ordinary values only.
 */
const EXOTIC = process.env['RELIABILITY_EXOTIC'] !== '0';
/** Any ordinary JS value: JSON-like values, undefined, functions, dates, maps, sets, edge numbers. */
export const plainValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ withDate: true, withMap: true, withSet: true }),
  edgeNumber,
  nastyString,
  fc.constantFrom(null, undefined, true, false, [], {}, () => 1, new Date(Number.NaN)),
);
export const anyValue: fc.Arbitrary<unknown> = EXOTIC ? fc.oneof(plainValue, exoticValue) : plainValue;

/** An order id: mostly wrong, sometimes a real one of the emulator's seed. */
export const anyId = fc.oneof(
  { weight: 3, arbitrary: anyValue },
  { weight: 1, arbitrary: fc.constantFrom(4471203, 4471877, 4502244, 4433012, 1, 999_999_999) },
  { weight: 1, arbitrary: edgeNumber },
);

/** An order id of an ordinary type (see {@link plainValue}). */
export const plainId = fc.oneof(
  { weight: 3, arbitrary: plainValue },
  { weight: 1, arbitrary: fc.constantFrom(4471203, 4471877, 4502244, 4433012, 1, 999_999_999) },
  { weight: 1, arbitrary: edgeNumber },
);

/** Values for the known option keys: right types and wrong ones. */
const optionValue: Record<string, fc.Arbitrary<unknown>> = {
  limit: fc.oneof(edgeNumber, anyValue),
  offset: fc.oneof(edgeNumber, anyValue),
  pageSize: fc.oneof(edgeNumber, anyValue),
  status: fc.oneof(nastyString, anyValue),
  commonName: fc.oneof(nastyString, anyValue),
  timeout: fc.oneof(fc.constantFrom(1, 5, 1_000, 30_000, 2 ** 31), edgeNumber, anyValue),
  totalTimeout: fc.oneof(fc.constantFrom(1, 50, 5_000), edgeNumber, anyValue),
  retry: fc.oneof(
    fc.constantFrom(false, true, null, 0, 'none', {}),
    fc.record(
      {
        maxRetries: fc.oneof(fc.integer({ min: -1, max: 25 }), anyValue),
        baseDelay: fc.oneof(fc.integer({ min: 0, max: 5 }), anyValue),
        maxDelay: fc.oneof(fc.integer({ min: 0, max: 5 }), anyValue),
        jitter: fc.oneof(fc.constantFrom('full', 'equal', 'none', 'bogus'), anyValue),
        maxRetryAfter: fc.oneof(fc.integer({ min: 0, max: 5 }), anyValue),
        retryOn: fc.oneof(
          fc.subarray(['rate-limit', 'server-error', 'connection', 'timeout', 'nope']),
          anyValue,
        ),
        budget: fc.oneof(
          fc.constant(false),
          fc.record({ capacity: fc.integer({ min: 0, max: 9 }) }),
          anyValue,
        ),
      },
      { requiredKeys: [] },
    ),
    anyValue,
  ),
  signal: fc.oneof(fc.constant('aborted-signal'), fc.constant('live-signal'), anyValue),
  confirm: fc.oneof(fc.constantFrom(false, 'yes-hook', 'no-hook', 'async-yes-hook'), anyValue),
  dryRun: fc.oneof(fc.boolean(), anyValue),
  allowAnyStatus: fc.oneof(fc.boolean(), anyValue),
  force: fc.oneof(fc.record({ reason: fc.oneof(nastyString, anyValue) }), anyValue),
};

/** Option objects: some known keys with right or wrong values, sometimes unknown keys; or not an object. */
export const anyOptions: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 6, arbitrary: fc.record(optionValue, { requiredKeys: [] }) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.record(optionValue, { requiredKeys: [] }),
        fc.dictionary(nastyString, anyValue, { maxKeys: 2 }),
      )
      .map(([known, extra]) => ({ ...extra, ...known })),
  },
  { weight: 1, arbitrary: anyValue },
);

/** Turns the placeholder values of {@link anyOptions} into real signals and hooks. */
export function materialise(options: unknown): { options: unknown; abortReason: unknown } {
  if (typeof options !== 'object' || options === null || Array.isArray(options))
    return { options, abortReason: undefined };
  const out: Record<string, unknown> = { ...(options as Record<string, unknown>) };
  let abortReason: unknown;
  if (out['signal'] === 'aborted-signal') {
    const controller = new AbortController();
    abortReason = new Error('caller aborted');
    controller.abort(abortReason);
    out['signal'] = controller.signal;
  } else if (out['signal'] === 'live-signal') {
    out['signal'] = new AbortController().signal;
  }
  if (out['confirm'] === 'yes-hook') out['confirm'] = () => true;
  else if (out['confirm'] === 'no-hook') out['confirm'] = () => false;
  else if (out['confirm'] === 'async-yes-hook') out['confirm'] = async () => true;
  return { options: out, abortReason };
}
