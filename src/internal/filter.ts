/**
 * List filters: the check of the caller's filter, the objectFilter sent to SoftLayer, and the local
 * match used when the server silently ignores a filter. A value can never become an operator.
 */
import { InvalidArgumentError } from '../errors.js';
import { shown } from './arguments.js';

/** Filters shared by `listOrders` and `iterateOrders`. */
export interface OrderFilter {
  /** Only orders with this status name, e.g. `Approved` (case-insensitive). */
  status?: string | undefined;
  /** Only orders for this common name, e.g. `www.example.com` (exact, case-insensitive). */
  commonName?: string | undefined;
}

const STATUS_NAME = /^[A-Za-z][A-Za-z ]{0,63}$/;
// Host names, wildcards and internationalised names in punycode; nothing that could be an operator.
const COMMON_NAME = /^[A-Za-z0-9*][A-Za-z0-9.*-]{0,252}$/;

/** Checks the filter options of a list. */
export function checkFilter(filter: OrderFilter): OrderFilter {
  const out: OrderFilter = {};
  if (filter.status !== undefined) {
    if (typeof filter.status !== 'string' || !STATUS_NAME.test(filter.status)) {
      throw new InvalidArgumentError(
        'status',
        `status must be a status name such as "Approved" or "Pending CA Approval", got ${shown(filter.status)}`,
      );
    }
    out.status = filter.status;
  }
  if (filter.commonName !== undefined) {
    if (typeof filter.commonName !== 'string' || !COMMON_NAME.test(filter.commonName)) {
      throw new InvalidArgumentError(
        'commonName',
        `commonName must be a domain name such as "www.example.com", got ${shown(filter.commonName)}`,
      );
    }
    out.commonName = filter.commonName;
  }
  return out;
}

/**
 * The objectFilter for a list. Every leaf states its operator (`_=`, case-insensitive equals), so a
 * value can never be read as one. Results are ordered by id, because SoftLayer's order is otherwise
 * not stable between pages.
 */
export function orderFilterJson(filter: OrderFilter): string {
  const tree: Record<string, unknown> = {
    id: { operation: 'orderBy', options: [{ name: 'sort', value: ['ASC'] }] },
  };
  if (filter.status !== undefined) tree['status'] = { name: { operation: `_= ${filter.status}` } };
  if (filter.commonName !== undefined) tree['commonName'] = { operation: `_= ${filter.commonName}` };
  return JSON.stringify(tree);
}

/** Whether an order matches the filter, for when the server ignores one (it does so silently). */
export function matchesFilter(
  order: { commonName?: string | undefined; status?: { name?: string | undefined } | undefined },
  filter: OrderFilter,
): boolean {
  // The server reads the operand of `_= value` trimmed; so does this check, or a value with spaces
  // around it would look like an ignored filter (and make listOrders read every order).
  const same = (a: string | undefined, b: string) => a?.toLowerCase() === b.trim().toLowerCase();
  if (filter.status !== undefined && !same(order.status?.name, filter.status)) return false;
  if (filter.commonName !== undefined && !same(order.commonName, filter.commonName)) return false;
  return true;
}
