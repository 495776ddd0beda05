/**
 * Handling the typed errors: each is an SslOrdersError subclass with a literal `name`, and none
 * carries a secret. SendOutcomeUnknownError needs a person: the email may or may not have gone out
 * and was not retried, so ask the recipient before sending again.
 *
 * Run: npx tsx examples/error-handling.ts
 * Env: SL_USERNAME + SL_API_KEY (or IBMCLOUD_API_KEY) for your account; none for a demo emulator.
 */
import {
  InvalidArgumentError,
  NotFoundError,
  PreconditionFailedError,
  SendOutcomeUnknownError,
  SslOrdersError,
} from 'softlayer-ssl-orders';
import { connect } from './support/connect.js';

function explain(error: unknown): string {
  if (error instanceof SendOutcomeUnknownError) return `UNKNOWN: ask ${error.recipient} before sending again`;
  if (error instanceof PreconditionFailedError)
    return `not sendable in status "${error.status}"; nothing sent`;
  if (error instanceof NotFoundError) return `no such order (HTTP ${error.status}, ${error.code})`;
  if (error instanceof InvalidArgumentError) return `bad ${error.argument}: ${error.message}`;
  if (error instanceof SslOrdersError) return `${error.name}: ${error.message}`;
  throw error; // not from the SDK: a bug in this program
}

const { client, live, close } = await connect();
try {
  const [canceled] = (await client.listOrders({ status: 'Canceled', limit: 1 })).orders;
  const attempts: [string, () => Promise<unknown>][] = [
    ['getOrder(-1)', () => client.getOrder(-1)],
    ['getOrder(1)', () => client.getOrder(1)],
  ];
  if (canceled) {
    const send = () => client.resendFulfillmentEmail(canceled.id, { confirm: false, dryRun: live });
    attempts.push(['resend a canceled order', send]);
  }
  for (const [what, attempt] of attempts) {
    await attempt().then(
      () => console.log(`${what}: ok`),
      (error: unknown) => console.log(`${what}: ${explain(error)}\n  as JSON: ${JSON.stringify(error)}`),
    );
  }
} finally {
  await close();
}
