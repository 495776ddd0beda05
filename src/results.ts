/**
 * What the client's calls resolve to: a page of orders, and the three outcomes of a resend.
 *
 * @module
 */
import type { EmailType } from './errors.js';
import type { SslOrder } from './order.js';

/** One page of orders. */
export interface SslOrderPage {
  /** The orders of this page, in the order the API sorted them (by id, ascending). */
  orders: SslOrder[];
  /**
   * How many orders match in all, from the `SoftLayer-Total-Items` header; `undefined` if absent.
   * When the server was seen to ignore the filter (its total then counts every order), the client
   * reads every order of the account to count the matching ones: one request per 1,000 orders.
   */
  total: number | undefined;
  /** The offset this page starts at. */
  offset: number;
  /** The page size asked for. */
  limit: number;
}

/** The send happened: the API accepted the resend request. */
export interface SentResult {
  /** Always `'sent'`; tells the results apart. */
  outcome: 'sent';
  /** The order the email was sent for. */
  orderId: number;
  /** Which email was sent. */
  emailType: EmailType;
  /** The address the certificate authority emails. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
  /** When the API accepted the request. */
  sentAt: Date;
}

/** The confirm hook declined; nothing was sent. */
export interface DeclinedResult {
  /** Always `'declined'`; tells the results apart. */
  outcome: 'declined';
  /** The order the email would have been sent for. */
  orderId: number;
  /** Which email was asked for. */
  emailType: EmailType;
  /** The address the confirm hook was shown. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
}

/** A dry run: everything but the POST. */
export interface DryRunResult {
  /** Always `'dry-run'`; tells the results apart. */
  outcome: 'dry-run';
  /** The order the email would be sent for. */
  orderId: number;
  /** Which email would be sent. */
  emailType: EmailType;
  /** The address the certificate authority would email. */
  recipient: string;
  /** This send's id; it appears in every event of the send. */
  intentId: string;
  /** The request that would have been sent (no credentials). */
  request: {
    /** Always `POST`. */
    method: 'POST';
    /** The full URL, endpoint included. */
    url: string;
    /** The JSON body. */
    body: {
      /** The SoftLayer method's arguments: the email type. */
      parameters: [EmailType];
    };
  };
}

/** What a resend call resolves to. Failures reject with a typed error instead. */
export type SendResult = SentResult | DeclinedResult | DryRunResult;
