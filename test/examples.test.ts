/**
 * Every examples/*.ts runs (with tsx, in a child process) against an emulator and exits 0; the ones
 * that send are checked against the emulator's outbox.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Emulator, startEmulator } from '../src/testing/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const EXAMPLES = readdirSync(`${ROOT}examples`).filter((name) => name.endsWith('.ts'));

async function runExample(
  name: string,
): Promise<{ code: number | null; stdout: string; stderr: string; emulator: Emulator }> {
  const emulator = await startEmulator();
  const { SL_USERNAME, SL_API_KEY, IBMCLOUD_API_KEY, IC_API_KEY, ...env } = process.env;
  const child = spawn(`${ROOT}node_modules/.bin/node`, ['--import', 'tsx', `examples/${name}`], {
    cwd: ROOT,
    env: { ...env, SSL_ORDERS_EMULATOR_URL: emulator.url },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { code, stdout, stderr, emulator };
}

describe.concurrent('examples', () => {
  it('there are examples to run', () => {
    expect(EXAMPLES).toEqual(
      expect.arrayContaining([
        'chat-bot-approval.ts',
        'custom-retry.ts',
        'dry-run.ts',
        'error-handling.ts',
        'list-and-iterate.ts',
      ]),
    );
  });

  // Each test closes its own emulator: the tests run concurrently, so a shared afterEach would close
  // the emulators of examples still running.
  it.each(EXAMPLES)('%s runs against the emulator and exits 0', { timeout: 60_000 }, async (name) => {
    const { code, stdout, stderr, emulator } = await runExample(name);
    await using _closer = { [Symbol.asyncDispose]: () => emulator.close() };
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).not.toBe('');
    expect(emulator.count()).toBeGreaterThan(0);
    const sends = emulator.count({ route: 'resend', method: 'POST' });
    if (name === 'chat-bot-approval.ts') {
      // One approval, delivered twice to two replica processes sharing a Redis ledger: one email.
      expect(emulator.outbox).toHaveLength(1);
      expect(sends).toBe(1);
      expect(stdout.match(/replica-[ab]: sent to /g)).toHaveLength(1);
      expect(
        stdout.match(/replica-[ab]: not sent: approval .* is taken \((approval-used|in-flight)\)/g),
      ).toHaveLength(1);
    } else {
      expect(sends).toBe(0);
    }
    if (name === 'custom-retry.ts') expect(stdout).toMatch(/retry 1: server-error \(HTTP 500\)/);
  });
});
