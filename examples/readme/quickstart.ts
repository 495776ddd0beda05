import { createInterface } from 'node:readline/promises';
import { type ConfirmHook, SslOrdersClient } from 'softlayer-ssl-orders';

const confirm: ConfirmHook = async ({ recipient, commonName }) => {
  using rl = createInterface({ input: process.stdin, output: process.stdout });
  const q = rl.question(`Email the certificate for ${commonName} to ${recipient}? [y/N] `).catch(() => '');
  return (await Promise.race([q, new Promise((closed) => rl.once('close', closed))])) === 'y';
};
const client = SslOrdersClient.fromEnv({ confirm });
const [order] = (await client.listOrders({ status: 'Approved', limit: 1 })).orders;
if (order) console.log((await client.resendFulfillmentEmail(order.id)).outcome); // 'sent' | 'declined'
