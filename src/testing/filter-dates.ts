/**
 * Dates in object filters: parsing the forms clients send and reading them in a time zone.
 *
 * SoftLayer filters write dates as `MM/DD/YYYY` or `MM/DD/YYYY HH24:MI:SS`, and softlayer-python sends
 * them unpadded (`8/1/2024 0:0:0`, `SoftLayer/utils.py` `query_filter_date`); the event log helpers send
 * ISO 8601 with an offset. A date without an offset is a wall time in some zone the API does not
 * document: the emulator reads it in `filterTimeZone` (default `America/Chicago`, where the API's own
 * timestamps are: a guess, hence the option).
 *
 * @module
 */

/** The default zone for dates without an offset: US Central, like the API's own timestamps (a guess). */
export const DEFAULT_FILTER_TIME_ZONE = 'America/Chicago';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?$/;
const FIXED_OFFSET = /^([+-])(\d{2}):(\d{2})$/;
const DAY_MS = 86_400_000;

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  return f;
}

/**
 * Checks a time zone: a fixed offset (`-06:00`) or an IANA name (`America/Chicago`).
 *
 * @throws {RangeError} naming the option when the zone is unknown.
 */
export function checkTimeZone(zone: string, option = 'filterTimeZone'): string {
  if (FIXED_OFFSET.test(zone)) return zone;
  try {
    formatter(zone);
  } catch {
    throw new RangeError(
      `${option} ${JSON.stringify(zone)} is not a time zone: use an offset such as '-06:00' or an IANA name such as 'America/Chicago'`,
    );
  }
  return zone;
}

/** The zone's offset from UTC at an instant, in ms (positive east of Greenwich). */
function offsetAt(zone: string, utcMs: number): number {
  const fixed = FIXED_OFFSET.exec(zone);
  if (fixed) {
    const minutes = Number(fixed[2]) * 60 + Number(fixed[3]);
    return (fixed[1] === '-' ? -minutes : minutes) * 60_000;
  }
  const parts: Record<string, number> = {};
  for (const part of formatter(zone).formatToParts(new Date(utcMs))) parts[part.type] = Number(part.value);
  const wall = Date.UTC(
    parts['year']!,
    parts['month']! - 1,
    parts['day']!,
    parts['hour']!,
    parts['minute']!,
    parts['second']!,
  );
  return wall - Math.floor(utcMs / 1000) * 1000;
}

/** The instant of a wall time in a zone (two passes settle the offset across a DST change). */
function wallToUtc(wall: number, zone: string): number {
  const first = wall - offsetAt(zone, wall);
  return wall - offsetAt(zone, first);
}

/** A parsed filter date: the instant, and the calendar day it names in the filter's zone. */
export interface FilterDate {
  readonly ms: number;
  /** Days since 1970-01-01 of the wall date in the zone. */
  readonly day: number;
}

/**
 * Parses an ISO 8601 date (its own offset wins) or `M/D/YYYY[ H:M[:S]]` (read in `zone`).
 * Returns `null` for anything else.
 */
export function parseFilterDate(text: string, zone: string): FilterDate | null {
  const trimmed = text.trim();
  const us = US_DATE.exec(trimmed);
  if (us) {
    const [, mo, d, y, h = '0', mi = '0', s = '0'] = us;
    const wall = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
    return { ms: wallToUtc(wall, zone), day: Math.floor(wall / DAY_MS) };
  }
  if (!ISO_DATE.test(trimmed)) return null;
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) return null;
  return { ms, day: dayIn(ms, zone) };
}

/** The calendar day (days since 1970-01-01) of an instant in a zone. */
export function dayIn(ms: number, zone: string): number {
  return Math.floor((ms + offsetAt(zone, ms)) / DAY_MS);
}

/** Whether a stored value looks like a date (the API stores ISO 8601 with an offset). */
export function isIsoDate(value: string): boolean {
  return ISO_DATE.test(value);
}

/**
 * The date operations (`betweenDate`, `greaterThanDate`, `lessThanDate`, `isDate`), which take their
 * operands from `options` (`startDate`/`endDate`, or `date`). Bounds of `betweenDate` are inclusive
 * and `greaterThanDate`/`lessThanDate` are strict: SLDN does not say, so both are guesses. `isDate`
 * matches the calendar day in the filter's zone. `keyword` is the lower-cased operation; returns
 * `undefined` for other keywords. `optionValue(name)` is the first value of that option.
 */
export function dateOperation(
  keyword: string,
  optionValue: (name: string) => unknown,
  zone: string,
): ((value: unknown) => boolean) | undefined {
  const option = (name: string): FilterDate | null => {
    const value = optionValue(name);
    return typeof value === 'string' ? parseFilterDate(value, zone) : null;
  };
  const instant = (v: unknown): number | null =>
    typeof v === 'string' ? (parseFilterDate(v, zone)?.ms ?? null) : null;
  const build = (test: (ms: number) => boolean) => {
    return (v: unknown): boolean => {
      const ms = instant(v);
      return ms !== null && test(ms);
    };
  };
  // A date the filter cannot read matches nothing, as an unreadable operand would in SQL.
  switch (keyword) {
    case 'betweendate': {
      const start = option('startDate');
      const end = option('endDate');
      return start && end ? build((ms) => ms >= start.ms && ms <= end.ms) : () => false;
    }
    case 'greaterthandate': {
      const date = option('date');
      return date ? build((ms) => ms > date.ms) : () => false;
    }
    case 'lessthandate': {
      const date = option('date');
      return date ? build((ms) => ms < date.ms) : () => false;
    }
    case 'isdate': {
      const date = option('date');
      return date ? build((ms) => dayIn(ms, zone) === date.day) : () => false;
    }
    default:
      return undefined;
  }
}
