/**
 * The client's checks of its ledger options, at construction: a ledger written for contract v1 (get /
 * set, no reserve) gets a clear error instead of failing at the first send.
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import { checkInteger } from './internal/arguments.js';
import type { SendLedger } from './send-ledger.js';

const METHODS = ['reserve', 'settle', 'release', 'get', 'list'] as const;

/** 90 days, in milliseconds: the default `sendRetention`. */
export const DEFAULT_SEND_RETENTION = 90 * 24 * 60 * 60_000;

/**
 * Checks a `sendLedger` option; `undefined` stays `undefined` (the client then makes a memory ledger).
 *
 * @throws {@link InvalidArgumentError} naming `sendLedger`: for a v1 store, pointing to the migration.
 */
export function checkLedger(ledger: unknown): SendLedger | undefined {
  if (ledger === undefined) return undefined;
  if (typeof ledger !== 'object' || ledger === null) {
    throw new InvalidArgumentError('sendLedger', 'sendLedger must be an object implementing SendLedger (v2)');
  }
  const store = ledger as Record<string, unknown>;
  const missing = METHODS.filter((name) => typeof store[name] !== 'function');
  if (missing.length === 0) return ledger as SendLedger;
  if (typeof store['get'] === 'function' && typeof store['set'] === 'function') {
    throw new InvalidArgumentError(
      'sendLedger',
      `sendLedger implements the v1 contract (get/set); v2 needs atomic ${METHODS.join('/')}: see "Migrating a custom SendLedger" in CHANGELOG.md`,
    );
  }
  throw new InvalidArgumentError(
    'sendLedger',
    `sendLedger lacks ${missing.join(', ')}: a SendLedger (v2) has ${METHODS.join(', ')}`,
  );
}

/**
 * Checks `sendRetention` (whole milliseconds, at least 1 minute), or gives the default (90 days).
 *
 * @throws {@link InvalidArgumentError} naming `sendRetention`.
 */
export function checkRetention(value: unknown): number {
  if (value === undefined) return DEFAULT_SEND_RETENTION;
  return checkInteger(value, 'sendRetention', 60_000, Number.MAX_SAFE_INTEGER);
}
