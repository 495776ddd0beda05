/**
 * The order types, declared by hand so each field carries its documentation; the field tables in
 * internal/order-shape.ts, which validation is built from, are checked against them at compile time.
 *
 * @module
 */

/**
 * The status of an SSL order (`SoftLayer_Security_Certificate_Request_Status`). Match on `name`:
 * IBM documents the names "Pending CA Approval", "Approved", "Complete" and "Canceled", but not
 * their numeric ids.
 */
export interface SslOrderStatus {
  /** The status id. IBM does not document the ids: compare names instead. */
  id?: number | undefined;
  /** The status name, e.g. `Approved`. */
  name?: string | undefined;
  /** A sentence describing the status. */
  description?: string | undefined;
  /** Properties this SDK does not know are kept as the server sent them. */
  [property: string]: unknown;
}

/**
 * An SSL certificate order (`SoftLayer_Security_Certificate_Request`). Properties the API leaves
 * out are absent; dates are the API's ISO-8601 strings with a UTC offset, e.g.
 * `2024-11-03T17:59:59-06:00`.
 */
export interface SslOrder {
  /** The order (request) id: what the resend methods take. */
  id: number;
  /** The account that placed the order. */
  accountId?: number | undefined;
  /** The domain the certificate is for, e.g. `www.example.com`. */
  commonName?: string | undefined;
  /**
   * The approver, usually the domain administrator: the address the certificate authority sends
   * the fulfillment and approval emails to, and the one the confirm hook shows.
   */
  approverEmailAddress?: string | undefined;
  /** The technical contact given with the order. */
  technicalContactEmailAddress?: string | undefined;
  /** The certificate signing request (PEM). Not requested by the SDK's reads. */
  certificateSigningRequest?: string | undefined;
  /** The id of the current status. */
  statusId?: number | undefined;
  /** The current status, with its name. */
  status?: SslOrderStatus | undefined;
  /** When the order was placed. */
  createDate?: string | undefined;
  /** When the order last changed. */
  modifyDate?: string | undefined;
  /** When the certificate became valid. */
  effectiveDate?: string | undefined;
  /** When the certificate expires (the IBM console sorts orders by this, oldest first). */
  expirationDate?: string | undefined;
  /** Properties this SDK does not know are kept as the server sent them. */
  [property: string]: unknown;
}

/** Result of validating a response body. */
export type Validated<T> =
  | { ok: true; value: T }
  | { ok: false; issues: { path: string; message: string }[] };
