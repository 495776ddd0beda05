/**
 * Fault registry: injected faults, consumed first-in first-out by matching requests.
 *
 * @module
 */
import type { FaultHandle, FaultKind, FaultSpec, RouteName } from './types.js';

const KINDS: ReadonlySet<FaultKind> = new Set<FaultKind>([
  'latency',
  'rate-limit',
  'server-error',
  'error-200',
  'expired-token',
  'reset-before',
  'reset-after',
  'truncated',
  'non-json',
  'empty',
  'false',
  'hang',
]);

const ROUTES: ReadonlySet<RouteName | '*'> = new Set<RouteName | '*'>([
  'account',
  'list',
  'get',
  'resend',
  'statuses',
  'iam',
  'other',
  '*',
]);

interface Entry {
  readonly spec: Readonly<FaultSpec>;
  remaining: number;
  hits: number;
}

/** Holds injected faults. Shared by every transport of one emulator state. */
export class FaultRegistry {
  private entries: Entry[] = [];

  /**
   * Adds a fault.
   *
   * @throws {TypeError} for an unknown kind or route, or a `times` that is not a positive integer or Infinity.
   */
  add(spec: FaultSpec): FaultHandle {
    if (!KINDS.has(spec.kind)) throw new TypeError(`Unknown fault kind: ${JSON.stringify(spec.kind)}`);
    if (!ROUTES.has(spec.route)) throw new TypeError(`Unknown fault route: ${JSON.stringify(spec.route)}`);
    const times = spec.times ?? 1;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times > 0))) {
      throw new TypeError(`Fault times must be a positive integer or Infinity, got ${times}`);
    }
    const entry: Entry = { spec: Object.freeze({ ...spec }), remaining: times, hits: 0 };
    this.entries.push(entry);
    const entries = (): Entry[] => this.entries;
    const remove = (): void => {
      this.entries = this.entries.filter((e) => e !== entry);
    };
    return {
      spec: entry.spec,
      get hits() {
        return entry.hits;
      },
      get remaining() {
        return entries().includes(entry) ? entry.remaining : 0;
      },
      clear: remove,
    };
  }

  /** Consumes one use of the oldest fault that matches `route`, and returns its spec. */
  take(route: RouteName): Readonly<FaultSpec> | null {
    const entry = this.entries.find((e) => e.spec.route === '*' || e.spec.route === route);
    if (!entry) return null;
    entry.hits++;
    entry.remaining--;
    if (entry.remaining <= 0) this.entries = this.entries.filter((e) => e !== entry);
    return entry.spec;
  }

  /** Removes every fault. */
  clear(): void {
    this.entries = [];
  }

  /** How many faults are still pending. */
  get size(): number {
    return this.entries.length;
  }
}
