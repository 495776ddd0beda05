/**
 * `RedisSendLedger`: the send ledger (contract v2) on Redis, so every process and host that shares one
 * Redis sends a given email at most once.
 *
 * Why these steps: a reservation is one Lua script (one round trip, `EVALSHA`): it stores the record
 * with no expiry when the key is free, and otherwise applies the same rule as `blocks()` and stores a
 * forced reservation with the record it replaced, atomically. Settle and release are Lua scripts that
 * check the intent id (and a settlement's `expect`) first, so a late or duplicate call of one send never
 * touches another send's record. Redis's clock (`TIME`) is the one clock: the rule runs at Redis's now
 * and records hold Redis's times (see ./scripts.ts), so hosts whose clocks disagree still agree on
 * every cooldown and deadline. Only a settlement with `keepFor` (sent, not-sent) gets an expiry
 * (`PEXPIREAT` at Redis's now + keepFor): reservations and unknown outcomes stay until a person acts. We
 * looked at Redlock-style locks (`redlock`, node-redis's own examples): a lock with a TTL can expire
 * while its send is still waiting for the API's answer and let a second send in, which is the failure
 * this ledger exists to prevent, so records here never expire while they block.
 *
 * @module
 */

import { InvalidArgumentError } from '../errors.js';
import {
  type ReserveRule,
  SEND_RECORD_FORMAT,
  type SendLedger,
  type SendRecord,
  type Settlement,
} from '../send-ledger.js';
import { RedisConnection } from './connection.js';
import { policyWarning, type RedisStoreWarningEvent } from './policy.js';
import { RELEASE_SCRIPT, RESERVE_SCRIPT, SETTLE_SCRIPT } from './scripts.js';
import type { RedisConnectionOptions } from './target.js';

export type { RedisStoreWarningEvent } from './policy.js';

/** Options of {@link RedisSendLedger} beside the connection. */
export interface RedisSendLedgerSettings {
  /** Prepended to every ledger key, so one Redis can hold other data. Default `ssl-orders:`. */
  keyPrefix?: string | undefined;
  /** Longest wait for one Redis reply, in milliseconds. Default 2,000. */
  commandTimeoutMs?: number | undefined;
  /** Receives warnings, such as an evicting `maxmemory-policy` found at connect. */
  onEvent?: ((event: RedisStoreWarningEvent) => void) | undefined;
}

/** What {@link RedisSendLedger}'s constructor takes: a URL or a client, and the settings. */
export type RedisSendLedgerOptions = RedisConnectionOptions & RedisSendLedgerSettings;

/** Escapes glob characters, so `SCAN MATCH` matches the prefix literally. */
function globLiteral(text: string): string {
  return text.replace(/[\\*?[\]]/g, '\\$&');
}

/**
 * The send ledger on Redis: atomic across every process and host that uses the same Redis and prefix.
 * Give it to each client (`sendLedger`). Requires Redis ≥ 6.2 with `maxmemory-policy noeviction` and
 * persistence (see docs/fleet.md): a lost record means an email can be sent twice.
 *
 * Every operation waits at most `commandTimeoutMs` (and `connectTimeoutMs` to connect) and then
 * rejects with a {@link RedisStoreError} naming the host and port, so a send stops before its POST.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * import { RedisSendLedger } from 'softlayer-ssl-orders/redis';
 * const sendLedger = new RedisSendLedger({
 *   url: 'rediss://default:password@redis.example.com:6380',
 *   onEvent: (event) => console.warn(event.message),
 * });
 * const client = SslOrdersClient.fromEnv({ sendLedger });
 * // … sends …
 * await sendLedger.close();
 * ```
 */
export class RedisSendLedger implements SendLedger {
  readonly #connection: RedisConnection;
  readonly #prefix: string;
  readonly #onEvent: ((event: RedisStoreWarningEvent) => void) | undefined;

