/**
 * The send pipeline's check of the order it read: there is a recipient, and the status allows the email.
 *
 * @module
 */
import {
  ApiError,
  AuthenticationError,
  ConnectionError,
  type EmailType,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
} from './errors.js';
import { ALLOWED_STATUSES } from './options.js';
import type { SslOrder } from './order.js';
import { PreconditionFailedError } from './send-errors.js';

/**
 * The order's recipient, after checking that the order has one and that its status allows the email.
 *
 * @throws {@link PreconditionFailedError} otherwise; nothing is sent.
 */
export function checkPreconditions(
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

/** Names what the server answered without repeating it: the answer could echo a credential. */
export function describeValue(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
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
