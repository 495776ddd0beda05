/**
 * Transport-independent request and response shapes, and the error bodies the emulator sends.
 *
 * @module
 */

/**
 * A request as the emulator core sees it, whatever the transport (node:http or msw).
 *
 * @example
 * ```ts
 * const request: CoreRequest = {
 *   method: 'GET',
 *   url: '/rest/v3.1/SoftLayer_Account/getObject.json?objectMask=mask[id]',
 *   headers: { authorization: 'Basic …' },
 *   body: '',
 * };
 * ```
 */
export interface CoreRequest {
  /** HTTP method, any case. */
  readonly method: string;
  /** Path and query string (an absolute URL is accepted too; only its path and query are used). */
  readonly url: string;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** The request body as text (`''` when none). */
  readonly body: string;
}

/**
 * What the transport must do with a response:
 * - `respond`: send status, headers and body;
 * - `reset`: destroy the connection without a response;
 * - `truncate`: send the headers with a `Content-Length` larger than the body, part of the body, then
 *   destroy the connection;
 * - `hang`: send nothing until the client gives up.
 *
 * @example
 * ```ts
 * if (response.action === 'reset') socket.destroy();
 * ```
 */
export type CoreAction = 'respond' | 'reset' | 'truncate' | 'hang';

/**
 * The core's answer.
 *
 * @example
 * ```ts
 * const response = await handleRequest(state, request);
 * if (response.action === 'respond') console.log(response.status, response.body);
 * ```
 */
export interface CoreResponse {
  /** What the transport must do; see {@link CoreAction}. */
  readonly action: CoreAction;
  /** HTTP status to send (for `respond` and `truncate`). */
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  /** The response body (for `truncate`, the whole body of which only part is sent). */
  readonly body: string;
}

/** The SoftLayer exception classes the emulator uses in `code`. */
export const SL = {
  public: 'SoftLayer_Exception_Public',
  notFound: 'SoftLayer_Exception_ObjectNotFound',
  invalidLegacyToken: 'SoftLayer_Exception_InvalidLegacyToken',
  tokenValidation: 'SoftLayer_Exception_Account_Authentication_AccessTokenValidation',
  rateLimit: 'SoftLayer_Exception_WebService_RateLimitExceeded',
  objectMask: 'SoftLayer_Exception_WebService_ObjectMask',
  parser: 'SoftLayer_Exception_Common_Parser',
  accessDenied: 'SoftLayer_Exception_AccessDenied',
} as const;

/** An error a service method raises; the core turns it into `{"error": message, "code": code}`. */
export class SoftLayerError extends Error {
  override readonly name = 'SoftLayerError';
  constructor(
    readonly status: number,
    message: string,
    readonly code: string = SL.public,
  ) {
    super(message);
  }
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): CoreResponse {
  return {
    action: 'respond',
    status,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** A SoftLayer error response `{"error": …, "code": …}`. */
export function slError(status: number, message: string, code: string = SL.public): CoreResponse {
  return json(status, { error: message, code });
}

/** The body SoftLayer sends for unexpected failures, sometimes with HTTP 200. */
export const INTERNAL_ERROR = { error: 'Internal Error', code: SL.public } as const;

/** The message of SoftLayer's rate limiter. */
export function rateLimitMessage(requestsPerSecond: number): string {
  return `Rate limit of ${requestsPerSecond} requests for every 1 second(s) exceeded.`;
}

/**
 * Another account's id: `SoftLayer_Exception_AccessDenied` "Access Denied." (SLDN lists it for
 * `SoftLayer_Account::getObject`). No source shows its HTTP status: 500, like the API's other
 * exceptions, is a guess.
 */
export function accessDenied(): SoftLayerError {
  return new SoftLayerError(500, 'Access Denied.', SL.accessDenied);
}

/** The 404 SoftLayer sends for an unknown id. */
export function notFound(id: number | string): SoftLayerError {
  return new SoftLayerError(404, `Unable to find object with id of '${id}'.`, SL.notFound);
}
