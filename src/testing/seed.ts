/**
 * Seed data of the emulator: the status list, a dozen hand-written orders and a generator for large
 * accounts.
 *
 * @module
 */

import { SEED_ROWS } from './seed-data.js';
import { DEFAULT_ACCOUNT_ID, type OrderStatus, type SeedOrder, type StatusName } from './types.js';

/**
 * The statuses `SoftLayer_Security_Certificate_Request_Status::getSslRequestStatuses` serves.
 *
 * The names are the ones SLDN documents. The numeric ids and the descriptions are INVENTED: IBM's real
 * values are UNVERIFIED (no public source lists them), which is why clients should match on `name`.
 *
 * @example
 * ```ts
 * const approved = SSL_REQUEST_STATUSES.find((s) => s.name === 'Approved');
 * ```
 */
export const SSL_REQUEST_STATUSES: readonly OrderStatus[] = Object.freeze([
  Object.freeze({
    id: 1,
    name: 'Pending CA Approval',
    description: 'The order was submitted and is waiting for the certificate authority to approve it',
  }),
  Object.freeze({
    id: 2,
    name: 'Approved',
    description: 'The certificate authority approved the order and sent the fulfillment email',
  }),
  Object.freeze({ id: 3, name: 'Complete', description: 'SSL certificate order completed' }),
  Object.freeze({
    id: 4,
    name: 'Canceled',
    description: 'The order was canceled or rejected by the certificate authority',
  }),
]);

/**
 * Looks a status up by name.
 *
 * @throws {Error} for a name that is not in {@link SSL_REQUEST_STATUSES}.
 * @example
 * ```ts
 * statusByName('Complete').id; // 3
 * ```
 */
export function statusByName(name: StatusName | string): OrderStatus {
  const status = SSL_REQUEST_STATUSES.find((s) => s.name === name);
  if (!status) throw new Error(`Unknown SSL request status name: ${JSON.stringify(name)}`);
  return status;
}

function fakeCsr(commonName: string): string {
  // Not a parseable CSR: only its shape matters to clients, and a short string keeps fixtures readable.
  const payload = btoa(`CN=${commonName}, O=Example Corp, C=US`);
  return `-----BEGIN CERTIFICATE REQUEST-----\nMIIBVjCB${payload}\n-----END CERTIFICATE REQUEST-----\n`;
}

/**
 * Twelve realistic SSL orders covering every status: 2 "Pending CA Approval", 4 "Approved",
 * 4 "Complete" and 2 "Canceled", sorted by id. `www.example.com` is order 4471203 (Complete) and
 * `shop.example.com` is 4471877 (Approved). Each call returns fresh objects.
 *
 * @param accountId - owner of the orders. Default `1234567`.
 * @example
 * ```ts
 * const orders = seedOrders();
 * const approved = orders.filter((o) => o.status?.name === 'Approved');
 * ```
 */
export function seedOrders(accountId: number = DEFAULT_ACCOUNT_ID): SeedOrder[] {
  return SEED_ROWS.map(
    ([id, commonName, statusName, approver, technical, create, modify, effective, expiry]) => {
      const status = statusByName(statusName);
      const order: SeedOrder = {
        id,
        accountId,
        commonName,
        approverEmailAddress: approver,
        technicalContactEmailAddress: technical,
        certificateSigningRequest: fakeCsr(commonName),
        createDate: create,
        modifyDate: modify,
        expirationDate: expiry,
        statusId: status.id,
        status,
      };
      if (effective !== null) order.effectiveDate = effective;
      return order;
    },
  );
}

/**
 * Options of {@link generateOrders}.
 *
 * @example
 * ```ts
 * generateOrders(1000, { startId: 1, accountId: 42, domain: 'example.net' });
 * ```
 */
export interface GenerateOrdersOptions {
  /** Id of the first order. Default `5_000_000`. */
  startId?: number;
  /** Owner of the orders. Default `1234567`. */
  accountId?: number;
  /** Domain of the generated common names. Default `'example.com'`. */
  domain?: string;
}

const DAY_MS = 86_400_000;
const GENERATED_EPOCH = Date.UTC(2020, 0, 1, 15, 0, 0);
const DATE_POOL_SIZE = 1461;

function centralTime(ms: number): string {
  // A fixed -06:00 offset: generated data needs the wire format, not daylight-saving accuracy.
  return `${new Date(ms - 6 * 3_600_000).toISOString().slice(0, 19)}-06:00`;
}

let datePool: { create: string[]; modify: string[]; effective: string[]; expiration: string[] } | undefined;

function dates(): NonNullable<typeof datePool> {
  // Shared string instances keep 100,000 generated orders small: only the common name is unique.
  if (!datePool) {
    const pool = {
      create: [] as string[],
      modify: [] as string[],
      effective: [] as string[],
      expiration: [] as string[],
    };
    for (let day = 0; day < DATE_POOL_SIZE; day++) {
      const created = GENERATED_EPOCH + day * DAY_MS;
      pool.create.push(centralTime(created));
      pool.modify.push(centralTime(created + DAY_MS + 3_600_000));
      pool.effective.push(centralTime(created + DAY_MS - (created % DAY_MS) + 6 * 3_600_000));
      pool.expiration.push(centralTime(created + 366 * DAY_MS));
    }
    datePool = pool;
  }
  return datePool;
}

const GENERATED_CSR = fakeCsr('generated.example.com');
const CYCLE: readonly StatusName[] = ['Approved', 'Complete', 'Pending CA Approval', 'Complete', 'Canceled'];

/**
 * Builds `count` synthetic orders, deterministically: ids `startId…startId+count-1`, common names
 * `host-<i>.<domain>`, statuses cycling Approved, Complete, Pending CA Approval, Complete, Canceled.
 * Strings other than the common name are shared, so 100,000 orders stay compact in memory.
 *
 * @example
 * ```ts
 * const orders = generateOrders(100_000);
 * orders[0]?.commonName; // 'host-0.example.com'
 * ```
 */
export function generateOrders(count: number, options: GenerateOrdersOptions = {}): SeedOrder[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a non-negative integer`);
  const { startId = 5_000_000, accountId = DEFAULT_ACCOUNT_ID, domain = 'example.com' } = options;
  const pool = dates();
  const statuses = CYCLE.map(statusByName);
  const approver = `admin@${domain}`;
  const technical = `ops@${domain}`;
  const orders: SeedOrder[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const status = statuses[i % statuses.length]!;
    const day = i % DATE_POOL_SIZE;
    const order: SeedOrder = {
      id: startId + i,
      accountId,
      commonName: `host-${i}.${domain}`,
      approverEmailAddress: approver,
      technicalContactEmailAddress: technical,
      certificateSigningRequest: GENERATED_CSR,
      createDate: pool.create[day]!,
      modifyDate: pool.modify[day]!,
      expirationDate: pool.expiration[day]!,
      statusId: status.id,
      status,
    };
    if (status.name === 'Approved' || status.name === 'Complete') order.effectiveDate = pool.effective[day]!;
    orders[i] = order;
  }
  return orders;
}
