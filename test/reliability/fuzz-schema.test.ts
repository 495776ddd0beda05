/**
 * Property test: the fast order check (isSslOrderFast) never accepts what the zod oracle's schema
 * (test/order-oracle.ts) rejects, and what it accepts, zod parses to the same value, so skipping the
 * slow path (src/internal/order-parse.ts, held to the same oracle) changes nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod/mini';
import { isSslOrderFast } from '../../src/internal/order-check.js';
import { SslOrderSchema } from '../order-oracle.js';
import { countCases, scaled, useSummary } from './support/summary.js';

useSummary(import.meta.filename);

const RUNS = scaled(2_000);

const field = fc.oneof(
  fc.integer(),
  fc.constantFrom(
    0,
    -0,
    1.5,
    2 ** 53,
    2 ** 53 - 1,
    -(2 ** 53),
    1e21,
    Number.NaN,
    Infinity,
    null,
    undefined,
    '',
    '12',
    '-3',
    '1e3',
    '0x10',
    true,
    [],
    {},
  ),
  fc.string(),
  fc.jsonValue(),
);
const statusObject = fc.oneof(
  fc.record({ id: field, name: field, description: field }, { requiredKeys: [] }),
  field,
  fc.constant(Object.assign(Object.create(null), { id: 1, name: 'Approved' })),
);
const order = fc.oneof(
  fc.record(
    {
      id: field,
      accountId: field,
      commonName: field,
      approverEmailAddress: field,
      technicalContactEmailAddress: field,
      certificateSigningRequest: field,
      statusId: field,
      status: statusObject,
      createDate: field,
      modifyDate: field,
      effectiveDate: field,
      expirationDate: field,
      extra: fc.anything(),
    },
    { requiredKeys: [] },
  ),
  fc.record(
    {
      id: fc.integer({ min: 1 }),
      commonName: fc.domain(),
      approverEmailAddress: fc.emailAddress(),
      statusId: fc.integer({ min: 1, max: 4 }),
      status: fc.record({ id: fc.integer(), name: fc.string() }),
    },
    { requiredKeys: ['id'] },
  ),
  fc.anything({ withNullPrototype: true }),
);

describe('isSslOrderFast vs SslOrderSchema', () => {
  it('the fast check accepts nothing zod rejects, and zod leaves what it accepts unchanged', () => {
    let accepted = 0;
    fc.assert(
      fc.property(order, (value) => {
        countCases('schema');
        if (!isSslOrderFast(value)) return;
        accepted++;
        const parsed = z.safeParse(SslOrderSchema, value);
        expect(parsed.success, JSON.stringify(value)).toBe(true);
        expect(parsed.data).toEqual(value);
      }),
      { numRuns: RUNS },
    );
    // The property must not pass vacuously.
    expect(accepted).toBeGreaterThan(RUNS / 20);
  });
});
