/**
 * Client-side pacing under SoftLayer's rate limit (50 requests a second per user): the `rateLimit`
 * option, the per-user limiter registry and the per-client pacer the transport awaits before each
 * attempt.
 *
 * Written here rather than taken from a library, after looking at three:
 * - `p-throttle` (sindresorhus) wraps a function with `limit` per `interval`; its default windowed
 *   algorithm lets `2 × limit` through across a window edge (its `strict` mode fixes that with a
 *   timestamp array), its abort is all-or-nothing per throttle (`signal` option, no per-call signal or
 *   deadline), and its limit is fixed at creation, so no adaptive rate.
 * - `p-queue` adds per-task `signal`, but its `intervalCap`/`interval` is a fixed window too (bursts of
 *   `2 × intervalCap` across an edge), it has no deadline-aware wait, and it brings eventemitter3: a
 *   few KB gzip on the first-call path, whose budget (18 KB for a client-only app) had ~0.1 KB left.
 * - `rate-limiter-flexible` has the right shape for a fleet (`RateLimiterRedis`, `RateLimiterQueue`,
 *   an insurance limiter for outages) but is Node-oriented CommonJS, fixed-window by default, and far
 *   larger than the whole SDK; the main entry may depend on ky and zod only.
 * None keys limiters by credential, none lowers its rate on a server's answer. What is needed is small:
 * a FIFO queue released by GCRA (src/pace-limiter.ts), a map keyed by host and user, and a
 * reservation call to a {@link SharedRateLimiter} (GCRA as well, so a fleet and a process agree).
 *
 * @module
 */
import { InvalidArgumentError, TimeoutError } from './errors.js';
import { abortable, sleep } from './internal/abort.js';
import type { SslOrdersEvent } from './options.js';
import { LocalLimiter, learnRate } from './pace-limiter.js';

/** A steady rate with a burst: at most `burst + requestsPerSecond` requests in any one second. */
export interface PaceRate {
  /** Requests a second, sustained. */
  requestsPerSecond: number;
  /** Requests that may leave at once after a quiet spell. */
  burst: number;
}

/**
 * A limiter shared by every process that acts as one user (`softlayer-ssl-orders/redis` has one on
 * Redis). Reservation based, as GCRA: a `take` counts the request at once and says how long to wait
 * before sending it, so waiting processes never poll the store.
 */
export interface SharedRateLimiter {
  /**
   * Counts one request for `key` at `rate` and resolves the milliseconds to wait before sending it
   * (0: now). Rejects when the store cannot be reached; the client then paces locally, with an event.
   *
   * @param key - names the user and API host, never a secret.
   */
  take(key: string, rate: PaceRate): Promise<number>;
  /** Where the limiter lives, for events and errors (`redis://host:6379`), never a password. */
  readonly description: string;
}

/**
 * The `rateLimit` client option: how fast requests may leave. Every client in the process that acts
 * as the same user on the same API host shares one limiter (at the lowest rate any of them asked for).
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * const client = SslOrdersClient.fromEnv({ rateLimit: { requestsPerSecond: 20, burst: 2 } });
 * ```
 */
export interface RateLimitOptions {
  /** Requests a second, sustained, greater than 0 and at most 10000. Default `46`. */
  requestsPerSecond?: number | undefined;
  /**
   * Requests that may leave at once after a quiet spell, 1 to 10000. Default `2` with the default rate;
   * with your own rate, 4 % of it (at least 1). Any one second sees at most `burst + requestsPerSecond - 1`.
   */
  burst?: number | undefined;
  /**
   * Lower the rate when the API answers "rate limit exceeded", to the limit its message states when
   * that is lower, else to 70 % (recovering by 10 % of the rate each second). Default `true`.
   */
  adaptive?: boolean | undefined;
  /**
   * A limiter shared by several processes (e.g. `RedisRateLimiter` from `softlayer-ssl-orders/redis`).
   * While it cannot be reached the client paces locally and emits `pace.shared-unavailable` once.
   * Default: none (this process only).
   */
  shared?: SharedRateLimiter | undefined;
}

/**
 * The default pace: 46 requests a second with a burst of 2, at most 47 in any one second, so that
 * arrival jitter does not push a second past SoftLayer's 50.
 */
