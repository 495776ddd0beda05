/**
 * SslOrdersClient: resolves options once (client-config.ts), then offers the read methods (client-reads.ts)
 * and the send methods (client-sends.ts, made on the first send).
 *
 * @module
 */
import { type ClientConfig, resolveClientConfig } from './client-config.js';
import { OrderReader } from './client-reads.js';
import { createSender } from './client-sends.js';
import { type EnvironmentSource, loadEnvironmentOptions } from './environment.js';
import type { EmailType } from './errors.js';
import { inspectSymbol } from './internal/inspect.js';
import type {
  IterateOrdersOptions,
  ListOrdersOptions,
  ReadOptions,
  SendOptions,
  SendOutcomeMark,
  SslOrdersClientOptions,
} from './options.js';
import type { SslOrder, SslOrderStatus } from './order.js';
import type { SendResult, SslOrderPage } from './results.js';
import type { Sender } from './send.js';
import type { SendRecord } from './send-ledger.js';

/**
 * A client for the SSL certificate orders of one IBM Cloud classic (SoftLayer) account.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * const client = new SslOrdersClient({
 *   auth: { username: 'SL1234567_jane', apiKey: process.env.SL_API_KEY ?? '' },
 *   confirm: async ({ recipient }) => recipient.endsWith('@example.com'),
 * });
 * const { orders } = await client.listOrders({ status: 'Approved' });
 * const result = await client.resendFulfillmentEmail(orders[0]!.id);
 * console.log(result.outcome);
 * ```
 */
export class SslOrdersClient {
  /** The REST endpoint in use, ending with `/`. */
  readonly baseUrl: string;
  readonly #config: ClientConfig;
  readonly #reads: OrderReader;
  #sender: Sender | undefined;

  /**
   * Checks every option and builds the client. No request is made here.
   *
   * @throws {@link InvalidArgumentError} when an option is missing or wrong; the message says how to fix it.
   */
  constructor(options: SslOrdersClientOptions) {
    this.#config = resolveClientConfig(options);
    this.baseUrl = this.#config.baseUrl;
    this.#reads = new OrderReader(this.#config);
  }

  /**
   * Builds a client from the environment and the slcli config file, the way `slcli` finds
   * credentials: `SL_USERNAME`, `SL_API_KEY`, `SL_ENDPOINT_URL`, `SL_TIMEOUT` (seconds), then
   * `~/.softlayer` (`[softlayer]` username, api_key, endpoint_url, timeout), merged field by field;
   * only then `IBMCLOUD_API_KEY` or `IC_API_KEY`, which slcli ignores. Explicit `overrides` win over
   * the environment, which wins over the file. A timeout of 0 (slcli's "none") means the default.
   *
   * @param overrides - options that take precedence over anything found.
   * @param source - where to look; defaults to `process.env` and `~/.softlayer` (for tests).
   * @throws {@link InvalidArgumentError} when no credential is found, or one found is unusable (names where).
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv({ userAgent: 'cert-bot/1.0' });
   * ```
   */
  static fromEnv(
    overrides: Partial<SslOrdersClientOptions> = {},
    source?: EnvironmentSource,
  ): SslOrdersClient {
    return new SslOrdersClient(loadEnvironmentOptions(overrides, source));
  }

  /**
   * The account id: the `accountId` option, or read once from `SoftLayer_Account` and cached.
   * Concurrent callers share one request; a failed lookup is tried again on the next call.
   *
   * @throws {@link ApiError} and the other typed errors of a read.
   * @example
   * ```ts
   * const accountId = await client.getAccountId({ timeout: 5_000 });
   * ```
   */
  async getAccountId(options: ReadOptions = {}): Promise<number> {
    return this.#reads.accountId(options);
  }

