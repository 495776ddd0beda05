/**
 * Turns any failure into one clean line on stderr and an exit code. Never a stack, never a secret:
 * the SDK's messages carry neither.
 *
 * @module
 */
import {
  DuplicateSendError,
  InvalidArgumentError,
  SendOutcomeUnknownError,
  SslOrdersError,
} from '../index.js';
import { UsageError } from './args.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import { emailLabel } from './prompt.js';
import { clean } from './table.js';

/** What to print for a failure, and the exit code. */
export interface Failure {
  /** Text for stderr, ending with a newline. */
  text: string;
  code: ExitCode;
}

function oneLine(text: string): string {
  return clean(text.replace(/\s*\r?\n\s*/g, ' '));
}

/** The line for a send whose outcome is unknown: what may have happened and what to do. */
export function outcomeUnknownLine(error: SendOutcomeUnknownError): string {
  const cause = error.cause instanceof Error ? error.cause.message : 'no clear answer came back';
  const recipient = clean(error.recipient);
  return oneLine(
    `the ${emailLabel(error.emailType)} for order ${error.orderId} may or may not have been sent to ${recipient} ` +
      `(${cause}). It was NOT retried; check with ${recipient} before sending again ` +
      `(then: ssl-orders resend ${error.orderId} --force "<reason>").`,
  );
}

/** Maps an error to its stderr line and exit code. */
export function describeFailure(error: unknown): Failure {
  if (error instanceof UsageError) {
    const help = error.command ? `ssl-orders ${error.command} --help` : 'ssl-orders --help';
    return { text: `ssl-orders: ${oneLine(error.message)}\nRun '${help}' for usage.\n`, code: EXIT.usage };
  }
  if (error instanceof SendOutcomeUnknownError) {
    return { text: `ssl-orders: ${outcomeUnknownLine(error)}\n`, code: EXIT.unknown };
  }
  if (error instanceof InvalidArgumentError) {
    return { text: `ssl-orders: ${oneLine(error.message)}\n`, code: EXIT.usage };
  }
  if (error instanceof DuplicateSendError) {
    const message = error.message.replace('Pass force: { reason }', 'Pass --force "<reason>"');
    return { text: `ssl-orders: ${oneLine(message)}\n`, code: EXIT.failed };
  }
  if (error instanceof SslOrdersError) {
    return { text: `ssl-orders: ${error.name}: ${oneLine(error.message)}\n`, code: EXIT.failed };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const message = error instanceof Error ? error.message : String(error);
  return { text: `ssl-orders: unexpected error: ${name}: ${oneLine(message)}\n`, code: EXIT.failed };
}
