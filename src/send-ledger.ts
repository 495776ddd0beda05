/**
 * The duplicate guard's memory: which emails were sent recently. An interface, so a CLI can keep it
 * in a file and a fleet of bots in a shared store; the default lives in the client's memory.
 *
 * @module
 */
import type { EmailType } from './errors.js';

/** One remembered send. */
export interface SendRecord {
  /** The order the email was for. */
  orderId: number;
  /** Which email was sent. */
  emailType: EmailType;
  /** When the send was accepted (or dispatched, for an unknown outcome), in epoch milliseconds. */
  at: number;
  /** The send's intent id, as in its events and errors. */
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
