/**
 * Option and result types, and the defaults. Most of the reference documentation lives here.
 *
 * @module
 */
import type { Auth } from './auth.js';
import type { EmailType } from './errors.js';
import { DEFAULT_RETRY_BUDGET, DEFAULT_RETRY_POLICY, type RetryOptions, type RetryReason } from './retry.js';
import type { SslOrder } from './schemas.js';
import type { SendLedger } from './send-ledger.js';

/** Every default value in one place. */
export const DEFAULTS = Object.freeze({
  /** The public REST endpoint. */
  baseUrl: 'https://api.softlayer.com/rest/v3.1/',
  /** The private-network REST endpoint (`baseUrl: 'private'`). */
  privateBaseUrl: 'https://api.service.softlayer.com/rest/v3.1/',
  /** Per-attempt timeout, in milliseconds. */
  timeout: 30_000,
  /** Orders per page for `listOrders` and `iterateOrders`. */
  pageSize: 100,
  /** Largest page the SDK asks for. */
  maxPageSize: 1_000,
  /** How long after a send the same email for the same order is refused, in milliseconds (5 minutes). */
  sendCooldown: 5 * 60_000,
  retry: DEFAULT_RETRY_POLICY,
  retryBudget: DEFAULT_RETRY_BUDGET,
});

/**
 * Decides whether an email may be sent. Return `true` to send; anything else declines. It may be
 * async (a terminal prompt, a web modal, a chat approval). It is called exactly once per send, after
 * the order was read, so `recipient` is the address the certificate authority will email.
 *
 * @example
 * ```ts
 * import type { ConfirmHook } from 'softlayer-ssl-orders';
 * const confirm: ConfirmHook = async ({ recipient, commonName }) => {
 *   console.log(`The CA will email the certificate for ${commonName} to ${recipient}.`);
 *   return true;
 * };
 * ```
 */
export type ConfirmHook = (context: ConfirmContext) => boolean | Promise<boolean>;

/** What the {@link ConfirmHook} is shown. */
export interface ConfirmContext {
  /** The order id. */
  orderId: number;
  /** Which email will be sent. */
  emailType: EmailType;
  /** The address the email goes to: the order's `approverEmailAddress`, as the API returned it. */
  recipient: string;
  /** The certificate's common name (domain), if the order has one. */
  commonName: string | undefined;
  /** The order's status name, if it has one. */
  status: string | undefined;
  /** The whole order as read just now. */
  order: SslOrder;
  /** This send's id; it appears in every event and error of the send. */
  intentId: string;
  /** Aborts when the caller aborts the send: close the prompt then. */
  signal: AbortSignal | undefined;
}

/** Options accepted by every call. */
export interface RequestOptions {
  /** Cancels the call; it then rejects with the signal's reason, as `fetch` does. */
  signal?: AbortSignal | undefined;
  /** Per-attempt timeout for this call, in milliseconds. Defaults to the client's `timeout`. */
  timeout?: number | undefined;
  /** Deadline for the whole call including retries and waits, in milliseconds. Defaults to the client's. */
  totalTimeout?: number | undefined;
}

/** Options of the read methods: they also accept a retry override. */
export interface ReadOptions extends RequestOptions {
  /** Retry override for this call (`false`: one attempt). The client's budget still applies. */
  retry?: Omit<RetryOptions, 'budget'> | false | undefined;
}

/** Filters shared by `listOrders` and `iterateOrders`. */
export interface OrderFilter {
  /** Only orders with this status name, e.g. `Approved` (case-insensitive). */
  status?: string | undefined;
  /** Only orders for this common name, e.g. `www.example.com` (exact, case-insensitive). */
  commonName?: string | undefined;
}

/** Options of {@link SslOrdersClient.listOrders}. */
export interface ListOrdersOptions extends ReadOptions, OrderFilter {
  /** Orders per page, 1 to 1000. Default `100`. */
  limit?: number | undefined;
  /** Orders to skip. Default `0`. */
  offset?: number | undefined;
}

/** Options of {@link SslOrdersClient.iterateOrders}. */
export interface IterateOrdersOptions extends ReadOptions, OrderFilter {
  /** Orders fetched per request, 1 to 1000. Default `100`. */
  pageSize?: number | undefined;
}

/** One page of orders. */
export interface SslOrderPage {
  /** The orders of this page, in the order the API sorted them (by id, ascending). */
  orders: SslOrder[];
  /** How many orders match in all, from the `SoftLayer-Total-Items` header; `undefined` if absent. */
  total: number | undefined;
  /** The offset this page starts at. */
  offset: number;
  /** The page size asked for. */
  limit: number;
}

/**
 * Options of the resend methods. There is deliberately no `retry` here: a send is retried only when
 * the server provably did not act on it.
 */
