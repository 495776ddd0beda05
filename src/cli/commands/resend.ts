/**
 * `ssl-orders resend <id>`: one send through the SDK pipeline, with the CLI's confirm hook.
 *
 * @module
 */
import type { SendOptions, SendResult, SslOrdersClient } from '../../index.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo, TextSink } from '../io.js';
import { type ConfirmMode, cliConfirm, emailLabel, type Prompter, terminalPrompter } from '../prompt.js';
import { clean } from '../table.js';

/** The flags `resend` uses. */
export interface ResendFlags {
  approver: boolean;
  dryRun: boolean;
  yes: boolean;
  force: string | undefined;
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
    ...(flags.force === undefined ? {} : { force: { reason: flags.force } }),
  };
  return flags.approver
    ? client.resendApproverEmail(orderId, all)
    : client.resendFulfillmentEmail(orderId, all);
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
  try {
    const result = await send(client, orderId, flags, { confirm: hook });
    return report(result, record.refused, io);
  } finally {
    prompter?.close();
  }
}

function report(result: SendResult, refused: boolean, io: CliIo): ExitCode {
  const email = emailLabel(result.emailType);
  const recipient = clean(result.recipient);
  switch (result.outcome) {
    case 'sent':
      io.stdout.write(
        `Sent: the certificate authority will email the ${email} for order ${result.orderId} to ${recipient}.\n`,
      );
      return EXIT.ok;
    case 'dry-run':
      io.stdout.write(
        `Dry run, nothing was sent: would ${result.request.method} ${result.request.url} ` +
          `${JSON.stringify(result.request.body)} (the ${email} to ${recipient}).\n`,
      );
      return EXIT.ok;
    case 'declined':
      if (refused) return EXIT.needsConfirmation;
      io.stdout.write(`Declined: the ${email} for order ${result.orderId} was not sent.\n`);
      return EXIT.declined;
  }
}
