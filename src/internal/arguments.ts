/**
 * Checks of caller-supplied arguments and options, each throwing an {@link InvalidArgumentError} that
 * says what was wrong and how to fix it. Every value that reaches a URL passes a check here first.
 */
import { InvalidArgumentError } from '../errors.js';

/**
 * A short, safe rendering of a bad value for an error message. Never calls the value's own
 * toString or toJSON (which may throw, or be anything), and keeps strings short and on one line.
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === null || typeof value !== 'object')
    return typeof value === 'function' ? 'a function' : String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** Checks an order id: a positive safe integer, nothing else (not '12', not 1.5). */
export function checkOrderId(id: unknown, argument = 'id'): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a positive integer order id, got ${shown(id)} (${typeof id}); pass a number such as 4471203`,
    );
  }
  return id;
}

/** Checks an integer option within [min, max]. */
export function checkInteger(value: unknown, argument: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be an integer from ${min} to ${max}, got ${shown(value)}`,
    );
  }
  return value;
}

/** Checks a duration option in milliseconds (a positive finite number up to ~24.8 days, setTimeout's limit). */
export function checkDuration(value: unknown, argument: string, allowZero = false): number {
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    value < 0 ||
    (!allowZero && value === 0) ||
    value > 2_147_483_647
  ) {
    throw new InvalidArgumentError(
      argument,
      `${argument} must be a number of milliseconds${allowZero ? ' (0 or more)' : ' greater than 0'}, got ${shown(value)}`,
    );
  }
  return value;
}

/** Checks that an options argument is an object (a default parameter only covers `undefined`). */
export function checkOptionsObject(options: unknown): void {
  if (typeof options !== 'object' || options === null) {
    throw new InvalidArgumentError(
      'options',
      `options must be an object, got ${options === null ? 'null' : typeof options}`,
    );
  }
}

/** Checks an optional callback option. */
export function checkFunction(value: unknown, argument: string): void {
  if (value !== undefined && typeof value !== 'function') {
    throw new InvalidArgumentError(argument, `${argument} must be a function, got ${typeof value}`);
  }
}

/** Checks the `userAgent` suffix: printable ASCII only, so it cannot split or add a header. */
export function checkUserAgent(value: unknown): string | undefined {
  if (value !== undefined && (typeof value !== 'string' || !/^[\x20-\x7e]{1,200}$/.test(value))) {
    throw new InvalidArgumentError(
      'userAgent',
      'userAgent must be 1 to 200 printable ASCII characters, e.g. "my-bot/1.2"',
    );
  }
  return value;
}
