import { SslOrdersClient } from 'softlayer-ssl-orders';
import { startEmulator } from 'softlayer-ssl-orders/testing';

const emulator = await startEmulator(); // 127.0.0.1, a free port, 12 realistic orders in every status
// { baseUrl, auth, accountId } for this emulator, plus your own options:
const client = new SslOrdersClient(emulator.clientOptions({ confirm: async () => true }));

const approved = emulator.orders.find((order) => order.status?.name === 'Approved');
if (!approved) throw new Error('the seed orders include Approved ones');
await client.resendFulfillmentEmail(approved.id);
console.log(emulator.outbox); // [{ orderId, emailType, recipient, commonName, at, … }]
console.log(emulator.count({ route: 'resend' })); // POSTs that reached the server
await emulator.close();
