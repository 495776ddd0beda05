/**
 * The emulator's state: orders, outbox, request log, tokens, faults and the rate limiter. One state can
 * serve several transports at once (a node:http server and msw handlers).
 *
 * @module
 */
import { type AuthConfig, RateLimiter, TokenStore } from './auth.js';
import { resolveCredentials } from './credentials.js';
import { FaultRegistry } from './faults.js';
import { checkTimeZone, DEFAULT_FILTER_TIME_ZONE } from './filter-dates.js';
import { statusOf } from './model.js';
import { OrderLists } from './order-lists.js';
import { RequestLog } from './request-log.js';
import { generateOrders, SSL_REQUEST_STATUSES, seedOrders } from './seed.js';
import {
  DEFAULT_ACCOUNT_ID,
  DEFAULT_CREDENTIALS,
  type EmulatorPagingOptions,
  type EmulatorStateOptions,
  type FaultHandle,
  type FaultSpec,
  type OrderStatus,
  type OutboxEntry,
  type RecordedRequest,
  type RequestCountFilter,
  type ResolvedCredentials,
  type SeedOrder,
  type StatusName,
} from './types.js';

function nowCentral(): string {
  return `${new Date(Date.now() - 6 * 3_600_000).toISOString().slice(0, 19)}-06:00`;
}

/**
 * The state behind an emulator: what `startEmulator` and `createMswHandlers` serve.
 *
 * Orders are never mutated in place (changes replace the stored object), so `reset()` is cheap even
 * with 100,000 generated orders.
 *
 * @example
 * ```ts
 * const state = createEmulatorState({ accountId: 42 });
 * state.setOrderStatus(state.orders[0]!.id, 'Approved');
 * ```
 */
export class EmulatorState {
  /** The account that owns the orders. */
  readonly accountId: number;
  /** Accepted credentials; `username`/`apiKey`/`ibmCloudApiKey` are the first of each. */
  readonly credentials: ResolvedCredentials;
  /** Lifetime of issued IAM tokens, in seconds. */
  readonly tokenTtlSeconds: number;
  /** Delay added to every request, in ms. */
  readonly latencyMs: number;
  /** How the order list pages (see {@link EmulatorPagingOptions}). */
  readonly paging: Readonly<EmulatorPagingOptions>;
  /** Zone of filter dates without an offset (see {@link EmulatorStateOptions.filterTimeZone}). */
  readonly filterTimeZone: string;
  /** What `resendEmail` answers for an order in the wrong status. */
  readonly resendInWrongStatus: 'error' | 'false' | 'send';
  /** The statuses served by `getSslRequestStatuses`. */
  readonly statuses: readonly OrderStatus[];
  /** @internal */
  readonly faults = new FaultRegistry();
  /** @internal */
  readonly tokens = new TokenStore();
  /** @internal */
  readonly limiter: RateLimiter | null;
  /** @internal */
  readonly authConfig: AuthConfig;

  private readonly initialOrders: readonly SeedOrder[];
  private orderMap = new Map<number, SeedOrder>();
  private readonly lists = new OrderLists();
  /** @internal The request log and the outbox. */
  readonly log = new RequestLog();

  constructor(options: EmulatorStateOptions = {}) {
    this.accountId = options.accountId ?? DEFAULT_ACCOUNT_ID;
    this.credentials = resolveCredentials(options.credentials);
    this.tokenTtlSeconds = options.tokenTtlSeconds ?? 3600;
    this.latencyMs = options.latencyMs ?? 0;
    this.paging = { ...options.paging };
    this.filterTimeZone = checkTimeZone(options.filterTimeZone ?? DEFAULT_FILTER_TIME_ZONE);
    this.resendInWrongStatus = options.resendInWrongStatus ?? 'error';
    this.statuses = Object.freeze(
      (options.statuses ?? SSL_REQUEST_STATUSES).map((s) => Object.freeze({ ...s })),
    );
    const rps = options.rateLimit?.requestsPerSecond;
    if (rps !== undefined && !(Number.isInteger(rps) && rps > 0)) {
      throw new RangeError('rateLimit.requestsPerSecond must be a positive integer');
    }
    this.limiter = rps === undefined ? null : new RateLimiter(rps);
    this.authConfig = {
      enabled: options.auth ?? true,
      users: this.credentials.users,
      ibmCloudApiKeys: this.credentials.ibmCloudApiKeys,
      tokens: this.tokens,
    };
    const initial =
      options.orderCount !== undefined
        ? generateOrders(options.orderCount, { accountId: this.accountId })
        : (options.orders ?? seedOrders(this.accountId));
    this.initialOrders = options.statuses
      ? initial.map((o) => this.withStatus(o, statusOf(o)?.name))
      : initial;
    this.loadInitialOrders();
  }

  /** The order with this state's status of that name (orders keep theirs when the name is unknown). */
  private withStatus(order: SeedOrder, name: string | undefined): SeedOrder {
    const status = this.statuses.find((s) => s.name === name);
    return status ? { ...order, statusId: status.id, status } : order;
  }

  private loadInitialOrders(): void {
    this.orderMap = new Map(this.initialOrders.map((o) => [o.id, o]));
    this.touch();
  }

