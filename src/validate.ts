/**
 * Response validation for the client. Each value passes the fast check (internal/order-check.ts)
 * once; only the values it rejects go to the coercing validator (internal/order-parse.ts), to coerce
 * tolerated variants or to name the path of the problem. Both are built from the field tables in
 * internal/order-shape.ts. The validator is a separate chunk, loaded then: a well-behaved response
 * never needs it, so browser and edge bundles do not load it up front.
 *
 * @module
 */
import { isAccountFast, isSslOrderFast, isStatusFast } from './internal/order-check.js';
import type { SslOrder, SslOrderStatus, Validated } from './order.js';

type Parser = typeof import('./internal/order-parse.js');
let parser: Promise<Parser> | undefined;
function loadParser(): Promise<Parser> {
  parser ??= import('./internal/order-parse.js');
  return parser;
}

/** Validates one order. */
export function validateOrder(value: unknown): Validated<SslOrder> | Promise<Validated<SslOrder>> {
  if (isSslOrderFast(value)) return { ok: true, value };
  return loadParser().then((module) => module.parseOrder(value));
}

/** Validates a page of orders: only the items the fast check rejects are checked again, and coerced. */
export function validateOrderList(value: unknown): Validated<SslOrder[]> | Promise<Validated<SslOrder[]>> {
  if (!Array.isArray(value)) return loadParser().then((module) => module.parseOrderList(value));
  const rejected: number[] = [];
  for (let index = 0; index < value.length; index++) {
    if (!isSslOrderFast(value[index])) rejected.push(index);
  }
  if (rejected.length === 0) return { ok: true, value };
  return loadParser().then((module) => module.parseOrderList(value, rejected));
}

/** Validates the status list. */
export function validateStatusList(
  value: unknown,
): Validated<SslOrderStatus[]> | Promise<Validated<SslOrderStatus[]>> {
  if (Array.isArray(value) && value.every(isStatusFast)) return { ok: true, value };
  return loadParser().then((module) => module.parseStatusList(value));
}

/** Validates the account object. */
export function validateAccount(
  value: unknown,
): Validated<{ id: number }> | Promise<Validated<{ id: number }>> {
  if (isAccountFast(value)) return { ok: true, value };
  return loadParser().then((module) => module.parseAccount(value));
}
