/**
 * The coercing validator (src/internal/order-parse.ts) against an independent oracle: the zod/mini
 * schema the SDK used until issue 16 (test/order-oracle.ts). Generated values — well-formed, with
 * numeric strings and nulls, wrong types, nested status problems, extra fields, arrays and
 * non-arrays — must get the same answer from both: accepted or not, the same value, the same issue
 * paths in the same order. Inputs are deep-frozen, so any write to the caller's data throws.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAccountFast, isSslOrderFast, isStatusFast } from '../src/internal/order-check.js';
import { parseAccount, parseOrder, parseOrderList, parseStatusList } from '../src/internal/order-parse.js';
import type { Validated } from '../src/order.js';
import { validateOrderList } from '../src/validate.js';
import * as oracle from './order-oracle.js';

const RUNS = 1_500;
const ORDER_KEYS = [
  'id',
  'accountId',
  'commonName',
  'approverEmailAddress',
  'technicalContactEmailAddress',
  'certificateSigningRequest',
  'statusId',
  'status',
  'createDate',
  'modifyDate',
  'effectiveDate',
  'expirationDate',
];

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

// zod never copies an own `__proto__` property (it would set the copy's prototype); the SDK keeps it
// as sent, like every other unknown property. The comparison leaves that one difference out.
function withoutProtoKey(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProtoKey);
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    if (key !== '__proto__') out[key] = withoutProtoKey((value as Record<string, unknown>)[key]);
  }
  return out;
}

/** Every word a message may hold: a finite vocabulary, so no message can carry a value. */
const EXPECTED_WORDS = ['an integer or a string of 1 to 15 digits', 'a string', 'an object', 'an array'];
const RECEIVED_WORDS = [
  'nothing',
  'null',
  'an array',
  'NaN',
  'an infinite number',
  'a number with a fraction',
  'a number',
  'an integer beyond ±(2^53 − 1)',
  'a string that is not 1 to 15 digits',
  'a string',
  'a boolean',
  'an object',
  'a bigint',
  'a symbol',
  'a function',
];
const anyOf = (words: string[]) => words.map((word) => word.replace(/[()^]/g, '\\$&')).join('|');
const MESSAGE = new RegExp(`^expected (${anyOf(EXPECTED_WORDS)}), received (${anyOf(RECEIVED_WORDS)})$`);

function expectAgree<T>(ours: Validated<T>, theirs: Validated<T>): void {
  expect(ours.ok).toBe(theirs.ok);
  if (ours.ok && theirs.ok) expect(withoutProtoKey(ours.value)).toEqual(withoutProtoKey(theirs.value));
  if (!ours.ok && !theirs.ok) {
    expect(ours.issues.map((issue) => issue.path)).toEqual(theirs.issues.map((issue) => issue.path));
    for (const issue of ours.issues) expect(issue.message).toMatch(MESSAGE);
  }
}

/** Unknown properties of a result are the very values sent (known ones may be coerced). */
function expectExtrasKept(out: unknown, input: unknown, known: readonly string[]): void {
  if (typeof out !== 'object' || out === null || out === input) return;
  for (const key of Object.keys(input as object)) {
    if (!known.includes(key)) expect((out as Record<string, unknown>)[key]).toBe((input as never)[key]);
  }
}

const odd = fc.constantFrom(
  0,
  -0,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  -(2 ** 53),
  1e21,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  null,
  undefined,
  '',
  '12',
  '-3',
  '007',
  '-0',
  '1e3',
  '0x10',
  ' 1',
  '123456789012345',
  '1234567890123456',
  true,
  [],
  {},
  [1],
);
const anyField = fc.oneof(odd, fc.integer(), fc.string(), fc.jsonValue(), fc.anything());
// Mostly what SoftLayer sends (as-is, as strings, null), sometimes anything.
const integerField = fc.oneof(
  { arbitrary: fc.integer(), weight: 4 },
  { arbitrary: fc.stringMatching(/^-?\d{1,16}$/), weight: 2 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: anyField, weight: 1 },
);
const stringField = fc.oneof(
  { arbitrary: fc.string(), weight: 6 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: anyField, weight: 1 },
);
const extras = fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 });
const statusRecord = fc
  .tuple(
    extras,
    fc.record({ id: integerField, name: stringField, description: stringField }, { requiredKeys: [] }),
  )
  .map(([extra, known]) => ({ ...extra, ...known }));
const status = fc.oneof(
  { arbitrary: statusRecord, weight: 6 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: anyField, weight: 1 },
);
const orderRecord = fc
  .tuple(
    extras,
    fc.record(
      {
        id: integerField,
        accountId: integerField,
        commonName: stringField,
        approverEmailAddress: stringField,
        technicalContactEmailAddress: stringField,
        certificateSigningRequest: stringField,
        statusId: integerField,
        status,
        createDate: stringField,
        modifyDate: stringField,
        effectiveDate: stringField,
        expirationDate: stringField,
      },
      { requiredKeys: [] },
    ),
    // Mostly with an id, sometimes without.
    fc.oneof({ arbitrary: integerField, weight: 5 }, { arbitrary: fc.constant(undefined), weight: 1 }),
  )
  .map(([extra, known, id]) => (id === undefined ? { ...extra, ...known } : { ...extra, ...known, id }));
