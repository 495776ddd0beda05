/**
 * The errors of the send pipeline: the order's state forbids the email, the same email was sent
 * recently, or the outcome of a send is unknown.
 *
 * @module
 */
import { type EmailType, SslOrdersError } from './errors.js';

/**
 * The order's state does not allow this email, or its approver address is no longer the one the person
 * approved (`approvedRecipient`); nothing was sent. `allowAnyStatus: true` skips the status check.
 *
 * @example
 * ```ts
 * try {
 *   await client.resendFulfillmentEmail(4471203, { confirm: false });
 * } catch (error) {
 *   if (error instanceof PreconditionFailedError) console.error(`order is ${error.status}: ${error.message}`);
 * }
 * ```
 */
export class PreconditionFailedError extends SslOrdersError {
  override readonly name = 'PreconditionFailedError' as const;
  /** The order the send was for. */
  readonly orderId: number;
  /** Which email the send asked for. */
  readonly emailType: EmailType;
  /** The order's status name, if it had one. */
  readonly status: string | undefined;
  /** The order's approver address now, when the check was about `approvedRecipient`. */
  readonly recipient: string | undefined;
  /** The address the person approved (`approvedRecipient`), when the check was about it. */
  readonly approvedRecipient: string | undefined;

  constructor(
    info: {
      orderId: number;
      emailType: EmailType;
      status: string | undefined;
      intentId: string;
      recipient?: string | undefined;
      approvedRecipient?: string | undefined;
    },
    message: string,
  ) {
    super(message, { intentId: info.intentId });
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.status = info.status;
    this.recipient = info.recipient;
    this.approvedRecipient = info.approvedRecipient;
  }
}

/** Why a send was refused as a duplicate. */
export type DuplicateReason = 'cooldown' | 'unknown-outcome' | 'in-flight' | 'approval-used';

/**
 * The same email for the same order was sent within the cooldown, its earlier send's outcome is
 * unknown, another send of it is in flight, or the approval was used already. Nothing was sent.
 *
 * The ways out depend on `reason`: `cooldown` and `unknown-outcome` clear when a person records what
 * they learned (`client.markSendOutcome(orderId, emailType, { outcome, reason })`) or sends anyway
 * with `force: { reason }`; `in-flight` clears when the other send settles (force never passes a
 * live send); `approval-used` never clears for that approval id.
 *
 * @example
 * ```ts
 * try {
 *   await client.resendFulfillmentEmail(4471203, { confirm: false });
 * } catch (error) {
 *   if (error instanceof DuplicateSendError && error.reason === 'cooldown')
 *     console.log(`already sent to ${error.recipient} at ${error.lastSentAt.toISOString()}`);
 * }
 * ```
 */
export class DuplicateSendError extends SslOrdersError {
  override readonly name = 'DuplicateSendError' as const;
  /** The order the send was for. */
  readonly orderId: number;
  /** Which email the send asked for. */
  readonly emailType: EmailType;
  /** Why the send was refused; see the class description for the way out of each. */
  readonly reason: DuplicateReason;
  /** The address the earlier send went (or may have gone) to. */
  readonly recipient: string;
  /** When the earlier send settled (or was reserved, while in flight). */
  readonly lastSentAt: Date;
  /** The earlier send's intent id. */
  readonly lastIntentId: string;
  /** `sent`, `unknown` (outcome unknown, or a reservation past its deadline) or `in-flight`. */
  readonly lastOutcome: 'sent' | 'unknown' | 'in-flight';
  /** When the cooldown ends (`reason: 'cooldown'` only); `undefined` when only a person can clear it. */
  readonly cooldownEndsAt: Date | undefined;
  /** The approval id, for `reason: 'approval-used'`. */
  readonly approvalId: string | undefined;

  constructor(info: {
    orderId: number;
    emailType: EmailType;
    reason: DuplicateReason;
    recipient: string;
    lastSentAt: Date;
    lastIntentId: string;
    lastOutcome: 'sent' | 'unknown' | 'in-flight';
    cooldownEndsAt: Date | undefined;
    approvalId?: string | undefined;
    intentId: string;
  }) {
    const at = info.lastSentAt.toISOString();
    const what = `${info.emailType} for order ${info.orderId}`;
    const intent = `(intent ${info.lastIntentId})`;
    const mark = `client.markSendOutcome(${info.orderId}, '${info.emailType}', { outcome: 'sent' | 'not-sent', reason })`;
    let message: string;
    switch (info.reason) {
      case 'cooldown':
        message =
          `${what} was sent to ${info.recipient} at ${at} ${intent}; not sending again before ` +
          `${info.cooldownEndsAt?.toISOString()}. To send anyway pass force: { reason }; if the email did not ` +
          `arrive, record that with ${mark} (outcome 'not-sent').`;
        break;
      case 'unknown-outcome':
        message =
          `${what} may or may not have been sent to ${info.recipient} at ${at} ${intent}. Check with the ` +
          `recipient, then record what you learned with ${mark}, or send anyway with force: { reason }.`;
        break;
      case 'in-flight':
        message =
          `${what} is being sent to ${info.recipient} by another send since ${at} ${intent}; wait for it ` +
          'to finish (force does not pass a send in flight).';
        break;
      default:
        message =
          `approval ${JSON.stringify(info.approvalId)} was already used: ${what} to ${info.recipient} at ${at} ` +
          `${intent}. An approval sends one email; ask the person for a new approval.`;
    }
    super(message, { intentId: info.intentId });
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.reason = info.reason;
    this.recipient = info.recipient;
    this.lastSentAt = info.lastSentAt;
    this.lastIntentId = info.lastIntentId;
    this.lastOutcome = info.lastOutcome;
    this.cooldownEndsAt = info.cooldownEndsAt;
    this.approvalId = info.approvalId;
  }
}

