/**
 * `npm run example:web`: the Orders page against a fresh emulator (no account, nobody emailed), or
 * against your account with `--live` (credentials as `SslOrdersClient.fromEnv` finds them).
 *
 * Flags: `--live`, `--port <n>` (default: a free port), `--host <address>` (default 127.0.0.1).
 */
import { parseArgs } from 'node:util';
import { SslOrdersClient } from 'softlayer-ssl-orders';
import { startEmulator } from 'softlayer-ssl-orders/testing';
import { startWebConsole } from './server.js';

const { values } = parseArgs({
  options: {
    live: { type: 'boolean', default: false },
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
  },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65_535) {
  console.error(`--port must be a port number (0 to 65535), got "${values.port}"`);
  process.exit(2);
}

// A day, as the CLI: re-sending a certificate email within a day is almost always a mistake.
const sendCooldown = 24 * 60 * 60_000;
const emulator = values.live ? undefined : await startEmulator();
const client = emulator
  ? new SslOrdersClient({ ...emulator.clientOptions(), sendCooldown })
  : SslOrdersClient.fromEnv({ sendCooldown });
const web = await startWebConsole({ client, host: values.host, port });
console.log(
  `Orders page: ${web.url}${emulator ? ' (emulator: demo orders, nobody is emailed)' : ' (LIVE account)'}`,
);

const stop = async () => {
  await web.close();
  await emulator?.close();
  process.exit(0);
};
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