// A well-formed order with one field (or the status's id or name) replaced by anything.
const wellFormed = fc.record(
  {
    id: fc.integer({ min: 1 }),
    accountId: fc.integer({ min: 1 }),
    commonName: fc.domain(),
    approverEmailAddress: fc.emailAddress(),
    statusId: fc.integer({ min: 1, max: 4 }),
    status: fc.record({ id: fc.integer(), name: fc.string() }),
    createDate: fc.date({ noInvalidDate: true }).map((date) => date.toISOString()),
  },
  { requiredKeys: ['id'] },
);
const oneOff = fc
  .tuple(wellFormed, fc.constantFrom(...ORDER_KEYS, 'status.id', 'status.name'), anyField)
  .map(([value, key, item]) => {
    const [outer, inner] = key.split('.') as [string, string | undefined];
    if (inner === undefined) return { ...value, [outer]: item };
    return { ...value, status: { ...(value.status ?? {}), [inner]: item } };
  });
const order = fc.oneof(
  { arbitrary: orderRecord, weight: 6 },
  { arbitrary: wellFormed, weight: 2 },
  { arbitrary: oneOff, weight: 3 },
  { arbitrary: anyField, weight: 1 },
);
const orderList = fc.oneof(
  { arbitrary: fc.array(order, { maxLength: 4 }), weight: 6 },
  { arbitrary: anyField, weight: 1 },
);
const statusList = fc.oneof(
  { arbitrary: fc.array(status, { maxLength: 4 }), weight: 6 },
  { arbitrary: anyField, weight: 1 },
);

describe('order-parse agrees with the zod/mini oracle', () => {
  it('one order: acceptance, value and issue paths; unknown properties kept; fast check = unchanged', () => {
    const seen = { accepted: 0, coerced: 0, rejected: 0, statusPath: 0 };
    fc.assert(
      fc.property(order, (generated) => {
        const value = deepFreeze(generated);
        const ours = parseOrder(value);
        expectAgree(ours, oracle.parseOrder(value));
        if (ours.ok) {
          // The fast check says yes exactly when the validator would return the value untouched.
          expect(ours.value === value).toBe(isSslOrderFast(value));
          expectExtrasKept(ours.value, value, ORDER_KEYS);
          expectExtrasKept(ours.value.status, (value as { status?: unknown }).status, [
            'id',
            'name',
            'description',
          ]);
          if (ours.value === value) seen.accepted++;
          else seen.coerced++;
        } else {
          expect(isSslOrderFast(value)).toBe(false);
          seen.rejected++;
          if (ours.issues.some((issue) => issue.path.startsWith('status.'))) seen.statusPath++;
        }
      }),
      { numRuns: RUNS },
    );
    // The property must not pass vacuously: every kind of answer came up often.
    expect(Math.min(seen.accepted, seen.coerced, seen.rejected)).toBeGreaterThan(RUNS / 20);
    expect(seen.statusPath).toBeGreaterThan(RUNS / 100);
  });

  it('lists of orders: all items, the fast-rejected items only, and through validateOrderList', async () => {
    const seen = { ok: 0, failed: 0 };
    await fc.assert(
      fc.asyncProperty(orderList, async (generated) => {
        const value = deepFreeze(generated);
        const ours = parseOrderList(value);
        expectAgree(ours, oracle.parseOrderList(value));
        if (ours.ok) seen.ok++;
        else seen.failed++;
        if (!Array.isArray(value)) return;
        const rejected = [...value.keys()].filter((index) => !isSslOrderFast(value[index]));
        const partial = parseOrderList(value, rejected);
        expectAgree(partial, oracle.parseOrderList(value, rejected));
        expectAgree(await validateOrderList(value), oracle.parseOrderList(value));
        if (ours.ok) {
          // The list is copied only when an item is replaced, and untouched items are the same objects.
          expect(ours.value === value).toBe(rejected.length === 0);
          for (const [index, item] of value.entries()) {
            if (!rejected.includes(index)) expect(ours.value[index]).toBe(item);
          }
        }
      }),
      { numRuns: RUNS },
    );
    expect(Math.min(seen.ok, seen.failed)).toBeGreaterThan(RUNS / 20);
  });

  it('status lists and the account', () => {
    fc.assert(
      fc.property(statusList, order, (generatedList, generatedAccount) => {
        const list = deepFreeze(generatedList);
        const statuses = parseStatusList(list);
        expectAgree(statuses, oracle.parseStatusList(list));
        if (statuses.ok)
          expect(statuses.value === list).toBe(Array.isArray(list) && list.every(isStatusFast));
        const account = deepFreeze(generatedAccount);
        const ours = parseAccount(account);
        expectAgree(ours, oracle.parseAccount(account));
        if (ours.ok) expect(ours.value === account).toBe(isAccountFast(account));
      }),
      { numRuns: RUNS },
    );
  });
});

