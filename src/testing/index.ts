/**
 * `softlayer-ssl-orders/testing`: a local emulator of the SoftLayer REST API for SSL certificate orders
 * (`SoftLayer_Security_Certificate_Request`), with IAM tokens, object masks and filters, paging, a rate
 * limiter, fault injection and an outbox of "sent" emails. The msw handlers live in
 * `softlayer-ssl-orders/testing/msw`.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * import { startEmulator } from 'softlayer-ssl-orders/testing';
 *
 * await using emulator = await startEmulator();
 * const client = new SslOrdersClient(emulator.clientOptions()); // then assert on emulator.outbox
 * ```
 *
 * @module softlayer-ssl-orders/testing
 */
export type { EmulatorClientOptions } from './credentials.js';
export { type Emulator, type EmulatorOptions, startEmulator } from './emulator.js';
export { type GenerateOrdersOptions, generateOrders, SSL_REQUEST_STATUSES, seedOrders } from './seed.js';
// A state of its own is for one documented use: sharing it between startEmulator({ state }) and
// createMswHandlers({ state }). The type only: the class's constructor is not a public commitment.
export { createEmulatorState, type EmulatorState } from './state.js';
export {
  type ClassicUser,
  DEFAULT_ACCOUNT_ID,
  DEFAULT_CREDENTIALS,
  type EmailType,
  type EmulatorCredentials,
  type EmulatorPagingOptions,
  type EmulatorStateOptions,
  type FaultHandle,
  type FaultKind,
  type FaultSpec,
  type OrderStatus,
  type OutboxEntry,
  type RecordedAuth,
  type RecordedRequest,
  type RequestCountFilter,
  type ResolvedCredentials,
  type RouteName,
  type SeedOrder,
  type StatusName,
} from './types.js';
