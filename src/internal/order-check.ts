/**
 * Structural checks for well-formed responses, built from the field tables in order-shape.ts. They
 * accept only values the coercing validator (order-parse.ts, built from the same tables) returns
 * unchanged — a property test holds them to that — so a yes needs no second opinion, and the
 * validator runs only for a response that needs coercion or has a real problem.
 */
import type { SslOrder, SslOrderStatus } from '../order.js';
import { type FieldKind, ORDER_FIELDS, STATUS_FIELDS } from './order-shape.js';

// Split by kind once, so the per-order check is two flat loops.
function fieldsOf(table: Record<string, FieldKind>, kind: FieldKind): string[] {
  return Object.keys(table).filter((field) => table[field] === kind);
}
const ORDER_INTEGERS = fieldsOf(ORDER_FIELDS, 'integer');
const ORDER_STRINGS = fieldsOf(ORDER_FIELDS, 'string');
const STATUS_INTEGERS = fieldsOf(STATUS_FIELDS, 'integer');
const STATUS_STRINGS = fieldsOf(STATUS_FIELDS, 'string');

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fits(value: Record<string, unknown>, integers: string[], strings: string[]): boolean {
  for (const field of integers) {
    const item = value[field];
    if (item !== undefined && !Number.isSafeInteger(item)) return false;
  }
  for (const field of strings) {
    const item = value[field];
    if (item !== undefined && typeof item !== 'string') return false;
  }
  return true;
}

/** True when `value` is a status that needs no coercion. */
export function isStatusFast(value: unknown): value is SslOrderStatus {
  return isPlainObject(value) && fits(value, STATUS_INTEGERS, STATUS_STRINGS);
}

/** True when `value` is an order that needs no coercion: the case for every well-behaved response. */
export function isSslOrderFast(value: unknown): value is SslOrder {
  if (!isPlainObject(value) || !Number.isSafeInteger(value['id'])) return false;
  if (!fits(value, ORDER_INTEGERS, ORDER_STRINGS)) return false;
  return value['status'] === undefined || isStatusFast(value['status']);
}

/** True when `value` is `{ id: <safe integer>, … }`. */
export function isAccountFast(value: unknown): value is { id: number } {
  return isPlainObject(value) && Number.isSafeInteger(value['id']);
}
