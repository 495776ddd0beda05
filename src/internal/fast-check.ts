/**
 * Structural checks for well-formed responses, without zod. They accept only values the zod schemas
 * (schemas.ts) accept unchanged — a property test holds them to that — so a yes needs no second
 * opinion, and zod is loaded only for a response that needs coercion or has a real problem.
 */
import type { SslOrder, SslOrderStatus } from '../order.js';

const STRING_FIELDS = [
  'commonName',
  'approverEmailAddress',
  'technicalContactEmailAddress',
  'certificateSigningRequest',
  'createDate',
  'modifyDate',
  'effectiveDate',
  'expirationDate',
] as const;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isOptionalInteger(value: unknown): boolean {
  return value === undefined || Number.isSafeInteger(value);
}

function isOptionalString(value: unknown): boolean {
  return value === undefined || typeof value === 'string';
}

/** True when `value` is a status that needs no coercion. */
export function isStatusFast(value: unknown): value is SslOrderStatus {
  if (!isPlainObject(value)) return false;
  return (
    isOptionalInteger(value['id']) &&
    isOptionalString(value['name']) &&
    isOptionalString(value['description'])
  );
}

/** True when `value` is an order that needs no coercion: the case for every well-behaved response. */
export function isSslOrderFast(value: unknown): value is SslOrder {
  if (!isPlainObject(value)) return false;
  if (!Number.isSafeInteger(value['id'])) return false;
  if (!isOptionalInteger(value['accountId']) || !isOptionalInteger(value['statusId'])) return false;
  for (const field of STRING_FIELDS) {
    if (!isOptionalString(value[field])) return false;
  }
  return value['status'] === undefined || isStatusFast(value['status']);
}

/** True when every item of `value` passes `check`. */
export function isListFast<T>(value: unknown, check: (item: unknown) => item is T): value is T[] {
  if (!Array.isArray(value)) return false;
  for (const item of value) if (!check(item)) return false;
  return true;
}

/** True when `value` is `{ id: <safe integer>, … }`. */
export function isAccountFast(value: unknown): value is { id: number } {
  return isPlainObject(value) && Number.isSafeInteger(value['id']);
}
