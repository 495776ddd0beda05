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
 *   larger than the whole SDK; the main entry may depend on ky only.
 * None keys limiters by credential, none lowers its rate on a server's answer. What is needed is small:
 * a FIFO queue released by GCRA (src/pace-limiter.ts), a map keyed by host and user and a reservation
 * call to a {@link SharedRateLimiter} (GCRA as well, so a fleet and a process agree), in src/pacer.ts.
 * Those two load with the first request, with the call code (transport-wire.ts), so an app's startup
 * bundle carries only the option check and the lazy hook below.
 *
 * @module
 */
import { InvalidArgumentError, TimeoutError } from './errors.js';
import type { SslOrdersEvent } from './events.js';
import { abortable, sleep } from './internal/abort.js';
import { checkInteger } from './internal/arguments.js';
import type {
  PaceCall,
  PaceRate,
  PacerHook,
  PacerTools,
  PaceSettings,
  SharedRateLimiter,
} from './pace-types.js';
import type { Pacer } from './pacer.js';

export type {
  PaceCall,
  PaceRate,
  PaceRequest,
  PacerHook,
  PacerTools,
  PaceSettings,
  SharedRateLimiter,
} from './pace-types.js';

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
  if (burst !== undefined) checkInteger(burst, 'rateLimit.burst', 1, 10_000);
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

const TOOLS: PacerTools = {
  sleep,
  abortable,
  timeout: (request) =>
    new TimeoutError({
      method: request.method,
      path: request.path,
      timeoutMs: request.totalTimeout ?? 0,
      limit: 'total',
    }),
};

/** Where the limiter comes from: the module the first call loads (transport.ts `loadWire`). */
export type LoadPacer = () => Promise<Pick<typeof import('./pacer.js'), 'Pacer' | 'paceKey'>>;

/** Loads the limiter on the first request; every later request finds it loaded. */
export class LazyPacer implements PacerHook {
  // A closure, not a field holding `auth`: the key (no secret in it) is derived once the limiter loads.
  readonly #target: () => [baseUrl: string, auth: object];
  readonly #settings: PaceSettings;
  readonly #emit: (event: SslOrdersEvent) => void;
  readonly #load: LoadPacer;
  #pacer: Pacer | undefined;
  #loading: Promise<Pacer> | undefined;

  /**
   * @param baseUrl - the API endpoint; with `auth`, names the limiter.
   * @param auth - the `auth` option, already checked; only a closure keeps it, to derive the key on load.
   * @param load - loads the limiter's module; by the time a request is paced the transport has loaded
   *   it already, so this resolves at once.
   */
  constructor(
    baseUrl: string,
    auth: object,
    settings: PaceSettings,
    emit: (event: SslOrdersEvent) => void,
    load: LoadPacer,
  ) {
    this.#target = () => [baseUrl, auth];
    this.#settings = settings;
    this.#emit = emit;
    this.#load = load;
  }

  acquire(
    call: PaceCall,
    attempt: number,
    deadline: number,
    totalTimeout: number | undefined,
  ): Promise<void> | undefined {
    if (this.#pacer) return this.#pacer.acquire(call, attempt, deadline, totalTimeout);
    this.#loading ??= this.#load().then(({ Pacer, paceKey }) => {
      this.#pacer = new Pacer(paceKey(...this.#target()), this.#settings, this.#emit, TOOLS);
      return this.#pacer;
    });
    const loading = this.#loading;
    loading.catch(() => {
      if (this.#loading === loading) this.#loading = undefined;
    });
    return loading.then((pacer) => pacer.acquire(call, attempt, deadline, totalTimeout));
  }

  rateLimited(serverMessage: string): void {
    // Before the first acquire nothing was sent, so nothing can have been rate-limited.
    this.#pacer?.rateLimited(serverMessage);
  }
}
