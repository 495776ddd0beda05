/**
 * The fault matrix as data: every fault the emulator can inject (plus a refused connection), and what
 * the design (docs: design.md §3) says each must turn into, for reads and for the send's POST.
 *
 * Client settings of every cell: IAM token provider auth (so an expired token can be refreshed),
 * retry { maxRetries: 2, baseDelay: 1, maxDelay: 5, maxRetryAfter: 30 }, and a per-attempt timeout of
 * 600 ms for the timing rows (latency, hang) and 3 s for the others, so that a slow CI machine cannot
 * turn an ordinary answer into a timeout.
 */
import {
  AuthenticationError,
  ConnectionError,
  RateLimitError,
  ResponseValidationError,
  ServerError,
  type SslOrdersError,
  TimeoutError,
} from '../../../src/index.js';
import type { Emulator, FaultSpec } from '../../../src/testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: error classes have different constructor signatures.
export type ErrorClass = abstract new (...args: any[]) => SslOrdersError;

/** What a send's POST phase must end in. `posts` is what the emulator received. */
export type PostExpectation =
  | { sent: true; posts: number }
  | { error: ErrorClass; unknownOutcome: boolean; posts: number; emails: number };

export interface FaultRow {
  name: string;
  /** Rows whose outcome is a timeout; they get the short per-attempt timeout. */
  timing?: true;
  /** Arms the fault on `route` for `times` requests (Infinity: every request). */
  inject(
    target: { emulator: Emulator; refuse(route: string, times: number): void },
    route: FaultSpec['route'],
    times: number,
  ): void;
  /** Reads: does one occurrence get retried away? If not, or when persistent, which error. */
  read: { recovers: boolean; error: ErrorClass };
  /** Attempts on the faulted route (received, or refused) for a read when the fault is persistent. */
  readAttemptsPersistent: number;
  post: { once: PostExpectation; always: PostExpectation };
}

/** Per-attempt timeout of the timing rows, in ms. */
export const SHORT_TIMEOUT_MS = 600;
/** Per-attempt timeout of every other row, in ms. */
export const LONG_TIMEOUT_MS = 3_000;

/** The per-attempt timeout a row's client uses. */
export function timeoutFor(row: FaultRow): number {
  return row.timing ? SHORT_TIMEOUT_MS : LONG_TIMEOUT_MS;
}
const MAX_RETRIES = 2;
const ALL_ATTEMPTS = 1 + MAX_RETRIES;

function emulatorFault(spec: Omit<FaultSpec, 'route' | 'times'>): FaultRow['inject'] {
  return ({ emulator }, route, times) => {
    emulator.inject({ ...spec, route, times });
  };
}

const unknown = (cause: ErrorClass, emails: number): PostExpectation => ({
  error: cause,
  unknownOutcome: true,
  posts: 1,
  emails,
});

