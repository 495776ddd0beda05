/**
 * The error hierarchy. Every error the SDK throws is an {@link SslOrdersError} with a literal `name`,
 * a one-line message, and no credential anywhere: not in the message, a field, `util.inspect` or JSON.
 *
 * @module
 */

/** Which email a send asks the certificate authority to send again. */
export type EmailType = 'FulfillmentEmail' | 'ApproverEmail';

const inspectSymbol = Symbol.for('nodejs.util.inspect.custom');

/**
 * Base class of every error this SDK throws. Catch it to handle any SDK failure; narrow with
 * `instanceof` on a subclass or with the literal {@link SslOrdersError.name | name}.
 *
 * @example
 * ```ts
 * import { SslOrdersClient, SslOrdersError } from 'softlayer-ssl-orders';
 * const client = new SslOrdersClient({ auth: { username: 'SL1_jane', apiKey: 'key-123456' } });
 * try {
 *   await client.getOrder(4471203);
 * } catch (error) {
 *   if (error instanceof SslOrdersError) console.error(error.name, error.message);
 * }
 * ```
 */
export class SslOrdersError extends Error {
  /** The error class's name as a string literal (e.g. `'NotFoundError'`); survives minification and realms. */
  override readonly name: string = 'SslOrdersError';
  /** The id of the send this error belongs to, when it came from a resend call. */
  intentId: string | undefined;

