/**
 * The options of `FileSendLedger` and their checks.
 *
 * @module
 */
import { resolve } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import { DEFAULT_RETENTION_MS } from './retention.js';

/**
 * Options of `FileSendLedger`.
 *
 * @example
 * ```ts
 * import type { FileSendLedgerOptions } from 'softlayer-ssl-orders/node';
 * const options: FileSendLedgerOptions = {
 *   path: '/var/lib/ssl-orders/ledger.json', // shared by the cron jobs of this host
 *   retention: 30 * 24 * 60 * 60 * 1000, // history for 30 days
 *   lockTimeout: 5_000,
 * };
 * ```
 */
export interface FileSendLedgerOptions {
  /**
   * The ledger FILE (not a directory), e.g. `defaultLedgerPath()`. A relative path is resolved against
   * the working directory once, when the ledger is constructed. Missing parent directories are created
   * with mode 0700 on first write; the file is written with mode 0600.
   */
  path: string;
  /**
   * How long (ms) `sent` and `not-sent` records stay for history after they settled; default
   * {@link DEFAULT_RETENTION_MS} (90 days); `Infinity` keeps them. A record is dropped, at a later
   * reservation, once both this and its `expiresAt` have passed. `reserved` and `unknown` records,
   * and `sent` records settled without an expiry (an approval, a cooldown of `Infinity`), are kept
   * until a person acts: they block sends.
   */
  retention?: number;
  /**
   * How long (ms) an operation waits for another process's lock before it fails with a `locked`
   * {@link FileLedgerError}; default 15000. A lock whose holder died is taken over at once; a live
   * holder gives up its lock within seconds unless it stalls (a live pid's lock goes stale only after
   * 5 minutes, so a stalled holder makes waiters time out rather than let two processes in).
   */
  lockTimeout?: number;
}

/** The options with defaults applied and `path` made absolute; throws InvalidArgumentError. */
export function checkOptions(options: FileSendLedgerOptions): Required<FileSendLedgerOptions> {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError('options', 'FileSendLedger needs an options object: { path }');
  }
  const { path, retention = DEFAULT_RETENTION_MS, lockTimeout = 15_000 } = options;
  if (typeof path !== 'string' || path.trim() === '' || path.includes('\0')) {
    throw new InvalidArgumentError(
      'path',
      `FileSendLedger path must be a file path such as ~/.local/state/softlayer-ssl-orders/ledger.json, got ${JSON.stringify(path)}`,
    );
  }
  if (typeof retention !== 'number' || Number.isNaN(retention) || retention < 0) {
    throw new InvalidArgumentError(
      'retention',
      `retention must be a number of milliseconds (0 or more, Infinity to keep every record), got ${String(retention)}`,
    );
  }
  if (typeof lockTimeout !== 'number' || !Number.isFinite(lockTimeout) || lockTimeout <= 0) {
    throw new InvalidArgumentError(
      'lockTimeout',
      `lockTimeout must be a number of milliseconds greater than 0, got ${String(lockTimeout)}`,
    );
  }
  return { path: resolve(path), retention, lockTimeout };
}

export function checkKey(key: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw new InvalidArgumentError(
      'key',
      `a ledger key must be a non-empty string, got ${JSON.stringify(key)}`,
    );
  }
}
