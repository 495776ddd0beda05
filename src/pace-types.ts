/**
 * The types pacing shares between the option check (src/pace.ts, in the startup bundle) and the
 * limiter loaded with the first request (src/pacer.ts, src/pace-limiter.ts), so neither imports the
 * other.
 *
 * @module
 */

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

/** The resolved `rateLimit` option. */
export interface PaceSettings {
  rate: PaceRate;
  adaptive: boolean;
  shared: SharedRateLimiter | undefined;
}

/** What the transport tells the pacer about an attempt about to leave. */
export interface PaceRequest {
  method: 'GET' | 'POST';
  path: string;
  /** `false` for the resend POST (see the transport's `Call`). */
  idempotent: boolean;
  attempt: number;
  signal?: AbortSignal | undefined;
  /** `Date.now()` after which no request may leave. */
  deadline: number;
  /** The call's `totalTimeout`, for the error when the deadline passes while waiting. */
  totalTimeout: number | undefined;
}

/** The fields of a transport call the pacer reads. */
export type PaceCall = Pick<PaceRequest, 'method' | 'path' | 'idempotent' | 'signal'>;

/** What the transport awaits before each attempt, and tells about rate-limit answers. */
export interface PacerHook {
  /**
   * Resolves when the attempt may leave; `undefined` (nothing to await) when a token was free at once.
   *
   * @param deadline - `Date.now()` after which no request may leave.
   */
  acquire(
    call: PaceCall,
    attempt: number,
    deadline: number,
    totalTimeout: number | undefined,
  ): Promise<void> | undefined;
  rateLimited(serverMessage: string): void;
}

/**
 * What the pacer, which loads with the first call's code (transport-wire.ts), borrows from the
 * startup bundle: handed over at run time rather than imported, so the two share no module (a module
 * two chunks share becomes a third, and several small chunks compress worse).
 */
export interface PacerTools {
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  abortable: <T>(promise: Promise<T>, signal: AbortSignal | undefined) => Promise<T>;
  /** The error when the deadline passes while waiting. */
  timeout: (request: PaceRequest) => Error;
}
