/**
 * scripts/require-components.mjs, the first step of `npm test`: silent when redis-server, chromium and
 * slcli are there; as a user who is not root, with any of them missing, it stops at once and prints the
 * exact `sudo apt-get install -y …` command. Run as a real unprivileged user (setpriv) with a PATH that
 * holds only node, so the programs are really absent for it. The root branch runs with an `apt-get`
 * of the test's own on that PATH (the real one would install system packages), which logs its arguments
 * and puts the programs in place, so the script's check after installing is real too.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
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

  it('with only some missing, as root: apt-get update once, then install -y exactly those', async () => {
    const bin = await mkdtemp(join(tmpdir(), 'require-components-root-'));
    await using _cleanup = { [Symbol.asyncDispose]: () => rm(bin, { recursive: true, force: true }) };
    await symlink(NODE, join(bin, 'node'));
    // slcli is already there; redis-server and chromium are not.
    await symlink('/usr/bin/slcli', join(bin, 'slcli'));
    const fakeApt = [
      '#!/bin/sh',
      `echo "$*" >> ${bin}/apt.log`,
      `if [ "$1" = install ]; then for p in redis-server chromium; do printf '#!/bin/sh\n' > ${bin}/$p; /bin/chmod +x ${bin}/$p; done; fi`,
      '',
    ].join('\n');
    await writeFile(join(bin, 'apt-get'), fakeApt);
    await chmod(join(bin, 'apt-get'), 0o755);
    const result = await run(join(bin, 'node'), [SCRIPT], { PATH: bin });
    if (process.getuid?.() !== 0) {
      // Not root (a developer's machine): the same situation gives the command to run, naming only those.
      expect(result).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('sudo apt-get install -y redis-server chromium\n'),
      });
      return;
    }
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'require-components: missing redis-server, chromium; installing redis-server chromium with apt-get\n',
    );
    expect(await readFile(join(bin, 'apt.log'), 'utf8')).toBe(
      'update -qq\ninstall -y -qq redis-server chromium\n',
    );
  });
});
