/**
 * The client's read part: the account id, pages of orders, one order, the statuses. The public methods
 * of {@link SslOrdersClient} check nothing themselves and call these.
 *
 * @module
 */
import { ResponseValidationError } from './errors.js';
import type { SslOrdersEvent } from './events.js';
import { abortable } from './internal/abort.js';
import { checkInteger, checkOptionsObject, checkOrderId } from './internal/arguments.js';
import { ACCOUNT_SERVICE, ORDER_MASK_QUERY, ORDER_SERVICE, STATUS_SERVICE } from './internal/endpoint.js';
import { matchesFilter } from './internal/filter.js';
import { queryString } from './internal/query.js';
import { DEFAULTS, type IterateOrdersOptions, type ListOrdersOptions, type ReadOptions } from './options.js';
import type { SslOrder, SslOrderStatus, Validated } from './order.js';
import type { PageReader, RawPage } from './paging.js';
import { checkListQuery, checkReadOptions, type ListQuery, type ReadCallOptions } from './read-options.js';
import type { SslOrderPage } from './results.js';
import type { RetryPolicy } from './retry.js';
import { type Call, loadedWire, type Transport, type Wire } from './transport.js';

/** What the reads need of the client. */
export interface ReaderConfig {
  transport: Transport;
  retry: RetryPolicy;
  emit: (event: SslOrdersEvent) => void;
  configuredAccountId: number | undefined;
}

/** The reads of one client, with its cached account id and what it learned about the server. */
export class OrderReader {
  readonly #config: ReaderConfig;
  #accountId: Promise<number> | undefined;
  // Set once a page held orders that do not match its filter: this server ignores (part of) filters.
  #filterIgnored = false;

  constructor(config: ReaderConfig) {
    this.#config = config;
  }

  accountId(options: ReadOptions): Promise<number> {
    const configured = this.#config.configuredAccountId;
    if (configured !== undefined) return Promise.resolve(configured);
    return this.#resolveAccountId(checkReadOptions(options, this.#config.retry));
  }

