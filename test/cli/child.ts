/**
 * Runs the real bin (src/cli/index.ts through tsx, on the Node 22 of node_modules/.bin) in a child
 * process, with piped stdio or under a pseudo-terminal (util-linux `script`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN_DIR = `${ROOT}node_modules/.bin`;
// One process (`node --import tsx`) instead of the tsx launcher, which spawns a second node.
const CLI = ['--import', 'tsx', 'src/cli/index.ts'];

export interface ChildRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The XDG_STATE_HOME children get unless the test gives one: never the user's own ledger. */
export const CHILD_STATE_HOME = mkdtempSync(join(tmpdir(), 'ssl-orders-child-state-'));

/** The environment of a child: the test decides what the CLI sees. */
export function environment(extra: Record<string, string>): NodeJS.ProcessEnv {
  // No inherited credentials, ~/.softlayer, ledger or proxy.
  const {
    SL_USERNAME,
    SL_API_KEY,
    IBMCLOUD_API_KEY,
    IC_API_KEY,
    SL_ENDPOINT_URL,
    SSL_ORDERS_LEDGER,
    HTTPS_PROXY,
    https_proxy,
    HTTP_PROXY,
    http_proxy,
    NO_PROXY,
    no_proxy,
    NODE_USE_ENV_PROXY,
    ...rest
  } = process.env;
  return {
    ...rest,
    HOME: '/nonexistent',
    XDG_STATE_HOME: CHILD_STATE_HOME,
    PATH: `${BIN_DIR}:${process.env['PATH'] ?? ''}`,
    ...extra,
  };
}

/**
 * Spawns the bin with `node` (default: Node 22 from node_modules/.bin) and piped stdio; `prefix`
 * arguments go between `node` and the bin (e.g. `setpriv … node`).
 */
export function spawnCli(
  args: readonly string[],
  env: Record<string, string>,
  node = `${BIN_DIR}/node`,
  prefix: readonly string[] = [],
): ChildProcessWithoutNullStreams {
  return spawn(node, [...prefix, ...CLI, ...args], { cwd: ROOT, env: environment(env) });
}

export function collect(
  child: ChildProcessWithoutNullStreams,
  onStdout?: (text: string) => void,
): Promise<ChildRun> {
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
    onStdout?.(stdout);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `ssl-orders <args>` with stdin a pipe (not a terminal) fed `input`. */
export function runPiped(
  args: readonly string[],
  env: Record<string, string>,
  input = '',
): Promise<ChildRun> {
  const child = spawnCli(args, env);
  const done = collect(child);
  child.stdin.end(input);
  return done;
}

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", "'\\''")}'`;
}

/**
 * Runs `ssl-orders <args>` under a pseudo-terminal. When the output shows `waitFor`, `answer` is
 * typed. Output is the terminal's (stdout and stderr merged, `\r\n` normalised to `\n`).
 */
export async function runInTerminal(
  args: readonly string[],
  env: Record<string, string>,
  waitFor: string,
  answer: string,
): Promise<ChildRun> {
  const command = [`${BIN_DIR}/node`, ...CLI, ...args].map(shellQuote).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: ROOT, env: environment(env) });
  let answered = false;
  const run = await collect(child, (output) => {
    if (!answered && output.includes(waitFor)) {
      answered = true;
      child.stdin.write(answer);
    }
  });
  child.stdin.end();
  return { ...run, stdout: run.stdout.replaceAll('\r\n', '\n') };
}
