/**
 * Ctrl-C during a command: the first one aborts what is running through an AbortSignal, so the SDK
 * decides what it means for a send (before the POST left: nothing sent, the reservation released;
 * after: an unknown outcome, recorded as such). The command then says which case it was.
 *
 * @module
 */
import type { CliIo } from './io.js';

/** The abort reason of a Ctrl-C. */
export class InterruptedError extends Error {
  override readonly name = 'InterruptedError';
  constructor() {
    super('interrupted (Ctrl-C)');
  }
}

/** Whether `error` is (or was caused by) the Ctrl-C of `signal`. */
export function isInterrupt(error: unknown, signal: AbortSignal): boolean {
  return signal.aborted && (error === signal.reason || error instanceof InterruptedError);
}

/** A signal that aborts on the first Ctrl-C, until disposed. */
export interface InterruptWatch {
  signal: AbortSignal;
  dispose(): void;
}

/** Watches for Ctrl-C through `io.onInterrupt` (a no-op signal when the io has none). */
export function watchInterrupt(io: CliIo): InterruptWatch {
  const controller = new AbortController();
  const dispose = io.onInterrupt?.(() => controller.abort(new InterruptedError())) ?? (() => {});
  return { signal: controller.signal, dispose };
}
