/**
 * Runs every benchmark, prints the tables and writes bench/results.md.
 *
 * Usage: tsx bench/run.ts [--quick] [--only=overhead,iterate,validation,cold-import,ledger,pacing] [--no-write]
 * --quick runs tiny sizes (a smoke test of the code, not a measurement) and does not write results.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { pathToFileURL } from 'node:url';
import { formatColdImport, runColdImport } from './cold-import.js';
import { formatIterate, runIterate } from './iterate.js';
import { formatLedgerBench, runLedgerBench } from './ledger.js';
import { formatOverhead, runOverhead } from './overhead.js';
import { formatPacing, runPacing } from './pacing.js';
import { BENCH_DIR, ROOT_DIR } from './util.js';
import { formatValidation, runValidation } from './validation.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args
  .find((arg) => arg.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const write = !quick && !only && !args.includes('--no-write');
const wanted = (name: string) => !only || only.includes(name);

const SIZES = quick
  ? {
      overhead: { batches: 2, callsPerBatch: 2, warmup: 2 },
      iterate: { orders: 1_000, pageSize: 100, rounds: 1 },
      validation: { orders: 200, rounds: 2, reps: 2 },
      coldImport: { reps: 1 },
      ledger: { batches: 2, perBatch: 3, warmup: 2 },
      pacing: { sends: 20, reads: 60, iterateOrders: 500, latencyMs: 100, iterateRounds: 1 },
    }
  : {
      overhead: { batches: 50, callsPerBatch: 20, warmup: 50 },
      iterate: { orders: 100_000, pageSize: 100, rounds: 2 },
      validation: { orders: 10_000, rounds: 10, reps: 3 },
      coldImport: { reps: 15 },
      ledger: { batches: 20, perBatch: 25, warmup: 50 },
      pacing: { sends: 200, reads: 1_000, iterateOrders: 5_000, latencyMs: 100, iterateRounds: 3 },
    };

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return newest;
}

/** Builds dist/ when it is missing or older than src/, so the cold-import figure is of current code. */
function ensureBuilt(): string | undefined {
  const entry = `${ROOT_DIR}dist/index.js`;
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestMtime(`${ROOT_DIR}src`)) return entry;
  console.log('dist/ is missing or stale: npm run build …');
  const built = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT_DIR, stdio: 'inherit' });
  return built.status === 0 && existsSync(entry) ? entry : undefined;
}

const sections: string[] = [];
function report(title: string, body: string): void {
  console.log(`\n## ${title}\n\n${body}`);
  sections.push(`## ${title}\n\n${body}\n`);
}

const started = performance.now();
const loadBefore = loadavg();

if (wanted('overhead')) {
  // The built package, as users run it (--quick measures src/ through tsx, and says so).
  const entry = quick ? undefined : ensureBuilt();
  const client = entry
    ? ((await import(pathToFileURL(entry).href)) as typeof import('../src/index.js'))
    : undefined;
  const rows = await runOverhead({ ...SIZES.overhead, client: client?.SslOrdersClient });
  const measured = entry
    ? 'SDK measured: dist/index.js (the tsup build).'
    : 'SDK measured: src/ through tsx.';
  report(
    '1. Per-call overhead on loopback (SDK vs plain ky vs raw fetch)',
    `${measured}\n\n${formatOverhead(rows)}`,
  );
}
if (wanted('iterate')) {
  const result = await runIterate(SIZES.iterate);
  report('2. iterateOrders over a large account', formatIterate(result));
}
if (wanted('validation')) {
  const rows = runValidation(SIZES.validation);
  report('3. Validation cost', formatValidation(rows, SIZES.validation.orders));
}
if (wanted('cold-import')) {
  const entry = quick ? `${ROOT_DIR}dist/index.js` : ensureBuilt();
  const result = entry ? runColdImport({ ...SIZES.coldImport, entry }) : undefined;
  report(
    '4. Cold import time',
    result ? formatColdImport(result) : 'skipped: dist/index.js is not built (run `npm run build`).',
  );
}
if (wanted('ledger')) {
  const result = await runLedgerBench(SIZES.ledger);
  report('5. Send ledgers: memory vs file vs Redis', formatLedgerBench(result, SIZES.ledger));
}
if (wanted('pacing')) {
  const result = await runPacing(SIZES.pacing);
  report('6. Throughput at the rate limit (pacing, prefetching iteration)', formatPacing(result));
}

const seconds = (performance.now() - started) / 1000;
const loadAfter = loadavg();
console.log(`\ndone in ${seconds.toFixed(1)} s`);

if (write) {
  const cpu = cpus();
  const load = (values: number[]) => values.map((value) => value.toFixed(2)).join(' / ');
  const header = [
    '# Benchmarks',
    '',
    '_Written by `npm run bench` (bench/run.ts); do not edit by hand. Profiling notes come from bench/profile-notes.md._',
    '',
    `- Date: ${new Date().toISOString()}`,
    `- Node: ${process.version} (${process.platform}/${process.arch})`,
    `- Machine: ${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GB RAM`,
    `- Load average (1/5/15 min) before: ${load(loadBefore)}; after: ${load(loadAfter)}`,
    `- Total run time: ${seconds.toFixed(0)} s`,
    '',
  ].join('\n');
  const methodology = readFileSync(`${BENCH_DIR}methodology.md`, 'utf8');
  const notes = existsSync(`${BENCH_DIR}profile-notes.md`)
    ? readFileSync(`${BENCH_DIR}profile-notes.md`, 'utf8')
    : '';
  writeFileSync(`${BENCH_DIR}results.md`, [header, methodology, ...sections, notes].join('\n'));
  console.log('wrote bench/results.md');
}
