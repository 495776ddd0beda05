/**
 * `RedisRateLimiter`: the fleet's shared pacer. Every process acting as one SoftLayer user takes its
 * request slots from one Redis key, so together they stay under the API's limit.
 *
 * Why GCRA in one Lua script, on Redis's clock: a reservation-based limiter counts a request and tells
 * its caller how long to wait in one round trip, so waiting processes never poll Redis; and `TIME` inside
 * the script gives every host the same clock, so skewed host clocks cannot overrun the window. We looked
 * at `rate-limiter-flexible` (its `RateLimiterRedis` and `BurstyRateLimiter`): it counts fixed windows
 * (two adjacent windows can each be full, twice the limit across their boundary) and needs ioredis or a
 * node-redis v4 client with its own options, so one script of twenty lines fits better.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { PaceRate, SharedRateLimiter } from '../pace.js';
import { RedisConnection } from './connection.js';
import { TAKE_SCRIPT } from './scripts.js';
import type { RedisConnectionOptions } from './target.js';

/** Options of {@link RedisRateLimiter} beside the connection. */
export interface RedisRateLimiterSettings {
  /** Prepended to every bucket key. Default `ssl-orders-rate:`, outside the ledger's `ssl-orders:` keys. */
  keyPrefix?: string | undefined;
  /**
   * Longest wait for Redis's answer, in milliseconds. Default 500 (and 1,000 to connect, unless the
   * connection options set `connectTimeoutMs`): a pacer that cannot reach Redis soon falls back to
   * local pacing rather than hold its requests.
   */
  commandTimeoutMs?: number | undefined;
}

/** One request slot: when it may leave, on Redis's clock. */
export interface RateSlot {
  /** Milliseconds to wait before sending (0: now). */
  waitMs: number;
  /** The send time, in epoch milliseconds of the Redis server's clock. */
  at: number;
}

function checkRate(rate: PaceRate): void {
  if (!(Number.isFinite(rate?.requestsPerSecond) && rate.requestsPerSecond > 0))
    throw new InvalidArgumentError(
      'rateLimit.requestsPerSecond',
      `requestsPerSecond must be a positive number; got ${rate?.requestsPerSecond}.`,
    );
  if (!(Number.isFinite(rate.burst) && rate.burst >= 1))
    throw new InvalidArgumentError('rateLimit.burst', `burst must be a number ≥ 1; got ${rate.burst}.`);
}

/**
 * A rate limiter on Redis shared by every process and host that uses the same Redis and key: for one
 * key and rate, the requests it schedules never exceed `burst + requestsPerSecond` in any one second.
 * Pass it as `rateLimit: { shared }`; when Redis cannot be reached, `take` rejects within
 * `commandTimeoutMs` (or the connect timeout) with a {@link RedisStoreError}, and the client paces
 * locally.
 *
 * @example
 * ```ts
 * import { RedisRateLimiter } from 'softlayer-ssl-orders/redis';
 * const limiter = new RedisRateLimiter({ url: 'redis://127.0.0.1:6379' });
 * const wait = await limiter.take('SL1_jane@api.softlayer.com', { requestsPerSecond: 46, burst: 4 });
 * await new Promise((resolve) => setTimeout(resolve, wait));
 * // … send the request …
 * await limiter.close();
 * ```
 */
export class RedisRateLimiter implements SharedRateLimiter {
  readonly #connection: RedisConnection;
  readonly #prefix: string;

  /**
   * @param connection - `{ url }` (the limiter creates, connects and closes its own client) or
   *   `{ client }` (a connected node-redis v6 client you own).
   * @param settings - see {@link RedisRateLimiterSettings}.
   * @throws `InvalidArgumentError` (from `softlayer-ssl-orders`) for a URL that is not `redis://` or `rediss://`, or a bad option.
   */
  constructor(connection: RedisConnectionOptions, settings: RedisRateLimiterSettings = {}) {
    this.#connection = new RedisConnection(connection, {
      commandTimeoutMs: settings.commandTimeoutMs ?? 500,
      connectTimeoutMs: 1_000,
    });
    this.#prefix = settings.keyPrefix ?? 'ssl-orders-rate:';
  }

  /** Where the limiter lives, `redis://host:port` (never a password). */
  get description(): string {
    return this.#connection.target.description;
  }

  /**
   * Counts one request for `key` at `rate` and resolves the milliseconds to wait before sending it.
   *
   * @param key - names the user and API host, never a secret.
   * @param rate - the steady rate (requests a second) and the burst.
   * @throws {@link RedisStoreError} when Redis cannot be reached or answer in time.
   * @throws `InvalidArgumentError` (from `softlayer-ssl-orders`) for a rate that is not positive or a burst below 1.
   */
  async take(key: string, rate: PaceRate): Promise<number> {
    return (await this.takeSlot(key, rate)).waitMs;
  }

  /**
   * Like {@link take}, and also says when the slot is on Redis's clock (for tests and metrics that
   * compare the slots of several hosts).
   *
   * @throws {@link RedisStoreError} when Redis cannot be reached or answer in time.
   */
  async takeSlot(key: string, rate: PaceRate): Promise<RateSlot> {
    checkRate(rate);
    const reply = await this.#connection.script(
      'take',
      TAKE_SCRIPT,
      [this.#prefix + key],
      [String(rate.requestsPerSecond), String(rate.burst)],
    );
    const [waitMs, at] = String(reply).split(' ').map(Number);
    return { waitMs: Math.max(0, waitMs ?? 0), at: at ?? 0 };
  }

  /** Closes the client the limiter created (a caller's client stays open). */
  async close(): Promise<void> {
    await this.#connection.close();
  }
}