/**
 * The send request may have reached the server, but no clear answer came back (timeout, reset,
 * 5xx, abort after dispatch, unreadable body). It is never retried: check with the recipient, or
 * send again deliberately with `force`.
 *
 * @example
 * ```ts
 * try {
 *   await client.resendApproverEmail(4471203, { confirm: false });
 * } catch (error) {
 *   if (error instanceof SendOutcomeUnknownError) console.warn(`ask ${error.recipient} whether it arrived`);
 * }
 * ```
 */
export class SendOutcomeUnknownError extends SslOrdersError {
  override readonly name = 'SendOutcomeUnknownError' as const;
  /** The order the send was for. */
  readonly orderId: number;
  /** Which email the send asked for. */
  readonly emailType: EmailType;
  /** The address the email would have gone to. */
  readonly recipient: string;

  constructor(
    info: { orderId: number; emailType: EmailType; recipient: string; intentId: string },
    cause: unknown,
  ) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(
      `${info.emailType} for order ${info.orderId} may or may not have been sent (intent ${info.intentId}): ${why}. ` +
        'It was not retried; check with the recipient before sending again.',
      { cause, intentId: info.intentId },
    );
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.recipient = info.recipient;
  }
}

/** A ledger operation, as named in a {@link SendLedgerError}. */
export type LedgerOperation = 'reserve' | 'settle' | 'release' | 'get' | 'list';

/** What a text from a store may hide: credentials in URLs and `password=`-style pairs. */
function sanitize(text: string): string {
  return text
    .replace(/(\/\/)[^/\s@]*@/g, '$1[REDACTED]@')
    .replace(/\b(pass(word)?|secret|token|auth)\b(\s*[=:]\s*)\S+/gi, '$1$3[REDACTED]')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

/**
 * The send ledger failed, or answered with a record this SDK cannot read. Before the POST this stops
 * the send with no POST (fail closed); after the POST it is reported as a `send.record-failed` event
 * instead, never as this error. It never carries the store's own error as `cause` (a store's error may
 * hold a connection URL with a password); its message names the store's error class and a sanitized
 * excerpt of its message.
 *
 * @example
 * ```ts
 * try {
 *   await client.resendFulfillmentEmail(4471203, { confirm: false });
 * } catch (error) {
 *   if (error instanceof SendLedgerError) console.error(`ledger ${error.operation} failed; nothing was sent`);
 * }
 * ```
 */
export class SendLedgerError extends SslOrdersError {
  override readonly name = 'SendLedgerError' as const;
  /** The ledger operation that failed. */
  readonly operation: LedgerOperation;
  /** `failed`: the store threw; `format`: it returned a record of another format version. */
  readonly problem: 'failed' | 'format';
  /** The ledger key concerned, if one (keys name host, account, order and email type; no secret). */
  readonly key: string | undefined;

  constructor(
    info: {
      operation: LedgerOperation;
      problem: 'failed' | 'format';
      key?: string | undefined;
      intentId?: string;
    },
    detail: unknown,
  ) {
    let message: string;
    if (info.problem === 'format') {
      message =
        `the send ledger returned a record of format ${JSON.stringify(detail)} at ${info.operation}` +
        `${info.key ? ` of ${info.key}` : ''}, but this SDK reads format 2 only; nothing was sent. ` +
        'See "Migrating a custom SendLedger" in the CHANGELOG.';
    } else {
      const what =
        detail instanceof Error ? `${detail.name}: ${sanitize(detail.message)}` : sanitize(String(detail));
      message = `the send ledger failed at ${info.operation}${info.key ? ` of ${info.key}` : ''} (${what})`;
    }
    super(message, { intentId: info.intentId });
    this.operation = info.operation;
    this.problem = info.problem;
    this.key = info.key;
  }
}

/**
 * `markSendOutcome` refused: the send is still in flight (its own answer will settle it), or the
 * ledger has no record of that email to mark.
 *
 * @example
 * ```ts
 * try {
 *   await client.markSendOutcome(4471203, 'FulfillmentEmail', { outcome: 'not-sent', reason: 'bounced' });
 * } catch (error) {
 *   if (error instanceof MarkRefusedError && error.reason === 'in-flight') console.log('still sending; try later');
 * }
 * ```
 */
export class MarkRefusedError extends SslOrdersError {
  override readonly name = 'MarkRefusedError' as const;
  /** The order named. */
  readonly orderId: number;
  /** The email named. */
  readonly emailType: EmailType;
  /** `in-flight`: a live reservation holds the email; `no-record`: nothing to mark. */
  readonly reason: 'in-flight' | 'no-record';
  /** The intent id of the send in flight, for `in-flight`. */
  readonly holderIntentId: string | undefined;

  constructor(info: {
    orderId: number;
    emailType: EmailType;
    reason: 'in-flight' | 'no-record';
    holderIntentId?: string | undefined;
  }) {
    super(
      info.reason === 'in-flight'
        ? `${info.emailType} for order ${info.orderId} is being sent right now (intent ${info.holderIntentId}); ` +
            'its own answer settles it. Mark it only after that send ended or its deadline passed.'
        : `the ledger has no record of ${info.emailType} for order ${info.orderId}: there is nothing to mark.`,
    );
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.reason = info.reason;
    this.holderIntentId = info.holderIntentId;
  }
}
