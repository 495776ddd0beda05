/**
 * Runs Debian's softlayer-python (python3-softlayer) against the emulator: `slcli call-api`, and the
 * `SoftLayer` library through `/usr/bin/python3`, the interpreter the package is installed for (the first
 * `python3` on the PATH may be another one, without the package).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from '../../src/testing/index.js';

export const SLCLI = '/usr/bin/slcli';
export const PYTHON = '/usr/bin/python3';
export const INSTALL = 'apt-get install -y python3-softlayer';

/** Fails (never skips) when softlayer-python is missing, with the command that installs it. */
export async function requireSoftLayerPython(): Promise<void> {
  if (!existsSync(SLCLI)) throw new Error(`${SLCLI} not found: ${INSTALL}`);
  if (!existsSync(PYTHON)) throw new Error(`${PYTHON} not found: ${INSTALL}`);
  const probe = await run(PYTHON, ['-c', 'import SoftLayer'], {});
  if (probe.code !== 0) throw new Error(`${PYTHON} cannot import SoftLayer: ${INSTALL}\n${probe.stderr}`);
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// The caller's own SoftLayer settings must not reach the child: only the temporary HOME counts.
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^(SL_|SOFTLAYER_|SLCLI_|HOME$|PYTHON)/.test(key)) env[key] = value;
  }
  return { ...env, ...extra };
}

function run(command: string, args: readonly string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A temporary HOME whose `.softlayer` points slcli at the emulator. */
export interface SlcliHome extends AsyncDisposable {
  readonly home: string;
  /** `slcli --format json <args>`. */
  slcli(...args: string[]): Promise<Run>;
  /** `slcli --format json <args>`, expecting exit 0, parsed. */
  json(...args: string[]): Promise<unknown>;
}

export async function slcliHome(
  emulator: Pick<Emulator, 'url' | 'credentials'>,
  apiKey = emulator.credentials.apiKey,
): Promise<SlcliHome> {
  const home = await mkdtemp(join(tmpdir(), 'slcli-home-'));
  const config = [
    '[softlayer]',
    `username = ${emulator.credentials.username}`,
    `api_key = ${apiKey}`,
    `endpoint_url = ${emulator.url}`,
    'timeout = 30',
    '',
  ].join('\n');
  await writeFile(join(home, '.softlayer'), config, { mode: 0o600 });
  const slcli = (...args: string[]) => run(SLCLI, ['--format', 'json', ...args], { HOME: home });
  return {
    home,
    slcli,
    async json(...args) {
      const result = await slcli(...args);
      if (result.code !== 0)
        throw new Error(`slcli ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
      return JSON.parse(result.stdout);
    },
    [Symbol.asyncDispose]: () => rm(home, { recursive: true, force: true }),
  };
}

/**
 * Runs a Python snippet with a `client` from `SoftLayer.create_client_from_env` pointed at the
 * emulator; the snippet prints JSON on its last line, which is returned parsed.
 */
export async function python(
  emulator: Pick<Emulator, 'url' | 'credentials'>,
  body: string,
): Promise<unknown> {
  const script = [
    'import json, SoftLayer',
    'client = SoftLayer.create_client_from_env(username=USERNAME, api_key=API_KEY, endpoint_url=ENDPOINT)',
    body,
  ].join('\n');
  const prelude = `USERNAME = ${JSON.stringify(emulator.credentials.username)}\nAPI_KEY = ${JSON.stringify(
    emulator.credentials.apiKey,
  )}\nENDPOINT = ${JSON.stringify(emulator.url)}\n`;
  const home = await mkdtemp(join(tmpdir(), 'sl-python-'));
  try {
    const result = await run(PYTHON, ['-c', prelude + script], { HOME: home });
    if (result.code !== 0) throw new Error(`python exited ${result.code}: ${result.stderr}`);
    const last = result.stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(last);
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}
