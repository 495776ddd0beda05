/**
 * One Redis connection for a ledger or a limiter: either a node-redis client we create from a URL (and
 * close), or one the caller owns (never closed here). Every command runs with a bound (node-redis's
 * per-command `timeout`), so an unreachable or stalled server gives a {@link RedisStoreError} quickly
 * instead of a hung send.
 *
 * Why our own client settings: node-redis retries a failed connection for ever by default and queues
 * commands while offline, so a send would wait rather than fail closed. The client we create fails its
 * first connection at once (`reconnectStrategy` returns an error), refuses commands while offline
 * (`disableOfflineQueue`), and is replaced by a fresh one on the next operation after it closed, so a
 * restarted server is picked up without a reconnect loop in the background.
 *
 * Scripts run as `EVALSHA`, falling back to `EVAL` on `NOSCRIPT`, through `sendCommand`: node-redis's
 * `defineScript` only works for clients created with the scripts, and a caller's client is not.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createClient } from 'redis';
import { InvalidArgumentError } from '../errors.js';
import type { RedisStoreError, RedisStoreFailure } from './errors.js';
import { classify, storeError } from './failures.js';
import {
  parseRedisUrl,
  type RedisCommandClient,
  type RedisConnectionOptions,
  type RedisTarget,
  secretsOfClient,
  targetOfClient,
} from './target.js';

const REPLY_TIMEOUT_MS = 2_000;
const CONNECT_TIMEOUT_MS = 2_000;
const RETRY_CONNECT_AFTER_MS = 500;

function positiveMs(value: number | undefined, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError(name, `${name} must be a positive number of milliseconds; got ${value}.`);
  return value;
}

/**
 * A Redis connection with bounded waits and secret-free errors. Connects on first use and again after
 * the connection was lost.
 */
export class RedisConnection {
  /** Secret-free description of the server. */
  readonly target: RedisTarget;
  readonly #options: RedisConnectionOptions;
  /** Every spelling of the password (URL or caller's client), scrubbed from every error. */
  readonly #secrets: string[];
  readonly #commandTimeoutMs: number;
  readonly #connectTimeoutMs: number;
  readonly #onConnect: ((run: (args: string[]) => Promise<unknown>) => Promise<void>) | undefined;
  #client: (RedisCommandClient & { close?: () => Promise<void>; destroy?: () => void }) | undefined;
  #connecting: Promise<RedisCommandClient> | undefined;
  #closed = false;
  #checked = false;
  /** A timed-out connection, repeated to every operation for a moment instead of a new wait each time. */
  #failed: { failure: RedisStoreFailure; cause: unknown; until: number } | undefined;
  readonly #shas = new Map<string, string>();

