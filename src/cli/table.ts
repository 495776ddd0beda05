/**
 * Plain-text rendering of orders: the `list` table and the `show` details.
 *
 * @module
 */
import type { SslOrder } from '../index.js';

/**
 * Makes a server-supplied value safe to print on a terminal: control characters (which could carry
 * escape sequences that rewrite the screen, e.g. hide a recipient) become `?`.
 */
export function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

function expiresAt(order: SslOrder): number {
  const time = order.expirationDate === undefined ? Number.NaN : Date.parse(order.expirationDate);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/**
 * Sorts by expiration date, oldest first, as the IBM Cloud console does; orders without a (readable)
 * expiration date go last; ties by id. Returns a new array.
 */
export function sortByExpiration(orders: readonly SslOrder[]): SslOrder[] {
  return [...orders].sort((a, b) => expiresAt(a) - expiresAt(b) || a.id - b.id);
}

/** The day part of an API date (`2024-11-03T17:59:59-06:00` → `2024-11-03`), in the API's own offset. */
export function day(date: string | undefined): string {
  if (date === undefined) return '-';
  const match = /^\d{4}-\d{2}-\d{2}/.exec(date);
  return match ? match[0] : clean(date);
}

/** Renders rows as left-aligned columns separated by two spaces, with a header row. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((text) => `${text}\n`).join('');
}

/** The `list` table: id, common name, status, expires, approver, oldest expiration first. */
export function formatOrderTable(orders: readonly SslOrder[]): string {
  const rows = sortByExpiration(orders).map((order) => [
    String(order.id),
    clean(order.commonName ?? '-'),
    clean(order.status?.name ?? '-'),
    day(order.expirationDate),
    clean(order.approverEmailAddress ?? '-'),
  ]);
  return formatTable(['ID', 'COMMON NAME', 'STATUS', 'EXPIRES', 'APPROVER'], rows);
}

const LABELS: readonly [keyof SslOrder & string, string][] = [
  ['id', 'id'],
  ['commonName', 'common name'],
  ['status', 'status'],
  ['statusId', 'status id'],
  ['approverEmailAddress', 'approver'],
  ['technicalContactEmailAddress', 'technical contact'],
  ['createDate', 'created'],
  ['modifyDate', 'modified'],
  ['effectiveDate', 'effective'],
  ['expirationDate', 'expires'],
  ['accountId', 'account id'],
];

function show(value: unknown): string {
  if (value === undefined || value === null) return '-';
  return clean(typeof value === 'string' ? value : JSON.stringify(value));
}

/** The `show` output: every field of the order, known ones first with readable labels. */
export function formatOrderDetails(order: SslOrder): string {
  const rows: [string, string][] = [];
  for (const [key, label] of LABELS) {
    if (key === 'status') {
      const status = order.status;
      const text = status?.name
        ? `${status.name}${status.description ? ` (${status.description})` : ''}`
        : '-';
      rows.push([label, clean(text)]);
    } else {
      rows.push([label, show(order[key])]);
    }
  }
  const known = new Set<string>(LABELS.map(([key]) => key));
  for (const [key, value] of Object.entries(order)) {
    if (!known.has(key)) rows.push([clean(key), show(value)]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
