#!/usr/bin/env node
// First step of `npm test`: the system programs some tests need, from Debian's packages.
//   redis-server      (redis-server)        the fleet tests run real Redis servers
//   chromium          (chromium)            the docs render check and the browser tests
//   slcli + SoftLayer (python3-softlayer)   the cross-check of the emulator with a real client
// All present: exit 0 at once. Some missing: as root, `apt-get update` once and `apt-get install -y`
// the missing ones, then check again; otherwise exit 1 at once with the exact command to run. A test
// that needs a missing component fails anyway; this step says so up front, in one line.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const COMPONENTS = [
  { name: 'redis-server', pkg: 'redis-server', present: () => onPath(['redis-server']) },
  { name: 'chromium', pkg: 'chromium', present: () => onPath(['chromium', 'chromium-browser']) },
  {
    name: 'slcli',
    pkg: 'python3-softlayer',
    // The package installs for Debian's own interpreter, which need not be the first python3 on the PATH.
    present: () =>
      onPath(['slcli']) &&
      spawnSync('/usr/bin/python3', ['-c', 'import SoftLayer'], { stdio: 'ignore' }).status === 0,
  },
];

function onPath(names) {
  const dirs = (process.env.PATH ?? '').split(delimiter);
  return dirs.some((dir) => dir !== '' && names.some((name) => existsSync(join(dir, name))));
}

const missing = () => COMPONENTS.filter((c) => !c.present());
const packages = (list) => list.map((c) => c.pkg).join(' ');

let absent = missing();
if (absent.length === 0) process.exit(0);

const names = absent.map((c) => c.name).join(', ');
if (process.getuid?.() !== 0) {
  console.error(
    `require-components: missing ${names}. Install with:\n  sudo apt-get install -y ${packages(absent)}`,
  );
  process.exit(1);
}

console.log(`require-components: missing ${names}; installing ${packages(absent)} with apt-get`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const apt = (args) => spawnSync('apt-get', args, { stdio: 'inherit', env }).status === 0;
if (!apt(['update', '-qq']) || !apt(['install', '-y', '-qq', ...absent.map((c) => c.pkg)])) {
  console.error(`require-components: apt-get failed; run: apt-get install -y ${packages(absent)}`);
  process.exit(1);
}
absent = missing();
if (absent.length > 0) {
  console.error(
    `require-components: still missing ${absent.map((c) => c.name).join(', ')} after apt-get install -y ${packages(absent)}`,
  );
  process.exit(1);
}