  constructor(
    options: RedisConnectionOptions,
    settings: {
      commandTimeoutMs?: number | undefined;
      /** The connect bound when the options give none (default 2,000 ms). */
      connectTimeoutMs?: number | undefined;
      onConnect?: (run: (args: string[]) => Promise<unknown>) => Promise<void>;
    },
  ) {
    if (options === null || typeof options !== 'object')
      throw new InvalidArgumentError(
        'options',
        'Pass { url: "redis://host:6379" } or { client } (a node-redis client).',
      );
    this.#options = options;
    this.#commandTimeoutMs = positiveMs(settings.commandTimeoutMs, 'commandTimeoutMs', REPLY_TIMEOUT_MS);
    this.#onConnect = settings.onConnect;
    if (options.client !== undefined) {
      if (typeof options.client?.sendCommand !== 'function')
        throw new InvalidArgumentError(
          'client',
          'client must be a node-redis v6 client (from createClient()).',
        );
      this.target = targetOfClient(options.client);
      this.#secrets = secretsOfClient(options.client);
      this.#connectTimeoutMs = CONNECT_TIMEOUT_MS;
      this.#client = options.client;
    } else {
      if (typeof options.url !== 'string')
        throw new InvalidArgumentError('url', 'url must be a string such as redis://127.0.0.1:6379.');
      const { password: _password, secrets, tls: _tls, ...target } = parseRedisUrl(options.url);
      this.target = target;
      this.#secrets = secrets;
      this.#connectTimeoutMs = positiveMs(
        options.connectTimeoutMs,
        'connectTimeoutMs',
        settings.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
      );
    }
  }

  /** Whether the caller owns the client (then {@link close} leaves it open). */
  get ownsClient(): boolean {
    return this.#options.client === undefined;
  }

  /** Connects (if needed) and runs the one-time check; rejects with a {@link RedisStoreError}. */
  async ready(operation = 'connect'): Promise<RedisCommandClient> {
    if (this.#closed) throw this.error('closed', operation, undefined);
    const current = this.#client;
    if (current?.isOpen && this.#checked) return current;
    if (this.#options.client !== undefined) {
      if (!current?.isOpen) throw this.error('closed', operation, undefined);
      this.#checked = true;
      await this.#onConnect?.((args) => this.#send(current, args)).catch(() => undefined);
      return current;
    }
    const failed = this.#failed;
    // While Redis does not answer, operations fail at once, not one connect timeout after another.
    if (failed && Date.now() < failed.until) throw this.error(failed.failure, operation, failed.cause);
    this.#connecting ??= this.#connect(operation).finally(() => {
      this.#connecting = undefined;
    });
    return this.#connecting;
  }

  async #connect(operation: string): Promise<RedisCommandClient> {
    const options = this.#options as Extract<RedisConnectionOptions, { url: string }>;
    const old = this.#client;
    this.#client = undefined;
    old?.destroy?.();
    const client = createClient({
      url: options.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: this.#connectTimeoutMs,
        // Fail the first connection at once and close after a lost one; the next operation reconnects.
        reconnectStrategy: (_retries: number, cause: Error) => cause,
        ...(this.target.description.startsWith('rediss:') ? { tls: true as const, ...options.tls } : {}),
      },
    });
    // node-redis throws 'error' events at the process when nobody listens; each operation reports its own.
    client.on('error', () => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`no connection within ${this.#connectTimeoutMs} ms`);
        error.name = 'ConnectionTimeoutError';
        reject(error);
      }, this.#connectTimeoutMs);
    });
    try {
      await Promise.race([client.connect(), timeout]);
    } catch (error) {
      client.destroy();
      const failure = classify(error);
      // Only a slow failure is repeated: a refused connection fails in a millisecond by itself.
      if (failure === 'timeout')
        this.#failed = { failure, cause: error, until: Date.now() + RETRY_CONNECT_AFTER_MS };
      throw this.error(failure, operation, error);
    } finally {
      clearTimeout(timer);
    }
    this.#failed = undefined;
    if (this.#closed) {
      client.destroy();
      throw this.error('closed', operation, undefined);
    }
    const wrapped = client as unknown as RedisCommandClient & {
      close: () => Promise<void>;
      destroy: () => void;
    };
    this.#client = wrapped;
    this.#checked = true;
    await this.#onConnect?.((args) => this.#send(wrapped, args)).catch(() => undefined);
    return wrapped;
  }

  /** Runs one command with the reply bound; failures become {@link RedisStoreError}s. */
  async command(operation: string, args: string[]): Promise<unknown> {
    const client = await this.ready(operation);
    try {
      return await this.#send(client, args);
    } catch (error) {
      throw this.error(classify(error), operation, error);
    }
  }

  /**
   * node-redis's own `timeout` only covers the wait to be written; a server that stops answering after
   * the write would hold the command for ever. So the reply is raced against our bound too, and a client
   * we own is dropped on a timeout (its later replies would arrive behind the stalled one).
   */
  async #send(client: RedisCommandClient, args: string[]): Promise<unknown> {
    let timer: NodeJS.Timeout | undefined;
    const reply = client.sendCommand(args, { timeout: this.#commandTimeoutMs });
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(`no answer within ${this.#commandTimeoutMs} ms`);
        error.name = 'TimeoutError';
        reject(error);
      }, this.#commandTimeoutMs);
    });
    try {
      return await Promise.race([reply, bound]);
    } catch (error) {
      reply.catch(() => undefined);
      if (
        error instanceof Error &&
        error.name === 'TimeoutError' &&
        this.ownsClient &&
        this.#client === client
      ) {
        this.#client = undefined;
        (client as { destroy?: () => void }).destroy?.();
      }
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs a Lua script by its SHA1, loading it with `EVAL` when the server does not know it yet. */
  async script(operation: string, source: string, keys: string[], args: string[]): Promise<unknown> {
    let sha = this.#shas.get(source);
    if (sha === undefined) {
      sha = createHash('sha1').update(source).digest('hex');
      this.#shas.set(source, sha);
    }
    const tail = [String(keys.length), ...keys, ...args];
    const client = await this.ready(operation);
    try {
      return await this.#send(client, ['EVALSHA', sha, ...tail]);
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('NOSCRIPT')))
        throw this.error(classify(error), operation, error);
    }
    return this.command(operation, ['EVAL', source, ...tail]);
  }

  /** A {@link RedisStoreError} naming the host and port, with a scrubbed copy of `cause`. */
  error(failure: RedisStoreFailure, operation: string, cause: unknown, detail?: string): RedisStoreError {
    return storeError(this.target, this.#secrets, { failure, operation, cause, detail });
  }

  /** Closes the client this connection created; a caller's client stays open. Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#connecting?.catch(() => undefined);
    const client = this.#client;
    this.#client = undefined;
    if (!client || !this.ownsClient) return;
    if (client.isOpen) await client.close?.().catch(() => client.destroy?.());
  }
}
