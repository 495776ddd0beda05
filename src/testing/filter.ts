/**
 * SoftLayer object filters: `{"commonName":{"operation":"*= example"},"status":{"name":{"operation":"Approved"}}}`.
 *
 * The tree mirrors property paths; a node with an `operation` key is a leaf. Paths the caller cannot
 * resolve are ignored, as the real API silently ignores malformed advanced filters.
 *
 * @module
 */
import { DEFAULT_FILTER_TIME_ZONE, dateOperation, isIsoDate, parseFilterDate } from './filter-dates.js';

/** A filter that is not valid JSON or not a JSON object. */
export class FilterError extends Error {
  override readonly name = 'FilterError';
}

/** Returns a getter for a property path, or `null` when the type has no such path. */
export type PathResolver<T> = (path: readonly string[]) => ((item: T) => unknown) | null;

/** A compiled filter: conditions (all must hold) and sort keys (highest priority first). */
export interface CompiledFilter<T> {
  readonly conditions: ReadonlyArray<(item: T) => boolean>;
  readonly sorts: ReadonlyArray<{ readonly get: (item: T) => unknown; readonly desc: boolean }>;
}

type Matcher = (value: unknown) => boolean;

// Longest first, so that '!*=' is not read as '!' + '*='.
const OPERATORS = [
  '!*=',
  '!^=',
  '!$=',
  '*=',
  '^=',
  '$=',
  '_=',
  '!=',
  '>=',
  '<=',
  '!~',
  '~',
  '>',
  '<',
  '=',
] as const;
type Operator = (typeof OPERATORS)[number];

/** Compares a property value with an operand the way the operand's type suggests: number, date, then text. */
function compare(value: unknown, operand: string, zone: string): number | null {
  if (typeof value === 'number') {
    const n = asNumber(operand);
    return n === null ? null : value - n;
  }
  if (typeof value !== 'string') return null;
  if (isIsoDate(value)) {
    const a = parseFilterDate(value, zone);
    const b = parseFilterDate(operand, zone);
    if (a !== null && b !== null) return a.ms - b.ms;
  }
  return value < operand ? -1 : value > operand ? 1 : 0;
}

