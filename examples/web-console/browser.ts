/**
 * Headless Chromium for the web console's test and its docs screenshot: Debian's `chromium` driven
 * through playwright-core with its executable path, so no browser is ever downloaded.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** `CHROMIUM` when set, else Debian's path. */
export function chromiumPath(env: NodeJS.ProcessEnv = process.env): string {
  return env['CHROMIUM'] ?? '/usr/bin/chromium';
}

/**
 * Launches headless Chromium with a fresh profile. Throws with the install command when it is missing.
 * The background-networking flags matter on a closed network: without them Chromium keeps dialling out.
 */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(
      `chromium not found at ${executablePath}: run apt-get install -y chromium (or set CHROMIUM=/path/to/chromium)`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'ssl-orders-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1200, height: 720 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
