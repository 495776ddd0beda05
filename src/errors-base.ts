/**
 * The base of the error hierarchy, and the one error raised before any request: a bad argument.
 *
 * @module
 */
import { inspectSymbol } from './internal/inspect.js';

/** Which email a send asks the certificate authority to send again. */
export type EmailType = 'FulfillmentEmail' | 'ApproverEmail';

/**
 * Base class of every error this SDK throws. Catch it to handle any SDK failure; narrow with
 * `instanceof` on a subclass or with the literal {@link SslOrdersError.name | name}.
 *
 * @example
 * ```ts
 * import { SslOrdersClient, SslOrdersError } from 'softlayer-ssl-orders';
 * const client = new SslOrdersClient({ auth: { username: 'SL1_jane', apiKey: 'key-123456' } });
 * try {
 *   await client.getOrder(4471203);
 * } catch (error) {
 *   if (error instanceof SslOrdersError) console.error(error.name, error.message);
 * }
 * ```
 */
export class SslOrdersError extends Error {
  /** The error class's name as a string literal (e.g. `'NotFoundError'`); survives minification and realms. */
  override readonly name: string = 'SslOrdersError';
  /** The id of the send this error belongs to, when it came from a resend call. */
  intentId: string | undefined;

  constructor(message: string, options?: { cause?: unknown; intentId?: string | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.intentId = options?.intentId;
  }

  /** A plain, secret-free view of the error for logs and `JSON.stringify`. */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = { name: this.name, message: this.message };
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined && key !== 'name')
        json[key] = value instanceof Date ? value.toISOString() : value;
    }
    if (this.cause instanceof Error) json['cause'] = { name: this.cause.name, message: this.cause.message };
    return json;
  }

  /** `util.inspect` shows the same secret-free view, with the stack. */
  [inspectSymbol](): string {
    const fields = this.toJSON();
    delete fields['name'];
    delete fields['message'];
    const extra = Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    return `${this.stack ?? `${this.name}: ${this.message}`}${extra}`;
  }
}

/**
 * A caller passed something the SDK cannot use: a bad id, option or credential. Thrown before any
 * request is made; the message says what was wrong and how to fix it.
 *
 * @example
 * ```ts
 * try {
 *   await client.getOrder(-1);
 * } catch (error) {
 *   if (error instanceof InvalidArgumentError) console.error(error.argument, error.message); // 'id', …
 * }
 * ```
 */
export class InvalidArgumentError extends SslOrdersError {
  override readonly name = 'InvalidArgumentError' as const;
  /** The option or argument at fault, such as `id` or `auth.apiKey`. */
  readonly argument: string;

  constructor(argument: string, message: string) {
    super(message);
    this.argument = argument;
  }
}

/** Where an API error happened: HTTP method and API path (no host, no query, no credential). */
export interface RequestInfo {
  /** HTTP method, e.g. `GET` or `POST`. */
  method: string;
  /** API path relative to the endpoint, e.g. `SoftLayer_Account/getObject.json`. */
  path: string;
}
