/**
 * Response schemas (zod/mini) and the types inferred from them.
 *
 * Validation has two tiers. A hand-written check accepts the common well-formed case without
 * copying anything; only when it says no does the zod schema run, to coerce tolerated variants
 * (numeric strings, nulls) and to name the exact path of a real problem. The zod schema stays the
 * definition: a property-based test keeps the fast check from ever accepting what zod rejects.
 *
 * @module
 */
import * as z from 'zod/mini';
import type { ValidationIssue } from './errors.js';

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

/** Schema of `SoftLayer_Security_Certificate_Request_Status`. */
export const SslOrderStatusSchema = z.looseObject({
  id: optional(integer),
  name: optional(z.string()),
  description: optional(z.string()),
});

/** Schema of `SoftLayer_Security_Certificate_Request`, the SSL order, as the SDK's mask returns it. */
export const SslOrderSchema = z.looseObject({
  id: integer,
  accountId: optional(integer),
  commonName: optional(z.string()),
  approverEmailAddress: optional(z.string()),
  technicalContactEmailAddress: optional(z.string()),
  certificateSigningRequest: optional(z.string()),
  statusId: optional(integer),
  status: optional(SslOrderStatusSchema),
  createDate: optional(z.string()),
  modifyDate: optional(z.string()),
  effectiveDate: optional(z.string()),
  expirationDate: optional(z.string()),
});

/** A list of orders, as `getSslCertificateRequests` returns it. */
export const SslOrderListSchema = z.array(SslOrderSchema);
/** The statuses, as `getSslRequestStatuses` returns them. */
export const SslOrderStatusListSchema = z.array(SslOrderStatusSchema);
/** `SoftLayer_Account::getObject` with `mask[id]`. */
export const AccountSchema = z.looseObject({ id: integer });

/**
 * The status of an SSL order. Match on `name` ("Pending CA Approval", "Approved", "Complete",
 * "Canceled"); IBM's numeric ids are not documented.
 */
export type SslOrderStatus = z.output<typeof SslOrderStatusSchema>;

/**
 * An SSL certificate order (`SoftLayer_Security_Certificate_Request`). Dates are the API's ISO-8601
 * strings with a UTC offset. Properties the API leaves out are absent; unknown extra properties from
 * the server are kept as they came.
 */
export type SslOrder = z.output<typeof SslOrderSchema>;

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

function isStatusFast(value: unknown): boolean {
  if (value === undefined) return true;
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
  return isStatusFast(value['status']);
}

/** Result of validating a response body. */
export type Validated<T> = { ok: true; value: T } | { ok: false; issues: ValidationIssue[] };

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

/** Validates one order. */
export function parseOrder(value: unknown): Validated<SslOrder> {
  return isSslOrderFast(value) ? { ok: true, value } : slowParse(SslOrderSchema, value);
}

/** Validates a list of orders; only the items the fast check rejects are re-parsed. */
export function parseOrderList(value: unknown): Validated<SslOrder[]> {
  if (!Array.isArray(value)) return slowParse(SslOrderListSchema, value);
  let out: SslOrder[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const item: unknown = value[index];
    if (isSslOrderFast(item)) continue;
    const parsed = slowParse(SslOrderSchema, item);
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
