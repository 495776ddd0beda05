/**
 * The errors of the send pipeline: the order's state forbids the email, the same email was sent
 * recently, or the outcome of a send is unknown.
 *
 * @module
 */
import { type EmailType, SslOrdersError } from './errors.js';
import type { SendState } from './send-ledger.js';

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
  readonly orderId!: number;
  /** Which email the send asked for. */
  readonly emailType!: EmailType;
  /** The order's status name, if it had one. */
  readonly status!: string | undefined;
  /** The order's approver address now, when the check was about `approvedRecipient`. */
  readonly recipient!: string | undefined;
  /** The address the person approved (`approvedRecipient`), when the check was about it. */
  readonly approvedRecipient!: string | undefined;

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
    Object.assign(this, info);
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
  readonly orderId!: number;
  /** Which email the send asked for. */
  readonly emailType!: EmailType;
  /** Why the send was refused; see the class description for the way out of each. */
  readonly reason!: DuplicateReason;
  /** The address the earlier send went (or may have gone) to. */
  readonly recipient!: string;
  /** When the earlier send settled (or was reserved, while in flight). */
  readonly lastSentAt!: Date;
  /** The earlier send's intent id. */
  readonly lastIntentId!: string;
  /** `sent`, `unknown` (outcome unknown, or a reservation past its deadline) or `in-flight`. */
  readonly lastOutcome!: 'sent' | 'unknown' | 'in-flight';
  /** When the cooldown ends (`reason: 'cooldown'` only); `undefined` when only a person can clear it. */
  readonly cooldownEndsAt!: Date | undefined;
  /** The approval id, for `reason: 'approval-used'`. */
  readonly approvalId!: string | undefined;

  constructor(
    info: {
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
    },
    message: string,
  ) {
    super(message, { intentId: info.intentId });
    Object.assign(this, info);
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
  readonly orderId!: number;
  /** Which email the send asked for. */
  readonly emailType!: EmailType;
  /** The address the email would have gone to. */
  readonly recipient!: string;

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
    Object.assign(this, info);
  }
}

/** A ledger operation, as named in a {@link SendLedgerError}. */
export type LedgerOperation = 'reserve' | 'settle' | 'release' | 'get' | 'list';

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
  readonly operation!: LedgerOperation;
  /** `failed`: the store threw; `format`: it returned a record of another format version. */
  readonly problem!: 'failed' | 'format';
  /** The ledger key concerned, if one (keys name host, account, order and email type; no secret). */
  readonly key!: string | undefined;

  constructor(
    info: {
      operation: LedgerOperation;
      problem: 'failed' | 'format';
      key?: string | undefined;
      intentId?: string;
    },
    message: string,
  ) {
    super(message, { intentId: info.intentId });
    Object.assign(this, info);
  }
}

/**
 * `markSendOutcome` refused: the send is still in flight (its own answer will settle it), the ledger
 * has no record of that email to mark, or the record changed between the read and the mark (a send
 * settled it, or another person marked it): nothing was changed; read it again and decide anew.
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
  readonly orderId!: number;
  /** The email named. */
  readonly emailType!: EmailType;
  /**
   * `in-flight`: a live reservation holds the email; `no-record`: nothing to mark; `changed`: the
   * record is no longer the one read (see `currentState`), so the mark was not applied.
   */
  readonly reason!: 'in-flight' | 'no-record' | 'changed';
  /** The intent id of the send holding the record, for `in-flight` and `changed`. */
  readonly holderIntentId!: string | undefined;
  /** The record's state now, for `changed`. */
  readonly currentState!: SendState | undefined;

  constructor(
    info: {
      orderId: number;
      emailType: EmailType;
      reason: 'in-flight' | 'no-record' | 'changed';
      holderIntentId?: string | undefined;
      currentState?: SendState | undefined;
    },
    message: string,
  ) {
    super(message);
    Object.assign(this, info);
  }
}
