/**
 * Errors of a request that got no usable answer: no connection, no answer in time, or an answer of
 * the wrong shape.
 *
 * @module
 */
import { type RequestInfo, SslOrdersError } from './errors-base.js';

/**
 * The request never got an answer: connection refused, DNS failure, reset, or a body cut short.
 * `dispatched` tells whether the request may have reached the server.
 *
 * @example
 * ```ts
 * await client.listOrders().catch((error: unknown) => {
 *   if (error instanceof ConnectionError) console.error(error.code ?? 'network error', error.dispatched);
 *   throw error;
 * });
 * ```
 */
export class ConnectionError extends SslOrdersError {
  override readonly name = 'ConnectionError' as const;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request (no host, no query, no credential). */
  readonly path: string;
  /** The system error code, such as `ECONNREFUSED` or `ECONNRESET`, when the runtime gave one. */
  readonly code: string | undefined;
  /**
   * `false` only when the request provably never left this machine (connection refused, host not
   * found); `true` when it may have reached the server.
   */
  readonly dispatched: boolean;

  constructor(
    info: RequestInfo & { code: string | undefined; dispatched: boolean; intentId?: string | undefined },
    cause: unknown,
  ) {
    const code = info.code ? ` (${info.code})` : '';
    super(`${info.method} ${info.path} failed: could not reach the SoftLayer API${code}`, {
      cause,
      intentId: info.intentId,
    });
    this.method = info.method;
    this.path = info.path;
    this.code = info.code;
    this.dispatched = info.dispatched;
  }
}

/**
 * An attempt took longer than `timeout`, or the call passed its `totalTimeout` deadline.
 *
 * @example
 * ```ts
 * await client.listOrders({ timeout: 5_000, totalTimeout: 20_000 }).catch((error: unknown) => {
 *   if (error instanceof TimeoutError) console.error(`${error.limit} limit of ${error.timeoutMs} ms passed`);
 *   throw error;
 * });
 * ```
 */
export class TimeoutError extends SslOrdersError {
  override readonly name = 'TimeoutError' as const;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request (no host, no query, no credential). */
  readonly path: string;
  /** The limit that was passed, in milliseconds. */
  readonly timeoutMs: number;
  /** `attempt` for the per-attempt `timeout`, `total` for the `totalTimeout` deadline. */
  readonly limit: 'attempt' | 'total';

  constructor(
    info: RequestInfo & { timeoutMs: number; limit: 'attempt' | 'total'; intentId?: string | undefined },
  ) {
    super(
      `${info.method} ${info.path} timed out after ${info.timeoutMs} ms (${info.limit === 'total' ? 'totalTimeout' : 'timeout'})`,
      { intentId: info.intentId },
    );
    this.method = info.method;
    this.path = info.path;
    this.timeoutMs = info.timeoutMs;
    this.limit = info.limit;
  }
}

/** One problem found in a response that does not match the expected shape. */
export interface ValidationIssue {
  /** Dotted path in the response, e.g. `[3].status.name`. */
  path: string;
  /** What was wrong there, e.g. `expected number`; never includes the value itself. */
  message: string;
}

/**
 * A success response did not have the expected shape (or was not JSON). The message names the path
 * of the first issue; the values themselves are never included.
 *
 * @example
 * ```ts
 * await client.getOrder(4471203).catch((error: unknown) => {
 *   if (error instanceof ResponseValidationError) console.error(error.issues.map((issue) => issue.path));
 *   throw error;
 * });
 * ```
 */
export class ResponseValidationError extends SslOrdersError {
  override readonly name = 'ResponseValidationError' as const;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request (no host, no query, no credential). */
  readonly path: string;
  /** Every problem found, each with its path in the response. */
  readonly issues: readonly ValidationIssue[];

  constructor(
    info: RequestInfo & { issues: ValidationIssue[]; intentId?: string | undefined },
    cause?: unknown,
  ) {
    const first = info.issues[0];
    const where = first ? ` at ${first.path || '(root)'}: ${first.message}` : '';
    super(`${info.method} ${info.path} returned an unexpected response${where}`, {
      cause,
      intentId: info.intentId,
    });
    this.method = info.method;
    this.path = info.path;
    this.issues = info.issues;
  }
}
