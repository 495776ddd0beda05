/**
 * The events a client reports through `onEvent`, for logs and metrics, and the wrapper that keeps a
 * failing hook from failing a call. None carries a credential.
 *
 * @module
 */
import type { EmailType } from './errors.js';
import type { OrderFilter } from './internal/filter.js';
import type { RetryReason } from './retry.js';

/** Fields every transport event has. */
export interface RequestEventBase {
  /** HTTP method, e.g. `GET`. */
  method: string;
  /** API path relative to the endpoint (no host, no query, no credential). */
  path: string;
  /** 1 for the first attempt. */
  attempt: number;
  /**
   * Whether repeating the request is harmless: `false` for the resend POST, which is retried only
   * when the server provably did not act; `true` for every read.
   */
  idempotent: boolean;
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
      /**
       * `hook` when a confirm hook said yes, `approval` when `approvedRecipient` matched the order,
       * `none` when `confirm: false` skipped asking.
       */
      confirmedBy: 'hook' | 'approval' | 'none';
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
      /**
       * `cooldown`: sent within `sendCooldown`; `unknown-outcome`: an earlier send's outcome is
       * unknown; `in-flight`: another process's send holds the email; `approval-used`: the
       * `approvalId` was used already. The send rejects with {@link DuplicateSendError}.
       */
      reason: 'in-flight' | 'cooldown' | 'unknown-outcome' | 'approval-used';
      /** The intent id of the send this one was suppressed by. */
      otherIntentId: string;
    } & SendEventBase)
  | ({
      /**
       * The ledger could not settle or release this send's record. The send's result stands (a sent
       * email stays `sent`); the reservation stays in the ledger and reads as `unknown` after its
       * deadline, so the email is not sent again until a person marks it.
       */
      type: 'send.record-failed';
      /** The ledger operation that failed. */
      operation: 'reserve' | 'settle' | 'release' | 'get' | 'list';
      /** The {@link SendLedgerError}'s message (secret-free). */
      message: string;
    } & SendEventBase);

/**
 * Wraps `onEvent` so that a logging hook can never turn a good call into a failed one: a throw is
 * ignored, and so is a rejected promise from an async hook (which would otherwise be an unhandled
 * rejection, fatal in Node).
 */
export function safeEmitter(onEvent: ((event: SslOrdersEvent) => void) | undefined) {
  return (event: SslOrdersEvent): void => {
    if (!onEvent) return;
    try {
      const result: unknown = onEvent(event);
      if (result instanceof Promise) result.catch(() => undefined);
    } catch {
      // Ignored on purpose: see above.
    }
  };
}
