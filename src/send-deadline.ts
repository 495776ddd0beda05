/**
 * One send's deadline (`totalTimeout`, issue 15 item 2): a signal that aborts at it with a
 * {@link TimeoutError}, for the confirm hook and every wait, and the time left for the read and the POST.
 * Timers are plain `setTimeout`s, so a test's fake clock drives them.
 *
 * @module
 */
import type { TimeoutError } from './errors.js';
import { abortable } from './internal/abort.js';

/**
 * Settles with `promise`, or rejects with the signal's reason as soon as it aborts. Unlike a bare race,
 * the losing promise's rejection is always handled.
 */
export function within<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  promise.catch(() => undefined);
  return abortable(promise, signal);
}

/** One send's deadline: a signal that aborts at it (with a TimeoutError), and the time left. */
export class Deadline {
  readonly at: number;
  readonly signal: AbortSignal | undefined;
  readonly #timer: ReturnType<typeof setTimeout> | undefined;
  readonly #error: () => TimeoutError;

  constructor(totalTimeout: number | undefined, caller: AbortSignal | undefined, error: () => TimeoutError) {
    this.#error = error;
    this.at = totalTimeout === undefined ? Number.POSITIVE_INFINITY : Date.now() + totalTimeout;
    if (totalTimeout === undefined) {
      this.signal = caller;
      return;
    }
    const controller = new AbortController();
    this.#timer = setTimeout(() => controller.abort(error()), totalTimeout);
    this.signal = caller ? AbortSignal.any([caller, controller.signal]) : controller.signal;
  }

  /** Milliseconds left, or throws the deadline's error (the caller's reason first). */
  left(): number | undefined {
    this.signal?.throwIfAborted();
    if (this.at === Number.POSITIVE_INFINITY) return undefined;
    const left = this.at - Date.now();
    // The timer may lag the clock by a tick: the clock decides.
    if (left <= 0) throw this.#timeout();
    return left;
  }

  #timeout(): unknown {
    return this.signal?.aborted ? this.signal.reason : this.#error();
  }

  end(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
  }
}

/**
 * The milliseconds the POST may take: what is left before the reservation's deadline, after which
 * other processes read the record as `unknown`. Throws `timeout()` when less than `needs` is left, so
 * no attempt starts that could still be on the wire then.
 */
export function postWindow(reservationDeadline: number, needs: number, timeout: () => TimeoutError): number {
  const left = reservationDeadline - Date.now();
  if (left < needs) throw timeout();
  return left;
}
