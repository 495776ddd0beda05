/**
 * The reliability summary. Test files run in separate worker processes, so each file writes its tally
 * to a directory shared by the run (keyed by the vitest main process id); the file that finishes last
 * prints the totals. `RELIABILITY_REPORT=<path>` also writes every recorded row as JSON.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

/** One tally; every field adds up across files except the maxima. */
export interface Tally {
  /** Cases tried, by suite (fault matrix, input fuzz, …). */
  cases: Record<string, number>;
  /** Injected or fuzzed server faults after which the client gave a typed result and kept its guarantees. */
  faultsSurvived: number;
  /** Requests (POSTs) the server received for one send call, at most. */
  maxPostsPerSend: number;
  /** POSTs the server may have acted on for one send call (not provably refused), at most. */
  maxActedPostsPerSend: number;
  /** Emails in the outbox for one send call, at most. */
  maxEmailsPerSend: number;
  /** Secret occurrences found in any output. */
  leaks: number;
  /** Outputs scanned for secrets. */
  outputsScanned: number;
  /** Figures measured (load, memory), printed as they are. */
  figures: Record<string, string>;
  /** Rows of the fault matrix and other tables, for RELIABILITY_REPORT. */
  rows: Record<string, unknown>[];
}

const here = dirname(fileURLToPath(import.meta.url));
const suiteDir = dirname(here);

function emptyTally(): Tally {
  return {
    cases: {},
    faultsSurvived: 0,
    maxPostsPerSend: 0,
    maxActedPostsPerSend: 0,
    maxEmailsPerSend: 0,
    leaks: 0,
    outputsScanned: 0,
    figures: {},
    rows: [],
  };
}

/** The tally of the current test file. */
export const tally: Tally = emptyTally();

/** Counts `n` cases tried in `suite`. */
export function countCases(suite: string, n = 1): void {
  tally.cases[suite] = (tally.cases[suite] ?? 0) + n;
}

/** Records what one send call did on the wire. */
export function recordSend(posts: number, actedPosts: number, emails: number): void {
  tally.maxPostsPerSend = Math.max(tally.maxPostsPerSend, posts);
  tally.maxActedPostsPerSend = Math.max(tally.maxActedPostsPerSend, actedPosts);
  tally.maxEmailsPerSend = Math.max(tally.maxEmailsPerSend, emails);
}

/** The scale of the run: `RELIABILITY_SCALE` (default 1); sizes and case counts grow with it. */
export const SCALE = (() => {
  const value = Number(process.env['RELIABILITY_SCALE'] ?? '1');
  return Number.isFinite(value) && value > 0 ? value : 1;
})();

/** `n × SCALE`, rounded, at least 1. */
export function scaled(n: number): number {
  return Math.max(1, Math.round(n * SCALE));
}

function runDir(): string {
  return join(tmpdir(), 'softlayer-ssl-orders-reliability', String(process.ppid));
}

function merge(into: Tally, from: Tally): void {
  for (const [suite, n] of Object.entries(from.cases)) into.cases[suite] = (into.cases[suite] ?? 0) + n;
  into.faultsSurvived += from.faultsSurvived;
  into.maxPostsPerSend = Math.max(into.maxPostsPerSend, from.maxPostsPerSend);
  into.maxActedPostsPerSend = Math.max(into.maxActedPostsPerSend, from.maxActedPostsPerSend);
  into.maxEmailsPerSend = Math.max(into.maxEmailsPerSend, from.maxEmailsPerSend);
  into.leaks += from.leaks;
  into.outputsScanned += from.outputsScanned;
  Object.assign(into.figures, from.figures);
  into.rows.push(...from.rows);
}

/** Formats a merged tally as the printed summary. */
export function formatSummary(total: Tally, files: number): string {
  const cases = Object.values(total.cases).reduce((sum, n) => sum + n, 0);
  const bySuite = Object.entries(total.cases)
    .map(([suite, n]) => `${suite} ${n}`)
    .join(', ');
  const lines = [
    `reliability summary (${files} files, RELIABILITY_SCALE=${SCALE})`,
    `  cases tried: ${cases} (${bySuite})`,
    `  faults survived: ${total.faultsSurvived}`,
    `  most POSTs seen for one send: ${total.maxPostsPerSend} (at most ${total.maxActedPostsPerSend} not provably refused; most emails for one send: ${total.maxEmailsPerSend})`,
    `  leaks found: ${total.leaks} (in ${total.outputsScanned} outputs scanned)`,
  ];
  for (const [name, value] of Object.entries(total.figures)) lines.push(`  ${name}: ${value}`);
  return lines.join('\n');
}

/**
 * The multi-process proofs that live beside what they prove (test/redis, test/node, test/cli) and
 * report into this summary; `npm run test:reliability` runs them with test/reliability.
 */
const PROOF_FILES = ['fleet.test.ts', 'multi-process.test.ts', 'ledger-proof.test.ts'];

/**
 * Registers the afterAll hook that stores this file's tally, and prints the totals when every
 * reliability test file of this run has stored its own.
 */
export function useSummary(testFile: string): void {
  afterAll(() => {
    const dir = runDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${basename(testFile)}.json`), JSON.stringify(tally));
    const expected = [...readdirSync(suiteDir).filter((name) => name.endsWith('.test.ts')), ...PROOF_FILES];
    const done = readdirSync(dir).filter((name) => name.endsWith('.test.ts.json'));
    const complete = expected.every((name) => done.includes(`${name}.json`));
    const report = process.env['RELIABILITY_REPORT'];
    if (!complete && process.env['RELIABILITY_SUMMARY'] !== 'always' && !report) return;
    if (complete) {
      // Two files can finish at once: only the one that creates the marker prints.
      try {
        writeFileSync(join(dir, 'printed'), '', { flag: 'wx' });
      } catch {
        return;
      }
    }
    const total = emptyTally();
    for (const name of done) merge(total, JSON.parse(readFileSync(join(dir, name), 'utf8')) as Tally);
    if (complete || process.env['RELIABILITY_SUMMARY'] === 'always')
      console.log(formatSummary(total, done.length));
    if (report) writeFileSync(report, JSON.stringify(total, null, 2));
    if (complete) rmSync(dir, { recursive: true, force: true });
  });
}
