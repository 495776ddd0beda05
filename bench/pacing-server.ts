/**
 * The emulator in its own process for bench/pacing.ts, so that its CPU does not share the client's
 * event loop (a real API is on another machine). Options come as JSON in argv[2]; prints
 * {"url","username","apiKey","accountId","orders":[…sendable ids]} when listening. On each stdin line
 * `stats` it prints {"requests","rateLimited"}; stdin closing stops it.
 *
 * Usage: node --import tsx bench/pacing-server.ts '{"orderCount":1000,"rateLimit":{"requestsPerSecond":50}}'
 */
import { createInterface } from 'node:readline';
import { type EmulatorOptions, startEmulator } from '../src/testing/index.js';

const options = JSON.parse(process.argv[2] ?? '{}') as EmulatorOptions;
const emulator = await startEmulator(options);
const sendable = emulator.orders
  .filter((order) => order.status?.name === 'Approved' || order.status?.name === 'Complete')
  .map((order) => order.id);
process.stdout.write(
  `${JSON.stringify({
    url: emulator.url,
    username: emulator.credentials.username,
    apiKey: emulator.credentials.apiKey,
    accountId: emulator.accountId,
    ids: emulator.orders.map((order) => order.id),
    sendable,
  })}\n`,
);
const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  if (line.trim() === 'stats') {
    process.stdout.write(
      `${JSON.stringify({ requests: emulator.count(), rateLimited: emulator.count({ status: 500 }) })}\n`,
    );
  }
});
lines.on('close', () => {
  void emulator.close().then(() => process.exit(0));
});