  /**
   * Lists one page of the account's SSL orders, ordered by id.
   *
   * Cost: one request, unless the server was seen to ignore the filter (a page held orders that do not
   * match; this client remembers it). Then `total` from the server counts every order, so the client
   * reads every order of the account (one request per 1,000 orders, 4 at a time) to count the
   * matching ones and cut this page from them.
   *
   * @returns the orders of the page and `total`, the number of matching orders in all.
   * @throws {@link InvalidArgumentError} for a bad filter, limit or offset (before any request).
   * @throws {@link ApiError} (and subclasses), {@link ConnectionError}, {@link TimeoutError} or
   *   {@link ResponseValidationError} when the call fails after its retries.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv();
   * const page = await client.listOrders({ status: 'Approved', limit: 50 });
   * console.log(`${page.orders.length} of ${page.total}`);
   * ```
   */
  async listOrders(options: ListOrdersOptions = {}): Promise<SslOrderPage> {
    return this.#reads.listOrders(options);
  }

  /**
   * Iterates over every matching order, exactly once each, in id order. Once the first page shows the
   * total and the page size the server really sends, up to `concurrency` pages are fetched ahead (and
   * at most that many are held in memory). Breaking out of the loop aborts the pages in flight.
   *
   * Orders are not lost to a server that caps page sizes (paging goes on from what came), ignores
   * `resultLimit` (that answer is everything), ignores the offset (one request without `resultLimit`,
   * already-yielded orders skipped, a `paging.offset-ignored` event) or ignores the filter (orders that
   * do not match are dropped, with a `filter.mismatch` event).
   *
   * @throws {@link InvalidArgumentError} for a bad option, before any request.
   * @throws the same errors as {@link SslOrdersClient.listOrders}, from the page that failed, after
   *   every order of the pages before it was yielded.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv();
   * for await (const order of client.iterateOrders({ pageSize: 200 })) console.log(order.id, order.commonName);
   * ```
   */
  async *iterateOrders(options: IterateOrdersOptions = {}): AsyncGenerator<SslOrder, void, undefined> {
    yield* this.#reads.iterateOrders(options);
  }

  /**
   * Reads one order.
   *
   * @param id - the order id, a positive integer.
   * @throws {@link InvalidArgumentError} for an id that is not a positive integer (before any request).
   * @throws {@link NotFoundError} when there is no such order, and the other typed errors of a read.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const order = await SslOrdersClient.fromEnv().getOrder(4471203);
   * console.log(order.commonName, order.status?.name, order.approverEmailAddress);
   * ```
   */
  async getOrder(id: number, options: ReadOptions = {}): Promise<SslOrder> {
    return this.#reads.getOrder(id, options);
  }

  /**
   * Lists the statuses an SSL order can have (`getSslRequestStatuses`).
   *
   * @throws the typed errors of a read.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const names = (await SslOrdersClient.fromEnv().listStatuses()).map((status) => status.name);
   * ```
   */
  async listStatuses(options: ReadOptions = {}): Promise<SslOrderStatus[]> {
    return this.#reads.listStatuses(options);
  }

  /**
   * Has the certificate authority send the order's fulfillment email (the certificate) again, to
   * the order's approver address. Allowed for orders in status "Approved" or "Complete". The confirm
   * hook sees the recipient first; at most one POST is made.
   *
   * @returns `sent`, `declined` (the hook said no) or `dry-run`.
   * @throws {@link InvalidArgumentError} for a bad id or option, or no confirm hook at all.
   * @throws {@link PreconditionFailedError} when the order's status does not allow the email.
   * @throws {@link PreconditionFailedError} when the order's approver is no longer `approvedRecipient`.
   * @throws {@link DuplicateSendError} within the cooldown of an earlier send or after an unknown
   *   outcome (unless `force`), while another process sends it, or when the `approvalId` was used.
   * @throws {@link SendLedgerError} when the ledger fails before the POST (nothing was sent).
   * @throws {@link TimeoutError} when `totalTimeout` passes before the POST (nothing was sent).
   * @throws {@link SendOutcomeUnknownError} when the request may have been acted on but no answer came.
   * @throws {@link ApiError} and the other typed errors when the API refused (nothing was sent).
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv({ confirm: async ({ recipient }) => recipient === 'admin@example.com' });
   * const result = await client.resendFulfillmentEmail(4471203);
   * if (result.outcome === 'sent') console.log(`sent to ${result.recipient}`);
   * ```
   */
  resendFulfillmentEmail(id: number, options: SendOptions = {}): Promise<SendResult> {
    return this.#send(id, 'FulfillmentEmail', options);
  }

