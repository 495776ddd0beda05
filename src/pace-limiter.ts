/**
 * The in-process limiter behind client-side pacing: a FIFO queue released by GCRA (a token bucket
 * written as one timestamp, the theoretical arrival time). Why not a library: see src/pace.ts.
 *
 * GCRA with a rate r and a burst b lets b requests leave at once and then one every 1/r s, so any
 * window of one second holds at most b + r - 1 of them: 47 for the default 46/s with a burst of 2.
 * The 3 of slack under SoftLayer's 50 are for arrival jitter: against the emulator, 46/s with a burst
 * of 4 (49 by the schedule) still met rate-limit answers at the one-second mark, because the burst's
 * requests, opening new connections, reached the server later than the ones after them. Waiters queue rather than
 * reserve a slot up front, so that a lowered rate also slows the requests already waiting.
 *
 * @module
 */
import type { PaceRate } from './pace-types.js';

/** Time and timers, injectable so that tests assert scheduled times instead of sleeping. */
export interface PaceClock {
  /** Milliseconds on a monotonic clock. */
  now(): number;
  /** Calls `callback` after `ms` milliseconds; returns a handle for `clearTimer`. */
  setTimer(callback: () => void, ms: number): unknown;
  /** Cancels a timer that `setTimer` returned. */
  clearTimer(handle: unknown): void;
}