  /**
   * @param options - `{ url }` (the ledger creates, connects and closes its own client; `tls` for
   *   `rediss://`) or `{ client }` (a connected node-redis v6 client you own), plus
   *   {@link RedisSendLedgerSettings}. Nothing connects until the first operation.
   * @throws `InvalidArgumentError` (from `softlayer-ssl-orders`) for a URL that is not `redis://` or `rediss://`, or a bad option.
   */
  constructor(options: RedisSendLedgerOptions) {
    this.#connection = new RedisConnection(options, {
      commandTimeoutMs: options?.commandTimeoutMs,
      onConnect: (run) => this.#checkPolicy(run),
    });
    this.#prefix = options.keyPrefix ?? 'ssl-orders:';
    this.#onEvent = options.onEvent;
  }

  /** Where the ledger lives, `redis://host:port` (never a password). */
  get description(): string {
    return this.#connection.target.description;
  }

  /**
   * Connects now rather than at the first send, so a wrong URL or password shows at start-up.
   *
   * @throws {@link RedisStoreError} when Redis cannot be reached in time or refuses the login.
   */
  async connect(): Promise<void> {
    await this.#connection.ready('connect');
  }

  /**
   * Atomically: when no record of `key` blocks under `rule` (as `blocks()` decides), stores `record`
   * and resolves `undefined`; otherwise stores nothing and resolves the holder. A forced reservation
   * over a `sent` or `unknown` record keeps that record as `replaced`.
   *
   * The rule runs at Redis's clock, not `rule.now`; the stored record's `reservedAt` is Redis's now and
   * its `deadline` lies `record.deadline - rule.now` ms after it (read it back with {@link get}).
   *
   * @throws {@link RedisStoreError} when Redis fails or holds a record of another format (nothing stored).
   * @throws `InvalidArgumentError` when `record.deadline` or `rule.now` is not a finite number.
   */
  async reserve(key: string, record: SendRecord, rule: ReserveRule): Promise<SendRecord | undefined> {
    const { replaced: _replaced, reservedAt: _at, deadline, ...rest } = record;
    // Only the deadline's distance from the caller's now travels: a duration no clock offset changes.
    const lasts = Math.ceil(deadline - rule.now);
    if (!Number.isFinite(lasts))
      throw new InvalidArgumentError(
        'record.deadline',
        `record.deadline and rule.now must be finite epoch milliseconds; got ${deadline} and ${rule.now}.`,
      );
    const redisKey = this.#prefix + key;
    const holder = await this.#connection.script(
      'reserve',
      RESERVE_SCRIPT,
      [redisKey],
      [
        JSON.stringify(rest),
        String(lasts),
        rule.cooldown === Number.POSITIVE_INFINITY ? '-1' : String(rule.cooldown),
        rule.force ? '1' : '0',
        String(SEND_RECORD_FORMAT),
      ],
    );
    return holder === null ? undefined : this.#parse(holder, key, 'reserve');
  }

  /**
   * Atomically: when the record of `key` has `intentId` and meets `settlement.expect` (when given: the
   * stored `state` string and `settledAt` equal the expected ones, an absent `settledAt` only matching
   * an absent one), applies `settlement` (as `applySettlement()`), with an expiry only when it has
   * `keepFor`, and resolves the new record; otherwise changes nothing and resolves `undefined`.
   * `settledAt` is Redis's now (`settlement.at` is not used) and `expiresAt` is `settledAt + keepFor`.
   *
   * @throws {@link RedisStoreError} when Redis fails.
   */
  async settle(key: string, intentId: string, settlement: Settlement): Promise<SendRecord | undefined> {
    const { expect } = settlement;
    const reply = await this.#connection.script(
      'settle',
      SETTLE_SCRIPT,
      [this.#prefix + key],
      [
        intentId,
        settlement.state,
        settlement.keepFor === undefined ? '' : String(settlement.keepFor),
        settlement.reason === undefined ? '0' : '1',
        settlement.reason ?? '',
        settlement.marked === undefined ? '' : String(settlement.marked),
        expect === undefined ? '' : expect.state,
        expect?.settledAt == null ? '' : String(expect.settledAt),
      ],
    );
    if (reply === null) return undefined;
    const settled = this.#parse(reply, key, 'settle');
    // Shaped as applySettlement() returns it: `expiresAt` present, undefined when the record is kept.
    return { ...settled, expiresAt: settled.expiresAt };
  }

  /**
   * Atomically: when the record of `key` has `intentId`, puts back the record it replaced (with its
   * expiry) or deletes it, and resolves `true`; otherwise changes nothing and resolves `false`.
   *
   * @throws {@link RedisStoreError} when Redis fails.
   */
  async release(key: string, intentId: string): Promise<boolean> {
    const reply = await this.#connection.script('release', RELEASE_SCRIPT, [this.#prefix + key], [intentId]);
    return Number(reply) === 1;
  }

  /**
   * The record of `key`, if any.
   *
   * @throws {@link RedisStoreError} when Redis fails or the key holds a record of another format.
   */
  async get(key: string): Promise<SendRecord | undefined> {
    const reply = await this.#connection.command('get', ['GET', this.#prefix + key]);
    return reply === null ? undefined : this.#parse(reply, key, 'get');
  }

  /**
   * Every record under the key prefix, in any order (for history). Walks the prefix with `SCAN`, so Redis
   * is never blocked by a `KEYS`.
   *
   * @throws {@link RedisStoreError} when Redis fails or a key under the prefix holds no ledger record.
   */
  async list(): Promise<SendRecord[]> {
    const records: SendRecord[] = [];
    const match = `${globLiteral(this.#prefix)}*`;
    let cursor = '0';
    do {
      const reply = await this.#connection.command('list', ['SCAN', cursor, 'MATCH', match, 'COUNT', '500']);
      const [next, keys] = reply as [unknown, unknown[]];
      cursor = String(next);
      const names = keys.map(String);
      if (names.length === 0) continue;
      const values = (await this.#connection.command('list', ['MGET', ...names])) as unknown[];
      values.forEach((value, index) => {
        // A key that expired between SCAN and MGET answers nil.
        if (value !== null)
          records.push(this.#parse(value, names[index]!.slice(this.#prefix.length), 'list'));
      });
    } while (cursor !== '0');
    return records;
  }

  /** Closes the client the ledger created (a caller's client stays open). Later operations reject. */
  async close(): Promise<void> {
    await this.#connection.close();
  }

  #parse(reply: unknown, key: string, operation: string): SendRecord {
    let record: unknown;
    try {
      record = JSON.parse(String(reply));
    } catch {
      record = undefined;
    }
    const format = (record as { format?: unknown } | undefined)?.format;
    if (!record || typeof record !== 'object' || format !== SEND_RECORD_FORMAT)
      throw this.#connection.error(
        'record',
        operation,
        undefined,
        `key ${this.#prefix}${key} holds ${format === undefined ? 'no ledger record' : `a record of format ${String(format)}, not ${SEND_RECORD_FORMAT}`}`,
      );
    return record as SendRecord;
  }

  async #checkPolicy(run: (args: string[]) => Promise<unknown>): Promise<void> {
    if (!this.#onEvent) return;
    // Managed services often forbid CONFIG; then there is nothing to check and no warning.
    const event = policyWarning(this.description, await run(['CONFIG', 'GET', 'maxmemory-policy']));
    if (!event) return;
    try {
      this.#onEvent(event);
    } catch {
      // A throwing handler must not fail the connection.
    }
  }
}
