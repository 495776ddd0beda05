/**
 * Response validation for the client. Each value passes the fast check (internal/order-check.ts)
 * once; only the values it rejects go to the coercing validator (internal/order-parse.ts), to coerce
 * tolerated variants or to name the path of the problem. Both are built from the field tables in
 * internal/order-shape.ts. All of it loads with the first call's code (transport-wire.ts): a
 * response is validated after its call, so it is loaded by then, and browser and edge bundles do
 * not load it at startup.
 *
 * @module
 */
import { isAccountFast, isSslOrderFast, isStatusFast } from './internal/order-check.js';
import { parseAccount, parseOrder, parseOrderList, parseStatusList } from './internal/order-parse.js';
import type { SslOrder, SslOrderStatus, Validated } from './order.js';

/** Validates one order. */
export function validateOrder(value: unknown): Validated<SslOrder> {
  return isSslOrderFast(value) ? { ok: true, value } : parseOrder(value);
}

/** Validates a page of orders: only the items the fast check rejects are checked again, and coerced. */
export function validateOrderList(value: unknown): Validated<SslOrder[]> {
  if (!Array.isArray(value)) return parseOrderList(value);
  const rejected: number[] = [];
  for (let index = 0; index < value.length; index++) {
    if (!isSslOrderFast(value[index])) rejected.push(index);
  }
  return rejected.length === 0 ? { ok: true, value } : parseOrderList(value, rejected);
}

/** Validates the status list. */
export function validateStatusList(value: unknown): Validated<SslOrderStatus[]> {
  return Array.isArray(value) && value.every(isStatusFast) ? { ok: true, value } : parseStatusList(value);
}

/** Validates the account object. */
export function validateAccount(value: unknown): Validated<{ id: number }> {
  return isAccountFast(value) ? { ok: true, value } : parseAccount(value);
}