  /**
   * Has the certificate authority send the approval email again, for an order in status
   * "Pending CA Approval". Same pipeline and guarantees as {@link SslOrdersClient.resendFulfillmentEmail}.
   *
   * @throws the same errors as {@link SslOrdersClient.resendFulfillmentEmail}.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv();
   * const preview = await client.resendApproverEmail(4471203, { dryRun: true, confirm: false });
   * console.log(preview.outcome === 'dry-run' ? preview.request.url : preview.outcome);
   * ```
   */
  resendApproverEmail(id: number, options: SendOptions = {}): Promise<SendResult> {
    return this.#send(id, 'ApproverEmail', options);
  }

  /**
   * Records what a person learned about an earlier send whose outcome was unknown (or that they know
   * more about): `sent` (the recipient got it; the email is then refused for `sendCooldown` from now)
   * or `not-sent` (it did not go out; the next send goes ahead). Nothing is sent. The record keeps its
   * intent id and gets `marked: true` and the reason.
   *
   * @param id - the order id.
   * @param emailType - `FulfillmentEmail` or `ApproverEmail`.
   * @param mark - `{ outcome: 'sent' | 'not-sent', reason }`, the reason 1 to 500 characters.
   * @returns the record as the ledger now holds it.
   * @throws {@link InvalidArgumentError} for a bad id, email type, outcome or reason.
   * @throws {@link MarkRefusedError} while a send of that email is in flight, or when there is no record.
   * @throws {@link SendLedgerError} when the ledger fails or holds a record of another format.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * const client = SslOrdersClient.fromEnv();
   * await client.markSendOutcome(4471203, 'FulfillmentEmail', { outcome: 'not-sent', reason: 'admin saw nothing' });
   * ```
   */
  async markSendOutcome(id: number, emailType: EmailType, mark: SendOutcomeMark): Promise<SendRecord> {
    return this.#loadSender().mark(id, emailType, mark);
  }

  /**
   * The sends the ledger remembers, newest first (by when they settled, else when they were reserved),
   * for every endpoint and account the ledger holds (each record names its `endpoint` and
   * `accountId`). Records past the retention may already be gone.
   *
   * @throws {@link SendLedgerError} when the ledger fails or holds a record of another format.
   * @example
   * ```ts
   * import { SslOrdersClient } from 'softlayer-ssl-orders';
   * for (const record of await SslOrdersClient.fromEnv().listSendRecords())
   *   console.log(record.orderId, record.emailType, record.state, record.recipient);
   * ```
   */
  async listSendRecords(): Promise<SendRecord[]> {
    return this.#loadSender().list();
  }

  // Made on first use: a client that only reads never builds a ledger.
  #loadSender(): Sender {
    this.#sender ??= createSender(this.#config.send, {
      readOrder: (id, readOptions) => this.getOrder(id, readOptions),
      accountId: (readOptions) => this.getAccountId(readOptions),
    });
    return this.#sender;
  }

  async #send(id: number, emailType: EmailType, options: SendOptions): Promise<SendResult> {
    return this.#loadSender().send(id, emailType, options);
  }

  /** A secret-free description for logs. */
  toJSON(): Record<string, unknown> {
    return {
      baseUrl: this.baseUrl,
      auth: this.#config.authKind,
      accountId: this.#config.configuredAccountId,
    };
  }

  /** `util.inspect` shows the same secret-free view as {@link SslOrdersClient.toJSON | toJSON}. */
  [inspectSymbol](): string {
    return `SslOrdersClient ${JSON.stringify(this.toJSON())}`;
  }
}
