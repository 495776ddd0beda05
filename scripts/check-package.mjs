#!/usr/bin/env node
// Packaging checks on the real tarball, as a user would receive it:
//   1. build (tsup) and `npm pack` into a temp dir;
//   2. the tarball holds what it needs and nothing else;
//   3. publint (strict) and @arethetypeswrong/cli (esm-only profile) on the tarball;
//   4. a consumer project installs the tarball (ky comes from the registry) and runs a smoke
//      script against the emulator under Node 22, Node 24, Bun and Deno (import), Node 22/24 (require of
//      the ESM build) and the `ssl-orders` bin. Node 24, Bun and Deno come from the npm registry.
// Prints a summary table; exits non-zero on any failure.
// Options: --no-build (pack the existing dist/), --keep (keep the temp dir), --only=<id,...> (run a subset
// of the runtime rows, e.g. --only=node22-esm,deno). Runtimes are cached in .tmp/runtimes (gitignored).
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// Plain output from publint, attw and npm: the details end up in a table.
process.env.NO_COLOR = '1';
const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const args = process.argv.slice(2);
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const work = mkdtempSync(join(tmpdir(), 'ssl-orders-package-'));
const started = performance.now();
/** @type {{ check: string, ok: boolean | 'skip', seconds: number, detail: string }[]} */
const rows = [];

// --- helpers -------------------------------------------------------------------------------------
/**
 * Runs a command; never throws. Output is captured (and shown on failure by the caller).
 * @returns {Promise<{ code: number | null, stdout: string, stderr: string, seconds: number }>}
 */
function run(command, commandArgs, { cwd = root, env = process.env, timeoutMs = 180_000 } = {}) {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(command, commandArgs, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      stderr += `\n[killed after ${timeoutMs} ms]`;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({
        code: -1,
        stdout,
        stderr: `${stderr}${error.message}`,
        seconds: (performance.now() - t0) / 1000,
      });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

const tail = (text, lines = 25) => text.trim().split('\n').slice(-lines).join('\n');

function record(check, ok, seconds, detail = '') {
  rows.push({ check, ok, seconds, detail });
  const mark = ok === 'skip' ? 'SKIP' : ok ? 'ok  ' : 'FAIL';
  console.log(`${mark}  ${check.padEnd(28)} ${seconds.toFixed(1).padStart(6)}s  ${detail.split('\n')[0]}`);
  if (ok === false && detail.includes('\n')) console.log(detail.replace(/^/gm, '      '));
}

function finish() {
  const failed = rows.filter((row) => row.ok === false).length;
  const total = (performance.now() - started) / 1000;
  console.log('\n| check | result | time | detail |\n|---|---|---|---|');
  for (const row of rows) {
    const result = row.ok === 'skip' ? 'skip' : row.ok ? 'ok' : '**FAIL**';
    const detail = row.detail.replace(/\n/g, '; ').replace(/\|/g, '\\|').slice(0, 400);
    console.log(`| ${row.check} | ${result} | ${row.seconds.toFixed(1)} s | ${detail} |`);
  }
  console.log(
    `\ncheck-package: ${rows.length - failed}/${rows.length} ok in ${total.toFixed(0)} s (work dir ${work})`,
  );
  if (!args.includes('--keep')) rmSync(work, { recursive: true, force: true });
  process.exit(failed ? 1 : 0);
}

// npm under whichever node runs this script (npm scripts put Node 22 first on PATH).
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// --- 1. build and pack ---------------------------------------------------------------------------
if (!args.includes('--no-build')) {
  const build = await run(npm, ['run', 'build']);
  record(
    'build (tsup)',
    build.code === 0,
    build.seconds,
    build.code === 0 ? '' : tail(build.stdout + build.stderr),
  );
  if (build.code !== 0) finish();
}
const pack = await run(npm, ['pack', '--json', '--pack-destination', work]);
/** @type {{ filename: string, size: number, unpackedSize: number, files: { path: string, size: number, mode: number }[] }} */
let packed;
try {
  packed = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('[')))[0];
} catch {
  record('npm pack', false, pack.seconds, tail(pack.stdout + pack.stderr));
  finish();
}
const tarball = join(work, packed.filename);
record(
  'npm pack',
  pack.code === 0,
  pack.seconds,
  `${packed.filename}: ${packed.files.length} files, ${(packed.size / 1024).toFixed(1)} KB packed, ${(packed.unpackedSize / 1024).toFixed(1)} KB unpacked`,
);

