/**
 * Response validation for the client. Each value passes the fast check once; only the values it
 * rejects go to the zod schemas (a separate chunk, loaded then, so browser and edge bundles do not pay
 * for zod up front), to coerce tolerated variants or to name the path of the problem.
 *
 * @module
 */
import { isAccountFast, isSslOrderFast, isStatusFast } from './internal/order-check.js';
import type { SslOrder, SslOrderStatus, Validated } from './order.js';

type Schemas = typeof import('./schemas.js');
let schemas: Promise<Schemas> | undefined;
function loadSchemas(): Promise<Schemas> {
  schemas ??= import('./schemas.js');
  return schemas;
}

/** Validates one order. */
export function validateOrder(value: unknown): Validated<SslOrder> | Promise<Validated<SslOrder>> {
  if (isSslOrderFast(value)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseOrder(value));
}

/** Validates a page of orders: only the items the fast check rejects are parsed again, by zod. */
export function validateOrderList(value: unknown): Validated<SslOrder[]> | Promise<Validated<SslOrder[]>> {
  if (!Array.isArray(value)) return loadSchemas().then((module) => module.parseOrderList(value));
  const rejected: number[] = [];
  for (let index = 0; index < value.length; index++) {
    if (!isSslOrderFast(value[index])) rejected.push(index);
  }
  if (rejected.length === 0) return { ok: true, value };
  return loadSchemas().then((module) => module.parseOrderList(value, rejected));
}

/** Validates the status list. */
export function validateStatusList(
  value: unknown,
): Validated<SslOrderStatus[]> | Promise<Validated<SslOrderStatus[]>> {
  if (Array.isArray(value) && value.every(isStatusFast)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseStatusList(value));
}

/** Validates the account object. */
export function validateAccount(
  value: unknown,
): Validated<{ id: number }> | Promise<Validated<{ id: number }>> {
  if (isAccountFast(value)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseAccount(value));
}
