/**
 * `ssl-orders resend <id>`: one send through the SDK pipeline (read, check, confirm, reserve in the
 * ledger, POST, settle), with the CLI's confirm hook and Ctrl-C handling.
 *
 * @module
 */
import {
  type SendOptions,
  SendOutcomeUnknownError,
  type SendResult,
  type SslOrdersClient,
} from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { isInterrupt, watchInterrupt } from '../interrupt.js';
import type { CliIo, TextSink } from '../io.js';
import { type ConfirmMode, cliConfirm, emailLabel, type Prompter, terminalPrompter } from '../prompt.js';
import { clean } from '../table.js';

/** The flags `resend` uses. */
export interface ResendFlags {
  approver: boolean;
  dryRun: boolean;
  yes: boolean;
  force: string | undefined;
  /** `--any-status`: skip the status check. */
  anyStatus?: boolean | undefined;
  /** `--json`: the result as JSON on stdout. */
  json?: boolean | undefined;
}

/** Which confirm mode the flags and the terminal call for. */
export function confirmMode(flags: ResendFlags, isTTY: boolean): ConfirmMode {
  if (flags.dryRun) return 'dry-run';
  if (flags.yes) return 'yes';
  return isTTY ? 'ask' : 'refuse';
}

/** Calls the resend method the flags pick. */
export function send(
  client: SslOrdersClient,
  orderId: number,
  flags: ResendFlags,
  options: SendOptions,
): Promise<SendResult> {
  const all: SendOptions = {
    ...options,
    dryRun: flags.dryRun,
    ...(flags.anyStatus ? { allowAnyStatus: true } : {}),
    ...(flags.force === undefined ? {} : { force: { reason: flags.force } }),
  };
  return flags.approver
    ? client.resendApproverEmail(orderId, all)
    : client.resendFulfillmentEmail(orderId, all);
}

/** A result as `--json` prints it. */
export function resultJson(result: SendResult): Record<string, unknown> {
  return {
    outcome: result.outcome,
    orderId: result.orderId,
    emailType: result.emailType,
    recipient: result.recipient,
    intentId: result.intentId,
    ...(result.outcome === 'sent' ? { sentAt: result.sentAt.toISOString() } : {}),
    ...(result.outcome === 'dry-run' ? { request: result.request } : {}),
  };
}

/** Options of {@link runResend}. */
export interface RunResendOptions {
  /** Answers the prompt; default: read from `io.stdin`. */
  prompter?: Prompter | undefined;
  /** Where the order summary and the prompt go; default `io.stderr`. */
  conversation?: TextSink | undefined;
}

/** Resends one order's email; returns the exit code (errors propagate to `main`). */
export async function runResend(
  client: SslOrdersClient,
  orderId: number,
  flags: ResendFlags,
  io: CliIo,
  options: RunResendOptions = {},
): Promise<ExitCode> {
  const conversation = options.conversation ?? io.stderr;
  const mode = options.prompter ? 'ask' : confirmMode(flags, io.isTTY);
  const prompter =
    options.prompter ?? (mode === 'ask' ? terminalPrompter(io.stdin, conversation) : undefined);
  const { hook, record } = cliConfirm({ mode, prompter, output: conversation });
  const interrupt = watchInterrupt(io);
  try {
    const result = await send(client, orderId, flags, { confirm: hook, signal: interrupt.signal });
    return report(result, record.refused, flags, io);
  } catch (error) {
    if (isInterrupt(error, interrupt.signal) && !(error instanceof SendOutcomeUnknownError)) {
      io.stderr.write(
        `\nssl-orders: interrupted before the request was sent: nothing was sent for order ${orderId}.\n`,
      );
      return EXIT.interrupted;
    }
    throw error;
  } finally {
    interrupt.dispose();
    prompter?.close();
  }
}

function report(result: SendResult, refused: boolean, flags: ResendFlags, io: CliIo): ExitCode {
  const code = result.outcome !== 'declined' ? EXIT.ok : refused ? EXIT.needsConfirmation : EXIT.declined;
  if (flags.json) {
    io.stdout.write(`${JSON.stringify(resultJson(result))}\n`);
    return code;
  }
  const email = emailLabel(result.emailType);
  const recipient = clean(result.recipient);
  switch (result.outcome) {
    case 'sent':
      io.stdout.write(
        `Sent: the certificate authority will email the ${email} for order ${result.orderId} to ${recipient}.\n`,
      );
      break;
    case 'dry-run':
      io.stdout.write(
        `Dry run, nothing was sent: would ${result.request.method} ${result.request.url} ` +
          `${JSON.stringify(result.request.body)} (the ${email} to ${recipient}).\n`,
      );
      break;
    case 'declined':
      if (!refused) io.stdout.write(`Declined: the ${email} for order ${result.orderId} was not sent.\n`);
      break;
  }
  return code;
}
