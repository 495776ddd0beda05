#!/usr/bin/env node
// Bundle-size budget: what an app ships. An app that imports only SslOrdersClient is bundled the way a
// browser or edge app ships it: esbuild, platform browser, ESM, minified, code splitting on, ky
// bundled in. What it loads before its first call - its entry chunk and every chunk that imports
// statically: the client, its option checks, the errors and the send pipeline - must stay within
// 18 KB gzip (BUDGET_KB), and everything it can load within 31 KB gzip (TOTAL_BUDGET_KB): the startup
// bundle plus the chunk its first call loads (src/transport-wire.ts: ky, the call code, the pacer,
// the pager, response validation). Both fail the script when passed. The first call's own figure
// (startup + that chunk) is printed too.
// Also reported: the same for src/index.ts with every export, the SDK's own share (ky
// external), the floors that decide the figure, and a failure if the browser bundle imports any
// `node:` module or any file of ./node or ./redis (those entries are for Node only; src/environment.ts
// loads Node built-ins through process.getBuiltinModule at run time precisely so that this never
// happens).
// Options: --json (machine-readable summary).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const BUDGET_BYTES = Number(process.env.BUDGET_KB ?? 18) * 1024;
const TOTAL_BUDGET_BYTES = Number(process.env.TOTAL_BUDGET_KB ?? 31) * 1024;
const indexEntry = new URL('../src/index.ts', import.meta.url).pathname;
// The budgeted app: it imports the client only, and calls it.
const appDir = mkdtempSync(join(tmpdir(), 'check-size-'));
const appEntry = join(appDir, 'app.ts');
writeFileSync(
  appEntry,
  `import { SslOrdersClient } from ${JSON.stringify(indexEntry)};\nexport const list = (auth: never) => new SslOrdersClient({ auth }).listOrders();\n`,
);
// One set of options for every figure, so they stay comparable.
const BROWSER_BUILD = {
  bundle: true,
  write: false,
  platform: 'browser',
  format: 'esm',
  target: 'es2022',
  minify: true,
  logLevel: 'silent',
};
const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** Bundles with splitting; returns the initial chunks (entry + static imports) and the lazy ones. */
async function bundle(entry, external) {
  const result = await build({
    ...BROWSER_BUILD,
    entryPoints: { index: entry },
    splitting: true,
    outdir: '/virtual-out',
    metafile: true,
    external,
  });
  const files = new Map(result.outputFiles.map((file) => [file.path.replace('/virtual-out/', ''), file]));
  const name = (path) => path.replace(/^.*virtual-out\//, '');
  const outputs = Object.fromEntries(
    Object.entries(result.metafile.outputs).map(([path, output]) => [`/virtual-out/${name(path)}`, output]),
  );
  const entryName = name(Object.keys(outputs).find((path) => outputs[path].entryPoint));
  const initial = new Set();
  const visit = (chunk) => {
    if (initial.has(chunk)) return;
    initial.add(chunk);
    for (const imported of outputs[`/virtual-out/${chunk}`]?.imports ?? []) {
      if (imported.kind === 'import-statement' && !imported.external) visit(name(imported.path));
    }
  };
  visit(entryName);
  const chunks = [...files.keys()].filter((file) => file.endsWith('.js'));
  const describe = (chunk) => {
    const inputs = Object.keys(outputs[`/virtual-out/${chunk}`].inputs).map((input) =>
      input.replace(/^.*node_modules\//, '').replace(/^.*\/src\//, 'src/'),
    );
    return {
      chunk,
      minifiedBytes: files.get(chunk).contents.length,
      gzipBytes: gzipped(files.get(chunk).contents),
      inputs,
    };
  };
  const initialChunks = chunks.filter((chunk) => initial.has(chunk)).map(describe);
  const lazyChunks = chunks.filter((chunk) => !initial.has(chunk)).map(describe);
  const allText = chunks.map((chunk) => Buffer.from(files.get(chunk).contents).toString('utf8')).join('\n');
  const byPackage = new Map();
  for (const output of Object.values(outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
      const key = match ? match[1] : 'sdk (src/)';
      byPackage.set(key, (byPackage.get(key) ?? 0) + bytesInOutput);
    }
  }
  const sum = (list, key) => list.reduce((total, chunk) => total + chunk[key], 0);
  return {
    initialGzip: sum(initialChunks, 'gzipBytes'),
    initialMinified: sum(initialChunks, 'minifiedBytes'),
    allGzip: sum(initialChunks, 'gzipBytes') + sum(lazyChunks, 'gzipBytes'),
    initialChunks,
    lazyChunks,
    allText,
    byPackage,
    metafile: result.metafile,
  };
}

const app = await bundle(appEntry, []);
const full = await bundle(indexEntry, []);
const own = await bundle(indexEntry, ['ky']);
rmSync(appDir, { recursive: true, force: true });

/** Gzipped size of a one-file program bundled like the SDK, without splitting; the SDK's lazy modules stay out. */
async function programGzip(contents) {
  const result = await build({
    ...BROWSER_BUILD,
    stdin: { contents, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
    // What loads with the first call stays out: these floors are startup code.
    plugins: [
      {
        name: 'lazy-chunks-stay-out',
        setup: (b) =>
          b.onResolve({ filter: /^\.\.?\/transport-wire\.js$/ }, (args) =>
            args.importer.includes('/src/') ? { path: args.path, external: true } : undefined,
          ),
      },
    ],
  });
  return gzipped(result.outputFiles[0].contents);
}
const floors = {
  kyAlone: await programGzip(`export { default } from 'ky';`),
  everyExportOneChunk: await programGzip(`export * from './src/index.ts';`),
  clientOnlyApp: await programGzip(
    `import { SslOrdersClient } from './src/index.ts';\nexport const list = (auth) => new SslOrdersClient({ auth }).listOrders();`,
  ),
};

// Static imports, dynamic imports and requires of Node built-ins (a plain 'node:fs' string is fine: that
// is the argument of process.getBuiltinModule, evaluated only on Node).
const nodeImports = [
  ...full.allText.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](node:[^"']+)["']/g),
].map((match) => match[1]);
const bareBuiltins = Object.keys(full.metafile.inputs).filter((input) => input.startsWith('node:'));
const nodeOnlyFiles = Object.keys(full.metafile.inputs).filter((input) =>
  /(^|\/)src\/(node|redis)\//.test(input),
);

const problems = [];
if (app.initialGzip > BUDGET_BYTES) {
  problems.push(
    `an app importing SslOrdersClient loads ${kb(app.initialGzip)} gzipped before its first call, over the ${kb(BUDGET_BYTES)} budget`,
  );
}
if (app.allGzip > TOTAL_BUDGET_BYTES) {
  problems.push(
    `everything that app can load is ${kb(app.allGzip)} gzipped, over the ${kb(TOTAL_BUDGET_BYTES)} budget`,
  );
}
if (nodeOnlyFiles.length)
  problems.push(`the browser entry includes ./node or ./redis code: ${nodeOnlyFiles.join(', ')}`);
if (nodeImports.length || bareBuiltins.length) {
  problems.push(`browser bundle imports Node built-ins: ${[...nodeImports, ...bareBuiltins].join(', ')}`);
}
const minifiedTotal = [...full.byPackage.values()].reduce((total, bytes) => total + bytes, 0);

const summary = {
  budgetBytes: BUDGET_BYTES,
  totalBudgetBytes: TOTAL_BUDGET_BYTES,
  clientOnlyApp: {
    initialGzipBytes: app.initialGzip,
    initialMinifiedBytes: app.initialMinified,
    everythingGzipBytes: app.allGzip,
  },
  everyExport: { initialGzipBytes: full.initialGzip, everythingGzipBytes: full.allGzip },
  sdkOnly: { initialGzipBytes: own.initialGzip, everythingGzipBytes: own.allGzip },
  floorsGzipBytes: floors,
  lazyChunks: full.lazyChunks.map(({ chunk, gzipBytes, inputs }) => ({ chunk, gzipBytes, inputs })),
  sharesMinified: Object.fromEntries(full.byPackage),
  nodeImports,
  nodeOnlyFiles,
  ok: problems.length === 0,
};

if (process.argv.includes('--json')) {
  console.log(JSON.stringify(summary, null, 2));
} else {
  console.log(
    'An app importing only SslOrdersClient (esbuild: platform browser, esm, es2022, minified, splitting)',
  );
  console.log(
    `  before its first call (entry + static chunks) ${kb(app.initialMinified).padStart(10)} minified  ${kb(app.initialGzip).padStart(9)} gzip   <- budget ${kb(BUDGET_BYTES)}: ${app.initialGzip <= BUDGET_BYTES ? 'within' : 'OVER'}`,
  );
  for (const chunk of app.lazyChunks) {
    const what = chunk.inputs
      .filter((input) => input.startsWith('src/'))
      .slice(0, 3)
      .join(', ');
    console.log(
      `  loaded by the first call: ${chunk.chunk.padEnd(20)} ${kb(chunk.gzipBytes).padStart(9)} gzip  (ky, ${what}${chunk.inputs.length > 3 ? ', …' : ''})`,
    );
  }
  console.log(
    `  everything loaded                             ${''.padStart(19)} ${kb(app.allGzip).padStart(9)} gzip   <- budget ${kb(TOTAL_BUDGET_BYTES)}: ${app.allGzip <= TOTAL_BUDGET_BYTES ? 'within' : 'OVER'}`,
  );
  console.log(
    `  src/index.ts with every export: initial ${kb(full.initialGzip)} gzip, everything ${kb(full.allGzip)} gzip`,
  );
  console.log(
    `  SDK's own share (ky external): initial ${kb(own.initialGzip)} gzip, everything ${kb(own.allGzip)} gzip`,
  );
  console.log('  minified bytes by package (all chunks):');
  for (const [key, bytes] of [...full.byPackage].sort((a, b) => b[1] - a[1])) {
    console.log(
      `    ${key.padEnd(18)} ${kb(bytes).padStart(10)}  ${((bytes / minifiedTotal) * 100).toFixed(1).padStart(5)}%`,
    );
  }
  console.log('  what decides the figures (gzip):');
  console.log(`    ky 2 bundled alone (loads with the first call) ${kb(floors.kyAlone).padStart(6)}`);
  console.log(
    `    every export, startup code in one chunk     ${kb(floors.everyExportOneChunk).padStart(9)}  (esbuild splits it into ${full.initialChunks.length} chunks above)`,
  );
  console.log(
    `    an app importing only SslOrdersClient       ${kb(floors.clientOnlyApp).padStart(9)}  (startup code in one chunk, unused exports tree-shaken)`,
  );
  console.log(
    `  node: imports in the browser bundle: ${nodeImports.length ? nodeImports.join(', ') : 'none'}; ./node or ./redis files: ${nodeOnlyFiles.length ? nodeOnlyFiles.join(', ') : 'none'}`,
  );
}
for (const problem of problems) console.error(`check-size: FAIL: ${problem}`);
process.exit(problems.length ? 1 : 0);
