/**
 * The default send ledger: a Map in this process (kept apart from the contract in send-ledger.ts).
 *
 * @module
 */
import {
  applySettlement,
  blocks,
  type ReserveRule,
  replacing,
  restoredBy,
  type SendLedger,
  type SendRecord,
  type Settlement,
  settlementApplies,
} from './send-ledger.js';

/**
 * The default ledger: a Map in this process. Each operation runs synchronously inside one call, so it
 * is atomic for every client in the process. Records past their `expiresAt` are dropped as new ones
 * arrive, so a long-running bot does not grow without bound.
 *
 * @example
 * ```ts
 * import { MemorySendLedger, SslOrdersClient } from 'softlayer-ssl-orders';
 * const sendLedger = new MemorySendLedger(); // share it between the clients of one process
 * // Ask a person before each send; `confirm` is a function (pass `confirm: false` to a call instead).
 * const client = SslOrdersClient.fromEnv({ sendLedger, confirm: async ({ recipient }) => recipient.endsWith('@example.com') });
 * ```
 */
export class MemorySendLedger implements SendLedger {
  readonly #records = new Map<string, SendRecord>();
  /** The earliest `expiresAt` held, so a reservation scans the map only when something expired. */
  #nextExpiry = Number.POSITIVE_INFINITY;

  async reserve(key: string, record: SendRecord, rule: ReserveRule): Promise<SendRecord | undefined> {
    this.#sweep(rule.now);
    const holder = this.#records.get(key);
    if (holder && blocks(holder, rule)) return { ...holder };
    this.#records.set(key, replacing({ ...record }, holder));
    return undefined;
  }

  async settle(key: string, intentId: string, settlement: Settlement): Promise<SendRecord | undefined> {
    const current = this.#records.get(key);
    if (!settlementApplies(current, intentId, settlement)) return undefined;
    const next = applySettlement(current, settlement);
    this.#records.set(key, next);
    if (next.expiresAt !== undefined) this.#nextExpiry = Math.min(this.#nextExpiry, next.expiresAt);
    return { ...next };
  }

  async release(key: string, intentId: string): Promise<boolean> {
    const current = this.#records.get(key);
    if (current?.intentId !== intentId) return false;
    const previous = restoredBy(current);
    if (previous) {
      this.#records.set(key, previous);
      if (previous.expiresAt !== undefined) this.#nextExpiry = Math.min(this.#nextExpiry, previous.expiresAt);
    } else this.#records.delete(key);
    return true;
  }

  async get(key: string): Promise<SendRecord | undefined> {
    const record = this.#records.get(key);
    return record ? { ...record } : undefined;
  }

  async list(): Promise<SendRecord[]> {
    return [...this.#records.values()].map((record) => ({ ...record }));
  }

  #sweep(now: number): void {
    if (now <= this.#nextExpiry) return;
    let next = Number.POSITIVE_INFINITY;
    for (const [key, record] of this.#records) {
      if (record.expiresAt === undefined) continue;
      if (record.expiresAt < now) this.#records.delete(key);
      else next = Math.min(next, record.expiresAt);
    }
    this.#nextExpiry = next;
  }
}
