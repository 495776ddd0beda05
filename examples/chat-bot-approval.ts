/**
 * A chat-bot approval flow: the confirm hook posts the recipient to a chat channel and waits for a
 * person to answer approve or deny. A simulated person approves the first request and denies the
 * second; no answer within 10 minutes counts as deny. Nothing is sent without an approve.
 *
 * Run: npx tsx examples/chat-bot-approval.ts
 * Env: none (demo emulator). With SL_USERNAME + SL_API_KEY it runs on your account as a dry run.
 */
import type { ConfirmHook } from 'softlayer-ssl-orders';
import { connect } from './support/connect.js';

let asked = 0;
// Stand-in for a chat API: posts a message, resolves with the first reply, gives up on abort.
function askInChat(text: string, signal: AbortSignal): Promise<string> {
  console.log(`[#certs] bot: ${text} Reply approve or deny.`);
  const reply = asked++ === 0 ? 'approve' : 'deny'; // the simulated person
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      console.log(`[#certs] alice: ${reply}`);
      resolve(reply);
    }, 50);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}

const confirm: ConfirmHook = async ({ orderId, commonName, recipient, signal }) => {
  const deadline = AbortSignal.any([AbortSignal.timeout(10 * 60_000), ...(signal ? [signal] : [])]);
  const question = `Resend the certificate of ${commonName} (order ${orderId}) to ${recipient}?`;
  return (await askInChat(question, deadline).catch(() => 'no answer')) === 'approve';
};

const { client, live, close } = await connect({ confirm });
try {
  const { orders } = await client.listOrders({ status: 'Approved', limit: 2 });
  for (const order of orders) {
    const result = await client.resendFulfillmentEmail(order.id, { dryRun: live });
    console.log(`order ${order.id}: ${result.outcome} (${result.recipient})`);
  }
} finally {
  await close();
}
