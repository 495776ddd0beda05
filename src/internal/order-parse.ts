/**
 * The coercing validator: the slow path for a response value the fast check (order-check.ts) rejects.
 * Built from the same field tables (order-shape.ts), it coerces what SoftLayer is known to send for
 * a well-formed value (a number as a string of up to 15 digits in an integer field, `null` for an
 * empty property, which then stays absent) and names the path of each real problem.
 *
 * Why not zod: the client used zod/mini here until issue 16 set a 31 KB gzip budget on everything a
 * client-only app can load; zod/mini's chunk was 7.2 KB of the 36.8 KB such an app loaded, and even
 * its floor (4.75 KB for one small schema) did not fit. The shape is two flat tables, so a walk over
 * them does the same job in 1.0 KB (gzip; it loads with the first call's code, transport-wire.ts). A property test (test/order-parse.test.ts) holds
 * this walk to a zod/mini schema written in the tests, on acceptance, output and issue paths.
 *
 * The caller's data is never mutated: an object is copied only when one of its fields changes, with
 * every other property (unknown ones included) kept as sent; the list only when an item is replaced.
 * Messages say what was expected and what kind of value came, never the value: it may be personal data.
 */
import type { SslOrder, SslOrderStatus, Validated } from '../order.js';
import { type FieldKind, ORDER_FIELDS, STATUS_FIELDS } from './order-shape.js';

interface Issue {
  path: string;
  message: string;
}

/** A field: its name, what it holds (`status`: the nested status object), and whether it is required. */
type Field = readonly [name: string, kind: FieldKind | 'status', required: boolean];

function fieldsOf(table: Record<string, FieldKind>): Field[] {
  return Object.entries(table).map(([name, kind]) => [name, kind, false]);
}
// Fields are checked, and their issues listed, in this order: `id`, the table, then `status`.
const STATUS = fieldsOf(STATUS_FIELDS);
const ORDER: Field[] = [['id', 'integer', true], ...fieldsOf(ORDER_FIELDS), ['status', 'status', false]];
const ACCOUNT: Field[] = [['id', 'integer', true]];

const INTEGER_STRING = /^-?\d{1,15}$/;
const EXPECTED = {
  integer: 'an integer or a string of 1 to 15 digits',
  string: 'a string',
  status: 'an object',
} as const;
/** Marks a value that does not fit its field. */
const BAD = Symbol('bad');
/** Marks a `null` in an optional field: the field is left out. */
const DROP = Symbol('drop');

/** What kind of value this is, in words, without the value itself. */
function kindOf(value: unknown, kind?: FieldKind | 'status'): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return 'an infinite number';
    if (!Number.isInteger(value)) return 'a number with a fraction';
    return Number.isSafeInteger(value) ? 'a number' : 'an integer beyond ±(2^53 − 1)';
  }
  if (typeof value === 'string' && kind === 'integer') return 'a string that is not 1 to 15 digits';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function issue(path: string, expected: string, value: unknown, kind?: FieldKind | 'status'): Issue {
  return { path, message: `expected ${expected}, received ${kindOf(value, kind)}` };
}

function join(path: string, name: string): string {
  return path ? `${path}.${name}` : name;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value a scalar field holds once coerced: the item itself when it fits as it is, or `BAD`. */
function coerce(kind: FieldKind, item: unknown): unknown {
  if (kind === 'string') return typeof item === 'string' ? item : BAD;
  if (Number.isSafeInteger(item)) return item;
  return typeof item === 'string' && INTEGER_STRING.test(item) ? Number(item) : BAD;
}

/**
 * A copy of `value`'s own properties with `changes` applied (`DROP` leaves a field out). A spread
 * defines each property, so an own `__proto__` stays a plain property; a changed field read through
 * the prototype chain becomes the copy's own. (A loop that skips dropped keys instead of deleting
 * them was ~25% faster on a list where every order is coerced, but 0.13 KB gzip larger: the bundle
 * budget decided.)
 */
function copyWith(value: Record<string, unknown>, changes: Map<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  for (const [key, next] of changes) {
    if (next === DROP) delete out[key];
    else out[key] = next;
  }
  return out;
}

/**
 * Checks `value` against `fields`, adding an issue per field that does not fit (for the nested
 * status only its first: the field is either a good status or not). Returns the value (the same
 * object when nothing changes, else a copy), or `undefined` when an issue was added.
 */
function parseObject(
  value: unknown,
  fields: readonly Field[],
  path: string,
  issues: Issue[],
): Record<string, unknown> | undefined {
  if (!isObject(value)) {
    issues.push(issue(path, 'an object', value));
    return undefined;
  }
  const before = issues.length;
  let changes: Map<string, unknown> | undefined;
  for (const [name, kind, required] of fields) {
    const item = value[name];
    let next: unknown;
    if (item === undefined || item === null) {
      if (!required) next = item === null ? DROP : item;
      else next = BAD;
    } else if (kind === 'status') {
      const inner: Issue[] = [];
      next = parseObject(item, STATUS, join(path, name), inner);
      if (inner[0]) {
        issues.push(inner[0]);
        continue;
      }
    } else next = coerce(kind, item);
    if (next === BAD) issues.push(issue(join(path, name), EXPECTED[kind], item, kind));
    else if (next !== item) {
      changes ??= new Map();
      changes.set(name, next);
    }
  }
  if (issues.length > before) return undefined;
  return changes ? copyWith(value, changes) : value;
}

function result<T>(value: unknown, issues: Issue[]): Validated<T> {
  return issues.length ? { ok: false, issues } : { ok: true, value: value as T };
}

/** `copy` (or, the first time, a copy of `list`) with one item replaced: the list is never mutated. */
function withItem(
  list: readonly unknown[],
  copy: unknown[] | undefined,
  index: number,
  item: unknown,
): unknown[] {
  const out = copy ?? list.slice();
  out[index] = item;
  return out;
}

/** Validates one order. */
export function parseOrder(value: unknown): Validated<SslOrder> {
  const issues: Issue[] = [];
  return result(parseObject(value, ORDER, '', issues), issues);
}

/**
 * Validates a list of orders. `indexes` names the items to check (the ones the fast check rejected;
 * default all); the others are kept as they are. Stops at the first item with a problem and reports
 * that item's issues.
 */
export function parseOrderList(value: unknown, indexes?: Iterable<number>): Validated<SslOrder[]> {
  if (!Array.isArray(value)) return { ok: false, issues: [issue('', 'an array', value)] };
  let out: unknown[] | undefined;
  for (const index of indexes ?? value.keys()) {
    const issues: Issue[] = [];
    const item = parseObject(value[index], ORDER, `[${index}]`, issues);
    if (issues.length) return { ok: false, issues };
    if (item !== value[index]) out = withItem(value, out, index, item);
  }
  return { ok: true, value: (out ?? value) as SslOrder[] };
}

/** Validates the status list, reporting the issues of every item. */
export function parseStatusList(value: unknown): Validated<SslOrderStatus[]> {
  if (!Array.isArray(value)) return { ok: false, issues: [issue('', 'an array', value)] };
  const issues: Issue[] = [];
  let out: unknown[] | undefined;
  for (let index = 0; index < value.length; index++) {
    const item = parseObject(value[index], STATUS, `[${index}]`, issues);
    if (item !== undefined && item !== value[index]) out = withItem(value, out, index, item);
  }
  return result(out ?? value, issues);
}

/** Validates the account object (`{ id, … }`). */
export function parseAccount(value: unknown): Validated<{ id: number }> {
  const issues: Issue[] = [];
  return result(parseObject(value, ACCOUNT, '', issues), issues);
}
