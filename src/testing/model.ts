/**
 * The datatypes the emulator serves, described for object masks and object filters.
 *
 * @module
 */
import type { PathResolver } from './filter.js';
import type { MaskType, Obj } from './mask.js';
import { SSL_REQUEST_STATUSES } from './seed.js';
import type { OrderStatus, SeedOrder } from './types.js';

const statusesById = new Map(SSL_REQUEST_STATUSES.map((s) => [s.id, s]));

/**
 * The relational `status` of an order: its own when that agrees with `statusId` (custom status ids),
 * else the default list's entry for `statusId`, else its own.
 */
export function statusOf(order: SeedOrder): OrderStatus | undefined {
  const own = order.status;
  if (own && own.id === order.statusId) return own;
  return statusesById.get(order.statusId) ?? own;
}

/** `SoftLayer_Security_Certificate_Request_Status`. */
export const STATUS_TYPE: MaskType = {
  name: 'SoftLayer_Security_Certificate_Request_Status',
  locals: ['id', 'name', 'description'],
  relations: {},
  strict: true,
};

/** `SoftLayer_Account`, reduced to a few locals; lenient because the emulator does not model it fully. */
export const ACCOUNT_TYPE: MaskType = {
  name: 'SoftLayer_Account',
  locals: [
    'id',
    'accountStatusId',
    'brandId',
    'companyName',
    'firstName',
    'lastName',
    'email',
    'address1',
    'city',
    'state',
    'postalCode',
    'country',
    'officePhone',
    'createDate',
    'modifyDate',
  ],
  relations: {},
  strict: false,
};

/** The account object served by `SoftLayer_Account::getObject`. Every value but `id` is invented. */
export function accountObject(accountId: number): Obj {
  return {
    id: accountId,
    accountStatusId: 1001,
    brandId: 2,
    companyName: 'Example Corp',
    firstName: 'Jane',
    lastName: 'Doe',
    email: 'jane.doe@example.com',
    address1: '1 Example Plaza',
    city: 'Dallas',
    state: 'TX',
    postalCode: '75201',
    country: 'US',
    officePhone: '+1 214 555 0100',
    createDate: '2014-03-10T11:02:45-05:00',
    modifyDate: '2024-12-16T08:00:12-06:00',
  };
}

const STUB_TYPE = (name: string): MaskType => ({ name, locals: [], relations: {}, strict: false });

const BILLING_ORDER_TYPE: MaskType = {
  ...STUB_TYPE('SoftLayer_Billing_Order'),
  locals: ['id', 'accountId', 'createDate', 'status'],
};
const BILLING_ORDER_ITEM_TYPE: MaskType = {
  ...STUB_TYPE('SoftLayer_Billing_Order_Item'),
  locals: ['id', 'orderId', 'description', 'categoryCode'],
};

// Billing ids are derived from the request id so that stubs stay deterministic without extra state.
const billingOrderId = (order: Obj): number => Number(order['id']) + 30_000_000;

/** `SoftLayer_Security_Certificate_Request`: the SSL order. */
export const ORDER_TYPE: MaskType = {
  name: 'SoftLayer_Security_Certificate_Request',
  locals: [
    'id',
    'accountId',
    'approverEmailAddress',
    'certificateSigningRequest',
    'commonName',
    'createDate',
    'effectiveDate',
    'expirationDate',
    'modifyDate',
    'statusId',
    'technicalContactEmailAddress',
  ],
  relations: {
    status: { type: STATUS_TYPE, resolve: (o) => statusOf(o as unknown as SeedOrder) },
    account: { type: ACCOUNT_TYPE, resolve: (o) => accountObject(Number(o['accountId'])) },
    order: {
      type: BILLING_ORDER_TYPE,
      resolve: (o) => ({
        id: billingOrderId(o),
        accountId: o['accountId'],
        createDate: o['createDate'],
        status: 'COMPLETED',
      }),
    },
    orderItem: {
      type: BILLING_ORDER_ITEM_TYPE,
      resolve: (o) => ({
        id: billingOrderId(o) + 1,
        orderId: billingOrderId(o),
        description: 'RapidSSL (1 year)',
        categoryCode: 'ssl_certificate',
      }),
    },
  },
  strict: true,
};

/** Object filter paths on an order: its locals and `status.{id,name,description}`. */
export const resolveOrderPath: PathResolver<SeedOrder> = (path) => {
  const [head, sub, ...rest] = path;
  if (head === undefined || rest.length > 0) return null;
  if (sub === undefined) {
    return ORDER_TYPE.locals.includes(head) ? (o) => (o as unknown as Obj)[head] : null;
  }
  if (head === 'status' && STATUS_TYPE.locals.includes(sub)) {
    return (o) => {
      const status = statusOf(o) as unknown as Obj | undefined;
      return status?.[sub];
    };
  }
  return null;
};

/** Object filter paths on a status: its locals. */
export const resolveStatusPath: PathResolver<OrderStatus> = (path) => {
  const [head, ...rest] = path;
  if (head === undefined || rest.length > 0 || !STATUS_TYPE.locals.includes(head)) return null;
  return (s) => (s as unknown as Obj)[head];
};
