/**
 * The one error class of `softlayer-ssl-orders/redis`: Redis could not be reached, answered too late,
 * refused the credentials, or holds a record this SDK cannot read. It names the host and port (and the
 * operation), never the password: node-redis errors are copied with the password scrubbed from their
 * message, and the URL is never part of a message.
 *
 * @module
 */
import { SslOrdersError } from '../errors.js';

/**
 * Why a Redis operation failed:
 * - `unreachable`: no connection (refused, DNS, reset, the server went away mid-command).
 * - `timeout`: connecting or a command took longer than its bound (`connectTimeoutMs`, `commandTimeoutMs`).
 * - `auth`: the server refused the username or password (`WRONGPASS`, `NOAUTH`).
 * - `tls`: the TLS handshake failed (certificate not trusted, wrong port for TLS).
 * - `record`: a stored record is not JSON of this SDK's record format; it is never guessed at.
 * - `closed`: the ledger or limiter was closed, or a caller-owned client is not open.
 * - `command`: Redis answered with another error (out of memory, read-only replica, …).
 */
export type RedisStoreFailure = 'unreachable' | 'timeout' | 'auth' | 'tls' | 'record' | 'closed' | 'command';

/**
 * A Redis-backed store (`RedisSendLedger`, `RedisRateLimiter`) failed. Before a POST, the send stops
 * with this error and sends nothing (fail closed); the rate limiter's caller falls back to local pacing.
 * The message names the host and port, never a password.
 *
 * @example
 * ```ts
 * import { RedisSendLedger, RedisStoreError } from 'softlayer-ssl-orders/redis';
 * const ledger = new RedisSendLedger({ url: 'redis://127.0.0.1:6379' });
 * try {
 *   await ledger.get('some-key');
 * } catch (error) {
 *   if (error instanceof RedisStoreError) console.error(error.failure, error.host, error.port);
 * } finally {
 *   await ledger.close();
 * }
 * ```
 */
export class RedisStoreError extends SslOrdersError {
  override readonly name = 'RedisStoreError' as const;
  /** What went wrong, see {@link RedisStoreFailure}. */
  readonly failure: RedisStoreFailure;
  /** The Redis host, as in the URL or the client's options. */
  readonly host: string;
  /** The Redis port. */
  readonly port: number;
  /** The operation that failed (`connect`, `reserve`, `settle`, `release`, `get`, `list`, `take`). */
  readonly operation: string;

  constructor(
    info: { failure: RedisStoreFailure; host: string; port: number; operation: string; cause?: unknown },
    message: string,
  ) {
    super(message, info.cause === undefined ? undefined : { cause: info.cause });
    this.failure = info.failure;
    this.host = info.host;
    this.port = info.port;
    this.operation = info.operation;
  }
}