  async listOrders(options: ListOrdersOptions): Promise<SslOrderPage> {
    checkOptionsObject(options);
    const limit =
      options.limit === undefined
        ? DEFAULTS.pageSize
        : checkInteger(options.limit, 'limit', 1, DEFAULTS.maxPageSize);
    const offset =
      options.offset === undefined ? 0 : checkInteger(options.offset, 'offset', 0, Number.MAX_SAFE_INTEGER);
    const query = checkListQuery(options, this.#config.retry);
    if (!this.#filterIgnored || (query.filter.status ?? query.filter.commonName) === undefined) {
      const { raw, mismatch } = await this.#page(query, offset, limit);
      if (!mismatch) return { orders: raw.orders, total: raw.total, offset, limit };
    }
    // The server ignores the filter, so its total counts every order: read them all to count.
    const orders: SslOrder[] = [];
    let total = 0;
    for await (const page of this.#pages(query, DEFAULTS.maxPageSize, DEFAULTS.pageConcurrency)) {
      for (const order of page) if (total++ >= offset && orders.length < limit) orders.push(order);
    }
    return { orders, total, offset, limit };
  }

  async *iterateOrders(options: IterateOrdersOptions): AsyncGenerator<SslOrder, void, undefined> {
    checkOptionsObject(options);
    const pageSize =
      options.pageSize === undefined
        ? DEFAULTS.pageSize
        : checkInteger(options.pageSize, 'pageSize', 1, DEFAULTS.maxPageSize);
    const concurrency =
      options.concurrency === undefined
        ? DEFAULTS.pageConcurrency
        : checkInteger(options.concurrency, 'concurrency', 1, 16);
    // Checked once: every page reuses the same filter and read options.
    const query = checkListQuery(options, this.#config.retry);
    for await (const orders of this.#pages(query, pageSize, concurrency)) yield* orders;
  }

  async getOrder(id: number, options: ReadOptions): Promise<SslOrder> {
    const orderId = checkOrderId(id);
    const read = checkReadOptions(options, this.#config.retry);
    const path = `${ORDER_SERVICE}/${orderId}/getObject.json`;
    return (
      await this.#read(
        { method: 'GET', path, query: ORDER_MASK_QUERY, idempotent: true, ...read },
        (wire) => wire.validateOrder,
      )
    ).value;
  }

  async listStatuses(options: ReadOptions): Promise<SslOrderStatus[]> {
    const read = checkReadOptions(options, this.#config.retry);
    const path = `${STATUS_SERVICE}/getSslRequestStatuses.json`;
    return (
      await this.#read({ method: 'GET', path, idempotent: true, ...read }, (wire) => wire.validateStatusList)
    ).value;
  }

  async #resolveAccountId(read: ReadCallOptions): Promise<number> {
    const configured = this.#config.configuredAccountId;
    if (configured !== undefined) return configured;
    if (!this.#accountId) {
      // Shared by every caller, so one caller's abort must not cancel it for the others.
      const path = `${ACCOUNT_SERVICE}/getObject.json`;
      const shared = this.#read(
        {
          method: 'GET',
          path,
          query: 'objectMask=mask%5Bid%5D',
          idempotent: true,
          ...read,
          signal: undefined,
        },
        (wire) => wire.validateAccount,
      ).then(({ value }) => {
        this.#config.emit({ type: 'account.resolved', accountId: value.id });
        return value.id;
      });
      this.#accountId = shared;
      shared.catch(() => {
        if (this.#accountId === shared) this.#accountId = undefined;
      });
    }
    return abortable(this.#accountId, read.signal);
  }

  async #page(
    { filter, filterJson, read }: ListQuery,
    offset: number,
    limit: number | undefined,
    signal: AbortSignal | undefined = read.signal,
  ): Promise<{ raw: RawPage; mismatch: boolean }> {
    const accountId = await this.#resolveAccountId({ ...read, signal });
    const resultLimit = limit === undefined ? undefined : `${offset},${limit}`;
    const query = `${ORDER_MASK_QUERY}&${queryString({ objectFilter: filterJson, resultLimit })}`;
    const path = `${ORDER_SERVICE}/getSslCertificateRequests.json`;
    const { value: received, headers } = await this.#read(
      { method: 'POST', path, query, parameters: [accountId], idempotent: true, ...read, signal },
      (wire) => wire.validateOrderList,
    );
    let orders = received;
    if (filter.status !== undefined || filter.commonName !== undefined) {
      // SoftLayer silently ignores a filter it cannot apply; never hand back orders that do not match.
      const kept = orders.filter((order) => matchesFilter(order, filter));
      if (kept.length !== orders.length) {
        this.#filterIgnored = true;
        this.#config.emit({ type: 'filter.mismatch', dropped: orders.length - kept.length, filter });
      }
      orders = kept;
    }
    const header = headers.get('softlayer-total-items');
    const total = header !== null && /^\d+$/.test(header) ? Number(header) : undefined;
    return {
      raw: { orders, ids: received.map((order) => order.id), total },
      mismatch: orders.length !== received.length,
    };
  }

  /** Every matching order, page by page, from the pager: it loads with the first call's code. */
  async *#pages(query: ListQuery, pageSize: number, concurrency: number): AsyncGenerator<SslOrder[]> {
    const path = `${ORDER_SERVICE}/getSslCertificateRequests.json`;
    const loaded = await this.#config.transport.load({ method: 'POST', path, ...query.read });
    if ('ok' in loaded) throw loaded.error;
    const { orderPages } = loaded;
    const read: PageReader = (at, size, signal) => this.#page(query, at, size, signal).then(({ raw }) => raw);
    yield* orderPages(read, { pageSize, concurrency, signal: query.read.signal, emit: this.#config.emit });
  }

  /**
   * One read: `call` is a fresh object of the caller's (every read is idempotent), `check` picks its
   * validator from the wire module, which the call has loaded.
   */
  async #read<T>(
    call: Call & { idempotent: true },
    check: (wire: Wire) => (body: unknown) => Validated<T>,
  ): Promise<{ value: T; headers: Headers }> {
    const reply = await this.#config.transport.call(call);
    const parsed = check(loadedWire())(reply.body);
    if (!parsed.ok) {
      throw new ResponseValidationError({ method: call.method, path: call.path, issues: parsed.issues });
    }
    return { value: parsed.value, headers: reply.headers };
  }
}
