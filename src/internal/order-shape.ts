/**
 * The one description of an order's shape: which fields exist and what each holds. The fast check
 * (order-check.ts) and the zod schemas (schemas.ts) are both built from these tables, and the
 * documented interfaces in order.ts are checked against the schemas' output at compile time.
 */

/** What a field holds: an integer, a string, or (for `status`) a nested status object. */
export type FieldKind = 'integer' | 'string';

/** `SoftLayer_Security_Certificate_Request_Status`: every field optional. */
export const STATUS_FIELDS = {
  id: 'integer',
  name: 'string',
  description: 'string',
} as const satisfies Record<string, FieldKind>;

/**
 * `SoftLayer_Security_Certificate_Request` as the SDK's mask returns it: `id` is required, every other
 * field optional, and `status` is a nested {@link STATUS_FIELDS} object.
 */
export const ORDER_FIELDS = {
  accountId: 'integer',
  commonName: 'string',
  approverEmailAddress: 'string',
  technicalContactEmailAddress: 'string',
  certificateSigningRequest: 'string',
  statusId: 'integer',
  createDate: 'string',
  modifyDate: 'string',
  effectiveDate: 'string',
  expirationDate: 'string',
} as const satisfies Record<string, FieldKind>;
