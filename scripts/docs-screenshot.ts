/**
 * `npm run docs:screenshot`: refreshes docs/images/web-console.png, the picture of the web console
 * example the README shows. Runs the example against a fresh emulator in headless Chromium with the
 * Resend dialog open on the first Approved order.
 */
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../examples/web-console/browser.js';
import { startWebConsole } from '../examples/web-console/server.js';
import { SslOrdersClient } from '../src/index.js';
import { startEmulator } from '../src/testing/index.js';

const target = fileURLToPath(new URL('../docs/images/web-console.png', import.meta.url));
const emulator = await startEmulator();
const web = await startWebConsole({ client: new SslOrdersClient(emulator.clientOptions()) });
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  await page.goto(web.url);
  await page.waitForSelector('body[data-loaded="true"]');
  const order = emulator.orders.find((candidate) => candidate.status?.name === 'Approved');
  if (!order) throw new Error('the emulator has no Approved order to show');
  await page.click(`tr[data-order-id="${order.id}"] button.send`);
  await page.waitForSelector('#resend-dialog[open]');
  await mkdir(new URL('../docs/images/', import.meta.url), { recursive: true });
  await page.screenshot({ path: target });
  console.log(`wrote ${target}`);
} finally {
  await browser.close();
  await web.close();
  await emulator.close();
}
