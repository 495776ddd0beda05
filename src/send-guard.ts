/**
 * The duplicate guard over a {@link SendLedger}: the ledger keys, the in-flight map of this client,
 * and each ledger step wrapped so that a store's failure becomes a {@link SendLedgerError} and a record
 * of another format is refused. Loaded with the send pipeline, not with the client.
 *
 * @module
 */
import type { EmailType } from './errors.js';
import type { SendEventBase, SslOrdersEvent } from './events.js';
import { abortable } from './internal/abort.js';
import { within } from './send-deadline.js';
import { type DuplicateSendError, type LedgerOperation, SendLedgerError } from './send-errors.js';
import {
  blocks,
  effectiveState,
  type ReserveRule,
  SEND_RECORD_FORMAT,
  type SendLedger,
  type SendRecord,
  type Settlement,
} from './send-ledger.js';
import { duplicateError, ledgerError } from './send-messages.js';

/** The ledger key of an email: API host, account, order and email type. */
export function ledgerKey(host: string, accountId: number, orderId: number, emailType: EmailType): string {
  return `ssl-orders/v2/${host}/${accountId}/${orderId}/${emailType}`;
}

/** The ledger key of an approval: one send per approval id, whatever the order. */
export function approvalKey(host: string, accountId: number, approvalId: string): string {
  return `ssl-orders/v2/${host}/${accountId}/approval/${encodeURIComponent(approvalId)}`;
}

/** Whether a key is an approval's (history lists emails, not approvals). */
export function isApprovalKey(key: string): boolean {
  return key.includes('/approval/');
}

/** What the guard needs to know about one send. Internal. */
export interface GuardedSend {
  key: string;
  orderId: number;
  emailType: EmailType;
  intentId: string;
  base: () => SendEventBase;
}

/** Every record a store hands back passes here: another format is refused, never guessed. */
export function checked<T extends SendRecord | undefined>(
  record: T,
  operation: LedgerOperation,
  key?: string,
): T {
  if (record !== undefined && (record as SendRecord).format !== SEND_RECORD_FORMAT) {
    throw ledgerError({ operation, problem: 'format', key }, (record as { format?: unknown }).format);
  }
  return record;
}

/** Settings of the guard. */
export interface GuardConfig {
  ledger: SendLedger;
  /** Milliseconds a `sent` record blocks its email; 0: it does not. */
  cooldown: number;
  /** Milliseconds a settled record is kept at least, for history and approvals. */
  retention: number;
  emit: (event: SslOrdersEvent) => void;
}

/**
 * The guard: ledger steps with typed failures, and the in-flight map that makes a second send of the
 * same email in this client wait for the first one to settle, then decide on its own options.
 */
export class SendGuard {
  readonly #config: GuardConfig;
  /** Key → a promise that settles (never rejects) when this client's send of that key has settled. */
  readonly #inFlight = new Map<string, Promise<void>>();

  constructor(config: GuardConfig) {
    this.#config = config;
  }

  get cooldown(): number {
    return this.#config.cooldown;
  }