const systemClock: PaceClock = {
  now: () => performance.now(),
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/** After a rate-limit answer the rate drops to this share of what it was (AIMD's decrease). */
const DECREASE = 0.7;
/** …and climbs back by this share of the ceiling per second (back from 70 % in 3 s). */
const RECOVERY_PER_SECOND = 0.1;
/** Answers within this long of a decrease are the same overload seen again, not a new one. */
const SAME_OVERLOAD_MS = 1_000;
const SLOWEST = 0.5;

interface Waiter {
  since: number;
  grant(waitedMs: number): void;
}

/**
 * A rate and burst that stay under a limit of `limit` requests per `windowSeconds` with room for
 * jitter: 92 % of the limit spread over the window, and 4 % of it (at least 1) as burst. 50 per 1 s
 * gives 46/s with a burst of 2, the default.
 */
export function rateUnder(limit: number, windowSeconds: number): PaceRate {
  const burst = Math.max(1, Math.round(limit * 0.04));
  return { requestsPerSecond: Math.max(SLOWEST, Math.round((limit * 92) / windowSeconds) / 100), burst };
}

/**
 * Reads SoftLayer's rate-limit message, "Rate limit of 50 requests for every 1 second(s) exceeded.",
 * into the rate that stays under it; `undefined` when the message says something else.
 */
export function learnRate(message: string): PaceRate | undefined {
  const match = /rate limit of (\d+) requests? for every (\d+) seconds?/i.exec(message);
  if (!match) return undefined;
  const limit = Number(match[1]);
  const seconds = Number(match[2]);
  return limit > 0 && seconds > 0 ? rateUnder(limit, seconds) : undefined;
}

/** Paces requests for one user and API host; every client of the process acting as that user shares one. */
export class LocalLimiter {
  readonly #clock: PaceClock;
  #ceiling: PaceRate;
  #lowered: { requestsPerSecond: number; at: number } | undefined;
  #lastDecrease = Number.NEGATIVE_INFINITY;
  // GCRA's theoretical arrival time: when the next request would leave at the steady rate.
  #tat = Number.NEGATIVE_INFINITY;
  readonly #queue: Waiter[] = [];
  #timer: unknown;

  constructor(rate: PaceRate, clock: PaceClock = systemClock) {
    this.#ceiling = { ...rate };
    this.#clock = clock;
  }

  /** The rate in force now: the ceiling, or less while recovering from a rate-limit answer. */
  get rate(): PaceRate {
    return this.#current(this.#clock.now());
  }

  /** Requests waiting for a token. */
  get waiting(): number {
    return this.#queue.length;
  }

  /** Another client acting as the same user asked for `rate`: keep the lower of the two. */
  tighten(rate: PaceRate): void {
    if (rate.requestsPerSecond < this.#ceiling.requestsPerSecond) this.#ceiling = { ...rate };
    else if (rate.requestsPerSecond === this.#ceiling.requestsPerSecond && rate.burst < this.#ceiling.burst)
      this.#ceiling = { ...rate };
  }

  /**
   * A rate-limit answer came back. With `learnt` (the server's own limit, from its message) lower than
   * the ceiling, the ceiling becomes that; otherwise the rate drops to 70 % and recovers over seconds.
   *
   * @returns the new rate, or `undefined` when this answer belongs to an overload already reacted to.
   */
  slowDown(learnt?: PaceRate): PaceRate | undefined {
    const now = this.#clock.now();
    if (learnt && learnt.requestsPerSecond < this.#ceiling.requestsPerSecond) {
      this.#ceiling = learnt;
      this.#lowered = undefined;
    } else {
      if (now - this.#lastDecrease < SAME_OVERLOAD_MS) return undefined;
      const current = this.#current(now).requestsPerSecond;
      this.#lowered = { requestsPerSecond: Math.max(SLOWEST, current * DECREASE), at: now };
    }
    this.#lastDecrease = now;
    // The server's window is full right now: no request leaves before one interval at the new rate.
    this.#tat = Math.max(this.#tat, now + 1000 / this.#current(now).requestsPerSecond);
    this.#reschedule();
    return this.#current(now);
  }

  /**
   * Waits for a token.
   *
   * @param timeoutMs - give up after this long (the call's deadline); the token is then not taken.
   * @returns the milliseconds waited, or `undefined` when `timeoutMs` passed first.
   * @throws the signal's reason when `signal` aborts first; the token is then not taken.
   */
  take(signal?: AbortSignal, timeoutMs?: number): Promise<number | undefined> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.tryTake()) return Promise.resolve(0);
    const now = this.#clock.now();
    return new Promise((resolve, reject) => {
      let deadline: unknown;
      const leave = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        signal?.removeEventListener('abort', onAbort);
        if (deadline !== undefined) this.#clock.clearTimer(deadline);
      };
      const onAbort = () => {
        leave();
        reject(signal?.reason);
      };
      const waiter: Waiter = {
        since: now,
        grant: (waited) => {
          leave();
          resolve(waited);
        },
      };
      if (timeoutMs !== undefined) {
        deadline = this.#clock.setTimer(
          () => {
            leave();
            resolve(undefined);
          },
          Math.max(0, timeoutMs),
        );
      }
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#queue.push(waiter);
      this.#schedule(now);
    });
  }

  /** Takes a token when one is free now and nobody waits; `false` otherwise (nothing is taken). */
  tryTake(): boolean {
    const now = this.#clock.now();
    if (this.#queue.length > 0 || this.#readyAt(now) > now) return false;
    this.#grant(now);
    return true;
  }

  #current(now: number): PaceRate {
    const ceiling = this.#ceiling;
    const lowered = this.#lowered;
    if (!lowered) return ceiling;
    const recovered =
      lowered.requestsPerSecond +
      (RECOVERY_PER_SECOND * ceiling.requestsPerSecond * Math.max(0, now - lowered.at)) / 1000;
    if (recovered >= ceiling.requestsPerSecond) {
      this.#lowered = undefined;
      return ceiling;
    }
    // While recovering there is no burst: the rate is what was just shown to be too much, less.
    return { requestsPerSecond: recovered, burst: 1 };
  }

  /** When the next request may leave. */
  #readyAt(now: number): number {
    const { requestsPerSecond, burst } = this.#current(now);
    return this.#tat - ((burst - 1) * 1000) / requestsPerSecond;
  }

  #grant(now: number): void {
    this.#tat = Math.max(this.#tat, now) + 1000 / this.#current(now).requestsPerSecond;
  }

  #release = (): void => {
    this.#timer = undefined;
    const now = this.#clock.now();
    while (this.#queue.length > 0 && this.#readyAt(now) <= now) {
      const waiter = this.#queue[0]!;
      this.#grant(now);
      waiter.grant(now - waiter.since);
    }
    this.#schedule(now);
  };

  #schedule(now: number): void {
    if (this.#timer !== undefined || this.#queue.length === 0) return;
    this.#timer = this.#clock.setTimer(this.#release, Math.max(0, Math.ceil(this.#readyAt(now) - now)));
  }

  #reschedule(): void {
    if (this.#timer === undefined) return;
    this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#schedule(this.#clock.now());
  }
}
