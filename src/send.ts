/**
 * The send pipeline (design §3), one step after another: validate → read the order → check its status
 * (and the ledger, so nobody is asked about an email that cannot go out) → confirm once, or check the
 * approved recipient → reserve the ledger key(s) → one POST → settle, or release when the server
 * provably did not act. One deadline (`totalTimeout`) covers every step. The reservation's own
 * deadline (that one, or the send's bound without it) is when other processes start to read the
 * record as `unknown`: the POST is aborted at it, and one that could not run a whole attempt before it
 * is not sent at all (TimeoutError, reservation released).
 *
 * @module
 */
import {
  type EmailType,
  InvalidArgumentError,
  ResponseValidationError,
  SslOrdersError,
  TimeoutError,
} from './errors.js';
import type { SendEventBase, SslOrdersEvent } from './events.js';
import { checkOrderId } from './internal/arguments.js';
import { ORDER_SERVICE } from './internal/endpoint.js';
import type { ConfirmHook, ReadOptions } from './options.js';
import type { SslOrder } from './order.js';
import type { SendResult } from './results.js';
import type { RetryPolicy } from './retry.js';
import { checkPreconditions, describeValue, mayHaveActed } from './send-checks.js';
import { Deadline, postWindow, within } from './send-deadline.js';
import { PreconditionFailedError, SendOutcomeUnknownError } from './send-errors.js';
import { approvalKey, type GuardedSend, ledgerKey, SendGuard } from './send-guard.js';
import { SEND_RECORD_FORMAT, type SendLedger, type SendRecord } from './send-ledger.js';
import { markSend } from './send-mark.js';
import { type CheckedSendOptions, checkSendOptions, sameAddress, sendBound } from './send-options.js';
import type { Transport } from './transport.js';

/** What the sender needs from the client. */
export interface SenderConfig {
  transport: Transport;
  readOrder: (id: number, options: ReadOptions) => Promise<SslOrder>;
  accountId: (options: ReadOptions) => Promise<number>;
  confirm: ConfirmHook | undefined;
  ledger: SendLedger;
  /** Milliseconds a `sent` record blocks its email; 0: it does not. */
  cooldown: number;
  /** Milliseconds a settled record is kept at least. */
  retention: number;
  /** The API host (`api.softlayer.com`), part of every ledger key. */
  host: string;
  /** The client's per-attempt timeout and retry policy: they bound how long a send can take. */
  timeout: number;
  retry: RetryPolicy;
  /** The client's `totalTimeout`, the default deadline of a send. */
  totalTimeout: number | undefined;
  emit: (event: SslOrdersEvent) => void;
}

/** Runs sends for one client. */
export class Sender {
  readonly #config: SenderConfig;
  readonly #guard: SendGuard;

  constructor(config: SenderConfig) {
    this.#config = config;
    this.#guard = new SendGuard(config);
  }

