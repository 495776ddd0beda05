/**
 * The error hierarchy. Every error the SDK throws is an {@link SslOrdersError} with a literal `name`,
 * a one-line message, and no credential anywhere: not in the message, a field, `util.inspect` or JSON.
 * The classes live by family in errors-base.ts, errors-api.ts and errors-transport.ts; this module
 * gathers them so that callers import from one place.
 *
 * @module
 */
export {
  ApiError,
  type ApiErrorDetails,
  AuthenticationError,
  errorFromResponse,
  NotFoundError,
  PermissionDeniedError,
  RATE_LIMIT_CODE,
  RateLimitError,
  ServerError,
  TOKEN_EXPIRED_CODE,
} from './errors-api.js';
export { type EmailType, InvalidArgumentError, type RequestInfo, SslOrdersError } from './errors-base.js';
export {
  ConnectionError,
  type ConnectionFailure,
  ResponseValidationError,
  TimeoutError,
  type ValidationIssue,
} from './errors-transport.js';