  constructor(message: string, options?: { cause?: unknown; intentId?: string | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.intentId = options?.intentId;
  }

  /** A plain, secret-free view of the error for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== 'name')
        json[key] = value instanceof Date ? value.toISOString() : value;
    }
    if (this.cause instanceof Error) json['cause'] = { name: this.cause.name, message: this.cause.message };
    return json;
  }

  /** `util.inspect` shows the same secret-free view, with the stack. */
  [inspectSymbol](): string {
    const fields = this.toJSON();
    delete fields['name'];
    delete fields['message'];
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    return `${this.stack ?? `${this.name}: ${this.message}`}${extra}`;
  }
}

/**
 * A caller passed something the SDK cannot use: a bad id, option or credential. Thrown before any
 * request is made; the message says what was wrong and how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   await client.getOrder(-1);
 * } catch (error) {
 *   if (error instanceof InvalidArgumentError) console.error(error.argument, error.message); // 'id', …
 * }
 * ```
 */
export class InvalidArgumentError extends SslOrdersError {
  override readonly name = 'InvalidArgumentError' as const;
  /** The option or argument at fault, such as `id` or `auth.apiKey`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** Where an API error happened: HTTP method and API path (no host, no query, no credential). */
export interface RequestInfo {
  /** HTTP method, e.g. `GET` or `POST`. */
  method: string;
  /** API path relative to the endpoint, e.g. `SoftLayer_Account/getObject.json`. */
  path: string;
}

/** Details of an error answer from the SoftLayer API. */
export interface ApiErrorDetails extends RequestInfo {
  /** HTTP status of the answer (200 when the API sent an error body with a success status). */
  status: number;
  /** The SoftLayer exception class from the body, e.g. `SoftLayer_Exception_ObjectNotFound`, if any. */
  code: string | undefined;
  /** The server's own message, or an excerpt of a non-JSON body. */
  serverMessage: string;
  /** The `Retry-After` wait the server asked for, in milliseconds, if it sent one. */
  retryAfterMs?: number | undefined;
  /** The id of the send the request belonged to, when it came from a resend call. */
  intentId?: string | undefined;
}

/**
 * The SoftLayer API answered with an error: an HTTP error status, or an error body (`{error, code}`),
 * which the API sometimes sends with HTTP 200.
 *
 * @example
 * ```ts
 * await client.getOrder(4471203).catch((error: unknown) => {
 *   if (error instanceof ApiError) console.error(error.status, error.code, error.serverMessage);
 *   throw error;
 * });
 * ```
 */
export class ApiError extends SslOrdersError {
  override readonly name: string = 'ApiError';
  /** HTTP status of the answer (200 when the API sent an error body with a success status). */
  readonly status: number;
  /** The SoftLayer exception class from the body, e.g. `SoftLayer_Exception_ObjectNotFound`. */
  readonly code: string | undefined;
  /** The server's own message (`error` in the body), or an excerpt of a non-JSON body. */
  readonly serverMessage: string;
  /** HTTP method of the failed request. */
  readonly method: string;
  /** API path of the failed request, e.g. `SoftLayer_Security_Certificate_Request/12/getObject.json`. */
  readonly path: string;
  /** The wait the server asked for through `Retry-After` (429, 503…), in milliseconds, if it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(details: ApiErrorDetails) {
    const code = details.code ? ` ${details.code}` : '';
    super(
      `${details.method} ${details.path} failed: HTTP ${details.status}${code}: ${details.serverMessage}`,
      {
        intentId: details.intentId,
      },
    );
    this.status = details.status;
    this.code = details.code;
    this.serverMessage = details.serverMessage;
    this.method = details.method;
    this.path = details.path;
    this.retryAfterMs = details.retryAfterMs;
  }
}

/**
 * The credentials were refused (HTTP 401, an invalid token, or an IAM token exchange that failed).
 *
 * @example
 * ```ts
 * await client.getAccountId().catch((error: unknown) => {
 *   if (error instanceof AuthenticationError) console.error('Check SL_USERNAME and SL_API_KEY.');
 *   throw error;
 * });
 * ```
 */
export class AuthenticationError extends ApiError {
  override readonly name = 'AuthenticationError' as const;
}

/**
 * The user lacks the permission for this call (HTTP 403 or a SoftLayer permission exception).
 *
 * @example
 * ```ts
 * const page = await client.listOrders().catch((error: unknown) => {
 *   if (error instanceof PermissionDeniedError) return undefined; // the user may not view SSL orders
 *   throw error;
 * });
 * ```
 */
export class PermissionDeniedError extends ApiError {
  override readonly name = 'PermissionDeniedError' as const;
}

/**
 * No such object (HTTP 404 or `SoftLayer_Exception_ObjectNotFound`).
 *
 * @example
 * ```ts
 * const order = await client.getOrder(4471203).catch((error: unknown) => {
 *   if (error instanceof NotFoundError) return undefined;
 *   throw error;
 * });
 * ```
 */
export class NotFoundError extends ApiError {
  override readonly name = 'NotFoundError' as const;
}

/**
 * The API rate limit was hit (HTTP 429, or `SoftLayer_Exception_WebService_RateLimitExceeded`,
 * which SoftLayer sends with HTTP 500). The server did not act on the request. Reads retry it by
 * default; this is what is left when retries are off or used up.
 *
 * @example
 * ```ts
 * try {
 *   await client.listOrders({ retry: false });
 * } catch (error) {
 *   if (!(error instanceof RateLimitError)) throw error;
 *   await new Promise((resolve) => setTimeout(resolve, error.retryAfterMs ?? 1_000));
 * }
 * ```
 */
export class RateLimitError extends ApiError {
  override readonly name = 'RateLimitError' as const;
}

/**
 * The server failed (HTTP 5xx, or an internal-error body sent with HTTP 200). Reads retry it by default.
 *
 * @example
 * ```ts
 * await client.listStatuses().catch((error: unknown) => {
 *   if (error instanceof ServerError) console.error(`SoftLayer failed (HTTP ${error.status}); try again later`);
 *   throw error;
 * });
 * ```
 */
export class ServerError extends ApiError {
  override readonly name = 'ServerError' as const;
}

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

/** SoftLayer's rate-limit exception class; it arrives with HTTP 500. */
export const RATE_LIMIT_CODE = 'SoftLayer_Exception_WebService_RateLimitExceeded';
/** SoftLayer's expired or invalid IAM token exception class; it arrives with HTTP 500. */
export const TOKEN_EXPIRED_CODE = 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation';

const AUTH_CODE = /InvalidLegacyToken|_Authentication|InvalidCredential/;
const PERMISSION_CODE = /PermissionDenied|_Permission|NotAuthorized|Forbidden/;
const NOT_FOUND_CODE = /^SoftLayer_Exception_(ObjectNotFound|NotFound)$/;

/**
 * Picks the error class for an API error answer: by the SoftLayer code first (SoftLayer sends rate
 * limits and token expiry with HTTP 500), then by HTTP status.
 */
export function errorFromResponse(details: ApiErrorDetails): ApiError {
  const { status, code = '' } = details;
  if (status === 429 || code === RATE_LIMIT_CODE) return new RateLimitError(details);
  // A bad mask (the caller's mistake) or another account's id: not retryable, whatever the status
  // (SoftLayer sends these with 500, which would otherwise read as a retryable ServerError).
  if (code === 'SoftLayer_Exception_AccessDenied') return new PermissionDeniedError(details);
  if (code === 'SoftLayer_Exception_WebService_ObjectMask' || code === 'SoftLayer_Exception_Common_Parser')
    return new ApiError(details);
  if (status === 401 || AUTH_CODE.test(code)) return new AuthenticationError(details);
  if (status === 403 || PERMISSION_CODE.test(code)) return new PermissionDeniedError(details);
  if (status === 404 || NOT_FOUND_CODE.test(code)) return new NotFoundError(details);
  // An error body with a 2xx status is the API's way of reporting an internal failure.
  if (status >= 500 || status < 300) return new ServerError(details);
  return new ApiError(details);
}
