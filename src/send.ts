/**
 * The send pipeline (design §3): validate → read the order → check its status → confirm once →
 * duplicate guard → one POST → a result or a typed error, with an event at each step.
 *
 * @module
 */
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  type EmailType,
  InvalidArgumentError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  ResponseValidationError,
  SslOrdersError,
} from './errors.js';
import { abortable } from './internal/abort.js';
import { checkDuration, checkOrderId, ORDER_SERVICE } from './internal/request-parts.js';
import {
  ALLOWED_STATUSES,
  type ConfirmHook,
  type ReadOptions,
  type SendEventBase,
  type SendOptions,
  type SendResult,
  type SslOrdersEvent,
} from './options.js';
import type { SslOrder } from './order.js';
import { PreconditionFailedError, SendOutcomeUnknownError } from './send-errors.js';
import { type GuardedSend, ledgerKey, SendGuard } from './send-guard.js';
import type { SendLedger, SendRecord } from './send-ledger.js';
import type { Transport } from './transport.js';

/** What the sender needs from the client. */
export interface SenderConfig {
  transport: Transport;
  readOrder: (id: number, options: ReadOptions) => Promise<SslOrder>;
  confirm: ConfirmHook | undefined;
  ledger: SendLedger;
  /** Milliseconds; 0 turns the cooldown off. */
  cooldown: number;
  emit: (event: SslOrdersEvent) => void;
}

interface CheckedSendOptions {
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  totalTimeout: number | undefined;
  confirm: ConfirmHook | false | undefined;
  dryRun: boolean;
  force: string | undefined;
  allowAnyStatus: boolean;
}

const SEND_OPTION_KEYS = new Set([
  'signal',
  'timeout',
  'totalTimeout',
  'confirm',
  'dryRun',
  'force',
  'allowAnyStatus',
]);

function checkSendOptions(options: unknown): CheckedSendOptions {
  if (typeof options !== 'object' || options === null)
    throw new InvalidArgumentError('options', 'options must be an object');
  const value = options as SendOptions & Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (SEND_OPTION_KEYS.has(key)) continue;
    const hint =
      key === 'retry'
        ? ': a send is retried only when the server provably did not act, and that cannot be widened'
        : '';
    throw new InvalidArgumentError(
      key,
      `${key} is not a send option${hint}; known: ${[...SEND_OPTION_KEYS].join(', ')}`,
    );
  }
  if (value.signal !== undefined && !(value.signal instanceof AbortSignal)) {
    throw new InvalidArgumentError('signal', 'signal must be an AbortSignal');
  }
  if (value.confirm !== undefined && value.confirm !== false && typeof value.confirm !== 'function') {
    throw new InvalidArgumentError('confirm', 'confirm must be a function or false');
  }
  for (const key of ['dryRun', 'allowAnyStatus'] as const) {
    if (value[key] !== undefined && typeof value[key] !== 'boolean') {
      throw new InvalidArgumentError(key, `${key} must be true or false`);
    }
  }
  let force: string | undefined;
  if (value.force !== undefined) {
    const reason = (value.force as { reason?: unknown } | null)?.reason;
    if (typeof reason !== 'string' || reason.trim() === '' || reason.length > 500) {
      throw new InvalidArgumentError(
        'force',
        'force must be { reason: "why this email is sent again" } with a reason of 1 to 500 characters',
      );
    }
    force = reason;
  }
  return {
    signal: value.signal,
    timeout: value.timeout === undefined ? undefined : checkDuration(value.timeout, 'timeout'),
    totalTimeout:
      value.totalTimeout === undefined ? undefined : checkDuration(value.totalTimeout, 'totalTimeout'),
    confirm: value.confirm,
    dryRun: value.dryRun === true,
    force,
    allowAnyStatus: value.allowAnyStatus === true,
  };
}

/**
 * Whether a failed send may have been acted on. Only answers that prove the server refused
 * (rate limit, auth, permission, not found, other 4xx) and failures before dispatch say no.
 */
export function mayHaveActed(error: unknown, dispatched: boolean): boolean {
  if (!dispatched) return false;
  if (error instanceof RateLimitError || error instanceof AuthenticationError) return false;
  if (error instanceof PermissionDeniedError || error instanceof NotFoundError) return false;
  if (error instanceof ApiError) return error.status >= 500 || error.status < 300;
  if (error instanceof ConnectionError) return error.dispatched;
  return true;
}

interface InFlight {
  intentId: string;
  promise: Promise<SendResult>;
}

/** Runs sends for one client; keeps the in-flight map that coalesces concurrent duplicates. */
export class Sender {
  readonly #config: SenderConfig;
  readonly #inFlight = new Map<string, InFlight>();
  readonly #guard: SendGuard;

  constructor(config: SenderConfig) {
    this.#config = config;
    this.#guard = new SendGuard(config.ledger, config.cooldown, config.emit);
  }

