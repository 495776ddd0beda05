/**
 * The duplicate guard over a {@link SendLedger}: refuses recent sends, reserves the key before the
 * POST, records the outcome, and releases the key when nothing was sent. Loaded with the send
 * pipeline, not with the client.
 *
 * @module
 */
import type { EmailType } from './errors.js';
import type { SendEventBase, SslOrdersEvent } from './options.js';
import { DuplicateSendError } from './send-errors.js';
import type { SendLedger, SendRecord } from './send-ledger.js';

/** The ledger key of an order's email. Order ids are unique across accounts, so no account is needed. */
export function ledgerKey(orderId: number, emailType: EmailType): string {
  return `ssl-order:${orderId}:${emailType}`;
}

/** What the duplicate guard needs to know about one send. Internal. */
export interface GuardedSend {
  key: string;
  orderId: number;
  emailType: EmailType;
  intentId: string;
  /** The `force` reason; a forced send skips the cooldown but still reserves the key. */
  force: string | undefined;
  base: () => SendEventBase;
}

/**
 * The cooldown half of the duplicate guard, over a {@link SendLedger}: refuse recent sends, reserve the
 * key before the POST, record the outcome, release the key when nothing was sent. Internal.
 */
export class SendGuard {
  constructor(
    readonly ledger: SendLedger,
    /** Milliseconds; 0 turns the guard off (outcomes are still recorded). */
    readonly cooldown: number,
    readonly emit: (event: SslOrdersEvent) => void,
  ) {}

  /**
   * The latest send of this email, or `undefined` when the guard is off. Throws
   * {@link DuplicateSendError} when it is within the cooldown, unless the caller forces.
   */
  async lastSend(send: GuardedSend): Promise<SendRecord | undefined> {
    const { cooldown, ledger } = this;
    if (cooldown === 0) return undefined;
    const last = await ledger.get(send.key);
    if (last && !send.force && Date.now() - last.at < cooldown) this.#suppress(send, last);
    return last;
  }

  /**
   * Writes `reservation` just before the POST and reads it back. Throws {@link DuplicateSendError}
   * when another send wrote the key in between (unless forced); a store error propagates, before any POST.
   */
  async reserve(send: GuardedSend, reservation: SendRecord): Promise<void> {
    const { cooldown, ledger } = this;
    if (cooldown === 0) return;
    await ledger.set(send.key, reservation);
    // Two processes may both have read an empty ledger; reading back lets the later writer win alone.
    const current = await ledger.get(send.key);
    if (!send.force && current && current.intentId !== send.intentId && Date.now() - current.at < cooldown) {
      this.#suppress(send, current);
    }
  }

  /** Undoes a reservation after the server provably did not act, so the caller may simply try again. */
  async release(send: GuardedSend, previous: SendRecord | undefined): Promise<void> {
    const { cooldown, ledger } = this;
    if (cooldown === 0) return;
    try {
      const current = await ledger.get(send.key);
      if (current?.intentId !== send.intentId) return;
      if (previous) await ledger.set(send.key, previous);
      else if (ledger.delete) await ledger.delete(send.key);
      else await ledger.set(send.key, { ...current, at: 0 });
    } catch {
      // Nothing was sent; a stale reservation only delays the next send until the cooldown ends.
    }
  }

  #suppress(send: GuardedSend, last: SendRecord): never {
    const { cooldown, emit } = this;
    emit({ type: 'send.suppressed', reason: 'cooldown', otherIntentId: last.intentId, ...send.base() });
    throw new DuplicateSendError({
      orderId: send.orderId,
      emailType: send.emailType,
      lastSentAt: new Date(last.at),
      lastIntentId: last.intentId,
      lastOutcome: last.outcome,
      cooldownEndsAt: new Date(last.at + cooldown),
      intentId: send.intentId,
    });
  }

  /** Records an outcome; a store error is swallowed, since the email went (or may have). */
  async remember(key: string, record: SendRecord): Promise<void> {
    try {
      await this.ledger.set(key, record);
    } catch {
      // A failing store must not turn a sent email into an error that invites a resend.
    }
  }
}
