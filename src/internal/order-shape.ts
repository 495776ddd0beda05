/**
 * The one description of an order's shape: which fields exist and what each holds. The fast check
 * (order-check.ts) and the coercing validator (order-parse.ts) are both built from these tables, and
 * the documented interfaces in order.ts are checked against them at compile time (below), so a field
 * added to one and not the other fails `tsc`.
 */
import type { SslOrder, SslOrderStatus } from '../order.js';

/** What a field holds: an integer or a string. (`status` is the nested {@link STATUS_FIELDS} object.) */
export type FieldKind = 'integer' | 'string';

/** `SoftLayer_Security_Certificate_Request_Status`: every field optional. */
export const STATUS_FIELDS = {
  id: 'integer',
  name: 'string',
  description: 'string',
} as const satisfies Record<string, FieldKind>;

/**
 * `SoftLayer_Security_Certificate_Request` as the SDK's mask returns it, beside `id` (required,
 * an integer) and `status` (optional, a {@link STATUS_FIELDS} object): every field optional.
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

// The value a table describes must be exactly the documented interface, field for field (the index
// signature for unknown properties aside, or a field missing from either side would still match).
interface KindType {
  integer: number;
  string: string;
}
type Described<T extends Record<string, FieldKind>> = { [K in keyof T]?: KindType[T[K]] | undefined };
type Known<T> = { [K in keyof T as string extends K ? never : K]: T[K] };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
// Every field optional makes two types assignable whatever their fields, so the keys are compared too.
type Matches<A, B> = Same<A, B> extends true ? Same<keyof A, keyof B> : false;
// Types only, so none of this reaches the bundle: a mismatch is an error on the line below.
type Assert<T extends true> = T;
export type ShapesMatchOrderTs = [
  Assert<Matches<Described<typeof STATUS_FIELDS>, Known<SslOrderStatus>>>,
  Assert<
    Matches<
      Described<typeof ORDER_FIELDS> & { id: number; status?: SslOrderStatus | undefined },
      Known<SslOrder>
    >
  >,
];
