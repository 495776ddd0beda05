/**
 * `ssl-orders mark <id> sent|not-sent --reason …`: records what a person learned about a send whose
 * outcome is unknown, without sending anything. `sent` then blocks the email for the cooldown like a
 * send would; `not-sent` lets the next `resend` go ahead.
 *
 * @module
 */
import type { SslOrdersClient } from '../../index.js';
import type { MarkOutcome } from '../args.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import type { CliIo } from '../io.js';
import { emailLabel } from '../prompt.js';

/** Records the outcome; returns the exit code. */
export async function runMark(
  client: SslOrdersClient,
  orderId: number,
  outcome: MarkOutcome,
  flags: { approver: boolean; reason: string | undefined; json: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const emailType = flags.approver ? 'ApproverEmail' : 'FulfillmentEmail';
  const reason = (flags.reason ?? '').trim();
  const record = await client.markSendOutcome(orderId, emailType, { outcome, reason });
  if (flags.json) {
    io.stdout.write(
      `${JSON.stringify({ orderId, emailType, outcome, reason, intentId: record?.intentId })}\n`,
    );
    return EXIT.ok;
  }
  const next =
    outcome === 'sent'
      ? 'it now counts as sent: resend refuses it for the cooldown (--force overrides).'
      : 'the next resend will send it.';
  io.stdout.write(
    `Recorded: the ${emailLabel(emailType)} for order ${orderId} was ${outcome === 'sent' ? 'sent' : 'not sent'} ` +
      `(reason: ${JSON.stringify(reason)}); ${next} Nothing was sent now.\n`,
  );
  return EXIT.ok;
}
