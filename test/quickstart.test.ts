/**
 * The README quickstart (examples/readme/quickstart.ts) as a user runs it, in a child process
 * against the emulator (issue 15, item 6): piped input (`echo y | …`) must not crash with
 * ERR_USE_AFTER_CLOSE, input that ends without an answer means "no", and Ctrl-C at the prompt on a
 * real terminal declines quietly instead of printing an AbortError stack.
 */
import { type ChildProcessWithoutNullStreams, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CREDENTIALS, type Emulator, startEmulator } from '../src/testing/index.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NODE = `${ROOT}node_modules/.bin/node`;
const QUICKSTART = ['--import', 'tsx', 'examples/readme/quickstart.ts'];
const PROMPT = 'Email the certificate for shop.example.com to admin@example.com? [y/N] ';

/**
 * The environment of a user whose credentials are in SL_* variables, pointed at a fresh emulator.
 * Each test has its own emulator (they run concurrently) and closes it by `await using`.
 */
async function userEnvironment(): Promise<{ env: NodeJS.ProcessEnv; emulator: Emulator } & AsyncDisposable> {
  const emulator = await startEmulator();
  const { IBMCLOUD_API_KEY, IC_API_KEY, SOFTLAYER_USERNAME, SOFTLAYER_API_KEY, ...env } = process.env;
  return {
    emulator,
    env: {
      ...env,
      // No ~/.softlayer of the machine's user can get in the way.
      HOME: mkdtempSync(join(tmpdir(), 'quickstart-home-')),
      SL_USERNAME: DEFAULT_CREDENTIALS.username,
      SL_API_KEY: DEFAULT_CREDENTIALS.apiKey,
      SL_ENDPOINT_URL: emulator.url,
      NO_COLOR: '1',
    },
    [Symbol.asyncDispose]: () => emulator.close(),
  };
}

interface Run {
  child: ChildProcessWithoutNullStreams;
  output: () => string;
  errors: () => string;
  /** Resolves once the output contains `text`. */
  printed: (text: string) => Promise<void>;
  exit: Promise<number | null>;
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Run {
  const child = spawn(command, args, { cwd: ROOT, env });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    for (const waiter of waiters.filter((candidate) => stdout.includes(candidate.text))) waiter.resolve();
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return {
    child,
    output: () => stdout,
    errors: () => stderr,
    printed: (text) =>
      stdout.includes(text)
        ? Promise.resolve()
        : new Promise<void>((resolve, reject) => {
            waiters.push({ text, resolve });
            exit.then(() =>
              reject(new Error(`exited before printing ${JSON.stringify(text)}:\n${stdout}${stderr}`)),
            );
          }),
    exit,
  };
}

describe.concurrent('the README quickstart', () => {
  it('echo y | …: reads the answer from the pipe and sends the email', { timeout: 60_000 }, async () => {
    await using user = await userEnvironment();
    const quickstart = run(NODE, QUICKSTART, user.env);
    quickstart.child.stdin.end('y\n');
    expect(await quickstart.exit).toBe(0);
    expect(quickstart.errors()).toBe('');
    expect(quickstart.output()).toBe(`${PROMPT}sent\n`);
    expect(user.emulator.outbox).toHaveLength(1);
  });

  it('input that ends without an answer means no', { timeout: 60_000 }, async () => {
    await using user = await userEnvironment();
    const quickstart = run(NODE, QUICKSTART, user.env);
    quickstart.child.stdin.end();
    expect(await quickstart.exit).toBe(0);
    expect(quickstart.errors()).toBe('');
    expect(quickstart.output()).toBe(`${PROMPT}declined\n`);
    expect(user.emulator.outbox).toHaveLength(0);
  });

  it('Ctrl-C at the prompt on a terminal declines, with no stack trace', { timeout: 60_000 }, async () => {
    // script(1) gives the quickstart a real pseudo-terminal, so readline sees Ctrl-C as a key press.
    const found = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (found.error) {
      throw new Error('this test needs script(1) for a real terminal: apt-get install -y bsdutils');
    }
    const command = [NODE, ...QUICKSTART].map((part) => `'${part}'`).join(' ');
    await using user = await userEnvironment();
    const terminal = run('script', ['-qec', command, '/dev/null'], user.env);
    await terminal.printed('[y/N] ');
    terminal.child.stdin.write('\u0003');
    expect(await terminal.exit).toBe(0);
    expect(terminal.output()).toContain('declined');
    expect(terminal.output()).not.toMatch(/AbortError|Error:|\n\s+at /);
    expect(user.emulator.outbox).toHaveLength(0);
  });
});