export const DEFAULT_PACE_RATE: Readonly<PaceRate> = Object.freeze({ requestsPerSecond: 46, burst: 2 });

/** The resolved `rateLimit` option. */
export interface PaceSettings {
  rate: PaceRate;
  adaptive: boolean;
  shared: SharedRateLimiter | undefined;
}

/**
 * Checks the `rateLimit` option.
 *
 * @returns `false` when pacing is off.
 * @throws {@link InvalidArgumentError} naming the field that is wrong.
 */
export function checkRateLimit(value: unknown): PaceSettings | false {
  if (value === false) return false;
  if (value === undefined) return { rate: { ...DEFAULT_PACE_RATE }, adaptive: true, shared: undefined };
  const shape = 'rateLimit must be false or { requestsPerSecond?, burst?, adaptive?, shared? }';
  if (typeof value !== 'object' || value === null)
    throw new InvalidArgumentError('rateLimit', `${shape}, got ${value === null ? 'null' : typeof value}`);
  const { requestsPerSecond, burst, adaptive, shared } = value as RateLimitOptions;
  if (
    requestsPerSecond !== undefined &&
    !(typeof requestsPerSecond === 'number' && requestsPerSecond > 0 && requestsPerSecond <= 10_000)
  ) {
    throw new InvalidArgumentError(
      'rateLimit.requestsPerSecond',
      `rateLimit.requestsPerSecond must be a number greater than 0 and at most 10000, got ${String(requestsPerSecond)}`,
    );
  }
  if (burst !== undefined && !(Number.isSafeInteger(burst) && burst >= 1 && burst <= 10_000)) {
    throw new InvalidArgumentError(
      'rateLimit.burst',
      `rateLimit.burst must be an integer from 1 to 10000, got ${String(burst)}`,
    );
  }
  if (adaptive !== undefined && typeof adaptive !== 'boolean')
    throw new InvalidArgumentError('rateLimit.adaptive', 'rateLimit.adaptive must be true or false');
  if (
    shared !== undefined &&
    (typeof shared !== 'object' ||
      shared === null ||
      typeof shared.take !== 'function' ||
      typeof shared.description !== 'string')
  ) {
    throw new InvalidArgumentError(
      'rateLimit.shared',
      'rateLimit.shared must have take(key, rate) and a description, e.g. new RedisRateLimiter({ url })',
    );
  }
  const rps = requestsPerSecond ?? DEFAULT_PACE_RATE.requestsPerSecond;
  const rate = {
    requestsPerSecond: rps,
    burst:
      burst ??
      (requestsPerSecond === undefined ? DEFAULT_PACE_RATE.burst : Math.max(1, Math.round(rps * 0.04))),
  };
  return { rate, adaptive: adaptive ?? true, shared };
}

const registry = new Map<string, LocalLimiter>();
const providerIds = new WeakMap<object, string>();

/**
 * A short non-reversible digest (53 bits, cyrb53) of a credential: tells keys apart without holding
 * them. It is not a cryptographic hash, but 53 bits of a 64-hex-character key reveal nothing useful.
 */
