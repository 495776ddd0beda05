/**
 * Parsers for the values flags and arguments take: order ids, durations, counts. Each throws a
 * {@link UsageError} that names the flag and shows an accepted value.
 *
 * @module
 */
import { type CommandName, UsageError } from './usage.js';

/**
 * Parses an order id argument: digits only, positive, at most 2^53 − 1 (JavaScript's largest exact
 * integer; SoftLayer ids are far below it, but nothing here should reject a real one).
 */
export function parseOrderId(text: string, command?: CommandName): number {
  const id = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new UsageError(
      `invalid order id ${JSON.stringify(text.slice(0, 40))}: an order id is a positive integer ` +
        `(at most ${Number.MAX_SAFE_INTEGER}) such as 4471203`,
      command,
    );
  }
  return id;
}

/** Per-request timeout: seconds on the command line, milliseconds in the result. */
export function parseTimeout(text: string | undefined, command: CommandName): number | undefined {
  if (text === undefined) return undefined;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
  if (!(seconds > 0) || seconds * 1000 > 2_147_483_647) {
    throw new UsageError(
      `--timeout takes a number of seconds greater than 0, got ${JSON.stringify(text)}`,
      command,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses a duration such as `30m`, `2h`, `1d`, `90s`, `1.5h` into milliseconds. A bare number is
 * refused: "30" could mean seconds, minutes or days.
 *
 * @param flag - the flag's name for the message, e.g. `--cooldown`.
 */
export function parseDuration(text: string, flag: string, command?: CommandName): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)$/i.exec(text.trim());
  const ms = match ? Number(match[1]) * (UNITS[(match[2] ?? '').toLowerCase()] ?? Number.NaN) : Number.NaN;
  if (!(ms > 0) || ms > 3_650 * UNITS['d']!) {
    throw new UsageError(
      `${flag} takes a duration greater than 0 with a unit (ms, s, m, h, d), e.g. 30m, 2h or 1d; ` +
        `got ${JSON.stringify(text.slice(0, 40))}`,
      command,
    );
  }
  return Math.round(ms);
}

/** Renders milliseconds the way {@link parseDuration} reads them: `1d`, `2h`, `30m`, `45s`. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNITS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return ms >= 1_000 ? `${(ms / 1_000).toFixed(1)}s` : `${ms}ms`;
}

/** A whole number in `[min, max]`, e.g. `--concurrency 4`. */
export function parseCount(
  text: string,
  flag: string,
  min: number,
  max: number,
  command?: CommandName,
): number {
  const value = /^\d{1,6}$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new UsageError(
      `${flag} takes a whole number from ${min} to ${max}, got ${JSON.stringify(text.slice(0, 40))}`,
      command,
    );
  }
  return value;
}
