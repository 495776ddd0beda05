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

  /** The host the request went to, e.g. `api.softlayer.com`, when known. */
  readonly host: string | undefined;

  /**
   * @param info.service - who did not answer, for the message; default `the SoftLayer API` (the IAM
   *   token exchange passes `IBM Cloud IAM`).
   */
  constructor(info: ConnectionFailure, cause: unknown) {
    super(connectionMessage(info), { cause, intentId: info.intentId });
    this.method = info.method;
    this.path = info.path;
    this.code = info.code;
    this.dispatched = info.dispatched;
    this.host = info.host;
  }
}

/** What the transport (or the IAM token exchange) knows about a connection that failed. */
export interface ConnectionFailure extends RequestInfo {
  /** The system error code (`ECONNREFUSED`, `ENOTFOUND`, …), when the runtime gave one. */
  code: string | undefined;
  /** Whether the request may have left this machine. */
  dispatched: boolean;
  /** The host that was dialled, never a credential. */
  host?: string | undefined;
  /** Which service failed (`IBM Cloud IAM`); the SoftLayer API when absent. */
  service?: string | undefined;
  /** The send's intent id, when the request was a send. */
  intentId?: string | undefined;
}

// What a system error code means for the person reading the message.
const CODE_HINTS: Record<string, string> = {
  ENOTFOUND: 'no such host; check the host name',
  EAI_NONAME: 'no such host; check the host name',
  EAI_AGAIN: 'the DNS lookup failed; try again',
  ECONNREFUSED: 'nothing accepts connections there',
  ENETUNREACH: 'no route to that network',
  EHOSTUNREACH: 'no route to that host',
};

// "could not reach" only when the request provably never left: after it left, the server may have
// acted on it, and the message must not suggest otherwise.
function connectionMessage(info: ConnectionFailure): string {
  const where = `${info.service ?? 'the SoftLayer API'}${info.host ? ` at ${info.host}` : ''}`;
  const hint = info.code === undefined ? undefined : CODE_HINTS[info.code];
  const code = info.code ? ` (${info.code}${hint ? `: ${hint}` : ''})` : '';
  const start = `${info.method} ${info.path} failed: `;
  if (!info.dispatched) return `${start}could not reach ${where}${code}`;
  return `${start}the connection to ${where} failed after the request was sent${code}; the server may have received it`;
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
  /** What was wrong there, e.g. `expected a string, received a number`; never includes the value itself. */
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
