/**
 * Errors the SoftLayer API answered with, and the choice of class for an error answer.
 *
 * @module
 */
import { type RequestInfo, SslOrdersError } from './errors-base.js';

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
  /** What the SDK adds to the message to explain the answer, e.g. that a 404 may mean a wrong endpoint. */
  hint?: string | undefined;
  /** The id of the send the request belonged to, when it came from a resend call. */
  intentId?: string | undefined;
  /** Where the credential came from (`AuthState.source`); an AuthenticationError names it. */
  credentialSource?: string | undefined;
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
      `${details.method} ${details.path} failed: HTTP ${details.status}${code}: ${details.serverMessage}${details.hint ? ` (${details.hint})` : ''}`,
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
  /** Where the refused credential came from, e.g. `SL_USERNAME + ~/.softlayer api_key`; never a secret. */
  readonly credentialSource: string | undefined;

  constructor(details: ApiErrorDetails) {
    const source = details.credentialSource;
    const from = source ? `credentials from ${source}` : undefined;
    super({ ...details, hint: details.hint && from ? `${details.hint}; ${from}` : (details.hint ?? from) });
    this.credentialSource = source;
  }
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
