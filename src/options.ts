/**
 * Option and result types, and the defaults. Most of the reference documentation lives here.
 *
 * @module
 */
import type { Auth } from './auth.js';
import type { EmailType } from './errors.js';
import type { SslOrder } from './order.js';
import type { RateLimitOptions } from './pace.js';
import { DEFAULT_RETRY_BUDGET, DEFAULT_RETRY_POLICY, type RetryOptions, type RetryReason } from './retry.js';
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
  /** Pages `iterateOrders` fetches ahead of the consumer. */
  pageConcurrency: 4,
  /** How long after a send the same email for the same order is refused, in milliseconds (5 minutes). */
  sendCooldown: 5 * 60_000,
  /** Retry policy for reads: 2 retries, 500 ms base delay, full jitter; see {@link DEFAULT_RETRY_POLICY}. */
  retry: DEFAULT_RETRY_POLICY,
  /** Per-client retry token bucket: 500 tokens, 5 per retry; see {@link DEFAULT_RETRY_BUDGET}. */
  retryBudget: DEFAULT_RETRY_BUDGET,
});

/**
 * Status names that allow each email. IBM does not document its status list, hence the
 * `allowAnyStatus` escape hatch.
 */
export const ALLOWED_STATUSES: Readonly<Record<EmailType, readonly string[]>> = Object.freeze({
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
  /**
   * Pages fetched ahead of the loop once the first page gave the total, 1 to 16; also the most pages
   * held in memory at once. Default `4`; `1` fetches one page at a time.
   */
  concurrency?: number | undefined;
}

/** One page of orders. */
export interface SslOrderPage {
  /** The orders of this page, in the order the API sorted them (by id, ascending). */
  orders: SslOrder[];
  /**
   * How many orders match in all, from the `SoftLayer-Total-Items` header; `undefined` if absent.
   * When the server was seen to ignore the filter (its total then counts every order), the client
   * reads every order of the account to count the matching ones: one request per 1,000 orders.
   */
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
  force?:
    | {
        /** Why the email is sent again (1 to 500 characters); recorded in the `send.planned` event. */
        reason: string;
      }
    | undefined;
  /**
   * Skip the status check (IBM's status list is not documented, so a valid order may carry a status
   * this SDK does not know). Default `false`.
   */
  allowAnyStatus?: boolean | undefined;
}

/** The send happened: the API accepted the resend request. */
export interface SentResult {
  /** Always `'sent'`; tells the results apart. */
  outcome: 'sent';
  /** The order the email was sent for. */
  orderId: number;
  /** Which email was sent. */
  emailType: EmailType;
  /** The address the certificate authority emails. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
  /** When the API accepted the request. */
  sentAt: Date;
}

/** The confirm hook declined; nothing was sent. */
export interface DeclinedResult {
  /** Always `'declined'`; tells the results apart. */
  outcome: 'declined';
  /** The order the email would have been sent for. */
  orderId: number;
  /** Which email was asked for. */
  emailType: EmailType;
  /** The address the confirm hook was shown. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
}

/** A dry run: everything but the POST. */
export interface DryRunResult {
  /** Always `'dry-run'`; tells the results apart. */
  outcome: 'dry-run';
  /** The order the email would be sent for. */
  orderId: number;
  /** Which email would be sent. */
  emailType: EmailType;
  /** The address the certificate authority would email. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
  /** The request that would have been sent (no credentials). */
  request: {
    /** Always `POST`. */
    method: 'POST';
    /** The full URL, endpoint included. */
    url: string;
    /** The JSON body. */
    body: {
      /** The SoftLayer method's arguments: the email type. */
      parameters: [EmailType];
    };
  };
}

/** What a resend call resolves to. Failures reject with a typed error instead. */
export type SendResult = SentResult | DeclinedResult | DryRunResult;

/** Fields every transport event has. */
export interface RequestEventBase {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** API path relative to the endpoint (no host, no query, no credential). */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** `send` for the resend POST, `read` for everything else; sends retry far less. */
  operation: 'read' | 'send';
}

/** Fields every send event has. */
export interface SendEventBase {
  /** This send's id; the same in every event, result and error of the send. */
  intentId: string;
  /** The order the send is for. */
  orderId: number;
  /** Which email the send asks for. */
  emailType: EmailType;
  /** Milliseconds since the send started. */
  elapsedMs: number;
}

/** Events, for logs and metrics. None carries a credential. */
export type SslOrdersEvent =
  | ({
      /** An attempt is about to be sent. */
      type: 'request';
    } & RequestEventBase)
  | ({
      /** An attempt got an HTTP answer (of any status). */
      type: 'response';
      /** HTTP status of the answer. */
      status: number;
      /** Time from sending the attempt to reading the whole body, in milliseconds. */
      durationMs: number;
    } & RequestEventBase)
  | ({
      /** An attempt failed and will be retried after `delayMs`. */
      type: 'retry';
      /** Wait before the next attempt, in milliseconds. */
      delayMs: number;
      /** Why the failure counts as retryable. */
      reason: RetryReason;
      /** HTTP status of the failed attempt, if it got an answer. */
      status: number | undefined;
      /** SoftLayer exception class or system error code (e.g. `ECONNRESET`), if known. */
      code: string | undefined;
      /** The `name` of the error the attempt failed with, e.g. `RateLimitError`. */
      errorName: string;
    } & RequestEventBase)
  | ({
      /** The IAM token was refused as expired; the attempt repeats once with a fresh token. */
      type: 'auth.refresh';
    } & RequestEventBase)
  | {
      /** The account id was looked up (once per client, when `accountId` was not given). */
      type: 'account.resolved';
      /** The account the credentials belong to. */
      accountId: number;
    }
  | ({
      /** The attempt waited for the pacer before it left (see the `rateLimit` option). */
      type: 'pace.wait';
      /** How long it waited, in milliseconds. */
      waitedMs: number;
      /** The pace in force, in requests a second. */
      requestsPerSecond: number;
      /** `local`: this process's limiter; `shared`: the `rateLimit.shared` limiter. */
      source: 'local' | 'shared';
    } & RequestEventBase)
  | {
      /** The API answered "rate limit exceeded" and the pacer slowed down (`rateLimit.adaptive`). */
      type: 'pace.slowdown';
      /** The new pace, in requests a second; it recovers over the next seconds unless `learnt`. */
      requestsPerSecond: number;
      /** Requests that may leave at once at the new pace. */
      burst: number;
      /** `true` when the pace comes from the limit the server's message stated. */
      learnt: boolean;
    }
  | {
      /** The `rateLimit.shared` limiter failed; requests are paced in this process until it answers again. */
      type: 'pace.shared-unavailable';
      /** The limiter's description, e.g. `redis://10.0.0.5:6379` (never a password). */
      limiter: string;
      /** The `name` of the error it failed with. */
      errorName: string;
    }
  | {
      /** The `rateLimit.shared` limiter answers again after `pace.shared-unavailable`. */
      type: 'pace.shared-restored';
      /** The limiter's description. */
      limiter: string;
    }
  | {
      /**
       * The API repeated a page for a later offset (it ignores the offset): the SDK read every matching
       * order in one request without `resultLimit` and skips those already yielded.
       */
      type: 'paging.offset-ignored';
      /** The offset that was asked for. */
      offset: number;
      /** Orders already yielded, skipped in the one large answer. */
      skipped: number;
    }
  | {
      /** The API sent fewer orders than asked for although more match: paging goes on from what came. */
      type: 'paging.capped';
      /** The page size asked for. */
      asked: number;
      /** Orders the API sent; later pages ask for this many. */
      received: number;
    }
  | {
      /** The API ignored part of a filter; the SDK dropped the orders that did not match. */
      type: 'filter.mismatch';
      /** How many orders of the page were dropped. */
      dropped: number;
      /** The filter that was asked for. */
      filter: OrderFilter;
    }
  | ({
      /** A send started, after its options were checked. */
      type: 'send.planned';
      /** The `force.reason` given, or `undefined` when the send is not forced. */
      force: string | undefined;
      /** Whether this is a dry run. */
      dryRun: boolean;
    } & SendEventBase)
  | ({
      /** The send was allowed to go ahead. */
      type: 'send.confirmed';
      /** The address the email goes to. */
      recipient: string;
      /** `hook` when a confirm hook said yes, `none` when `confirm: false` skipped asking. */
      confirmedBy: 'hook' | 'none';
    } & SendEventBase)
  | ({
      /** The confirm hook declined; nothing was sent. */
      type: 'send.declined';
      /** The address the hook was shown. */
      recipient: string;
    } & SendEventBase)
  | ({
      /** A dry run finished; nothing was sent. */
      type: 'send.dry-run';
      /** The address the email would go to. */
      recipient: string;
    } & SendEventBase)
  | ({
      /** The resend POST is about to leave. */
      type: 'send.dispatched';
      /** The address the email goes to. */
      recipient: string;
    } & SendEventBase)
  | ({
      /** The API accepted the resend request. */
      type: 'send.sent';
      /** The address the certificate authority emails. */
      recipient: string;
    } & SendEventBase)
  | ({
      /** The send failed and the server did not act on it. */
      type: 'send.failed';
      /** The `name` of the error the send rejects with. */
      errorName: string;
      /** The error's message (secret-free). */
      message: string;
    } & SendEventBase)
  | ({
      /** The send may or may not have reached the server; it rejects with {@link SendOutcomeUnknownError}. */
      type: 'send.outcome-unknown';
      /** The address the email may have gone to. */
      recipient: string;
      /** The `name` of the underlying error, e.g. `TimeoutError`. */
      errorName: string;
      /** The error's message (secret-free). */
      message: string;
    } & SendEventBase)
  | ({
      /** The send was not made because another one for the same order and email is running or recent. */
      type: 'send.suppressed';
      /** `in-flight`: joined a running send; `cooldown`: an earlier send is within `sendCooldown`. */
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
  /**
   * Client-side pacing, on by default: 46 requests a second with a burst of 2 per user and API host,
   * shared by every client in the process acting as that user, so that no second sees more than 47
   * (SoftLayer allows 50). Adapts to rate-limit answers. A wait for a token counts against `totalTimeout` and
   * `signal`, not `timeout`. `false` turns pacing off. See {@link RateLimitOptions}.
   */
  rateLimit?: RateLimitOptions | false | undefined;
}