  async send(id: unknown, emailType: EmailType, options: unknown): Promise<SendResult> {
    const orderId = checkOrderId(id);
    const checked = checkSendOptions(options);
    const intentId = crypto.randomUUID();
    const started = performance.now();
    const base = (): SendEventBase => ({
      intentId,
      orderId,
      emailType,
      elapsedMs: Math.round(performance.now() - started),
    });
    const totalTimeout = checked.totalTimeout ?? this.#config.totalTimeout;
    const path = `${ORDER_SERVICE}/${orderId}/resendEmail.json`;
    const deadline = new Deadline(
      totalTimeout,
      checked.signal,
      () =>
        new TimeoutError({ method: 'POST', path, timeoutMs: totalTimeout ?? 0, limit: 'total', intentId }),
    );
    const { emit } = this.#config;
    emit({ type: 'send.planned', force: checked.force, dryRun: checked.dryRun, ...base() });
    try {
      return await this.#run({ orderId, emailType, intentId, base, path, deadline, options: checked });
    } catch (error) {
      if (error instanceof SslOrdersError && error.intentId === undefined) error.intentId = intentId;
      const errorName = error instanceof Error ? error.name : typeof error;
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof SendOutcomeUnknownError) {
        emit({ type: 'send.outcome-unknown', recipient: error.recipient, errorName, message, ...base() });
      } else {
        emit({ type: 'send.failed', errorName, message, ...base() });
      }
      throw error;
    } finally {
      deadline.end();
    }
  }

  async #run(send: {
    orderId: number;
    emailType: EmailType;
    intentId: string;
    base: () => SendEventBase;
    path: string;
    deadline: Deadline;
    options: CheckedSendOptions;
  }): Promise<SendResult> {
    const { orderId, emailType, intentId, base, path, deadline, options } = send;
    const { emit, transport, cooldown, retention, host } = this.#config;
    const guard = this.#guard;
    // 1. Validate: a confirmation is required, from a hook or from an approval given elsewhere.
    const confirm = options.confirm === undefined ? this.#config.confirm : options.confirm;
    if (confirm === undefined && options.approvedRecipient === undefined) {
      throw new InvalidArgumentError(
        'confirm',
        'no confirm hook: pass confirm to the client or to this call, approvedRecipient when a person ' +
          'approved the address elsewhere, or confirm: false to send without asking',
      );
    }
    // 2. Read the order (a safe read), within the send's deadline.
    const readOptions = { signal: options.signal, timeout: options.timeout, totalTimeout: deadline.left() };
    const order = await this.#config.readOrder(orderId, readOptions);
    // 3. Check: the status, then the ledger, so nobody is asked about an email that cannot go out.
    const recipient = checkPreconditions(order, emailType, intentId, options.allowAnyStatus);
    const common = { orderId, emailType, recipient, intentId };
    const accountId = order.accountId ?? (await this.#config.accountId(readOptions));
    const key = ledgerKey(host, accountId, orderId, emailType);
    const guarded: GuardedSend = { key, orderId, emailType, intentId, base };
    const rule = { now: Date.now(), cooldown, force: options.force !== undefined };
    const approval =
      options.approvalId === undefined
        ? undefined
        : { ...guarded, key: approvalKey(host, accountId, options.approvalId) };
    const approvalRule = { now: Date.now(), cooldown: Number.POSITIVE_INFINITY, force: false };
    // A used approval is named as such, before the email's own record (its cooldown) is looked at.
    if (approval) {
      const used = guard.precheck(approval, approvalRule, deadline.signal, options.approvalId);
      await within(used, deadline.signal);
    }
    await within(guard.precheck(guarded, rule, deadline.signal), deadline.signal);
    // 4. Confirm: the approved address must still be the order's, or the hook is asked once.
    if (options.approvedRecipient !== undefined) {
      if (!sameAddress(options.approvedRecipient, recipient)) {
        throw new PreconditionFailedError(
          {
            orderId,
            emailType,
            status: order.status?.name,
            intentId,
            recipient,
            approvedRecipient: options.approvedRecipient,
          },
          `order ${orderId}'s approver address is now ${recipient}, not ${options.approvedRecipient} as approved; ` +
            'nothing was sent. Show the new address to the person and ask again.',
        );
      }
    } else if (confirm) {
      const context = {
        ...common,
        commonName: order.commonName,
        status: order.status?.name,
        order,
        signal: deadline.signal,
      };
      const answer = await within(
        Promise.resolve().then(() => confirm(context)),
        deadline.signal,
      );
      if (answer !== true) {
        emit({ type: 'send.declined', recipient, ...base() });
        return { outcome: 'declined', ...common };
      }
    }
    const confirmedBy = options.approvedRecipient !== undefined ? 'approval' : confirm ? 'hook' : 'none';
    emit({ type: 'send.confirmed', recipient, confirmedBy, ...base() });
    deadline.left();
    const call = {
      method: 'POST' as const,
      path,
      parameters: [emailType] as [EmailType],
      idempotent: false,
      signal: options.signal,
      timeout: options.timeout,
    };
    if (options.dryRun) {
      emit({ type: 'send.dry-run', recipient, ...base() });
      const request = {
        method: 'POST' as const,
        url: transport.url(call),
        body: { parameters: call.parameters },
      };
      return { outcome: 'dry-run', ...common, request };
    }
    // 5. Reserve: the approval first (one email per approval, ever), then the email's key.
    const now = Date.now();
    const record: SendRecord = {
      format: SEND_RECORD_FORMAT,
      key,
      intentId,
      orderId,
      emailType,
      endpoint: host,
      accountId,
      recipient,
      state: 'reserved',
      reservedAt: now,
      deadline: Number.isFinite(deadline.at)
        ? deadline.at
        : now + sendBound({ timeout: options.timeout ?? this.#config.timeout, retry: this.#config.retry }),
      reason: options.force,
      forced: options.force !== undefined ? true : undefined,
      approvalId: options.approvalId,
    };
    const held: GuardedSend[] = [];
    const ends: (() => void)[] = [];
    try {
      if (approval) {
        ends.push(
          await guard.reserveWithin(
            approval,
            { ...record, key: approval.key },
            approvalRule,
            deadline.signal,
            options.approvalId,
          ),
        );
        held.push(approval);
      }
      ends.push(await guard.reserveWithin(guarded, record, { ...rule, now: Date.now() }, deadline.signal));
      held.push(guarded);
      // 6. One POST, within the reservation's deadline: past it, other processes read the record as
      // `unknown` and may act on it (force, a person's mark), so no POST may still be on the wire then.
      // The caller's abort and the send's own totalTimeout first; then, without a totalTimeout, a whole
      // attempt must fit before the deadline (a slow store can eat the bound); with one, the transport
      // is given exactly what is left and aborts the attempt at the same instant.
      deadline.left();
      const needs = Number.isFinite(deadline.at) ? 1 : (options.timeout ?? this.#config.timeout);
      const left = postWindow(record.deadline, needs, () => {
        const timeoutMs = record.deadline - record.reservedAt;
        return new TimeoutError({ method: 'POST', path, timeoutMs, limit: 'total', intentId });
      });
      emit({ type: 'send.dispatched', recipient, ...base() });
      const outcome = await transport.run({ ...call, totalTimeout: left });
      // 7. Settle, or release when the server provably did not act.
      let failure: unknown;
      let dispatched = true;
      if (outcome.ok) {
        if (outcome.reply.body === true) {
          const at = Date.now();
          for (const one of held) {
            // An approval record never expires: an approval sends one email, ever (see SendOptions.approvalId).
            const keepFor = one === guarded ? Math.max(cooldown, retention) : undefined;
            await guard.settleAfterPost(one, one.key, { state: 'sent', at, keepFor });
          }
          emit({ type: 'send.sent', recipient, ...base() });
          return { outcome: 'sent', ...common, sentAt: new Date(at) };
        }
        failure = new ResponseValidationError({
          method: call.method,
          path: call.path,
          intentId,
          issues: [{ path: '', message: `expected true, got ${describeValue(outcome.reply.body)}` }],
        });
      } else {
        failure = outcome.error;
        dispatched = outcome.reached !== 'not-sent';
      }
      if (mayHaveActed(failure, dispatched)) {
        for (const one of held)
          await guard.settleAfterPost(one, one.key, { state: 'unknown', at: Date.now() });
        throw new SendOutcomeUnknownError({ ...common }, failure);
      }
      throw failure;
    } catch (error) {
      if (!(error instanceof SendOutcomeUnknownError)) {
        for (const one of held.reverse()) await guard.releaseQuietly(one, one.key);
      }
      throw error;
    } finally {
      for (const end of ends) end();
    }
  }

  /** `client.markSendOutcome`. */
  mark(id: unknown, emailType: EmailType, value: unknown): Promise<SendRecord> {
    return markSend(this.#guard, this.#config, id, emailType, value);
  }

  /** `client.listSendRecords`. */
  list(): Promise<SendRecord[]> {
    return this.#guard.list();
  }
}
