/**
 * The messages of the send errors, built where a send fails rather than in the error classes, which
 * every entry (./node and ./redis too) imports for `instanceof` and keeps small.
 *
 * @module
 */
import {
  type DuplicateReason,
  DuplicateSendError,
  type LedgerOperation,
  MarkRefusedError,
  SendLedgerError,
} from './send-errors.js';

/**
 * What a text from a store may hide: credentials in URLs and `password=`-style pairs. A URL's userinfo
 * is redacted up to the LAST `@` before the host: a password may hold a raw `@`
 * (`redis://u:p@ss@host`), and stopping at the first one would leak its tail.
 */
function sanitize(text: string): string {
  return text
    .replace(/(\/\/)[^/\s]*@/g, '$1[REDACTED]@')
    .replace(/\b(pass(word)?|secret|token|auth)\b(\s*[=:]\s*)\S+/gi, '$1$3[REDACTED]')
    .replace(/\s+/g, ' ')
    .slice(0, 300);
}

type DuplicateInfo = ConstructorParameters<typeof DuplicateSendError>[0];

/** A {@link DuplicateSendError} whose message names who, when, which intent, and the ways out. */
export function duplicateError(info: DuplicateInfo): DuplicateSendError {
  const at = info.lastSentAt.toISOString();
  const what = `${info.emailType} for order ${info.orderId}`;
  const intent = `(intent ${info.lastIntentId})`;
  const mark = `client.markSendOutcome(${info.orderId}, '${info.emailType}', { outcome: 'sent' | 'not-sent', reason })`;
  const messages: Record<DuplicateReason, () => string> = {
    cooldown: () =>
      `${what} was sent to ${info.recipient} at ${at} ${intent}; not sending again before ` +
      `${info.cooldownEndsAt?.toISOString()}. To send anyway pass force: { reason }; if the email did not ` +
      `arrive, record that with ${mark} (outcome 'not-sent').`,
    'unknown-outcome': () =>
      `${what} may or may not have been sent to ${info.recipient} at ${at} ${intent}. Check with the ` +
      `recipient, then record what you learned with ${mark}, or send anyway with force: { reason }.`,
    'in-flight': () =>
      `${what} is being sent to ${info.recipient} by another send since ${at} ${intent}; wait for it ` +
      'to finish (force does not pass a send in flight).',
    'approval-used': () =>
      `approval ${JSON.stringify(info.approvalId)} was already used: ${what} to ${info.recipient} at ${at} ` +
      `${intent}. An approval sends one email; ask the person for a new approval.`,
  };
  return new DuplicateSendError(info, messages[info.reason]());
}

/**
 * A {@link SendLedgerError}. `detail` is the store's error (`failed`; only its class and a sanitized
 * excerpt of its message are kept) or the foreign `format` value.
 */
export function ledgerError(
  info: { operation: LedgerOperation; problem: 'failed' | 'format'; key?: string | undefined },
  detail: unknown,
): SendLedgerError {
  const of = info.key ? ` of ${info.key}` : '';
  if (info.problem === 'format') {
    return new SendLedgerError(
      info,
      `the send ledger returned a record of format ${JSON.stringify(detail)} at ${info.operation}${of}, but ` +
        'this SDK reads format 2 only; nothing was sent. See "Migrating a custom SendLedger" in the CHANGELOG.',
    );
  }
  const what =
    detail instanceof Error ? `${detail.name}: ${sanitize(detail.message)}` : sanitize(String(detail));
  return new SendLedgerError(info, `the send ledger failed at ${info.operation}${of} (${what})`);
}

/** A {@link MarkRefusedError}. */
export function markRefused(info: ConstructorParameters<typeof MarkRefusedError>[0]): MarkRefusedError {
  const what = `${info.emailType} for order ${info.orderId}`;
  const messages = {
    'in-flight': () =>
      `${what} is being sent right now (intent ${info.holderIntentId}); its own answer settles it. ` +
      'Mark it only after that send ended or its deadline passed.',
    'no-record': () => `the ledger has no record of ${what}: there is nothing to mark.`,
    changed: () =>
      `the record of ${what} changed while it was being marked: it is now ${info.currentState} ` +
      `(intent ${info.holderIntentId}), settled by its send or marked by someone else. Nothing was ` +
      'changed; look at the record again (client.listSendRecords()) and mark it again if still needed.',
  };
  return new MarkRefusedError(info, messages[info.reason]());
}