export const FAULT_ROWS: FaultRow[] = [
  {
    name: 'latency beyond the timeout',
    timing: true,
    inject: emulatorFault({ kind: 'latency', delayMs: SHORT_TIMEOUT_MS * 4 }),
    read: { recovers: true, error: TimeoutError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    // The emulator drops a delayed request when the client goes away, so no email; the client cannot know.
    post: { once: unknown(TimeoutError, 0), always: unknown(TimeoutError, 0) },
  },
  {
    name: 'rate-limit 500 + RateLimitExceeded code',
    inject: emulatorFault({ kind: 'rate-limit' }),
    read: { recovers: true, error: RateLimitError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: {
      once: { sent: true, posts: 2 },
      always: { error: RateLimitError, unknownOutcome: false, posts: ALL_ATTEMPTS, emails: 0 },
    },
  },
  {
    name: 'rate-limit 429 + Retry-After',
    // 20 ms: within maxRetryAfter (30 ms), so it is waited for; a longer one fails at once (test/retry-client.test.ts).
    inject: emulatorFault({ kind: 'rate-limit', status: 429, retryAfter: '0.02' }),
    read: { recovers: true, error: RateLimitError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: {
      once: { sent: true, posts: 2 },
      always: { error: RateLimitError, unknownOutcome: false, posts: ALL_ATTEMPTS, emails: 0 },
    },
  },
  ...[500, 502, 503].map(
    (status): FaultRow => ({
      name: `server-error ${status}`,
      inject: emulatorFault({ kind: 'server-error', status }),
      read: { recovers: true, error: ServerError },
      readAttemptsPersistent: ALL_ATTEMPTS,
      post: { once: unknown(ServerError, 0), always: unknown(ServerError, 0) },
    }),
  ),
  {
    name: 'error body with HTTP 200',
    inject: emulatorFault({ kind: 'error-200' }),
    // SoftLayer reports internal failures this way: reads retry it like a 5xx.
    read: { recovers: true, error: ServerError },
    readAttemptsPersistent: 3,
    post: { once: unknown(ServerError, 0), always: unknown(ServerError, 0) },
  },
  {
    name: 'expired token',
    inject: emulatorFault({ kind: 'expired-token' }),
    read: { recovers: true, error: AuthenticationError },
    // One refresh, then the second rejection is final.
    readAttemptsPersistent: 2,
    post: {
      once: { sent: true, posts: 2 },
      always: { error: AuthenticationError, unknownOutcome: false, posts: 2, emails: 0 },
    },
  },
  {
    name: 'reset before processing',
    inject: emulatorFault({ kind: 'reset-before' }),
    read: { recovers: true, error: ConnectionError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: { once: unknown(ConnectionError, 0), always: unknown(ConnectionError, 0) },
  },
  {
    name: 'reset after processing',
    inject: emulatorFault({ kind: 'reset-after' }),
    read: { recovers: true, error: ConnectionError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: { once: unknown(ConnectionError, 1), always: unknown(ConnectionError, 1) },
  },
  {
    name: 'truncated body',
    inject: emulatorFault({ kind: 'truncated' }),
    read: { recovers: true, error: ConnectionError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: { once: unknown(ConnectionError, 1), always: unknown(ConnectionError, 1) },
  },
  {
    name: 'non-JSON 502 page',
    inject: emulatorFault({ kind: 'non-json' }),
    read: { recovers: true, error: ServerError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: { once: unknown(ServerError, 0), always: unknown(ServerError, 0) },
  },
  {
    name: 'empty 200 body',
    inject: emulatorFault({ kind: 'empty' }),
    read: { recovers: true, error: ServerError },
    readAttemptsPersistent: 3,
    post: { once: unknown(ServerError, 1), always: unknown(ServerError, 1) },
  },
  {
    name: 'body false',
    inject: emulatorFault({ kind: 'false' }),
    read: { recovers: false, error: ResponseValidationError },
    readAttemptsPersistent: 1,
    post: { once: unknown(ResponseValidationError, 0), always: unknown(ResponseValidationError, 0) },
  },
  {
    name: 'hang',
    timing: true,
    inject: emulatorFault({ kind: 'hang' }),
    read: { recovers: true, error: TimeoutError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: { once: unknown(TimeoutError, 0), always: unknown(TimeoutError, 0) },
  },
  {
    name: 'connection refused (closed port)',
    inject: ({ refuse }, route, times) => refuse(route, times),
    read: { recovers: true, error: ConnectionError },
    readAttemptsPersistent: ALL_ATTEMPTS,
    post: {
      once: { sent: true, posts: 1 },
      always: { error: ConnectionError, unknownOutcome: false, posts: 0, emails: 0 },
    },
  },
];

/** Once (a transient fault) or on every request (persistent). */
export const PERSISTENCE = [
  { name: 'once', times: 1 },
  { name: 'persistent', times: Number.POSITIVE_INFINITY },
] as const;
