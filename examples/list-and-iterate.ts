/**
 * Reading orders: one page with `listOrders` (and the total), then every order with `iterateOrders`,
 * which fetches page after page as the loop asks for them.
 *
 * Run: npx tsx examples/list-and-iterate.ts
 * Env: SL_USERNAME + SL_API_KEY (or IBMCLOUD_API_KEY) for your account; none for a demo emulator.
 */
import { connect } from './support/connect.js';

const { client, close } = await connect();
try {
  const page = await client.listOrders({ status: 'Approved', limit: 2 });
  console.log(`first page: ${page.orders.length} of ${page.total ?? '?'} Approved orders`);

  const byStatus = new Map<string, number>();
  const soon = Date.now() + 90 * 24 * 60 * 60 * 1000;
  for await (const order of client.iterateOrders({ pageSize: 5 })) {
    const status = order.status?.name ?? 'unknown';
    byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
    const expires = order.expirationDate ? Date.parse(order.expirationDate) : Number.NaN;
    if (status === 'Complete' && expires < soon) {
      console.log(`expired or expiring within 90 days: ${order.commonName} (${order.expirationDate})`);
    }
  }
  console.log('orders by status:', Object.fromEntries(byStatus));
} finally {
  await close();
}
