/**
 * Response validation for the client. The fast checks answer for well-formed responses; only a
 * response they reject loads the zod schemas (a separate chunk, so browser and edge bundles do not
 * pay for zod up front) to coerce tolerated variants or to name the path of the problem.
 */
import type { SslOrder, SslOrderStatus, Validated } from '../order.js';
import { isAccountFast, isListFast, isSslOrderFast, isStatusFast } from './fast-check.js';

type Schemas = typeof import('../schemas.js');
let schemas: Promise<Schemas> | undefined;
function loadSchemas(): Promise<Schemas> {
  schemas ??= import('../schemas.js');
  return schemas;
}

/** Validates one order. */
export function validateOrder(value: unknown): Validated<SslOrder> | Promise<Validated<SslOrder>> {
  if (isSslOrderFast(value)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseOrder(value));
}

/** Validates a page of orders. */
export function validateOrderList(value: unknown): Validated<SslOrder[]> | Promise<Validated<SslOrder[]>> {
  if (isListFast(value, isSslOrderFast)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseOrderList(value));
}

/** Validates the status list. */
export function validateStatusList(
  value: unknown,
): Validated<SslOrderStatus[]> | Promise<Validated<SslOrderStatus[]>> {
  if (isListFast(value, isStatusFast)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseStatusList(value));
}

/** Validates the account object. */
export function validateAccount(
  value: unknown,
): Validated<{ id: number }> | Promise<Validated<{ id: number }>> {
  if (isAccountFast(value)) return { ok: true, value };
  return loadSchemas().then((module) => module.parseAccount(value));
}