  send(id: unknown, emailType: EmailType, options: unknown): Promise<SendResult> {
    let orderId: number;
    let checked: CheckedSendOptions;
    try {
      orderId = checkOrderId(id);
      checked = checkSendOptions(options);
    } catch (error) {
      return Promise.reject(error);
    }
    const key = ledgerKey(orderId, emailType);
    const intentId = crypto.randomUUID();
    const started = performance.now();
    if (!checked.dryRun) {
      const running = this.#inFlight.get(key);
      if (running) {
        this.#config.emit({
          type: 'send.suppressed',
          reason: 'in-flight',
          otherIntentId: running.intentId,
          intentId,
          orderId,
          emailType,
          elapsedMs: 0,
        });
        // Joining callers may stop waiting, but cannot cancel the send they joined.
        return abortable(running.promise, checked.signal);
      }
    }
    const promise = this.#run(orderId, emailType, checked, intentId, key, started);
    if (!checked.dryRun) {
      const entry = { intentId, promise };
      this.#inFlight.set(key, entry);
      const release = () => {
        if (this.#inFlight.get(key) === entry) this.#inFlight.delete(key);
      };
      promise.then(release, release);
    }
    return promise;
  }

  async #run(
    orderId: number,
    emailType: EmailType,
    options: CheckedSendOptions,
    intentId: string,
    key: string,
    started: number,
  ): Promise<SendResult> {
    const { emit, transport } = this.#config;
    const base = (): SendEventBase => ({
      intentId,
      orderId,
      emailType,
      elapsedMs: Math.round(performance.now() - started),
    });
    const { signal } = options;
    emit({ type: 'send.planned', force: options.force, dryRun: options.dryRun, ...base() });
    try {
      const confirm = options.confirm === undefined ? this.#config.confirm : options.confirm;
      // A dry run previews the real call, so it refuses what the real call would refuse.
      if (confirm === undefined) {
        throw new InvalidArgumentError(
          'confirm',
          'no confirm hook: pass confirm to the client or to this call, or confirm: false to send without asking',
        );
      }
      const guard: GuardedSend = { key, orderId, emailType, intentId, force: options.force, base };
      await this.#guard.lastSend(guard);
      const readOptions = { signal, timeout: options.timeout, totalTimeout: options.totalTimeout };
      const order = await this.#config.readOrder(orderId, readOptions);
      const recipient = this.#checkPreconditions(order, emailType, intentId, options.allowAnyStatus);
      const common = { orderId, emailType, recipient, intentId };
      if (confirm) {
        const context = {
          ...common,
          commonName: order.commonName,
          status: order.status?.name,
          order,
          signal,
        };
        const answer = await abortable(
          Promise.resolve().then(() => confirm(context)),
          signal,
        );
        if (answer !== true) {
          emit({ type: 'send.declined', recipient, ...base() });
          return { outcome: 'declined', ...common };
        }
      }
      emit({ type: 'send.confirmed', recipient, confirmedBy: confirm ? 'hook' : 'none', ...base() });
      signal?.throwIfAborted();
      const call = {
        method: 'POST' as const,
        path: `${ORDER_SERVICE}/${orderId}/resendEmail.json`,
        parameters: [emailType] as [EmailType],
        idempotent: false,
        signal,
        timeout: options.timeout,
        totalTimeout: options.totalTimeout,
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
      // Again after the hook: a person may have taken minutes, and another process may have sent.
      const previous = await this.#guard.lastSend(guard);
      // Reserved before the POST, so another process (or this one after a crash) sees the send in flight.
      const reservation: SendRecord = { orderId, emailType, at: Date.now(), intentId, outcome: 'unknown' };
      await this.#guard.reserve(guard, reservation);
      emit({ type: 'send.dispatched', recipient, ...base() });
      const outcome = await transport.run(call);
      let failure: unknown;
      let dispatched = true;
      if (outcome.ok) {
        if (outcome.reply.body === true) {
          const sentAt = new Date();
          await this.#guard.remember(key, {
            orderId,
            emailType,
            at: sentAt.getTime(),
            intentId,
            outcome: 'sent',
          });
          emit({ type: 'send.sent', recipient, ...base() });
          return { outcome: 'sent', ...common, sentAt };
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
        await this.#guard.remember(key, reservation);
        throw new SendOutcomeUnknownError({ ...common }, failure);
      }
      await this.#guard.release(guard, previous);
      throw failure;
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
    }
  }

  #checkPreconditions(
    order: SslOrder,
    emailType: EmailType,
    intentId: string,
    allowAnyStatus: boolean,
  ): string {
    const status = order.status?.name;
    const info = { orderId: order.id, emailType, status, intentId };
    const recipient = order.approverEmailAddress;
    if (!recipient) {
      throw new PreconditionFailedError(
        info,
        `order ${order.id} has no approverEmailAddress, so there is no recipient to confirm; nothing was sent`,
      );
    }
    const allowed = ALLOWED_STATUSES[emailType];
    if (!allowAnyStatus && !allowed.some((name) => name.toLowerCase() === status?.toLowerCase())) {
      throw new PreconditionFailedError(
        info,
        `${emailType} needs an order in status ${allowed.map((name) => `"${name}"`).join(' or ')}, but order ${order.id} is ` +
          `${status ? `"${status}"` : 'without a status'}; nothing was sent (pass allowAnyStatus: true if IBM added a status)`,
      );
    }
    return recipient;
  }
}

/** Names what the server answered without repeating it: the answer could echo a credential. */
function describeValue(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
