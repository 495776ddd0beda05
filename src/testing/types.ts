/**
 * Public types of the SoftLayer API emulator (`softlayer-ssl-orders/testing`).
 *
 * These types describe the *server side* as the emulator models it. They are deliberately independent of
 * the SDK's own types, so that the emulator can catch SDK bugs instead of sharing them.
 *
 * @module
 */
import type { EmulatorCredentials } from './credentials.js';
import type { FaultKind, RouteName } from './fault-types.js';

export type { ClassicUser, EmulatorCredentials, ResolvedCredentials } from './credentials.js';
export { DEFAULT_CREDENTIALS } from './credentials.js';
export type { FaultHandle, FaultKind, FaultSpec, RouteName } from './fault-types.js';

/**
 * The four status names SLDN documents for `SoftLayer_Security_Certificate_Request_Status`.
 *
 * @example
 * ```ts
 * const name: StatusName = 'Approved';
 * ```
 */
export type StatusName = 'Pending CA Approval' | 'Approved' | 'Complete' | 'Canceled';

/**
 * A `SoftLayer_Security_Certificate_Request_Status` object.
 *
 * @example
 * ```ts
 * const status: OrderStatus = { id: 2, name: 'Approved', description: 'The CA approved the order' };
 * ```
 */
export interface OrderStatus {
  /** Status id, referenced by {@link SeedOrder.statusId}. */
  readonly id: number;
  /** Status name, usually a {@link StatusName}. */
  readonly name: string;
  /** Human-readable explanation of the status. */
  readonly description: string;
}

/**
 * An SSL order as the emulator stores it: a `SoftLayer_Security_Certificate_Request` with its local
 * properties, plus the optional relational `status` (derived from `statusId` when absent).
 *
 * Dates are RFC 3339 strings with a UTC offset and no fractional seconds, as the real API sends them.
 *
 * @example
 * ```ts
 * const order: SeedOrder = {
 *   id: 4471203,
 *   accountId: 1234567,
 *   commonName: 'www.example.com',
 *   approverEmailAddress: 'admin@example.com',
 *   technicalContactEmailAddress: 'ops@example.com',
 *   certificateSigningRequest: '-----BEGIN CERTIFICATE REQUEST-----\n…',
 *   createDate: '2023-11-02T09:14:27-06:00',
 *   modifyDate: '2023-11-06T10:02:11-06:00',
 *   effectiveDate: '2023-11-03T00:00:00-06:00',
 *   expirationDate: '2024-11-03T17:59:59-06:00',
 *   statusId: 3,
 * };
 * ```
 */
export interface SeedOrder {
  /** Order id (`SoftLayer_Security_Certificate_Request` id). */
  id: number;
  /** The account that owns the order; lists only show the caller's account. */
  accountId: number;
  /** The certificate's domain, e.g. `www.example.com`. */
  commonName: string;
  /** Where `resendEmail` sends the email (the {@link OutboxEntry.recipient}). */
  approverEmailAddress: string;
  /** The technical contact's address; never emailed by `resendEmail`. */
  technicalContactEmailAddress: string;
  /** The PEM-encoded CSR. */
  certificateSigningRequest: string;
  /** When the order was placed (RFC 3339). */
  createDate: string;
  /** When the order last changed (RFC 3339). */
  modifyDate: string;
  /** Absent while the order is pending and for canceled orders. */
  effectiveDate?: string;
  /** When the certificate expires (RFC 3339); absent while pending. */
  expirationDate?: string;
  /** Id of the order's {@link OrderStatus} in `SSL_REQUEST_STATUSES`. */
  statusId: number;
  /** Relational property; when absent the emulator resolves it from `statusId`. */
  status?: OrderStatus;
}

/**
 * The two email types `SoftLayer_Security_Certificate_Request::resendEmail` accepts.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ parameters: ['FulfillmentEmail' satisfies EmailType] });
 * ```
 */
export type EmailType = 'FulfillmentEmail' | 'ApproverEmail';

/**
 * One email the emulated CA "sent" because `resendEmail` succeeded.
 *
 * @example
 * ```ts
 * expect(emulator.outbox).toEqual([
 *   expect.objectContaining({ orderId: 4471203, emailType: 'FulfillmentEmail', recipient: 'admin@example.com' }),
 * ]);
 * ```
 */
export interface OutboxEntry {
  /** The order the email was for. */
  readonly orderId: number;
  /** Which email was sent. */
  readonly emailType: EmailType;
  /** Always the order's `approverEmailAddress` (the address the console's Resend popup shows). */
  readonly recipient: string;
  /** The order's common name at the time of the send. */
  readonly commonName: string;
  /** ISO 8601 timestamp (UTC) of the send. */
  readonly at: string;
  /** `requestId` of the {@link RecordedRequest} that caused the send. */
  readonly requestId: number;
}

/**
 * How a request authenticated, as recorded. Secrets (API keys, tokens) are never recorded.
 *
 * @example
 * ```ts
 * expect(emulator.requests[0]?.auth).toEqual({ scheme: 'basic', username: 'SL1234567_demo' });
 * ```
 */
export interface RecordedAuth {
  /** The `Authorization` scheme; `none` without the header, `other` for an unknown scheme. */
  readonly scheme: 'none' | 'basic' | 'bearer' | 'other';
  /** The Basic username (`apikey` for IBM Cloud API keys); absent for other schemes. */
  readonly username?: string;
}