describe('order-parse examples', () => {
  it('coerces integer strings, drops nulls, and copies only what changes', () => {
    const status = { id: 4, name: 'Complete', note: { kept: true } };
    const input = deepFreeze([
      { id: 1, status },
      { id: '2', accountId: '-1234567', commonName: null, status, extra: [1] },
      { id: 3, status: { ...status, id: '5', description: null } },
    ]);
    const parsed = parseOrderList(input);
    expect(parsed).toEqual({
      ok: true,
      value: [
        { id: 1, status },
        { id: 2, accountId: -1234567, status, extra: [1] },
        { id: 3, status: { id: 5, name: 'Complete', note: { kept: true } } },
      ],
    });
    if (!parsed.ok) return;
    expect(parsed.value[0]).toBe(input[0]);
    expect(parsed.value[1]).not.toHaveProperty('commonName');
    expect(parsed.value[1]?.status).toBe(status);
    expect(parsed.value[1]?.['extra']).toBe(input[1]?.extra);
    expect(parsed.value[2]?.status).not.toHaveProperty('description');
    expect(parsed.value[2]?.status?.['note']).toBe(status.note);
    // Key order is the server's.
    expect(Object.keys(parsed.value[1]!)).toEqual(['id', 'accountId', 'status', 'extra']);
  });

  it('names the most specific path, and the kind of value received but never the value', () => {
    const secret = 'personal-data@example.com';
    const parsed = parseOrderList([
      { id: 1 },
      {
        id: '12345678901234567',
        approverEmailAddress: 7,
        commonName: [secret],
        statusId: 2.5,
        status: { name: 42, id: secret },
      },
    ]);
    expect(parsed).toEqual({
      ok: false,
      issues: [
        {
          path: '[1].id',
          message:
            'expected an integer or a string of 1 to 15 digits, received a string that is not 1 to 15 digits',
        },
        { path: '[1].commonName', message: 'expected a string, received an array' },
        { path: '[1].approverEmailAddress', message: 'expected a string, received a number' },
        {
          path: '[1].statusId',
          message: 'expected an integer or a string of 1 to 15 digits, received a number with a fraction',
        },
        // Within the status, its first problem only (the oracle's union reports one branch).
        {
          path: '[1].status.id',
          message:
            'expected an integer or a string of 1 to 15 digits, received a string that is not 1 to 15 digits',
        },
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain('personal');
    expect(parseOrder({ id: null, status: 'x' })).toEqual({
      ok: false,
      issues: [
        { path: 'id', message: 'expected an integer or a string of 1 to 15 digits, received null' },
        { path: 'status', message: 'expected an object, received a string' },
      ],
    });
    expect(parseOrder({ commonName: 'a' })).toEqual({
      ok: false,
      issues: [
        {
          path: 'id',
          message: 'expected an integer or a string of 1 to 15 digits, received nothing',
        },
      ],
    });
    expect(parseOrder([])).toEqual({
      ok: false,
      issues: [{ path: '', message: 'expected an object, received an array' }],
    });
    expect(parseOrderList({ id: 1 })).toEqual({
      ok: false,
      issues: [{ path: '', message: 'expected an array, received an object' }],
    });
    expect(parseStatusList([{ id: 'x', name: 1 }, 5])).toEqual({
      ok: false,
      issues: [
        {
          path: '[0].id',
          message:
            'expected an integer or a string of 1 to 15 digits, received a string that is not 1 to 15 digits',
        },
        { path: '[0].name', message: 'expected a string, received a number' },
        { path: '[1]', message: 'expected an object, received a number' },
      ],
    });
    const unsafe = parseAccount({ id: 2 ** 53 });
    expect(unsafe.ok === false && unsafe.issues[0]?.message).toBe(
      'expected an integer or a string of 1 to 15 digits, received an integer beyond ±(2^53 − 1)',
    );
  });

  it('keeps an own __proto__ property as sent, without touching the prototype', () => {
    const input = JSON.parse('{"id":"1","__proto__":{"polluted":true}}') as Record<string, unknown>;
    const parsed = parseOrder(input);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
    expect(Object.hasOwn(parsed.value, '__proto__')).toBe(true);
    expect(Object.getOwnPropertyDescriptor(parsed.value, '__proto__')?.value).toBe(
      Object.getOwnPropertyDescriptor(input, '__proto__')?.value,
    );
    expect(parsed.value.id).toBe(1);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
