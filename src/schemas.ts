/**
 * Response schemas (zod/mini): the definition of a valid response, built from the field tables in
 * internal/order-shape.ts.
 *
 * Validation has two tiers (validate.ts). A check built from the same tables
 * (internal/order-check.ts) accepts the common well-formed case without copying anything; only what
 * it rejects comes here, to coerce tolerated variants (numeric strings, nulls) and to name the exact
 * path of a real problem. A property-based test keeps the fast check from ever accepting what these
 * schemas reject.
 *
 * @module
 */
import * as z from 'zod/mini';
import { type FieldKind, ORDER_FIELDS, STATUS_FIELDS } from './internal/order-shape.js';
import type { SslOrder, SslOrderStatus, Validated } from './order.js';

// SoftLayer sometimes sends numbers as strings and empty properties as null; both are tolerated.
const integer = z.union([
  z.number().check(z.int()),
  z.pipe(z.string().check(z.regex(/^-?\d{1,15}$/)), z.transform(Number)),
]);
const nullToUndefined = z.pipe(
  z.null(),
  z.transform(() => undefined),
);
function optional<T extends z.ZodMiniType>(schema: T) {
  return z.optional(z.union([schema, nullToUndefined]));
}

const FIELD = { integer: optional(integer), string: optional(z.string()) } as const;

/** The zod shape of a field table. */
function shapeOf<T extends Record<string, FieldKind>>(table: T): { [K in keyof T]: (typeof FIELD)[T[K]] } {
  return Object.fromEntries(Object.entries(table).map(([field, kind]) => [field, FIELD[kind]])) as {
    [K in keyof T]: (typeof FIELD)[T[K]];
  };
}

/** Schema of `SoftLayer_Security_Certificate_Request_Status`. */
export const SslOrderStatusSchema = z.looseObject(shapeOf(STATUS_FIELDS));

/** Schema of `SoftLayer_Security_Certificate_Request`, the SSL order, as the SDK's mask returns it. */
export const SslOrderSchema = z.looseObject({
  id: integer,
  ...shapeOf(ORDER_FIELDS),
  status: optional(SslOrderStatusSchema),
});

/** A list of orders, as `getSslCertificateRequests` returns it. */
export const SslOrderListSchema = z.array(SslOrderSchema);
/** The statuses, as `getSslRequestStatuses` returns them. */
export const SslOrderStatusListSchema = z.array(SslOrderStatusSchema);
/** `SoftLayer_Account::getObject` with `mask[id]`. */
export const AccountSchema = z.looseObject({ id: integer });

// The schemas' output must be exactly the documented interfaces.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const statusMatches: Same<z.output<typeof SslOrderStatusSchema>, SslOrderStatus> = true;
const orderMatches: Same<z.output<typeof SslOrderSchema>, SslOrder> = true;
void statusMatches;
void orderMatches;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

interface RawIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly errors?: readonly (readonly RawIssue[])[];
}

/**
 * Resolves a union's failure to the issue of its most specific branch. Every optional field is a
 * union with `null`, so without this a bad `status.name` would be reported as just `status`.
 */
function specificIssue(
  issue: RawIssue,
  prefix: readonly PropertyKey[],
): { path: PropertyKey[]; message: string } {
  const path = [...prefix, ...issue.path];
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return { path, message: issue.message };
  let best: { path: PropertyKey[]; message: string } | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (!first) continue;
    const candidate = specificIssue(first, path);
    if (!best || candidate.path.length > best.path.length) best = candidate;
  }
  return best ?? { path, message: issue.message };
}

/**
 * Drops the keys a null was turned into `undefined` for, so absent stays absent. Only the objects the
 * schemas define are touched (orders and their status); extra fields are the server's, kept as sent.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) {
    for (const item of value) withoutUndefined(item);
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
    if (typeof record['status'] === 'object') withoutUndefined(record['status']);
  }
  return value;
}

function slowParse<T>(schema: z.ZodMiniType<T>, value: unknown): Validated<T> {
  const result = z.safeParse(schema, value);
  // zod's output is a fresh copy, so cleaning it never touches the caller's data.
  if (result.success) return { ok: true, value: withoutUndefined(result.data) as T };
  // Only paths and zod's generic messages: the offending values may be personal data.
  const issues = result.error.issues.map((issue) => {
    const specific = specificIssue(issue as RawIssue, []);
    return { path: formatPath(specific.path), message: specific.message };
  });
  return { ok: false, issues };
}

/** Validates one order with zod. */
export function parseOrder(value: unknown): Validated<SslOrder> {
  return slowParse(SslOrderSchema, value);
}

/**
 * Validates a list of orders with zod. `indexes` names the items to parse (the ones the fast check
 * rejected; default all); the others are kept as they are, and the list is copied only when an item
 * is replaced.
 */
export function parseOrderList(value: unknown, indexes?: readonly number[]): Validated<SslOrder[]> {
  if (!Array.isArray(value)) return slowParse(SslOrderListSchema, value);
  let out: SslOrder[] | undefined;
  for (const index of indexes ?? value.keys()) {
    const parsed = slowParse(SslOrderSchema, value[index]);
    if (!parsed.ok) {
      return {
        ok: false,
        issues: parsed.issues.map((issue) => ({ ...issue, path: `[${index}]${prefixDot(issue.path)}` })),
      };
    }
    out ??= value.slice() as SslOrder[];
    out[index] = parsed.value;
  }
  return { ok: true, value: out ?? (value as SslOrder[]) };
}

function prefixDot(path: string): string {
  return path === '' || path.startsWith('[') ? path : `.${path}`;
}

/** Validates the status list. */
export function parseStatusList(value: unknown): Validated<SslOrderStatus[]> {
  return slowParse(SslOrderStatusListSchema, value);
}

/** Validates the account object and returns its id. */
export function parseAccount(value: unknown): Validated<{ id: number }> {
  return slowParse(AccountSchema, value);
}
