/**
 * The checks a send makes before any request: its options, an approved address, a mark, and how long
 * a send may take at most (the reservation's deadline).
 *
 * @module
 */
import { InvalidArgumentError } from './errors.js';
import { checkDuration } from './internal/arguments.js';
import type { ConfirmHook, SendOptions } from './options.js';
import type { RetryPolicy } from './retry.js';

/** Send options after their checks. */
export interface CheckedSendOptions {
  signal: AbortSignal | undefined;
  timeout: number | undefined;
  totalTimeout: number | undefined;
  confirm: ConfirmHook | false | undefined;
  dryRun: boolean;
  force: string | undefined;
  allowAnyStatus: boolean;
  approvedRecipient: string | undefined;
  approvalId: string | undefined;
}

const SEND_OPTION_KEYS = new Set([
  'signal',
  'timeout',
  'totalTimeout',
  'confirm',
  'dryRun',
  'force',
  'allowAnyStatus',
  'approvedRecipient',
  'approvalId',
]);

/** A reason a person gives (force, mark): 1 to 500 characters, not only spaces. */
export function checkReason(value: unknown, argument: string, example: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 500) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be { reason: "${example}" } with a reason of 1 to 500 characters`,
    );
  }
  return value;
}

/** Splits `local@domain` at its last `@`; `undefined` when either part is empty. */
function splitAddress(address: string): { local: string; domain: string } | undefined {
  const at = address.lastIndexOf('@');
  if (at <= 0 || at === address.length - 1) return undefined;
  return { local: address.slice(0, at), domain: address.slice(at + 1) };
}

/**
 * Whether two email addresses name the same mailbox, by the rule `approvedRecipient` documents: the
 * local part compared exactly (RFC 5321 lets a server tell `Admin` from `admin`), the domain
 * compared case-insensitively (DNS names are). Nothing is trimmed or normalised beyond that.
 */
export function sameAddress(a: string, b: string): boolean {
  const left = splitAddress(a);
  const right = splitAddress(b);
  if (!left || !right) return false;
  return left.local === right.local && left.domain.toLowerCase() === right.domain.toLowerCase();
}

function checkApproval(value: SendOptions): Pick<CheckedSendOptions, 'approvedRecipient' | 'approvalId'> {
  const { approvedRecipient, approvalId } = value;
  if (approvedRecipient === undefined) {
    if (approvalId !== undefined) {
      throw new InvalidArgumentError(
        'approvalId',
        'approvalId names an approval, so it needs approvedRecipient (the address the person approved)',
      );
    }
    return { approvedRecipient: undefined, approvalId: undefined };
  }
  if (
    typeof approvedRecipient !== 'string' ||
    approvedRecipient.length > 320 ||
    /\s/.test(approvedRecipient) ||
    !splitAddress(approvedRecipient)
  ) {
    throw new InvalidArgumentError(
      'approvedRecipient',
      'approvedRecipient must be the email address the person approved, e.g. "admin@example.com"',
    );
  }
  if (value.confirm !== undefined) {
    throw new InvalidArgumentError(
      'confirm',
      'pass either confirm or approvedRecipient: an approved recipient is the confirmation, so no hook is asked',
    );
  }
  if (
    approvalId !== undefined &&
    (typeof approvalId !== 'string' ||
      approvalId.length === 0 ||
      approvalId.length > 200 ||
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
      /[\u0000-\u001f\u007f]/.test(approvalId))
  ) {
    throw new InvalidArgumentError(
      'approvalId',
      'approvalId must be a string of 1 to 200 characters without control characters (e.g. the approval request id)',
    );
  }
  return { approvedRecipient, approvalId };
}

/**
 * Checks the options of one send before anything else happens.
 *
 * @throws {@link InvalidArgumentError} naming the option that is wrong.
 */
export function checkSendOptions(options: unknown): CheckedSendOptions {
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
  const force =
    value.force === undefined
      ? undefined
      : checkReason(
          (value.force as { reason?: unknown } | null)?.reason,
          'force',
          'why this email is sent again',
        );
  return {
    signal: value.signal,
    timeout: value.timeout === undefined ? undefined : checkDuration(value.timeout, 'timeout'),
    totalTimeout:
      value.totalTimeout === undefined ? undefined : checkDuration(value.totalTimeout, 'totalTimeout'),
    confirm: value.confirm,
    dryRun: value.dryRun === true,
    force,
    allowAnyStatus: value.allowAnyStatus === true,
    ...checkApproval(value),
  };
}

/** What a person learned about a send, checked. */
export interface CheckedMark {
  outcome: 'sent' | 'not-sent';
  reason: string;
}

/**
 * Checks the argument of `markSendOutcome`.
 *
 * @throws {@link InvalidArgumentError} for an outcome other than `sent` / `not-sent`, or no reason.
 */
export function checkMark(value: unknown): CheckedMark {
  const mark = value as { outcome?: unknown; reason?: unknown } | null;
  if (typeof mark !== 'object' || mark === null || (mark.outcome !== 'sent' && mark.outcome !== 'not-sent')) {
    throw new InvalidArgumentError(
      'outcome',
      'outcome must be "sent" (the recipient got the email) or "not-sent" (it did not go out)',
    );
  }
  return { outcome: mark.outcome, reason: checkReason(mark.reason, 'reason', 'what the person learned') };
}

/** How long a send may take, from the client's settings; see {@link sendBound}. */
export interface SendTiming {
  /** Per-attempt timeout (ms). */
  timeout: number;
  /** The client's retry policy: a send retries only provable refusals, at most `maxRetries` times. */
  retry: RetryPolicy;
}

/**
 * The longest a send's POST phase may take when no `totalTimeout` bounds it, in milliseconds. Every
 * attempt may spend up to `timeout` getting a token and `timeout` on the request; there are at most
 * `maxRetries + 1` attempts, plus one repeat after an expired token; and each retry waits at most
 * `max(maxDelay, maxRetryAfter)`. With the defaults (30 s, 2 retries, 8 s, 60 s): 4 × 60 s + 2 × 60 s
 * = 6 minutes. It is the reservation's deadline: the send passes what is left of it to the transport,
 * which aborts the POST at it, and the send does not dispatch at all (TimeoutError, reservation
 * released) when less than one attempt `timeout` is left, e.g. after a slow store.
 */
export function sendBound({ timeout, retry }: SendTiming): number {
  const attempts = retry.maxRetries + 2;
  return attempts * 2 * timeout + retry.maxRetries * Math.max(retry.maxDelay, retry.maxRetryAfter);
}
