/**
 * The file ledger's typed error. Every failure to read, lock or write the ledger file becomes one
 * {@link FileLedgerError} that names the file and says how to fix it; a send that meets one stops
 * before its POST (fail closed). It is a `SendLedgerError`, so the send pipeline passes it on as it is
 * (with its path and reason) instead of wrapping it, and code that handles any ledger failure catches it.
 *
 * @module
 */
import { type LedgerOperation, SendLedgerError } from '../send-errors.js';

/**
 * What went wrong with a ledger file:
 * - `is-directory`: the path names a directory; the ledger is a file.
 * - `no-access`: the file or its directory cannot be read, created or written by this user (a parent
 *   that is a regular file, a read-only file system, missing permissions).
 * - `corrupt`: the file is not a ledger this SDK wrote (not JSON, or a record of another format). It
 *   is never reset: it may hold the records that stop a duplicate email.
 * - `locked`: another process held the ledger's lock for longer than `lockTimeout`.
 * - `io`: any other file-system failure.
 *
 * @example
 * ```ts
 * import { FileLedgerError, type FileLedgerProblem } from 'softlayer-ssl-orders/node';
 * const hint: Record<FileLedgerProblem, string> = {
 *   'is-directory': 'point --ledger at a file',
 *   'no-access': 'fix the permissions or choose another path',
 *   corrupt: 'move the file aside and check it',
 *   locked: 'another ssl-orders process is stuck',
 *   io: 'check the disk',
 * };
 * const explain = (error: FileLedgerError) => hint[error.reason];
 * ```
 */
export type FileLedgerProblem = 'is-directory' | 'no-access' | 'corrupt' | 'locked' | 'io';

/**
 * The ledger file could not be used: a send stops before its POST and nothing is sent. The message
 * names the file and says what to do. A `SendLedgerError` (its `name` is `'SendLedgerError'` and its
 * `problem` is `'failed'`); {@link FileLedgerError.reason} says what went wrong with the file.
 *
 * @example
 * ```ts
 * import { FileLedgerError, FileSendLedger } from 'softlayer-ssl-orders/node';
 * const ledger = new FileSendLedger({ path: '/var/lib/ssl-orders/ledger.json' });
 * try {
 *   await ledger.list();
 * } catch (error) {
 *   if (error instanceof FileLedgerError) console.error(`${error.reason}: ${error.path}: ${error.message}`);
 * }
 * ```
 */
export class FileLedgerError extends SendLedgerError {
  /** What went wrong with the file; see {@link FileLedgerProblem}. */
  readonly reason: FileLedgerProblem;
  /** The ledger file (absolute path). */
  readonly path: string;

  constructor(
    reason: FileLedgerProblem,
    path: string,
    message: string,
    options?: { cause?: unknown; operation?: LedgerOperation; key?: string | undefined },
  ) {
    super({ operation: options?.operation ?? 'reserve', problem: 'failed', key: options?.key }, message);
    this.reason = reason;
    this.path = path;
    // A file-system error names a path and a code, never a credential, so it is kept as the cause.
    if (options?.cause !== undefined) {
      Object.defineProperty(this, 'cause', { value: options.cause, writable: true, configurable: true });
    }
  }
}

/** The `code` of a Node system error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Wraps a file-system error met while using `path` (the ledger file) into a {@link FileLedgerError}. */
export function fileError(error: unknown, path: string, doing: string): FileLedgerError {
  if (error instanceof FileLedgerError) return error;
  const code = errorCode(error) ?? 'unknown error';
  switch (code) {
    case 'EISDIR':
      return new FileLedgerError(
        'is-directory',
        path,
        `the send ledger path ${path} is a directory; the ledger is a file: pass a file path such as ${path}/ledger.json`,
        { cause: error },
      );
    case 'ENOTDIR':
    case 'EEXIST':
      return new FileLedgerError(
        'no-access',
        path,
        `cannot ${doing} the send ledger ${path}: a parent of it is a regular file, not a directory (${code}); choose a path under a directory`,
        { cause: error },
      );
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new FileLedgerError(
        'no-access',
        path,
        `cannot ${doing} the send ledger ${path} (${code}): make the file and its directory readable and writable by this user, or choose another path`,
        { cause: error },
      );
    default:
      return new FileLedgerError('io', path, `cannot ${doing} the send ledger ${path} (${code})`, {
        cause: error,
      });
  }
}
