/**
 * Turns any failure into one clean line on stderr (or one JSON object with `--json`) and an exit
 * code. Never a stack, never a secret: the SDK's messages carry neither.
 *
 * The SDK's messages speak of SDK options (`allowAnyStatus`, `force: { reason }`); a CLI user needs
 * flags. So the errors a user can act on are worded here from the error's fields (order, status,
 * email type, recipient, intent), never by rewriting the SDK's text.
 *
 * @module
 */
import {
  DuplicateSendError,
  type EmailType,
  InvalidArgumentError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  SslOrdersError,
} from '../index.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { emailLabel } from './prompt.js';
import { clean } from './table.js';
import { UsageError } from './usage.js';

/** What to print for a failure, and the exit code. */
export interface Failure {
  /** Text for stderr, ending with a newline. */
  text: string;
  code: ExitCode;
  /** The same failure as one JSON object (`--json`). */
  json: { name: string; message: string; orderId?: number; intentId?: string; exitCode: ExitCode };
}

/** What the session saw of the failed call, for "gave up after 3 attempts in 91.4 s". */
export interface FailureContext {
  /** Attempts of the request that failed last. */
  attempts?: number | undefined;
  /** Milliseconds since the command started. */
  elapsedMs?: number | undefined;
}

function oneLine(text: string): string {
  return clean(text.replace(/\s*\r?\n\s*/g, ' '));
}

/** `--approver` when the email is the approval email, for commands the user is told to run. */
function approverFlag(emailType: EmailType): string {
  return emailType === 'ApproverEmail' ? ' --approver' : '';
}

/** The line for a send whose outcome is unknown: what may have happened and what to do. */
export function outcomeUnknownLine(error: SendOutcomeUnknownError): string {
  const cause = error.cause instanceof Error ? error.cause.message : 'no clear answer came back';
  const recipient = clean(error.recipient);
  const flag = approverFlag(error.emailType);
  return oneLine(
    `the ${emailLabel(error.emailType)} for order ${error.orderId} may or may not have been sent to ${recipient} ` +
      `(${cause}). It was NOT retried; it is recorded as unknown (intent ${error.intentId ?? '?'}) and ` +
      `blocks further sends; check with ${recipient}, then record what happened: ` +
      `ssl-orders mark ${error.orderId} sent${flag} --reason "<what you learned>" (or not-sent); ` +
      `or send anyway: ssl-orders resend ${error.orderId}${flag} --force "<reason>".`,
  );
}

function time(date: Date | undefined): string {
  return date && !Number.isNaN(date.getTime()) ? date.toISOString() : 'an unknown time';
}

/** The refusal's message and exit code: 6 already sent, 7 outcome unknown or still running. */
export function duplicateLine(error: DuplicateSendError): { text: string; code: ExitCode } {
  const id = error.orderId;
  const flag = approverFlag(error.emailType);
  const email = emailLabel(error.emailType);
  const to = error.recipient ? ` to ${clean(error.recipient)}` : '';
  const intent = `intent ${error.lastIntentId}`;
  const at = time(error.lastSentAt);
  const force = `ssl-orders resend ${id}${flag} --force "<reason>"`;
  switch (error.reason) {
    case 'cooldown':
    case 'approval-used':
      return {
        code: EXIT.alreadySent,
        text:
          `not sent: the ${email} for order ${id} was already sent${to} at ${at} (${intent}); ` +
          `${error.cooldownEndsAt ? `the cooldown lasts until ${time(error.cooldownEndsAt)}. ` : ''}See 'ssl-orders history --order ${id}'. ` +
          `To send it again anyway: ${force}.`,
      };
    case 'in-flight':
      return {
        code: EXIT.earlierUnknown,
        text:
          `not sent: another process is sending the ${email} for order ${id}${to} right now ` +
          `(${intent}, started at ${at}); its outcome is not known yet. ` +
          `See 'ssl-orders history --order ${id}' in a moment.`,
      };
    case 'unknown-outcome':
      return {
        code: EXIT.earlierUnknown,
        text:
          `not sent: an earlier ${email} for order ${id}${to} at ${at} (${intent}) has an unknown ` +
          `outcome: it may or may not have been sent. Ask the recipient, then record what happened: ` +
          `ssl-orders mark ${id} sent${flag} --reason "<what you learned>" (or not-sent); ` +
          `or send anyway: ${force}.`,
      };
  }
}

