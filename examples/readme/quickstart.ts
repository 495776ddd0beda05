import { createInterface } from 'node:readline/promises';
import { SslOrdersClient } from 'softlayer-ssl-orders';

const rl = createInterface({ input: process.stdin, output: process.stdout });
const client = SslOrdersClient.fromEnv({
  confirm: async ({ recipient, commonName }) =>
    (await rl.question(`Email the certificate for ${commonName} to ${recipient}? [y/N] `)) === 'y',
});
const [order] = (await client.listOrders({ status: 'Approved', limit: 1 })).orders;
if (order) console.log((await client.resendFulfillmentEmail(order.id)).outcome); // 'sent' | 'declined'
rl.close();
