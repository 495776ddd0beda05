/**
 * `ssl-orders resend --all --status <name>`: works through every matching order, one send at a time,
 * with a progress line per order on stderr and a summary at the end.
 *
 * @module
 */
import {
  DuplicateSendError,
  InvalidArgumentError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  type SslOrdersClient,
} from '../../index.js';
import { describeFailure, outcomeUnknownLine } from '../errors.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { cliConfirm, emailLabel, terminalPrompter } from '../prompt.js';
import { clean } from '../table.js';
import { readOrders } from './list.js';
import { confirmMode, type ResendFlags, send } from './resend.js';

/** How many orders ended each way. */
export interface BatchSummary {
  sent: number;
  dryRun: number;
  declined: number;
  failed: number;
  unknown: number;
  skipped: number;
}

/** The exit code of a batch: its worst outcome. */
export function batchExitCode(summary: BatchSummary): ExitCode {
  if (summary.unknown > 0) return EXIT.unknown;
  if (summary.failed > 0) return EXIT.failed;
  if (summary.declined > 0) return EXIT.declined;
  return EXIT.ok;
}

/** Resends the email of every order in `status`; returns the exit code. */
export async function runResendAll(
  client: SslOrdersClient,
  status: string,
  flags: ResendFlags,
  io: CliIo,
): Promise<ExitCode> {
  const mode = confirmMode(flags, io.isTTY);
  const email = emailLabel(flags.approver ? 'ApproverEmail' : 'FulfillmentEmail');
  if (mode === 'refuse') {
    io.stderr.write(
      `ssl-orders: not sending: stdin is not a terminal, so nobody can confirm each ${email}. ` +
        'Re-run with --yes to send without asking, or --dry-run to see what would be sent.\n',
    );
    return EXIT.needsConfirmation;
  }
  const orders = await readOrders(client, status);
  const where = `in status "${clean(status)}"`;
  if (orders.length === 0) {
    io.stdout.write(`No orders ${where}; nothing to send.\n`);
    return EXIT.ok;
  }
  io.stderr.write(
    `${orders.length} order${orders.length === 1 ? '' : 's'} ${where}: ` +
      `${flags.dryRun ? 'dry run of' : 'sending'} the ${email} for each${mode === 'ask' ? ', asking first' : ''}.\n`,
  );
  const prompter = mode === 'ask' ? terminalPrompter(io.stdin, io.stderr) : undefined;
  const summary: BatchSummary = { sent: 0, dryRun: 0, declined: 0, failed: 0, unknown: 0, skipped: 0 };
  const unknown: string[] = [];
  try {
    for (const [index, order] of orders.entries()) {
      const counter = `[${index + 1}/${orders.length}] order ${order.id}`;
      const progress = `${counter} ${clean(order.commonName ?? '')}`;
      const { hook } = cliConfirm({ mode, prompter, output: io.stderr, compact: counter });
      let line: string;
      try {
        const result = await send(client, order.id, flags, { confirm: hook });
        const recipient = clean(result.recipient);
        if (result.outcome === 'sent') {
          summary.sent++;
          line = `sent to ${recipient}`;
        } else if (result.outcome === 'dry-run') {
          summary.dryRun++;
          line = `dry run: would send to ${recipient}`;
        } else {
          summary.declined++;
          line = 'declined, not sent';
        }
      } catch (error) {
        // A bad option is the same for every order: stop instead of failing each one.
        if (error instanceof InvalidArgumentError) throw error;
        if (error instanceof SendOutcomeUnknownError) {
          summary.unknown++;
          unknown.push(outcomeUnknownLine(error));
          line = `OUTCOME UNKNOWN, may or may not have been sent to ${clean(error.recipient)}; not retried`;
        } else if (error instanceof PreconditionFailedError || error instanceof DuplicateSendError) {
          summary.skipped++;
          line = `skipped: ${describeFailure(error)
            .text.replace(/^ssl-orders: /, '')
            .trim()}`;
        } else {
          summary.failed++;
          line = `failed: ${describeFailure(error)
            .text.replace(/^ssl-orders: /, '')
            .trim()}`;
        }
      }
      io.stderr.write(`${progress}: ${line}\n`);
    }
  } finally {
    prompter?.close();
  }
  const parts = [
    `${summary.sent} sent`,
    ...(flags.dryRun ? [`${summary.dryRun} dry run`] : []),
    `${summary.declined} declined`,
    `${summary.failed} failed`,
    `${summary.unknown} unknown`,
    `${summary.skipped} skipped`,
  ];
  io.stdout.write(`Summary: ${parts.join(', ')} (${orders.length} orders ${where}).\n`);
  for (const text of unknown) io.stdout.write(`  ${text}\n`);
  return batchExitCode(summary);
}
