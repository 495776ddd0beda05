/**
 * `--status` is checked against the account's status names before anything else happens, so a typo
 * is an error ("did you mean Approved?") rather than an empty list or "nothing to send".
 *
 * @module
 */
import { ApiError, ResponseValidationError, type SslOrdersClient } from '../index.js';
import { type CommandName, UsageError } from './usage.js';

/** The four status names SoftLayer documents, used when the account's list cannot be read. */
export const DOCUMENTED_STATUSES: readonly string[] = Object.freeze([
  'Approved',
  'Complete',
  'Pending CA Approval',
  'Canceled',
]);

/** Edit distance between two short strings (case-insensitive), for "did you mean". */
export function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, index) => index);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
}

/**
 * The status names to check against: the account's (`getSslRequestStatuses`) when the API answers
 * with them, else {@link DOCUMENTED_STATUSES}. A network failure is not hidden: the command would
 * fail the same way on its next request.
 */
export async function knownStatuses(client: SslOrdersClient): Promise<readonly string[]> {
  try {
    const names = (await client.listStatuses()).flatMap((status) => (status.name ? [status.name] : []));
    return names.length > 0 ? names : DOCUMENTED_STATUSES;
  } catch (error) {
    if (error instanceof ApiError || error instanceof ResponseValidationError) return DOCUMENTED_STATUSES;
    throw error;
  }
}

/**
 * The canonical spelling of `wanted` among `names` (compared case-insensitively).
 *
 * @throws {@link UsageError} naming the closest status ("did you mean Approved?") and the others.
 */
export function matchStatus(wanted: string, names: readonly string[], command: CommandName): string {
  const match = names.find((name) => name.toLowerCase() === wanted.trim().toLowerCase());
  if (match !== undefined) return match;
  const ranked = [...names].sort((a, b) => distance(wanted, a) - distance(wanted, b));
  const closest = ranked[0];
  const near =
    closest !== undefined && distance(wanted, closest) <= Math.max(2, Math.floor(closest.length / 3));
  const hint = near ? ` did you mean ${closest}?` : '';
  throw new UsageError(
    `unknown status ${JSON.stringify(wanted.slice(0, 60))};${hint} The statuses are: ${names.join(', ')}`,
    command,
  );
}

/** Checks `--status` against the account's statuses and returns its canonical spelling. */
export async function checkedStatus(
  client: SslOrdersClient,
  wanted: string | undefined,
  command: CommandName,
): Promise<string | undefined> {
  if (wanted === undefined) return undefined;
  return matchStatus(wanted, await knownStatuses(client), command);
}