function asNumber(text: string): number | null {
  if (text.trim() === '') return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** Builds a matcher for one operation string, e.g. `"*= example"`. Null values match only `is null`. */
function conditionMatcher(operation: string, zone: string): Matcher {
  const op = operation.trim();
  const lower = op.toLowerCase();
  if (lower === 'is null') return (v) => v === undefined || v === null;
  if (lower === 'not null') return (v) => v !== undefined && v !== null;
  let operator: Operator = '=';
  let operand = op;
  for (const candidate of OPERATORS) {
    if (op.startsWith(candidate)) {
      operator = candidate;
      operand = op.slice(candidate.length).trim();
      break;
    }
  }
  const needle = operand.toLowerCase();
  const text = (v: unknown): string | null => textOf(v);
  const cmp = (v: unknown): number | null => compare(v, operand, zone);
  // '*=', '^=', '$=' and '_=' ignore case; '~' and '!~' are "contains" / "does not contain" with case
  // (softlayer-python's `query_filter` documents them so); '=' and '!=' are exact.
  const matchers: Record<Operator, Matcher> = {
    '=': (v) => cmp(v) === 0,
    '!=': (v) => {
      const c = cmp(v);
      return c !== null && c !== 0;
    },
    '_=': (v) => text(v)?.toLowerCase() === needle,
    '*=': (v) => text(v)?.toLowerCase().includes(needle) ?? false,
    '!*=': (v) => !(text(v)?.toLowerCase().includes(needle) ?? true),
    '^=': (v) => text(v)?.toLowerCase().startsWith(needle) ?? false,
    '!^=': (v) => !(text(v)?.toLowerCase().startsWith(needle) ?? true),
    '$=': (v) => text(v)?.toLowerCase().endsWith(needle) ?? false,
    '!$=': (v) => !(text(v)?.toLowerCase().endsWith(needle) ?? true),
    '~': (v) => text(v)?.includes(operand) ?? false,
    '!~': (v) => !(text(v)?.includes(operand) ?? true),
    '>': (v) => (cmp(v) ?? 0) > 0,
    '<': (v) => (cmp(v) ?? 0) < 0,
    '>=': (v) => {
      const c = cmp(v);
      return c !== null && c >= 0;
    },
    '<=': (v) => {
      const c = cmp(v);
      return c !== null && c <= 0;
    },
  };
  const matcher = matchers[operator];
  return (v) => v !== undefined && v !== null && matcher(v);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionValues(leaf: Record<string, unknown>, name: string): unknown[] | undefined {
  const options = leaf['options'];
  if (!Array.isArray(options)) return undefined;
  for (const option of options) {
    if (isObject(option) && option['name'] === name) {
      const value = option['value'];
      return Array.isArray(value) ? value : [value];
    }
  }
  return undefined;
}

function equalsAny(values: unknown[], zone: string): Matcher {
  return (v) =>
    v !== undefined &&
    v !== null &&
    values.some((candidate) => {
      const operand = textOf(candidate);
      return operand !== null && compare(v, operand, zone) === 0;
    });
}

/** Options of {@link compileFilter}. */
export interface CompileFilterOptions {
  /** Zone of dates written without an offset: a fixed offset or an IANA name. */
  readonly timeZone?: string;
}

/**
 * Compiles an `objectFilter` query value (already URL-decoded).
 *
 * @throws {FilterError} when the text is not a JSON object.
 * @example
 * ```ts
 * const f = compileFilter('{"status":{"name":{"operation":"Approved"}}}', resolveOrderPath);
 * const approved = runFilter(orders, f);
 * ```
 */
export function compileFilter<T>(
  text: string | null | undefined,
  resolve: PathResolver<T>,
  options: CompileFilterOptions = {},
): CompiledFilter<T> {
  const zone = options.timeZone ?? DEFAULT_FILTER_TIME_ZONE;
  const conditions: Array<(item: T) => boolean> = [];
  const sorts: Array<{ get: (item: T) => unknown; desc: boolean; priority: number; index: number }> = [];
  if (text === null || text === undefined || text.trim() === '') return { conditions, sorts };
  let tree: unknown;
  try {
    tree = JSON.parse(text);
  } catch (error) {
    throw new FilterError(`Invalid object filter: ${(error as Error).message}`);
  }
  if (!isObject(tree)) throw new FilterError('Invalid object filter: expected a JSON object');

  const leaf = (path: string[], node: Record<string, unknown>): void => {
    const get = resolve(path);
    if (!get) return;
    const operation = node['operation'];
    const sort = optionValues(node, 'sort');
    if (sort !== undefined) {
      const priority = Number(optionValues(node, 'sortOrder')?.[0] ?? Number.POSITIVE_INFINITY);
      const desc = String(sort[0] ?? 'ASC').toUpperCase() === 'DESC';
      sorts.push({
        get,
        desc,
        priority: Number.isNaN(priority) ? Number.POSITIVE_INFINITY : priority,
        index: sorts.length,
      });
    }
    let matcher: Matcher | null = null;
    if (typeof operation === 'number' || typeof operation === 'boolean') {
      matcher = equalsAny([operation], zone);
    } else if (typeof operation === 'string') {
      const keyword = operation.trim().toLowerCase();
      if (keyword === 'orderby') {
        if (sort === undefined)
          sorts.push({ get, desc: false, priority: Number.POSITIVE_INFINITY, index: sorts.length });
      } else if (keyword === 'in') {
        matcher = equalsAny(optionValues(node, 'data') ?? [], zone);
      } else if (keyword === 'not in') {
        const any = equalsAny(optionValues(node, 'data') ?? [], zone);
        matcher = (v) => v !== undefined && v !== null && !any(v);
      } else if (keyword === 'and' || keyword === 'or') {
        const parts = (optionValues(node, 'data') ?? [])
          .filter((p) => typeof p === 'string')
          .map((p) => conditionMatcher(p, zone));
        matcher = keyword === 'and' ? (v) => parts.every((m) => m(v)) : (v) => parts.some((m) => m(v));
      } else {
        matcher =
          dateOperation(keyword, (name) => optionValues(node, name)?.[0], zone) ??
          conditionMatcher(operation, zone);
      }
    }
    if (matcher) {
      const m = matcher;
      conditions.push((item) => m(get(item)));
    }
  };

  const walk = (node: unknown, path: string[]): void => {
    if (!isObject(node)) return;
    if ('operation' in node) {
      leaf(path, node);
      return;
    }
    for (const [key, child] of Object.entries(node)) walk(child, [...path, key]);
  };
  walk(tree, []);
  sorts.sort((a, b) => a.priority - b.priority || a.index - b.index);
  return { conditions, sorts: sorts.map(({ get, desc }) => ({ get, desc })) };
}

function sortValue(a: unknown, b: unknown): number {
  const aNull = a === undefined || a === null;
  const bNull = b === undefined || b === null;
  if (aNull || bNull) return aNull === bNull ? 0 : aNull ? -1 : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  if (isIsoDate(sa) && isIsoDate(sb)) {
    const da = Date.parse(sa);
    const db = Date.parse(sb);
    if (!Number.isNaN(da) && !Number.isNaN(db) && da !== db) return da - db;
  }
  const la = sa.toLowerCase();
  const lb = sb.toLowerCase();
  if (la !== lb) return la < lb ? -1 : 1;
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/**
 * Returns the items that pass every condition, stably sorted by the filter's `orderBy` keys.
 * Returns the input array itself when the filter neither filters nor sorts.
 *
 * @example
 * ```ts
 * runFilter(orders, compileFilter('{"id":{"operation":"orderBy","options":[{"name":"sort","value":["DESC"]}]}}', resolve));
 * ```
 */
export function runFilter<T>(items: readonly T[], filter: CompiledFilter<T>): readonly T[] {
  const { conditions, sorts } = filter;
  if (conditions.length === 0 && sorts.length === 0) return items;
  const kept =
    conditions.length === 0 ? items.slice() : items.filter((item) => conditions.every((c) => c(item)));
  if (sorts.length > 0) {
    kept.sort((x, y) => {
      for (const { get, desc } of sorts) {
        const c = sortValue(get(x), get(y));
        if (c !== 0) return desc ? -c : c;
      }
      return 0;
    });
  }
  return kept;
}
