/**
 * A custom retry policy for reads, watched through the `retry` events. A stand-in `fetch` answers
 * the first two requests with HTTP 500, as an API having a bad moment would. Sends are different:
 * they are retried only when the server provably did not act (rate limit, connection refused).
 *
 * Run: npx tsx examples/custom-retry.ts
 * Env: SL_USERNAME + SL_API_KEY (or IBMCLOUD_API_KEY) for your account; none for a demo emulator.
 */
import { connect } from './support/connect.js';

let requests = 0;
const flakyFetch: typeof fetch = async (input, init) => {
  requests++;
  if (requests <= 2)
    return Response.json({ error: 'Internal Error', code: 'SoftLayer_Exception_Public' }, { status: 500 });
  return fetch(input, init);
};

const { client, close } = await connect({
  retry: { maxRetries: 4, baseDelay: 100, maxDelay: 1_000, jitter: 'equal', budget: { capacity: 50 } },
  totalTimeout: 15_000, // the whole call, retries and waits included
  fetch: flakyFetch,
  onEvent: (event) => {
    if (event.type === 'retry') {
      console.log(
        `retry ${event.attempt}: ${event.reason} (HTTP ${event.status}), waiting ${event.delayMs} ms`,
      );
    }
  },
});
try {
  const page = await client.listOrders({ limit: 3 });
  console.log(`listed ${page.orders.length} orders with ${requests} requests`);
  // Per call: this read gets one attempt only.
  const order = await client.getOrder(page.orders[0]?.id ?? 1, { retry: false });
  console.log(`read order ${order.id} (${order.commonName}) with retries off`);
} finally {
  await close();
}
