/**
 * Option types and the defaults. Most of the reference documentation lives here.
 *
 * @module
 */
import type { Auth } from './auth.js';
import type { EmailType } from './errors.js';
import type { SslOrdersEvent } from './events.js';
import type { OrderFilter } from './internal/filter.js';
import type { SslOrder } from './order.js';
import type { RateLimitOptions } from './pace.js';
import { DEFAULT_RETRY_POLICY, type RetryOptions } from './retry.js';
import { DEFAULT_RETRY_BUDGET } from './retry-budget.js';
import type { SendLedger } from './send-ledger.js';

// Freezes nested objects and arrays too: Object.freeze alone would let `DEFAULTS.retry.retryOn.push()`
// or `ALLOWED_STATUSES.FulfillmentEmail.push('Canceled')` change the behaviour of every client.
function deepFreeze<T extends object>(value: T): Readonly<T> {
  for (const inner of Object.values(value)) {
    // Into frozen objects too: DEFAULT_RETRY_POLICY is frozen, its retryOn array was not.
    if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  }
  return Object.freeze(value);
}

/**
 * Every default value in one place. Frozen all the way down: changing it throws a TypeError (in
 * strict code, as ES modules are); pass options to change a client's behaviour instead.
 */
export const DEFAULTS = deepFreeze({
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
  /** Pages `iterateOrders` fetches ahead of the consumer. */
  pageConcurrency: 4,
  /** How long after a send the same email for the same order is refused, in milliseconds (5 minutes). */
  sendCooldown: 5 * 60_000,
  /** Retry policy for reads: 2 retries, 500 ms base delay, full jitter; see {@link DEFAULT_RETRY_POLICY}. */
  retry: DEFAULT_RETRY_POLICY,
  /**
   * Per-client retry token bucket, the defaults of `retry.budget`: 500 tokens, 5 per retry (10 after a
   * timeout), 1 back for a first-attempt success.
   */
  retryBudget: DEFAULT_RETRY_BUDGET,
});

/**
 * Status names that allow each email. IBM does not document its status list, hence the
 * `allowAnyStatus` escape hatch. Frozen with its arrays: pass `allowAnyStatus: true` to a send
 * rather than changing this list.
 */
export const ALLOWED_STATUSES: Readonly<Record<EmailType, readonly string[]>> = deepFreeze({
  FulfillmentEmail: ['Approved', 'Complete'],
  ApproverEmail: ['Pending CA Approval'],
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
  /**
   * Aborts when the caller aborts the send, or when the send's `totalTimeout` deadline passes (its
   * reason is then a {@link TimeoutError}): close the prompt then. `undefined` when neither can happen.
   */
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
  /**
   * Pages fetched ahead of the loop once the first page gave the total, 1 to 16; also the most pages
   * held in memory at once. Default `4`; `1` fetches one page at a time.
   */
  concurrency?: number | undefined;
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
  /**
   * Send even though the ledger holds a `sent` record within the cooldown or an `unknown` outcome.
   * Never passes a send still in flight (a live reservation), nor a used `approvalId`. The reason is
   * recorded in the ledger record and in the `send.planned` event.
   */
  force?:
    | {
        /** Why the email is sent again (1 to 500 characters). */
        reason: string;
      }
    | undefined;
  /**
   * The address a person approved elsewhere (a web dialog, a chat approval): it stands for the
   * confirmation, so no confirm hook is called, and a per-call `confirm` with it is an
   * {@link InvalidArgumentError}. The send re-reads the order and goes ahead only if the order's
   * approver address is still this one: the local part (before the last `@`) compared exactly, the
   * domain compared case-insensitively, nothing trimmed. Otherwise {@link PreconditionFailedError}
   * naming both addresses, and no POST.
   */
  approvedRecipient?: string | undefined;
  /**
   * The id of the approval (1 to 200 characters), recorded in the ledger: the same approval sends at
   * most one email, ever, whatever the cooldown, `force` included. Approval records never expire (one
   * small record per approval; prune old ones in the store itself when you no longer expect a
   * redelivery). `markSendOutcome` marks the approval with its email: `not-sent` frees it for one more
   * send. With a ledger shared by replicas, a redelivered approval sends nothing. Needs
   * `approvedRecipient`.
   */
  approvalId?: string | undefined;
  /**
   * Skip the status check (IBM's status list is not documented, so a valid order may carry a status
   * this SDK does not know). Default `false`.
   */
  allowAnyStatus?: boolean | undefined;
}

/** What a person learned about a send, for `client.markSendOutcome`. */
export interface SendOutcomeMark {
  /** `sent`: the recipient got the email; `not-sent`: it did not go out. */
  outcome: 'sent' | 'not-sent';
  /** How they know (1 to 500 characters); kept in the record. */
  reason: string;
}

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
   * (`force` overrides). Default `300000` (5 minutes); `0`: a `sent` record does not block (an
   * unknown outcome and a send in flight still do).
   */
  sendCooldown?: number | undefined;
  /**
   * Where sends are recorded (contract v2: see {@link SendLedger}). Default: a
   * {@link MemorySendLedger} of this client. Share one ledger between clients, processes
   * (`FileSendLedger` of `softlayer-ssl-orders/node`) or replicas (`RedisSendLedger` of
   * `softlayer-ssl-orders/redis`) to extend the guarantee to them.
   */
  sendLedger?: SendLedger | undefined;
  /**
   * How long a settled record of an email is kept at least, in milliseconds, for history
   * (`listSendRecords`). A `sent` record is kept for `max(sendCooldown, sendRetention)`; an `unknown`
   * one until a person marks it; an approval's record always (see `approvalId`). Default
   * `7776000000` (90 days).
   */
  sendRetention?: number | undefined;
  /** A custom `fetch` (proxies, tests, edge runtimes). Default `globalThis.fetch`. */
  fetch?: typeof fetch | undefined;
  /** Receives an event for each request, response, retry and send step. Errors it throws are ignored. */
  onEvent?: ((event: SslOrdersEvent) => void) | undefined;
  /** Appended to the User-Agent, e.g. `my-bot/1.2`. */
  userAgent?: string | undefined;
  /**
   * Client-side pacing, on by default: 46 requests a second with a burst of 2 per user and API host,
   * shared by every client in the process acting as that user, so that no second sees more than 47
   * (SoftLayer allows 50). Adapts to rate-limit answers. A wait for a token counts against `totalTimeout` and
   * `signal`, not `timeout`. `false` turns pacing off. See {@link RateLimitOptions}.
   */
  rateLimit?: RateLimitOptions | false | undefined;
}