/** The order's status does not allow the email: say which flag fits. */
function preconditionLine(error: PreconditionFailedError): string {
  const status = error.status === undefined ? 'has no status' : `is "${clean(error.status)}"`;
  const head = `PreconditionFailedError: order ${error.orderId} ${status}; nothing was sent.`;
  const pending = /pending/i.test(error.status ?? '');
  if (error.emailType === 'FulfillmentEmail' && pending) {
    return (
      `${head} The order is waiting for approval: to have the CA email the approver again, ` +
      `run: ssl-orders resend ${error.orderId} --approver`
    );
  }
  if (error.emailType === 'ApproverEmail' && /approved|complete/i.test(error.status ?? '')) {
    return `${head} The order is already approved: to have the CA send the certificate again, drop --approver.`;
  }
  const allowed = error.emailType === 'ApproverEmail' ? 'Pending CA Approval' : 'Approved or Complete';
  return (
    `${head} The ${emailLabel(error.emailType)} is sent for orders ${allowed}. If you know the CA still ` +
    'sends it for this status, re-run with --any-status.'
  );
}

function attemptsNote(context: FailureContext): string {
  const { attempts, elapsedMs } = context;
  if (attempts === undefined || attempts < 2) return '';
  const seconds = elapsedMs === undefined ? '' : ` in ${(elapsedMs / 1000).toFixed(1)} s`;
  return ` (gave up after ${attempts} attempts${seconds})`;
}

function textFailure(error: unknown, context: FailureContext): { text: string; code: ExitCode } {
  if (error instanceof UsageError) {
    const help = error.command ? `ssl-orders ${error.command} --help` : 'ssl-orders --help';
    return { text: `${oneLine(error.message)}\nRun '${help}' for usage.`, code: EXIT.usage };
  }
  if (error instanceof SendOutcomeUnknownError)
    return { text: outcomeUnknownLine(error), code: EXIT.unknown };
  if (error instanceof InvalidArgumentError) return { text: oneLine(error.message), code: EXIT.usage };
  if (error instanceof DuplicateSendError) {
    const line = duplicateLine(error);
    return { text: oneLine(line.text), code: line.code };
  }
  if (error instanceof PreconditionFailedError)
    return { text: oneLine(preconditionLine(error)), code: EXIT.failed };
  if (error instanceof SslOrdersError) {
    return { text: `${error.name}: ${oneLine(error.message)}${attemptsNote(context)}`, code: EXIT.failed };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { text: `unexpected error: ${name}: ${oneLine(message)}`, code: EXIT.failed };
}

/** Maps an error to its stderr line (and JSON object) and exit code. */
export function describeFailure(error: unknown, context: FailureContext = {}): Failure {
  const { text, code } = textFailure(error, context);
  const name = error instanceof Error ? error.name : 'Error';
  const orderId = (error as { orderId?: unknown } | undefined)?.orderId;
  const intentId = (error as { intentId?: unknown } | undefined)?.intentId;
  const message =
    error instanceof UsageError ? oneLine(error.message) : text.replace(/^[A-Za-z]+Error: /, '');
  return {
    text: `ssl-orders: ${text}\n`,
    code,
    json: {
      name,
      message,
      ...(typeof orderId === 'number' ? { orderId } : {}),
      ...(typeof intentId === 'string' ? { intentId } : {}),
      exitCode: code,
    },
  };
}

/** A failure's text without the program prefix, for a progress line of `resend --all`. */
export function failureSummary(error: unknown): string {
  return textFailure(error, {}).text;
}