/**
 * One request the emulator received.
 *
 * @example
 * ```ts
 * const last = emulator.requests.at(-1);
 * expect(last?.methodName).toBe('resendEmail');
 * ```
 */
export interface RecordedRequest {
  /** Sequence number, starting at 1. */
  readonly requestId: number;
  /** ISO 8601 timestamp (UTC). */
  readonly at: string;
  /** HTTP method, upper case. */
  readonly method: string;
  /** Path without the query string. */
  readonly path: string;
  /** The route the request was classified as. */
  readonly route: RouteName;
  /** SoftLayer service name, or `null` for IAM and unparseable paths. */
  readonly service: string | null;
  /** Resolved method name (e.g. `getObject` for a bare `GET /Service/1.json`), or `null`. */
  readonly methodName: string | null;
  /** Object id from the path, or `null`. */
  readonly id: number | null;
  /** Query parameters, decoded. */
  readonly query: Readonly<Record<string, string>>;
  /** The request body; secrets in IAM form bodies are replaced by `[REDACTED]`. */
  readonly body: string;
  /** How the request authenticated (never the secret). */
  readonly auth: RecordedAuth;
  /** HTTP status sent (or that would have been sent, for `reset-after`); `null` when none was produced. */
  readonly status: number | null;
  /** The injected fault that affected this request, if any. */
  readonly fault: FaultKind | null;
}

/**
 * Filter for {@link EmulatorState.count}. Every given field must match.
 *
 * @example
 * ```ts
 * emulator.count({ route: 'resend', method: 'POST' });
 * ```
 */
export interface RequestCountFilter {
  /** Route name, e.g. `'resend'`. */
  route?: RouteName;
  /** HTTP method, e.g. `'POST'` (case-insensitive). */
  method?: string;
  /** SoftLayer method name, e.g. `'resendEmail'`. */
  methodName?: string;
  /** HTTP status sent; `null` matches requests that got none (resets, hangs). */
  status?: number | null;
}

/**
 * Options shared by {@link createEmulatorState}, `startEmulator` and `createMswHandlers`.
 *
 * @example
 * ```ts
 * const state = createEmulatorState({ orderCount: 100_000, rateLimit: { requestsPerSecond: 50 } });
 * ```
 */
export interface EmulatorStateOptions {
  /** The account that owns the orders. Default `1234567`. */
  accountId?: number;
  /** Initial orders. Default `seedOrders()` (re-assigned to `accountId`). */
  orders?: readonly SeedOrder[];
  /** When given, start with `generateOrders(orderCount)` instead of `orders`. */
  orderCount?: number;
  /** Accepted credentials. Default: {@link softlayer-ssl-orders/testing!DEFAULT_CREDENTIALS}. */
  credentials?: EmulatorCredentials;
  /** Check credentials. Default `true`. */
  auth?: boolean;
  /** SoftLayer-like rate limiter per credential (sliding 1 s window). Off by default. */
  rateLimit?: {
    /** Requests allowed per credential in any 1 s window; more get a rate-limit error. */
    requestsPerSecond: number;
  };
  /** Lifetime of IAM access tokens. Default `3600`. */
  tokenTtlSeconds?: number;
  /** Delay added to every request, in ms. Default `0`. */
  latencyMs?: number;
  /**
   * Zone of object-filter dates written without an offset (`MM/DD/YYYY`, `M/D/YYYY H:M:S`): a fixed
   * offset (`'-06:00'`) or an IANA name. Default `'America/Chicago'`, a guess: SLDN does not say.
   */
  filterTimeZone?: string;
  /**
   * What `resendEmail` answers for an order whose status does not allow the email (SLDN does not say;
   * every choice is a guess): `'error'` (default) 500 `SoftLayer_Exception_Public`, `'false'` answers
   * `false` and sends nothing, `'send'` sends anyway.
   */
  resendInWrongStatus?: 'error' | 'false' | 'send';
  /**
   * The statuses served, matched to orders by name. Default `SSL_REQUEST_STATUSES` (ids 1–4, a guess:
   * IBM does not publish them). Give other ids to check that your code matches on names.
   */
  statuses?: readonly OrderStatus[];
  /** Misbehaviours of the order list that the real API may have (SLDN is silent); all off by default. */
  paging?: EmulatorPagingOptions;
}

/**
 * How `getSslCertificateRequests` pages, for testing clients against list behaviours the real API
 * may have. The `SoftLayer-Total-Items` header always counts the orders the (possibly ignored) filter
 * matched.
 *
 * @example
 * ```ts
 * const state = createEmulatorState({ orderCount: 250, paging: { maxPageSize: 100 } });
 * ```
 */
export interface EmulatorPagingOptions {
  /** Pages hold at most this many orders, whatever `resultLimit` asks (also without one). Default: no cap. */
  maxPageSize?: number;
  /** `resultLimit`'s offset is ignored: every page starts at the first order. Default `false`. */
  ignoreOffset?: boolean;
  /** `resultLimit` is ignored altogether: every answer holds every matching order. Default `false`. */
  ignoreResultLimit?: boolean;
  /** `objectFilter` is ignored (its orderBy included): every order of the account, and the total counts them all. Default `false`. */
  ignoreFilter?: boolean;
}

/**
 * The default account id of a new emulator: `1234567`.
 *
 * @example
 * ```ts
 * const body = JSON.stringify({ parameters: [DEFAULT_ACCOUNT_ID] });
 * ```
 */
export const DEFAULT_ACCOUNT_ID = 1234567;
