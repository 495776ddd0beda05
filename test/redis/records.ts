/**
 * Shared pieces of the Redis ledger tests: a record factory, Redis's clock as the scripts read it, and
 * the expected shape of a record the ledger stamped with Redis's time.
 */
import { randomUUID } from 'node:crypto';
import type { createClient } from 'redis';
import { expect } from 'vitest';
import type { SendRecord } from '../../src/send-ledger.js';

type Raw = ReturnType<typeof createClient>;

/** A `reserved` record reserved at `at` (epoch ms) with a deadline a minute later. */
export function record(overrides: Partial<SendRecord> = {}, at = Date.now()): SendRecord {
  return {
    format: 2,
    key: 'k',
    intentId: randomUUID(),
    orderId: 4471203,
    emailType: 'FulfillmentEmail',
    endpoint: 'api.softlayer.com',
    accountId: 278184,
    recipient: 'admin@example.com',
    state: 'reserved',
    reservedAt: at,
    deadline: at + 60_000,
    ...overrides,
  };
}

/** Redis's `TIME` as integer epoch milliseconds, exactly as the ledger's scripts compute `now`. */
export async function serverNow(raw: Raw): Promise<number> {
  const [seconds, micros] = (await raw.sendCommand(['TIME'])) as unknown as [string, string];
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

/**
 * Runs `step` between two readings of Redis's clock: whatever `now` the step's script used lies in
 * `[before, after]`.
 */
export async function between<T>(
  raw: Raw,
  step: () => Promise<T>,
): Promise<{ result: T; before: number; after: number }> {
  const before = await serverNow(raw);
  const result = await step();
  const after = await serverNow(raw);
  return { result, before, after };
}

/**
 * Asserts that `stored` is `given` as the ledger stores it: `reservedAt` is Redis's now (within the
 * bracket) and the deadline keeps its distance from the caller's `now`. Returns the expected record.
 */
export function expectStamped(
  stored: SendRecord | undefined,
  given: SendRecord,
  callerNow: number,
  window: { before: number; after: number },
): SendRecord {
  expect(stored).toBeDefined();
  const at = stored!.reservedAt;
  expect(at).toBeGreaterThanOrEqual(window.before);
  expect(at).toBeLessThanOrEqual(window.after);
  const expected = { ...given, reservedAt: at, deadline: at + Math.ceil(given.deadline - callerNow) };
  expect(stored).toEqual(
    stored!.replaced === undefined ? expected : { ...expected, replaced: stored!.replaced },
  );
  return expected;
}
