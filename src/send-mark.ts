/**
 * `markSendOutcome`: a person records what they learned about a send. The record is settled in place
 * (its intent id stays, so history shows which send it was) with a compare-and-set
 * ({@link Settlement.expect}): the mark applies only to the exact state the person's call read, so a
 * send that settles `sent` between the read and the mark is never overwritten. When the send carried
 * an approval, the approval's record is marked with it: `not-sent` frees the approval for one more
 * send, `sent` uses it up (an `unknown` approval record could otherwise never be cleared).
 *
 * @module
 */
import { type EmailType, InvalidArgumentError } from './errors.js';
import { checkOrderId } from './internal/arguments.js';
import { approvalKey, checked, ledgerKey, type SendGuard } from './send-guard.js';
import { effectiveState, type SendLedger, type SendRecord, type Settlement } from './send-ledger.js';
import { markRefused } from './send-messages.js';
import { checkMark } from './send-options.js';

/** What marking needs. */
export interface MarkConfig {
  ledger: SendLedger;
  cooldown: number;
  retention: number;
  /** The ledger key of an approval id (same host and account as the email's key). */
  approvalKey: (approvalId: string) => string;
}

/** The settlement a mark applies to `holder`: only if the store still holds exactly what was read. */
function markSettlement(
  holder: SendRecord,
  mark: { outcome: 'sent' | 'not-sent'; reason: string },
  keepFor: number | undefined,
): Settlement {
  return {
    state: mark.outcome,
    at: Date.now(),
    keepFor,
    reason: mark.reason,
    marked: true,
    expect: { state: holder.state, settledAt: holder.settledAt },
  };
}

/**
 * Marks the record of `key`, then its approval's record if the send carried one.
 *
 * @throws {@link MarkRefusedError} when there is no record, a send holds it, or it changed since it
 *   was read (`changed`: read it again and decide anew).
 */
export async function markOutcome(
  guard: SendGuard,
  config: MarkConfig,
  key: string,
  ids: { orderId: number; emailType: EmailType },
  mark: { outcome: 'sent' | 'not-sent'; reason: string },
): Promise<SendRecord> {
  const { ledger, cooldown, retention } = config;
  const read = (of: string) => guard.step('get', of, async () => checked(await ledger.get(of), 'get', of));
  const holder = await read(key);
  if (!holder) throw markRefused({ ...ids, reason: 'no-record' });
  if (effectiveState(holder, Date.now()) === 'reserved' || guard.isInFlight(key)) {
    throw markRefused({ ...ids, reason: 'in-flight', holderIntentId: holder.intentId });
  }
  const keepFor = mark.outcome === 'sent' ? Math.max(cooldown, retention) : retention;
  const settlement = markSettlement(holder, mark, keepFor);
  const settled = await guard.step('settle', key, async () =>
    checked(await ledger.settle(key, holder.intentId, settlement), 'settle', key),
  );
  if (!settled) {
    // The record changed between the read and the mark: a send settled it, another took the key, or
    // another person marked it. Say which, and apply nothing.
    const now = await read(key);
    const live = now !== undefined && effectiveState(now, Date.now()) === 'reserved';
    throw markRefused({
      ...ids,
      reason: live ? 'in-flight' : now === undefined ? 'no-record' : 'changed',
      holderIntentId: now?.intentId,
      currentState: now ? effectiveState(now, Date.now()) : undefined,
    });
  }
  if (holder.approvalId !== undefined) {
    const approval = config.approvalKey(holder.approvalId);
    const record = await read(approval);
    // Only the approval record this send wrote; approval records have no expiry (keepFor absent).
    if (record?.intentId === holder.intentId && effectiveState(record, Date.now()) !== 'reserved') {
      await guard.step('settle', approval, async () =>
        checked(
          await ledger.settle(approval, holder.intentId, markSettlement(record, mark, undefined)),
          'settle',
          approval,
        ),
      );
    }
  }
  return settled;
}

/** `client.markSendOutcome`: checks the arguments (before any request), then {@link markOutcome}. */
export async function markSend(
  guard: SendGuard,
  config: Omit<MarkConfig, 'approvalKey'> & { host: string; accountId: (options: object) => Promise<number> },
  id: unknown,
  emailType: EmailType,
  value: unknown,
): Promise<SendRecord> {
  const orderId = checkOrderId(id);
  if (emailType !== 'FulfillmentEmail' && emailType !== 'ApproverEmail') {
    throw new InvalidArgumentError('emailType', 'emailType must be "FulfillmentEmail" or "ApproverEmail"');
  }
  const mark = checkMark(value);
  const accountId = await config.accountId({});
  const key = ledgerKey(config.host, accountId, orderId, emailType);
  const keys = {
    ...config,
    approvalKey: (approvalId: string) => approvalKey(config.host, accountId, approvalId),
  };
  return markOutcome(guard, keys, key, { orderId, emailType }, mark);
}