function digest(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, 2654435761);
    h2 = Math.imul(h2 ^ code, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

/**
 * The limiter's key for an API host and an `auth` option already checked by `resolveAuth`: the user
 * name, a digest of an API key or a fixed token, or the identity of a token provider function (a
 * random id: other processes cannot tell two providers apart, so they share no key for one).
 */
export function paceKey(baseUrl: string, auth: object): string {
  const host = new URL(baseUrl).host;
  const record = auth as Record<string, unknown>;
  const token = record['bearerToken'];
  let user: string;
  if (typeof record['username'] === 'string') user = `user:${record['username']}`;
  else if (typeof record['ibmCloudApiKey'] === 'string') user = `apikey:${digest(record['ibmCloudApiKey'])}`;
  else if (typeof token === 'string') user = `token:${digest(token)}`;
  else {
    const provider = token as object;
    const id = providerIds.get(provider) ?? Math.random().toString(36).slice(2);
    providerIds.set(provider, id);
    user = `provider:${id}`;
  }
  return `${host} ${user}`;
}

/** The process-wide limiter for `key`, created at `rate` or tightened to it. */
export function limiterFor(key: string, rate: PaceRate): LocalLimiter {
  const found = registry.get(key);
  if (found) {
    found.tighten(rate);
    return found;
  }
  const limiter = new LocalLimiter(rate);
  registry.set(key, limiter);
  return limiter;
}

/** What the transport tells the pacer about an attempt about to leave. */
export interface PaceRequest {
  method: 'GET' | 'POST';
  path: string;
  operation: 'read' | 'send';
  attempt: number;
  signal?: AbortSignal | undefined;
  intentId?: string | undefined;
  /** `Date.now()` after which no request may leave. */
  deadline: number;
  /** The call's `totalTimeout`, for the error when the deadline passes while waiting. */
  totalTimeout: number | undefined;
}

// After a shared limiter failed, ask it again only this much later: each take would fail slowly.
const SHARED_RETRY_MS = 1_000;

/** One client's view of its user's limiter: waits for tokens and reports rate-limit answers. */
export class Pacer {
  readonly #key: string;
  readonly #limiter: LocalLimiter;
  readonly #settings: PaceSettings;
  readonly #emit: (event: SslOrdersEvent) => void;
  #sharedDownSince: number | undefined;

  constructor(key: string, settings: PaceSettings, emit: (event: SslOrdersEvent) => void) {
    this.#key = key;
    this.#settings = settings;
    this.#limiter = limiterFor(key, settings.rate);
    this.#emit = emit;
  }

  /**
   * Resolves when the attempt may leave. Rejects with the signal's reason on abort, or with a
   * {@link TimeoutError} (`limit: 'total'`) when the deadline comes first; no token is used then.
   */
  async acquire(request: PaceRequest): Promise<void> {
    const { signal, deadline } = request;
    let waited: number | undefined;
    let source: 'local' | 'shared' = 'local';
    const shared = this.#settings.shared;
    if (shared && this.#sharedUsable()) {
      try {
        const ms = await abortable(shared.take(this.#key, this.#limiter.rate), signal);
        if (this.#sharedDownSince !== undefined) {
          this.#sharedDownSince = undefined;
          this.#emit({ type: 'pace.shared-restored', limiter: shared.description });
        }
        source = 'shared';
        waited = Math.max(0, ms);
        if (Date.now() + waited > deadline) {
          await sleep(Math.max(0, deadline - Date.now()), signal);
          throw this.#timeout(request);
        }
        if (waited > 0) await sleep(waited, signal);
      } catch (error) {
        if (signal?.aborted || error instanceof TimeoutError) throw signal?.aborted ? signal.reason : error;
        if (this.#sharedDownSince === undefined) {
          this.#emit({
            type: 'pace.shared-unavailable',
            limiter: shared.description,
            errorName: error instanceof Error ? error.name : typeof error,
          });
        }
        this.#sharedDownSince = Date.now();
        waited = undefined;
      }
    }
    if (waited === undefined) {
      const timeoutMs = Number.isFinite(deadline) ? deadline - Date.now() : undefined;
      waited = await this.#limiter.take(signal, timeoutMs);
      if (waited === undefined) throw this.#timeout(request);
    }
    if (waited >= 1) {
      this.#emit({
        type: 'pace.wait',
        method: request.method,
        path: request.path,
        attempt: request.attempt,
        operation: request.operation,
        waitedMs: Math.round(waited),
        requestsPerSecond: this.#limiter.rate.requestsPerSecond,
        source,
      });
    }
  }

  /** The API answered "rate limit exceeded" with `serverMessage`: slow down, when adaptive. */
  rateLimited(serverMessage: string): void {
    if (!this.#settings.adaptive) return;
    const learnt = learnRate(serverMessage);
    const rate = this.#limiter.slowDown(learnt);
    if (rate) {
      this.#emit({
        type: 'pace.slowdown',
        requestsPerSecond: Math.round(rate.requestsPerSecond * 100) / 100,
        burst: rate.burst,
        learnt: learnt !== undefined,
      });
    }
  }

  #sharedUsable(): boolean {
    return this.#sharedDownSince === undefined || Date.now() - this.#sharedDownSince >= SHARED_RETRY_MS;
  }

  #timeout(request: PaceRequest): TimeoutError {
    return new TimeoutError({
      method: request.method,
      path: request.path,
      intentId: request.intentId,
      timeoutMs: request.totalTimeout ?? 0,
      limit: 'total',
    });
  }
}
