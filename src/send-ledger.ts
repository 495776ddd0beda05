/**
 * The duplicate guard's memory: which emails were sent recently. An interface, so a CLI can keep it
 * in a file and a fleet of bots in a shared store; the default lives in the client's memory.
 *
 * @module
 */
import { DuplicateSendError, type EmailType } from './errors.js';
import type { SendEventBase, SslOrdersEvent } from './options.js';

/** One remembered send. */
export interface SendRecord {
  orderId: number;
  emailType: EmailType;
  /** When the send was accepted (or dispatched, for an unknown outcome), in epoch milliseconds. */
  at: number;
  intentId: string;
  /**
   * `unknown` while the request is in flight (the record is written just before the POST, so a crash
   * leaves it behind) and when it may have reached the server but no answer came back.
   */
  outcome: 'sent' | 'unknown';
}

/**
 * Storage for the duplicate guard. Keys are opaque strings built from the order id and email type.
 * A shared implementation should make `set` visible to other processes before it resolves.
 *
 * A send reads the key, writes an `unknown` record just before its POST, and reads it back: when
 * another process wrote in between, the later writer sends and the other one gets a
 * `DuplicateSendError`. After the POST the record becomes `sent`; when the server provably did not
 * act, the record before it is restored (or the key deleted). A store without atomic writes can still
 * let two sends through when both read back before either writes; a store with compare-and-set closes
 * that window by making `set` reject if the key changed since `get`.
 *
 * @example
 * ```ts
 * import type { SendLedger, SendRecord } from 'softlayer-ssl-orders';
 * const records = new Map<string, SendRecord>();
 * const ledger: SendLedger = {
 *   get: (key) => records.get(key),
 *   set: (key, record) => { records.set(key, record); },
 * };
 * ```
 */
export interface SendLedger {
  /** The latest send for `key`, if any. */
  get(key: string): SendRecord | undefined | Promise<SendRecord | undefined>;
  /** Remembers a send for `key`. */
  set(key: string, record: SendRecord): void | Promise<void>;
  /**
   * Forgets `key`, used to release a reservation when the server provably did not act. Optional:
   * without it the reservation is overwritten with an expired record (`at: 0`).
   */
  delete?(key: string): void | Promise<void>;
}

/**
 * The default ledger: a Map in this process. Entries older than `maxAge` are dropped as new ones
 * arrive, so a long-running bot does not grow without bound.
 */
export class MemorySendLedger implements SendLedger {
  readonly #records = new Map<string, SendRecord>();
  readonly #maxAge: number;

  /** @param maxAge - how long to keep a record, in milliseconds. Default one day. */
  constructor(maxAge = 24 * 60 * 60_000) {
    this.#maxAge = maxAge;
  }

  get(key: string): SendRecord | undefined {
    return this.#records.get(key);
  }

  set(key: string, record: SendRecord): void {
    const oldest = Date.now() - this.#maxAge;
    for (const [existingKey, existing] of this.#records) {
      if (existing.at < oldest) this.#records.delete(existingKey);
    }
    this.#records.set(key, record);
  }

  delete(key: string): void {
    this.#records.delete(key);
  }
}

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
