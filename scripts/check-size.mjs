#!/usr/bin/env node
import { fileURLToPath } from 'node:url';
// Bundle-size budget: the SDK entry bundled the way a browser/edge app would ship it (esbuild, platform
// browser, ESM, minified, ky and zod/mini bundled in), gzipped, must stay within the budget. Also reports
// the SDK's own share (ky and zod external) and each package's share of the full bundle, and fails if the
// browser bundle imports any `node:` module (src/environment.ts loads Node built-ins at run time through
// process.getBuiltinModule precisely so that this never happens).
// Options: --json (machine-readable summary), BUDGET_KB=<n> to try another budget.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = Number(process.env.BUDGET_KB ?? 18) * 1024;
const entry = fileURLToPath(new URL('../src/index.ts', import.meta.url));

/** @param {string[]} external */
async function bundle(external) {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    metafile: true,
    external,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { code, text: Buffer.from(code).toString('utf8'), metafile: result.metafile };
}

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

const full = await bundle([]);
const own = await bundle(['ky', 'zod', 'zod/*']);

// Minified bytes of each input in the full bundle, grouped by package (the SDK's own files are "sdk").
const byPackage = new Map();
for (const output of Object.values(full.metafile.outputs)) {
  for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match ? match[1] : 'sdk (src/)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
}

const fullGzip = gzipped(full.code);
const ownGzip = gzipped(own.code);
const minifiedTotal = [...byPackage.values()].reduce((sum, bytes) => sum + bytes, 0);

// Static imports, dynamic imports and requires of Node built-ins (a plain 'node:fs' string is fine: that
// is the argument of process.getBuiltinModule, evaluated only on Node).
const nodeImports = [
  ...full.text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](node:[^"']+)["']/g),
].map((match) => match[1]);
const bareBuiltins = Object.keys(full.metafile.inputs).filter((input) => input.startsWith('node:'));

const problems = [];
if (fullGzip > BUDGET_BYTES) {
  problems.push(`bundle is ${kb(fullGzip)} gzipped, over the ${kb(BUDGET_BYTES)} budget`);
}
if (nodeImports.length || bareBuiltins.length) {
  problems.push(`browser bundle imports Node built-ins: ${[...nodeImports, ...bareBuiltins].join(', ')}`);
}

const summary = {
  budgetBytes: BUDGET_BYTES,
  bundle: { minifiedBytes: full.code.length, gzipBytes: fullGzip },
  sdkOnly: { minifiedBytes: own.code.length, gzipBytes: ownGzip },
  shares: Object.fromEntries(
    [...byPackage].map(([name, bytes]) => [
      name,
      { minifiedBytes: bytes, estimatedGzipBytes: Math.round((bytes / minifiedTotal) * fullGzip) },
    ]),
  ),
  nodeImports,
  ok: problems.length === 0,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  console.log('Browser/edge bundle of src/index.ts (esbuild: platform browser, esm, es2022, minified)');
  console.log(
    `  with ky + zod/mini   ${kb(full.code.length).padStart(10)} minified  ${kb(fullGzip).padStart(9)} gzip`,
  );
  console.log(
    `  SDK only (external)  ${kb(own.code.length).padStart(10)} minified  ${kb(ownGzip).padStart(9)} gzip`,
  );
  console.log('  share of the full bundle (minified bytes; gzip estimated pro rata):');
  for (const [name, share] of Object.entries(summary.shares).sort(
    (a, b) => b[1].minifiedBytes - a[1].minifiedBytes,
  )) {
    const percent = ((share.minifiedBytes / minifiedTotal) * 100).toFixed(1);
    console.log(
      `    ${name.padEnd(18)} ${kb(share.minifiedBytes).padStart(10)}  ${percent.padStart(5)}%  ~${kb(share.estimatedGzipBytes)} gzip`,
    );
  }
  console.log(`  budget ${kb(BUDGET_BYTES)} gzip: ${fullGzip <= BUDGET_BYTES ? 'within' : 'OVER'}`);
  console.log(
    `  node: imports in the browser bundle: ${nodeImports.length ? nodeImports.join(', ') : 'none'}`,
  );
}
for (const problem of problems) console.error(`check-size: FAIL: ${problem}`);
process.exit(problems.length ? 1 : 0);