// --- 2. tarball contents -------------------------------------------------------------------------
{
  const t0 = performance.now();
  const files = new Map(packed.files.map((file) => [file.path, file]));
  const required = [
    'package.json',
    'README.md',
    'LICENSE',
    'CHANGELOG.md',
    'dist/index.js',
    'dist/index.d.ts',
    'dist/testing/index.js',
    'dist/testing/index.d.ts',
    'dist/testing/msw.js',
    'dist/testing/msw.d.ts',
    'dist/node/index.js',
    'dist/node/index.d.ts',
    'dist/cli/index.js',
  ];
  // Anything under dist/ that tsup emits: entry files, shared chunks, declaration chunks and source maps.
  // Source maps are kept on purpose: they carry sourcesContent (checked below), so stack traces from the
  // installed package map to the TypeScript source without shipping src/; they cost install size only,
  // never bundle size (bundlers ignore them).
  const allowed = /^(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/.+\.(js|d\.ts|js\.map))$/;
  const problems = [];
  for (const path of required) if (!files.has(path)) problems.push(`missing ${path}`);
  for (const path of files.keys()) if (!allowed.test(path)) problems.push(`unexpected ${path}`);
  const bin = files.get('dist/cli/index.js');
  const unpacked = join(work, 'unpacked');
  mkdirSync(unpacked);
  const untar = await run('tar', ['-xzf', tarball, '-C', unpacked]);
  if (untar.code !== 0) problems.push(`tar -x failed: ${untar.stderr.trim()}`);
  if (bin) {
    const cli = readFileSync(join(unpacked, 'package', 'dist/cli/index.js'), 'utf8');
    if (!cli.startsWith('#!/usr/bin/env node\n'))
      problems.push('dist/cli/index.js has no `#!/usr/bin/env node` line');
    // npm marks bin files executable in the tarball (and again on install, checked by the bin row below).
    if ((bin.mode & 0o111) === 0)
      problems.push(`dist/cli/index.js is not executable (mode ${bin.mode.toString(8)})`);
  }
  for (const path of files.keys()) {
    if (!path.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(unpacked, 'package', path), 'utf8'));
    const complete =
      Array.isArray(map.sourcesContent) &&
      map.sourcesContent.length === map.sources.length &&
      map.sourcesContent.every((source) => typeof source === 'string');
    if (!complete) problems.push(`${path} lacks sourcesContent (would point at src/, which is not shipped)`);
  }
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8'));
  for (const target of Object.values(manifest.bin ?? {})) {
    if (!files.has(String(target).replace(/^\.\//, '')))
      problems.push(`bin target ${target} is not in the tarball`);
  }
  record(
    'tarball contents',
    problems.length === 0,
    (performance.now() - t0) / 1000,
    problems.length
      ? `${problems.length} problem(s)\n${problems.join('\n')}`
      : `${files.size} files, all expected`,
  );
}

// --- 3. publint and attw ---------------------------------------------------------------------------
// publint and attw run alongside the installs below: they are independent and the installs are network-bound.
const publint = run(join(root, 'node_modules', '.bin', 'publint'), ['run', tarball, '--strict']);
// Profile esm-only: the package is ESM-only by design (`type: module`, exports with `default` only; ky 2 is
// ESM-only too). That profile drops the node10 and node16-from-CJS resolution modes, whose only possible
// findings for an ESM-only package are inherent ("CJS resolves to ESM"); every ESM mode (node16-ESM,
// bundler) is still checked. Whether CJS consumers can still `require()` it on Node >= 22.12 is tested
// for real below (node22-require, node24-require).
const attw = run(join(root, 'node_modules', '.bin', 'attw'), [
  tarball,
  '--profile',
  'esm-only',
  '--format',
  'json',
]);
const ignoredModes = new Set(['node10', 'node16-cjs']);

// --- 4. consumer project and runtimes --------------------------------------------------------------
const consumer = join(work, 'consumer');
mkdirSync(consumer);
writeFileSync(
  join(consumer, 'package.json'),
  `${JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'softlayer-ssl-orders': `file:${tarball}` } }, null, 2)}\n`,
);

// The same body serves the ESM and the CommonJS smoke script. It uses only the public API.
const smokeBody = `
const runtime =
  typeof Bun !== 'undefined' ? 'bun ' + Bun.version
  : typeof Deno !== 'undefined' ? 'deno ' + Deno.version.deno
  : 'node ' + process.version;

async function smoke(sdk, testing, resolved) {
  const { SslOrdersClient, NotFoundError, SslOrdersError, VERSION } = sdk;
  if (!String(resolved).includes('node_modules/softlayer-ssl-orders/dist/')) {
    throw new Error('softlayer-ssl-orders resolved to ' + resolved + ', not the installed tarball');
  }
  const emulator = await testing.startEmulator();
  try {
    const client = new SslOrdersClient({
      auth: { username: emulator.credentials.username, apiKey: emulator.credentials.apiKey },
      baseUrl: emulator.url,
      retry: false,
      confirm: () => true,
    });
    const page = await client.listOrders({ limit: 5 });
    if (!(page.orders.length > 0 && page.total >= page.orders.length)) {
      throw new Error('listOrders returned no orders: ' + JSON.stringify(page));
    }
    let missing;
    try {
      await client.getOrder(987654321);
    } catch (error) {
      missing = error;
    }
    if (!(missing instanceof NotFoundError && missing instanceof SslOrdersError)) {
      throw new Error('getOrder of a missing id did not reject with NotFoundError: ' + missing);
    }
    const approved = (await client.listOrders({ status: 'Approved', limit: 1 })).orders[0];
    if (!approved) throw new Error('the emulator has no Approved order');
    const result = await client.resendFulfillmentEmail(approved.id);
    if (result.outcome !== 'sent' || emulator.outbox.length !== 1) {
      throw new Error('resend: ' + JSON.stringify(result) + ', outbox ' + emulator.outbox.length);
    }
    return { runtime, version: VERSION, orders: page.total, sent: emulator.outbox.length };
  } finally {
    await emulator.close();
  }
}
`;
writeFileSync(
  join(consumer, 'smoke.mjs'),
  `import * as sdk from 'softlayer-ssl-orders';
import * as testing from 'softlayer-ssl-orders/testing';
${smokeBody}
const summary = await smoke(sdk, testing, import.meta.resolve('softlayer-ssl-orders'));
// The msw subpath needs the optional msw peer, so it is resolved, not imported.
summary.msw = import.meta.resolve('softlayer-ssl-orders/testing/msw').includes('/dist/testing/msw.js');
if (!summary.msw) throw new Error('softlayer-ssl-orders/testing/msw does not resolve to dist/testing/msw.js');
console.log('SMOKE ' + JSON.stringify(summary));
`,
);
writeFileSync(
  join(consumer, 'smoke.cjs'),
  `'use strict';
// require() of the ESM build: unflagged since Node 22.12 (no top-level await in the package).
const sdk = require('softlayer-ssl-orders');
const testing = require('softlayer-ssl-orders/testing');
${smokeBody}
smoke(sdk, testing, require.resolve('softlayer-ssl-orders')).then(
  (summary) => console.log('SMOKE ' + JSON.stringify(summary)),
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
`,
);

// Runtimes from the npm registry, cached between local runs (CI starts from a clean clone).
const runtimes = join(root, '.tmp', 'runtimes');
mkdirSync(runtimes, { recursive: true });
if (!existsSync(join(runtimes, 'package.json'))) {
  writeFileSync(
    join(runtimes, 'package.json'),
    `${JSON.stringify({ name: 'runtimes', private: true }, null, 2)}\n`,
  );
}
const installFlags = ['--no-audit', '--no-fund', '--loglevel=error'];
const [consumerInstall, runtimeInstall] = await Promise.all([
  run(npm, ['install', ...installFlags], { cwd: consumer }),
  // node@24 is the newest supported line; bun 1 and deno 2 the current majors. npm resolves the newest match.
  run(npm, ['install', ...installFlags, 'node@24', 'bun@1', 'deno@2'], { cwd: runtimes }),
]);
record(
  'consumer: npm install <tgz>',
  consumerInstall.code === 0,
  consumerInstall.seconds,
  consumerInstall.code === 0 ? 'ky from the registry' : tail(consumerInstall.stdout + consumerInstall.stderr),
);
record(
  'runtimes: npm install',
  runtimeInstall.code === 0,
  runtimeInstall.seconds,
  runtimeInstall.code === 0 ? 'node@24 bun@1 deno@2' : tail(runtimeInstall.stdout + runtimeInstall.stderr),
);

{
  const result = await publint;
  const output = (result.stdout + result.stderr).trim();
  record('publint --strict', result.code === 0, result.seconds, result.code === 0 ? tail(output, 1) : output);
}
{
  const result = await attw;
  let detail = tail(result.stdout + result.stderr);
  let ok = result.code === 0;
  try {
    const report = JSON.parse(result.stdout);
    const entrypoints = Object.keys(report.analysis.entrypoints);
    const problems = Object.values(report.problems ?? report.analysis.problems ?? {}).flat();
    const counted = problems.filter((problem) => !ignoredModes.has(problem.resolutionKind));
    const expected = ['.', './testing', './testing/msw', './node', './package.json'];
    const absent = expected.filter((entry) => !entrypoints.includes(entry));
    ok = ok && counted.length === 0 && absent.length === 0;
    detail = ok
      ? `${entrypoints.join(' ')}: node16-ESM and bundler clean; ${problems.length} finding(s) only in the ignored node10/node16-CJS modes`
      : [
          ...absent.map((entry) => `entrypoint ${entry} missing`),
          ...counted.map((p) => `${p.kind} at ${p.entrypoint ?? ''} (${p.resolutionKind ?? ''})`),
        ].join('\n') || detail;
  } catch {
    ok = false;
  }
  record('attw --profile esm-only', ok, result.seconds, ok ? detail : `attw found problems\n${detail}`);
}

if (consumerInstall.code !== 0) finish();

const binaries = {
  node22: join(root, 'node_modules', 'node', 'bin', 'node'),
  node24: join(runtimes, 'node_modules', 'node', 'bin', 'node'),
  bun: join(runtimes, 'node_modules', '.bin', 'bun'),
  deno: join(runtimes, 'node_modules', '.bin', 'deno'),
};
// A PATH whose `node` is the runtime under test, so the bin's `#!/usr/bin/env node` picks it.
const pathWith = (binary) => {
  const dir = dirname(realpathSync(binary));
  return { ...process.env, PATH: `${dir}${delimiter}${process.env.PATH ?? ''}` };
};
const denoFlags = ['run', '--allow-net', '--allow-env', '--allow-read', '--allow-sys'];
const checks = [
  { id: 'node22-esm', binary: 'node22', args: ['smoke.mjs'] },
  { id: 'node22-require', binary: 'node22', args: ['smoke.cjs'] },
  { id: 'node22-bin', binary: 'node22', bin: true },
  { id: 'node24-esm', binary: 'node24', args: ['smoke.mjs'] },
  { id: 'node24-require', binary: 'node24', args: ['smoke.cjs'] },
  { id: 'node24-bin', binary: 'node24', bin: true },
  { id: 'bun-esm', binary: 'bun', args: ['smoke.mjs'] },
  { id: 'bun-require', binary: 'bun', args: ['smoke.cjs'] },
  // Deno resolves bare specifiers through package.json and the local node_modules (no npm: needed).
  { id: 'deno-esm', binary: 'deno', args: [...denoFlags, 'smoke.mjs'] },
];

for (const check of checks) {
  if (only && !only.includes(check.id)) continue;
  const binary = binaries[check.binary];
  if (!existsSync(binary)) {
    record(check.id, false, 0, `${check.binary} runtime not found at ${binary}`);
    continue;
  }
  const version = (await run(binary, ['--version'], { cwd: consumer })).stdout.trim().split('\n')[0];
  if (check.bin) {
    // The installed bin: npm's link in node_modules/.bin, executable, running under this runtime's node.
    const link = join(consumer, 'node_modules', '.bin', 'ssl-orders');
    const executable = existsSync(link) && (statSync(link).mode & 0o111) !== 0;
    const result = await run(link, ['--help'], { cwd: consumer, env: pathWith(binary), timeoutMs: 60_000 });
    const ok = executable && result.code === 0 && result.stdout.includes('ssl-orders list');
    record(
      check.id,
      ok,
      result.seconds,
      ok
        ? `${version}: ssl-orders --help`
        : `${version}: exit ${result.code}\n${tail(result.stdout + result.stderr)}`,
    );
    continue;
  }
  const result = await run(binary, check.args, { cwd: consumer, env: pathWith(binary), timeoutMs: 90_000 });
  const line = result.stdout.split('\n').find((l) => l.startsWith('SMOKE '));
  const ok = result.code === 0 && line !== undefined;
  const warnings = result.stderr
    .split('\n')
    .filter((l) => /Warning/.test(l))
    .map((l) => l.trim());
  const detail = ok
    ? `${line.slice('SMOKE '.length)}${warnings.length ? ` (stderr: ${warnings.join('; ')})` : ''}`
    : `${version}: exit ${result.code}\n${tail(result.stdout + result.stderr)}`;
  record(check.id, ok, result.seconds, detail);
}

finish();
