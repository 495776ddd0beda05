/**
 * The errors of the send pipeline: the order's state forbids the email, the same email was sent
 * recently, or the outcome of a send is unknown.
 *
 * @module
 */
import { type EmailType, SslOrdersError } from './errors.js';

/**
 * The order's state does not allow this email; nothing was sent. `allowAnyStatus: true` skips the check.
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

  constructor(
    info: { orderId: number; emailType: EmailType; status: string | undefined; intentId: string },
    message: string,
  ) {
    super(message, { intentId: info.intentId });
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.status = info.status;
  }
}

/**
 * The same email for the same order was sent (or its outcome was unknown) within the cooldown.
 * Nothing was sent. Pass `force: { reason }` to send anyway.
 *
 * @example
 * ```ts
 * try {
 *   await client.resendFulfillmentEmail(4471203, { confirm: false });
 * } catch (error) {
 *   if (error instanceof DuplicateSendError) console.log(`already sent at ${error.lastSentAt.toISOString()}`);
 * }
 * ```
 */
export class DuplicateSendError extends SslOrdersError {
  override readonly name = 'DuplicateSendError' as const;
  /** The order the send was for. */
  readonly orderId: number;
  /** Which email the send asked for. */
  readonly emailType: EmailType;
  /** When the earlier send happened. */
  readonly lastSentAt: Date;
  /** The earlier send's intent id. */
  readonly lastIntentId: string;
  /** `sent` when the earlier send succeeded, `unknown` when its outcome was unknown. */
  readonly lastOutcome: 'sent' | 'unknown';
  /** When the cooldown ends. */
  readonly cooldownEndsAt: Date;

  constructor(info: {
    orderId: number;
    emailType: EmailType;
    lastSentAt: Date;
    lastIntentId: string;
    lastOutcome: 'sent' | 'unknown';
    cooldownEndsAt: Date;
    intentId: string;
  }) {
    const what = info.lastOutcome === 'sent' ? 'was sent' : 'is in flight or had an unknown outcome';
    super(
      `${info.emailType} for order ${info.orderId} ${what} at ${info.lastSentAt.toISOString()} ` +
        `(intent ${info.lastIntentId}); not sending again before ${info.cooldownEndsAt.toISOString()}. ` +
        `Pass force: { reason } to send anyway.`,
      { intentId: info.intentId },
    );
    this.orderId = info.orderId;
    this.emailType = info.emailType;
    this.lastSentAt = info.lastSentAt;
    this.lastIntentId = info.lastIntentId;
    this.lastOutcome = info.lastOutcome;
    this.cooldownEndsAt = info.cooldownEndsAt;
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
