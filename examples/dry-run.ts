/**
 * Dry runs: everything a send does (read the order, check its status, confirm) except the POST.
 * The result shows the recipient and the exact request; a dry run of an order that cannot be sent
 * fails the same way the real send would, so problems show up before anyone is emailed.
 *
 * Run: npx tsx examples/dry-run.ts
 * Env: SL_USERNAME + SL_API_KEY (or IBMCLOUD_API_KEY) for your account; none for a demo emulator.
 */
import { PreconditionFailedError } from 'softlayer-ssl-orders';
import { connect } from './support/connect.js';

const { client, close } = await connect();
try {
  for (const status of ['Approved', 'Canceled']) {
    const [order] = (await client.listOrders({ status, limit: 1 })).orders;
    if (!order) continue;
    try {
      // confirm: false: a dry run sends nothing, so there is nobody to ask.
      const preview = await client.resendFulfillmentEmail(order.id, { dryRun: true, confirm: false });
      if (preview.outcome === 'dry-run') {
        const { method, url, body } = preview.request;
        console.log(`order ${order.id} (${status}): would ${method} ${url} ${JSON.stringify(body)}`);
        console.log(`  the CA would email ${preview.recipient}`);
      }
    } catch (error) {
      if (!(error instanceof PreconditionFailedError)) throw error;
      console.log(`order ${order.id} (${status}): cannot be sent: ${error.message}`);
    }
  }
} finally {
  await close();
}