export interface SendOptions extends RequestOptions {
  /**
   * Overrides the client's confirm hook for this call; `false` sends without asking. A send with
   * neither a client hook nor this option throws {@link InvalidArgumentError}, so that no email goes
   * out unasked by accident.
   */
  confirm?: ConfirmHook | false | undefined;
  /** Do everything up to the POST (read, check, confirm), then return the request instead. Default `false`. */
  dryRun?: boolean | undefined;
  /** Send even within the cooldown of an earlier send. The reason is recorded in events. */
  force?: { reason: string } | undefined;
  /**
   * Skip the status check (IBM's status list is not documented, so a valid order may carry a status
   * this SDK does not know). Default `false`.
   */
  allowAnyStatus?: boolean | undefined;
}

/** The send happened: the API accepted the resend request. */
export interface SentResult {
  outcome: 'sent';
  orderId: number;
  emailType: EmailType;
  /** The address the certificate authority emails. */
  recipient: string;
  intentId: string;
  /** When the API accepted the request. */
  sentAt: Date;
}

/** The confirm hook declined; nothing was sent. */
export interface DeclinedResult {
  outcome: 'declined';
  orderId: number;
  emailType: EmailType;
  recipient: string;
  intentId: string;
}

/** A dry run: everything but the POST. */
export interface DryRunResult {
  outcome: 'dry-run';
  orderId: number;
  emailType: EmailType;
  recipient: string;
  intentId: string;
  /** The request that would have been sent (no credentials). */
  request: { method: 'POST'; url: string; body: { parameters: [EmailType] } };
}

/** What a resend call resolves to. Failures reject with a typed error instead. */
export type SendResult = SentResult | DeclinedResult | DryRunResult;

/** Fields every transport event has. */
export interface RequestEventBase {
  method: string;
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  operation: 'read' | 'send';
}

/** Fields every send event has. */
export interface SendEventBase {
  intentId: string;
  orderId: number;
  emailType: EmailType;
  /** Milliseconds since the send started. */
  elapsedMs: number;
}

/** Events, for logs and metrics. None carries a credential. */
export type SslOrdersEvent =
  | ({ type: 'request' } & RequestEventBase)
  | ({ type: 'response'; status: number; durationMs: number } & RequestEventBase)
  | ({
      type: 'retry';
      /** Wait before the next attempt, in milliseconds. */
      delayMs: number;
      reason: RetryReason;
      status: number | undefined;
      code: string | undefined;
      errorName: string;
    } & RequestEventBase)
  | ({ type: 'auth.refresh' } & RequestEventBase)
  | { type: 'account.resolved'; accountId: number }
  | { type: 'filter.mismatch'; dropped: number; filter: OrderFilter }
  | ({ type: 'send.planned'; force: string | undefined; dryRun: boolean } & SendEventBase)
  | ({ type: 'send.confirmed'; recipient: string; confirmedBy: 'hook' | 'none' } & SendEventBase)
  | ({ type: 'send.declined'; recipient: string } & SendEventBase)
  | ({ type: 'send.dry-run'; recipient: string } & SendEventBase)
  | ({ type: 'send.dispatched'; recipient: string } & SendEventBase)
  | ({ type: 'send.sent'; recipient: string } & SendEventBase)
  | ({ type: 'send.failed'; errorName: string; message: string } & SendEventBase)
  | ({ type: 'send.outcome-unknown'; recipient: string; errorName: string; message: string } & SendEventBase)
  | ({
      type: 'send.suppressed';
      reason: 'in-flight' | 'cooldown';
      /** The intent id of the send this one was suppressed by. */
      otherIntentId: string;
    } & SendEventBase);

/** Options of {@link SslOrdersClient}. Only `auth` is required. */
export interface SslOrdersClientOptions {
  /** Credentials: `{ username, apiKey }`, `{ ibmCloudApiKey }` or `{ bearerToken }`. */
  auth: Auth;
  /** The account whose orders to list. Resolved once from `SoftLayer_Account` when left out. */
  accountId?: number | undefined;
  /**
   * The REST endpoint: a URL, `'public'` (default, `https://api.softlayer.com/rest/v3.1/`) or
   * `'private'` (`https://api.service.softlayer.com/rest/v3.1/`). HTTPS is required except on loopback.
   */
  baseUrl?: string | undefined;
  /** Per-attempt timeout, in milliseconds. Default `30000`. */
  timeout?: number | undefined;
  /** Deadline for a whole call including retries, in milliseconds. Default: none. */
  totalTimeout?: number | undefined;
  /** Retry policy for reads, and the retry budget; `false` turns retries off. */
  retry?: RetryOptions | false | undefined;
  /** Default confirm hook for sends. */
  confirm?: ConfirmHook | undefined;
  /**
   * After a send, the same email for the same order is refused for this long, in milliseconds
   * (`force` overrides). Default `300000` (5 minutes); `0` turns the guard off.
   */
  sendCooldown?: number | undefined;
  /** Where sends are remembered for the cooldown. Default: in this client's memory. */
  sendLedger?: SendLedger | undefined;
  /** A custom `fetch` (proxies, tests, edge runtimes). Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Receives an event for each request, response, retry and send step. Errors it throws are ignored. */
  onEvent?: ((event: SslOrdersEvent) => void) | undefined;
  /** Appended to the User-Agent, e.g. `my-bot/1.2`. */
  userAgent?: string | undefined;
}