  /** Runs one ledger step; a store's failure becomes a {@link SendLedgerError}. */
  async step<T>(operation: LedgerOperation, key: string | undefined, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      if (error instanceof SendLedgerError) throw error;
      throw ledgerError({ operation, problem: 'failed', key }, error);
    }
  }

  /** Waits while this client has a send of `key` in flight; `signal` (the caller's, or the deadline) ends the wait. */
  async settled(key: string, signal: AbortSignal | undefined): Promise<void> {
    for (let running = this.#inFlight.get(key); running; running = this.#inFlight.get(key)) {
      await abortable(running, signal);
    }
  }

  /**
   * Before asking anyone: refuses a send the ledger would refuse anyway, so no person is asked about
   * an email that cannot go out. Waits for this client's own send of the key first.
   */
  async precheck(
    send: GuardedSend,
    rule: ReserveRule,
    signal: AbortSignal | undefined,
    approvalId?: string,
  ): Promise<void> {
    await this.settled(send.key, signal);
    const holder = await this.step('get', send.key, async () =>
      checked(await this.#config.ledger.get(send.key), 'get', send.key),
    );
    if (holder && blocks(holder, { ...rule, now: Date.now() })) this.refuse(send, holder, rule, approvalId);
  }

  /**
   * Reserves `record` under `rule` (waiting for this client's own send of the key first), or throws
   * {@link DuplicateSendError} naming the holder. The returned function ends the in-flight entry.
   */
  async reserve(
    send: GuardedSend,
    record: SendRecord,
    rule: ReserveRule,
    signal: AbortSignal | undefined,
    approvalId?: string,
  ): Promise<() => void> {
    await this.settled(send.key, signal);
    // No await between the check above and this entry: two sends of one client never both reserve.
    let done: () => void = () => {};
    const entry = new Promise<void>((resolve) => {
      done = resolve;
    });
    this.#inFlight.set(send.key, entry);
    const end = () => {
      if (this.#inFlight.get(send.key) === entry) this.#inFlight.delete(send.key);
      done();
    };
    try {
      const holder = await this.step('reserve', send.key, async () =>
        checked(await this.#config.ledger.reserve(send.key, record, rule), 'reserve', send.key),
      );
      if (holder) this.refuse(send, holder, rule, approvalId);
    } catch (error) {
      if (error instanceof SendLedgerError && error.operation === 'reserve' && error.problem === 'failed') {
        // The store may have written the record before failing; only our own reservation is removed.
        await this.#config.ledger.release(send.key, record.intentId).catch(() => undefined);
      }
      end();
      throw error;
    }
    return end;
  }

  /**
   * {@link SendGuard.reserve}, given up when `signal` aborts (the caller, or the send's deadline). A
   * store that answers after that may still have reserved: that late reservation is released, since
   * this send will not POST.
   */
  async reserveWithin(
    send: GuardedSend,
    record: SendRecord,
    rule: ReserveRule,
    signal: AbortSignal | undefined,
    approvalId?: string,
  ): Promise<() => void> {
    const reserving = this.reserve(send, record, rule, signal, approvalId);
    let late = false;
    // Attached before racing, so a reservation that fails after the race was lost is handled too.
    reserving.then(
      (end) => {
        if (!late) return;
        end();
        void this.releaseQuietly(send, send.key);
      },
      () => undefined,
    );
    try {
      return await within(reserving, signal);
    } catch (error) {
      late = true;
      throw error;
    }
  }

  /** Throws the {@link DuplicateSendError} that `holder` stands for. */
  refuse(send: GuardedSend, holder: SendRecord, rule: ReserveRule, approvalId?: string): never {
    const now = Date.now();
    const state = effectiveState(holder, now);
    const at = new Date(holder.settledAt ?? holder.reservedAt);
    let reason: DuplicateSendError['reason'];
    if (approvalId !== undefined) reason = 'approval-used';
    else if (state === 'reserved') reason = 'in-flight';
    else if (state === 'sent') reason = 'cooldown';
    else reason = 'unknown-outcome';
    this.#config.emit({
      type: 'send.suppressed',
      reason,
      otherIntentId: holder.intentId,
      ...send.base(),
    });
    throw duplicateError({
      orderId: send.orderId,
      emailType: send.emailType,
      reason,
      recipient: holder.recipient,
      lastSentAt: at,
      lastIntentId: holder.intentId,
      lastOutcome: state === 'reserved' ? 'in-flight' : state === 'sent' ? 'sent' : 'unknown',
      cooldownEndsAt:
        state === 'sent' && Number.isFinite(rule.cooldown)
          ? new Date(at.getTime() + rule.cooldown)
          : undefined,
      approvalId,
      intentId: send.intentId,
    });
  }

  /**
   * Settles a reservation after the POST. A store failure is reported as a `send.record-failed` event
   * and swallowed: the email went (or may have), and an error here would invite a resend. The
   * reservation then stays and reads as `unknown` after its deadline.
   */
  async settleAfterPost(send: GuardedSend, key: string, settlement: Settlement): Promise<void> {
    try {
      await this.step('settle', key, () => this.#config.ledger.settle(key, send.intentId, settlement));
    } catch (error) {
      this.recordFailed(send, 'settle', error);
    }
  }

  /** Releases a reservation when the server provably did not act; a store failure is only reported. */
  async releaseQuietly(send: GuardedSend, key: string): Promise<void> {
    try {
      await this.step('release', key, () => this.#config.ledger.release(key, send.intentId));
    } catch (error) {
      this.recordFailed(send, 'release', error);
    }
  }

  /** Emits `send.record-failed`. */
  recordFailed(send: GuardedSend, operation: LedgerOperation, error: unknown): void {
    this.#config.emit({
      type: 'send.record-failed',
      operation,
      message: error instanceof Error ? error.message : String(error),
      ...send.base(),
    });
  }

  /** Whether this client has a send of `key` in flight. */
  isInFlight(key: string): boolean {
    return this.#inFlight.has(key);
  }

  /** Every email record, newest first (approval records are left out: their email has its own). */
  async list(): Promise<SendRecord[]> {
    const records = await this.step('list', undefined, () => this.#config.ledger.list());
    const when = (record: SendRecord) => record.settledAt ?? record.reservedAt;
    return records
      .map((record) => checked(record, 'list', record.key))
      .filter((record) => !isApprovalKey(record.key))
      .sort((a, b) => when(b) - when(a));
  }
}