  private touch(): void {
    this.lists.changed();
  }

  /** Every stored order (of any account), in insertion order. */
  get orders(): readonly Readonly<SeedOrder>[] {
    return [...this.orderMap.values()];
  }

  /** Emails sent by successful `resendEmail` calls, oldest first. */
  get outbox(): readonly OutboxEntry[] {
    return this.log.outbox;
  }

  /** Every request received, oldest first (including ones still in flight). */
  get requests(): readonly RecordedRequest[] {
    return this.log.requests;
  }

  /**
   * Looks an order up by id, whatever its account.
   *
   * @example
   * ```ts
   * expect(state.getOrder(4471203)?.statusId).toBe(2);
   * ```
   */
  getOrder(id: number): Readonly<SeedOrder> | undefined {
    return this.orderMap.get(id);
  }

  /**
   * Counts recorded requests matching every given field.
   *
   * @example
   * ```ts
   * state.count({ route: 'resend', method: 'POST' });
   * ```
   */
  count(filter: RequestCountFilter = {}): number {
    return this.log.count(filter);
  }

  /**
   * Injects a fault into the next matching request(s); see {@link FaultSpec}.
   *
   * @throws {TypeError} for an unknown kind or route, or a bad `times`.
   * @example
   * ```ts
   * const fault = state.inject({ route: 'resend', kind: 'reset-after' });
   * ```
   */
  inject(fault: FaultSpec): FaultHandle {
    return this.faults.add(fault);
  }

  /**
   * Removes every injected fault.
   *
   * @example
   * ```ts
   * afterEach(() => state.clearFaults());
   * ```
   */
  clearFaults(): void {
    this.faults.clear();
  }

  /**
   * Moves an order to another status (and stamps `modifyDate`; an approved order gains an
   * `effectiveDate` if it had none).
   *
   * @throws {Error} for an unknown order id or status name.
   * @example
   * ```ts
   * state.setOrderStatus(4502244, 'Approved');
   * ```
   */
  setOrderStatus(id: number, name: StatusName): void {
    const order = this.orderMap.get(id);
    if (!order) throw new Error(`No order with id ${id}`);
    if (!this.statuses.some((s) => s.name === name))
      throw new Error(`Unknown status name: ${JSON.stringify(name)}`);
    const next: SeedOrder = { ...this.withStatus(order, name), modifyDate: nowCentral() };
    if ((name === 'Approved' || name === 'Complete') && next.effectiveDate === undefined) {
      next.effectiveDate = next.modifyDate;
    }
    this.orderMap.set(id, next);
    this.touch();
  }

  /**
   * Adds orders, or replaces the ones with the same id.
   *
   * @example
   * ```ts
   * state.addOrders({ ...seedOrders()[0]!, id: 1, accountId: 999 }); // another account's order
   * ```
   */
  addOrders(...orders: SeedOrder[]): void {
    for (const order of orders) this.orderMap.set(order.id, { ...order });
    this.touch();
  }

  /**
   * Issues an IAM access token directly, as if an IBM Cloud API key had been exchanged.
   *
   * @example
   * ```ts
   * const headers = { authorization: `Bearer ${state.issueToken()}` };
   * ```
   */
  issueToken(): string {
    return this.tokens.issue(this.tokenTtlSeconds, `apikey:direct`).accessToken;
  }

  /**
   * Makes every issued access token expired: bearer calls then get 500
   * `SoftLayer_Exception_Account_Authentication_AccessTokenValidation`.
   *
   * @example
   * ```ts
   * state.expireTokens();
   * ```
   */
  expireTokens(): void {
    this.tokens.expireAll();
  }

  /**
   * Back to the initial orders; empties the outbox and the request log; drops faults, tokens and rate
   * windows.
   *
   * @example
   * ```ts
   * afterEach(() => state.reset());
   * ```
   */
  reset(): void {
    this.loadInitialOrders();
    this.log.clear();
    this.faults.clear();
    this.tokens.clear();
    this.limiter?.clear();
  }

  /** @internal The orders of this state's account, in insertion order. */
  accountOrders(): readonly SeedOrder[] {
    return this.lists.accountOrders(() =>
      [...this.orderMap.values()].filter((o) => o.accountId === this.accountId),
    );
  }

  /** @internal A filtered and sorted list, memoized per filter text (see order-lists.ts). */
  cachedList(key: string, compute: () => readonly SeedOrder[]): readonly SeedOrder[] {
    return this.lists.cached(key, compute);
  }
}

/**
 * Creates an emulator state without any transport, to share one between `startEmulator({ state })`
 * and `createMswHandlers({ state })`.
 *
 * Defaults: account `1234567`, the twelve {@link seedOrders}, {@link DEFAULT_CREDENTIALS}, auth on, no
 * rate limit, 3600 s tokens, no added latency.
 *
 * @example
 * ```ts
 * const state = createEmulatorState({ orderCount: 100_000 });
 * const emulator = await startEmulator({ state });
 * const { handlers } = createMswHandlers({ state }); // the same orders, outbox and request log
 * ```
 */
export function createEmulatorState(options: EmulatorStateOptions = {}): EmulatorState {
  return new EmulatorState(options);
}
