/**
 * The per-client pacer and the process-wide registry of limiters, one per user and API host. Loaded
 * on the first request (see src/pace.ts for why this is not a library).
 *
 * @module
 */
import type { SslOrdersEvent } from './events.js';
import { LocalLimiter, learnRate } from './pace-limiter.js';
import type { PaceCall, PaceRate, PaceRequest, PacerHook, PacerTools, PaceSettings } from './pace-types.js';

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

// After a shared limiter failed, ask it again only this much later: each take would fail slowly.
const SHARED_RETRY_MS = 1_000;

/** One client's view of its user's limiter: waits for tokens and reports rate-limit answers. */
export class Pacer implements PacerHook {
  readonly #key: string;
  readonly #limiter: LocalLimiter;
  readonly #settings: PaceSettings;
  readonly #emit: (event: SslOrdersEvent) => void;
  readonly #tools: PacerTools;
  #sharedDownSince: number | undefined;

  constructor(key: string, settings: PaceSettings, emit: (event: SslOrdersEvent) => void, tools: PacerTools) {
    this.#key = key;
    this.#settings = settings;
    this.#limiter = limiterFor(key, settings.rate);
    this.#emit = emit;
    this.#tools = tools;
  }

  /**
   * Resolves when the attempt may leave. Rejects with the signal's reason on abort, or with a
   * `TimeoutError` (`limit: 'total'`) when the deadline comes first; no token is used then.
   */
  acquire(
    call: PaceCall,
    attempt: number,
    deadline: number,
    totalTimeout: number | undefined,
  ): Promise<void> | undefined {
    // The common case, a token free now and no shared limiter, makes no promise and no object.
    if (!this.#settings.shared && !call.signal?.aborted && this.#limiter.tryTake()) return undefined;
    return this.#wait({ ...call, attempt, deadline, totalTimeout });
  }

  async #wait(request: PaceRequest): Promise<void> {
    const { signal, deadline } = request;
    let waited: number | undefined;
    let source: 'local' | 'shared' = 'local';
    const shared = this.#settings.shared;
    const { sleep, abortable, timeout } = this.#tools;
    if (shared && this.#sharedUsable()) {
      let ms: number | undefined;
      try {
        ms = await abortable(shared.take(this.#key, this.#limiter.rate), signal);
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        if (this.#sharedDownSince === undefined) {
          this.#emit({
            type: 'pace.shared-unavailable',
            limiter: shared.description,
            errorName: error instanceof Error ? error.name : typeof error,
          });
        }
        this.#sharedDownSince = Date.now();
      }
      if (ms !== undefined) {
        if (this.#sharedDownSince !== undefined) {
          this.#sharedDownSince = undefined;
          this.#emit({ type: 'pace.shared-restored', limiter: shared.description });
        }
        source = 'shared';
        waited = Math.max(0, ms);
        if (Date.now() + waited > deadline) {
          // The slot is past the deadline: no request may leave, so wait until the deadline and fail.
          await sleep(Math.max(0, deadline - Date.now()), signal);
          throw timeout(request);
        }
        if (waited > 0) await sleep(waited, signal);
      }
    }
    if (waited === undefined) {
      const timeoutMs = Number.isFinite(deadline) ? deadline - Date.now() : undefined;
      waited = await this.#limiter.take(signal, timeoutMs);
      if (waited === undefined) throw timeout(request);
    }
    if (waited >= 1) {
      this.#emit({
        type: 'pace.wait',
        method: request.method,
        path: request.path,
        attempt: request.attempt,
        idempotent: request.idempotent,
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
}
