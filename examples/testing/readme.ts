import { SslOrdersClient } from 'softlayer-ssl-orders';
import { startEmulator } from 'softlayer-ssl-orders/testing';

const emulator = await startEmulator();
const client = new SslOrdersClient(emulator.clientOptions({ confirm: async () => true }));
const approved = emulator.orders.find((order) => order.status?.name === 'Approved');
if (approved) await client.resendFulfillmentEmail(approved.id);
console.log(emulator.outbox); // the emails the "CA" sent
await emulator.close();
