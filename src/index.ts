/**
 * softlayer-ssl-orders: list the SSL certificate orders of an IBM Cloud classic (SoftLayer) account
 * and have the certificate authority re-send an order's email, safely.
 *
 * @module softlayer-ssl-orders
 */
export type {
  Auth,
  BearerAuth,
  ClassicAuth,
  IbmCloudApiKeyAuth,
  TokenProvider,
  TokenRequest,
} from './auth.js';
export { SslOrdersClient } from './client.js';
export type { EnvironmentSource } from './environment.js';
export type {
  ApiErrorDetails,
  ConnectionFailure,
  EmailType,
  RequestInfo,
  ValidationIssue,
} from './errors.js';
export {
  ApiError,
  AuthenticationError,
  ConnectionError,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  SslOrdersError,
  TimeoutError,
} from './errors.js';
export type { RequestEventBase, SendEventBase, SslOrdersEvent } from './events.js';
export type { IamTokenProviderOptions } from './iam.js';
export { iamTokenProvider } from './iam.js';
export type { OrderFilter } from './internal/filter.js';
export type {
  ConfirmContext,
  ConfirmHook,
  IterateOrdersOptions,
  ListOrdersOptions,
  ReadOptions,
  RequestOptions,
  SendOptions,
  SendOutcomeMark,
  SslOrdersClientOptions,
} from './options.js';
export { ALLOWED_STATUSES, DEFAULTS } from './options.js';
export type { SslOrder, SslOrderStatus } from './order.js';
export type { PaceRate, RateLimitOptions, SharedRateLimiter } from './pace.js';
export { DEFAULT_PACE_RATE } from './pace.js';
export type { DeclinedResult, DryRunResult, SendResult, SentResult, SslOrderPage } from './results.js';
export type { RetryBudgetOptions, RetryOptions, RetryPolicy, RetryReason } from './retry.js';
export { DEFAULT_RETRY_POLICY } from './retry.js';
export type { DuplicateReason, LedgerOperation } from './send-errors.js';
export {
  DuplicateSendError,
  MarkRefusedError,
  PreconditionFailedError,
  SendLedgerError,
  SendOutcomeUnknownError,
} from './send-errors.js';
export type {
  ReserveRule,
  SendLedger,
  SendRecord,
  SendState,
  Settlement,
  SettlementExpectation,
} from './send-ledger.js';
export {
  applySettlement,
  blocks,
  effectiveState,
  replacing,
  restoredBy,
  SEND_RECORD_FORMAT,
  settlementApplies,
} from './send-ledger.js';
export { MemorySendLedger } from './send-ledger-memory.js';
export { VERSION } from './version.js';
