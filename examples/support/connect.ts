/**
 * Shared by the examples (not an example itself): a client for the examples to use.
 *
 * - SSL_ORDERS_EMULATOR_URL set: a running emulator at that URL, with its default demo credentials
 *   (test/examples.test.ts uses this).
 * - SL_USERNAME + SL_API_KEY, or IBMCLOUD_API_KEY / IC_API_KEY set: your real account (`live`: the
 *   examples that send switch to dry runs, so no real email goes out).
 * - Otherwise: a fresh embedded emulator with demo orders, stopped by `close()`.
 */
import { SslOrdersClient, type SslOrdersClientOptions } from 'softlayer-ssl-orders';
import { DEFAULT_CREDENTIALS, startEmulator } from 'softlayer-ssl-orders/testing';

export interface ExampleConnection {
  client: SslOrdersClient;
  /** True on a real account. */
  live: boolean;
  close(): Promise<void>;
}

export async function connect(options: Partial<SslOrdersClientOptions> = {}): Promise<ExampleConnection> {
  const env = process.env;
  const demoAuth = { username: DEFAULT_CREDENTIALS.username, apiKey: DEFAULT_CREDENTIALS.apiKey };
  const emulatorUrl = env['SSL_ORDERS_EMULATOR_URL'];
  if (emulatorUrl) {
    const client = new SslOrdersClient({ auth: demoAuth, baseUrl: emulatorUrl, ...options });
    return { client, live: false, close: async () => {} };
  }
  if ((env['SL_USERNAME'] && env['SL_API_KEY']) || env['IBMCLOUD_API_KEY'] || env['IC_API_KEY']) {
    return { client: SslOrdersClient.fromEnv(options), live: true, close: async () => {} };
  }
  const emulator = await startEmulator();
  const client = new SslOrdersClient({ ...emulator.clientOptions(), ...options });
  return { client, live: false, close: () => emulator.close() };
}
