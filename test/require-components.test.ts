/**
 * scripts/require-components.mjs, the first step of `npm test`: silent when redis-server, chromium and
 * slcli are there; as a user who is not root, with any of them missing, it stops at once and prints the
 * exact `sudo apt-get install -y …` command. Run as a real unprivileged user (setpriv) with a PATH that
 * holds only node, so the programs are really absent for it. (The root branch runs apt-get for real,
 * so it is exercised by .ci/run on a fresh machine, not here.)
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SCRIPT = `${ROOT}scripts/require-components.mjs`;
const NODE = process.execPath;

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe.concurrent('require-components', () => {
  it('is silent and exits 0 when every component is installed', async () => {
    const result = await run(NODE, [SCRIPT], process.env);
    expect(result).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('as a user who is not root, exits 1 at once with the exact sudo apt-get command', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'require-components-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(bin, { recursive: true, force: true }) };
    await symlink(NODE, join(bin, 'node'));
    // Root drops to nobody; anyone else is already the user this branch is for.
    const asUser =
      process.getuid?.() === 0
        ? run(
            '/usr/bin/setpriv',
            ['--reuid=65534', '--regid=65534', '--clear-groups', join(bin, 'node'), SCRIPT],
            {
              PATH: bin,
            },
          )
        : run(join(bin, 'node'), [SCRIPT], { PATH: bin });
    const result = await asUser;
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'require-components: missing redis-server, chromium, slcli. Install with:\n' +
        '  sudo apt-get install -y redis-server chromium python3-softlayer\n',
    );
  });
});
