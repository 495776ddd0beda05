/**
 * Benchmark 4: cold import time. Fresh `node` processes import the built package, ky alone (its one
 * runtime dependency), or nothing, interleaved. Two figures per process: the wall time from spawn to
 * exit, and the time the import itself took inside the child (performance.now() around a dynamic
 * import). The package loads ky and its call code with the first call (src/transport-wire.ts), so two
 * more rows time the import plus one call, for the package and for ky, each with a fetch that answers
 * at once: what a process pays before its first answer.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { fmtSpread, ROOT_DIR, type Spread, spread, table } from './util.js';

export interface ColdImportOptions {
  reps: number;
  /** The built entry point; dist/index.js by default. */
  entry?: string;
}

export interface ColdImportRow {
  variant: string;
  processMs: Spread;
  importMs: Spread;
}

export interface ColdImportResult {
  entry: string;
  rows: ColdImportRow[];
}

function script(specifiers: readonly string[], then = ''): string {
  const imports = specifiers
    .map((specifier, index) => `const m${index}=await import(${JSON.stringify(specifier)});`)
    .join('');
  return `const t=performance.now();${imports}${then}const ms=performance.now()-t;process.stdout.write(String(ms));`;
}

// A fetch that answers at once with one well-formed order, so the row times code, not a network.
const STUB_FETCH = `async()=>Response.json(${JSON.stringify({
  id: 1,
  accountId: 1000,
  commonName: 'www.example.com',
  statusId: 49,
  status: { id: 49, name: 'Approved' },
  approverEmailAddress: 'admin@example.com',
  createDate: '2026-01-01T00:00:00-06:00',
})})`;

export function runColdImport(options: ColdImportOptions): ColdImportResult | undefined {
  const entry = options.entry ?? `${ROOT_DIR}dist/index.js`;
  if (!existsSync(entry)) return undefined;
  const variants: [string, string][] = [
    ['empty script', script([])],
    ['ky alone', script(['ky'])],
    ['softlayer-ssl-orders (dist)', script([pathToFileURL(entry).href])],
    [
      'ky alone + one call',
      script(['ky'], `await m0.default('http://127.0.0.1:9/x',{fetch:${STUB_FETCH}}).json();`),
    ],
    [
      'softlayer-ssl-orders (dist) + first getOrder',
      script(
        [pathToFileURL(entry).href],
        `await new m0.SslOrdersClient({auth:{username:'SL1_bench',apiKey:'k'.repeat(64)},accountId:1000,fetch:${STUB_FETCH}}).getOrder(1);`,
      ),
    ],
  ];
  const processMs: number[][] = variants.map(() => []);
  const importMs: number[][] = variants.map(() => []);
  for (let rep = 0; rep < options.reps + 1; rep++) {
    for (let k = 0; k < variants.length; k++) {
      const index = (rep + k) % variants.length;
      const started = performance.now();
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', variants[index]![1]], {
        cwd: ROOT_DIR,
        encoding: 'utf8',
      });
      const elapsed = performance.now() - started;
      if (child.status !== 0) throw new Error(`${variants[index]![0]} failed: ${child.stderr}`);
      // The first round warms the OS file cache and is not counted.
      if (rep === 0) continue;
      processMs[index]!.push(elapsed);
      importMs[index]!.push(Number(child.stdout));
    }
  }
  return {
    entry,
    rows: variants.map(([variant], index) => ({
      variant,
      processMs: spread(processMs[index]!),
      importMs: spread(importMs[index]!),
    })),
  };
}

export function formatColdImport(result: ColdImportResult): string {
  const empty = result.rows[0]!.processMs.median;
  return table(
    ['variant', 'process spawn→exit ms', 'minus empty ms', 'in the child ms'],
    result.rows.map((row) => [
      row.variant,
      fmtSpread(row.processMs, 1),
      (row.processMs.median - empty).toFixed(1),
      fmtSpread(row.importMs, 1),
    ]),
  );
}
