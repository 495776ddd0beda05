/**
 * The test oracle: the order schema written with zod/mini, independently of the SDK's validator
 * (src/internal/order-parse.ts), and the way the SDK used it until issue 16 (zod was the client's
 * slow path, and a runtime dependency). The property test in order-parse.test.ts holds the SDK's
 * validator to it: same acceptance, same output, same issue paths. Field names and kinds are
 * written out here rather than read from order-shape.ts, so a wrong table cannot agree with itself.
 *
 * Only the messages differ on purpose: zod/mini without a locale says "Invalid input" for everything;
 * the SDK names what was expected and what kind of value came.
 */
import * as z from 'zod/mini';
import type { SslOrder, SslOrderStatus, Validated } from '../src/order.js';

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

const int = optional(integer);
const str = optional(z.string());

/** Schema of `SoftLayer_Security_Certificate_Request_Status`. */
export const SslOrderStatusSchema = z.looseObject({ id: int, name: str, description: str });

/** Schema of `SoftLayer_Security_Certificate_Request`, the SSL order, as the SDK's mask returns it. */
export const SslOrderSchema = z.looseObject({
  id: integer,
  accountId: int,
  commonName: str,
  approverEmailAddress: str,
  technicalContactEmailAddress: str,
  certificateSigningRequest: str,
  statusId: int,
  createDate: str,
  modifyDate: str,
  effectiveDate: str,
  expirationDate: str,
  status: optional(SslOrderStatusSchema),
});

/** A list of orders, as `getSslCertificateRequests` returns it. */
export const SslOrderListSchema = z.array(SslOrderSchema);
/** The statuses, as `getSslRequestStatuses` returns them. */
export const SslOrderStatusListSchema = z.array(SslOrderStatusSchema);
/** `SoftLayer_Account::getObject` with `mask[id]`. */
export const AccountSchema = z.looseObject({ id: integer });

// The schemas' output is exactly the documented interfaces.
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

function slowParse<T>(schema: z.ZodMiniType<T>, value: unknown): Validated<T> {
  const result = z.safeParse(schema, value);
  // The SDK deleted the keys a null had become `undefined` for; the tests compare with toEqual, for
  // which an undefined property is an absent one, so the oracle leaves them. (The SDK's clean-up also
  // reached into unknown properties, which zod does not copy: it could write to the caller's data.)
  if (result.success) return { ok: true, value: result.data };
  // Only paths and zod's generic messages: the offending values may be personal data.
  const issues = result.error.issues.map((issue) => {
    const specific = specificIssue(issue as RawIssue, []);
    return { path: formatPath(specific.path), message: specific.message };
  });
  return { ok: false, issues };
}

/** Validates one order as the SDK did with zod. */
export function parseOrder(value: unknown): Validated<SslOrder> {
  return slowParse(SslOrderSchema, value);
}

/**
 * Validates a list of orders as the SDK did with zod. `indexes` names the items to parse (the ones
 * the fast check rejected; default all); the others are kept as they are, and the list is copied only
 * when an item is replaced.
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
