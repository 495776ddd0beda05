/**
 * Routes and fault injection: the types of `emulator.inject(…)`.
 *
 * @module
 */
/**
 * Route names used by fault injection and `RequestCountFilter`.
 *
 * - `account`: `SoftLayer_Account::getObject`
 * - `list`: `SoftLayer_Security_Certificate_Request::getSslCertificateRequests`
 * - `get`: instance reads of an order (`getObject`, `getStatus`, and the relational getters)
 * - `resend`: `SoftLayer_Security_Certificate_Request::resendEmail`
 * - `statuses`: everything on `SoftLayer_Security_Certificate_Request_Status`
 * - `iam`: the IAM token endpoint `POST /identity/token`
 * - `other`: anything else (unknown services and methods, malformed paths)
 *
 * @example
 * ```ts
 * emulator.inject({ route: 'list', kind: 'server-error' });
 * emulator.count({ route: 'resend' });
 * ```
 */
export type RouteName = 'account' | 'list' | 'get' | 'resend' | 'statuses' | 'iam' | 'other';

/**
 * The kinds of fault {@link FaultSpec} can inject. See {@link FaultSpec} for what each one does.
 *
 * @example
 * ```ts
 * const kinds: FaultKind[] = ['reset-before', 'reset-after'];
 * for (const kind of kinds) emulator.inject({ route: 'resend', kind });
 * ```
 */
export type FaultKind =
  | 'latency'
  | 'rate-limit'
  | 'server-error'
  | 'error-200'
  | 'expired-token'
  | 'reset-before'
  | 'reset-after'
  | 'truncated'
  | 'non-json'
  | 'empty'
  | 'false'
  | 'hang';

/**
 * A fault to inject into the next matching request(s).
 *
 * | kind | server acts on the request? | what the client sees |
 * |---|---|---|
 * | `latency` | yes | a normal answer after `delayMs` |
 * | `rate-limit` | no | HTTP 500 (or `status`, e.g. 429) + `SoftLayer_Exception_WebService_RateLimitExceeded`, optional `Retry-After` |
 * | `server-error` | no | HTTP `status` (default 500) + `{"error":"Internal Error","code":"SoftLayer_Exception_Public"}` |
 * | `error-200` | no | HTTP 200 + the same Internal Error body |
 * | `expired-token` | no | HTTP 500 + `SoftLayer_Exception_Account_Authentication_AccessTokenValidation` |
 * | `reset-before` | no | the connection is destroyed before anything is processed |
 * | `reset-after` | yes | the request is processed fully, then the connection is destroyed without a response |
 * | `truncated` | yes | headers with a too-large `Content-Length`, part of the body, then a destroyed connection |
 * | `non-json` | no | HTTP 502 (or `status`) with an HTML body |
 * | `empty` | yes | HTTP 200 with an empty body |
 * | `false` | no | HTTP 200 with body `false` (no email is recorded) |
 * | `hang` | no | nothing, until the client gives up |
 *
 * Whether `server-error`, `non-json` and `hang` acted on the request is the emulator's choice ("no"), so
 * that tests can tell from the outbox that a client did not retry an email send.
 *
 * @example
 * ```ts
 * emulator.inject({ route: 'resend', kind: 'reset-after' });
 * emulator.inject({ route: 'list', kind: 'rate-limit', status: 429, retryAfter: '1', times: 2 });
 * emulator.inject({ route: '*', kind: 'latency', delayMs: 50, times: Infinity });
 * ```
 */
export interface FaultSpec {
  /** Which route the fault applies to; `'*'` matches every request. */
  route: RouteName | '*';
  /** What goes wrong; see the table above. */
  kind: FaultKind;
  /** How many matching requests the fault affects. Default 1; `Infinity` allowed. */
  times?: number;
  /** Delay for `latency` (default 100 ms); also applied before any other kind when given. */
  delayMs?: number;
  /** HTTP status for `rate-limit` (default 500), `server-error` (default 500) and `non-json` (default 502). */
  status?: number;
  /** Value of the `Retry-After` response header, for `rate-limit` and `server-error`. */
  retryAfter?: string;
}

/**
 * A handle on an injected fault.
 *
 * @example
 * ```ts
 * const fault = emulator.inject({ route: 'list', kind: 'server-error', times: Infinity });
 * // …
 * expect(fault.hits).toBe(3);
 * fault.clear();
 * ```
 */
export interface FaultHandle {
  /** The fault as injected. */
  readonly spec: Readonly<FaultSpec>;
  /** How many requests this fault has affected so far. */
  readonly hits: number;
  /** How many more requests it will affect. */
  readonly remaining: number;
  /** Removes the fault. */
  clear(): void;
}
