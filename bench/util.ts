/**
 * Shared helpers of the benchmarks: order statistics, table formatting and child processes.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ROOT_DIR = fileURLToPath(new URL('..', import.meta.url));

/** The q-quantile (0..1) of `values`, linearly interpolated. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const low = Math.floor(position);
  const high = Math.ceil(position);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (position - low);
}

/** Median and the p10–p90 spread of a sample. */
export interface Spread {
  median: number;
  p10: number;
  p90: number;
  n: number;
}

export function spread(values: readonly number[]): Spread {
  return {
    median: quantile(values, 0.5),
    p10: quantile(values, 0.1),
    p90: quantile(values, 0.9),
    n: values.length,
  };
}

export function fmt(value: number, digits = 2): string {
  return Number.isFinite(value) ? value.toFixed(digits) : '–';
}

/** "1.04× (0.98–1.10)" */
export function fmtRatio(s: Spread): string {
  return `${fmt(s.median)}× (${fmt(s.p10)}–${fmt(s.p90)})`;
}

/** "412 (398–440)" */
export function fmtSpread(s: Spread, digits = 0): string {
  return `${fmt(s.median, digits)} (${fmt(s.p10, digits)}–${fmt(s.p90, digits)})`;
}

/** A Markdown table, which reads fine on a terminal too. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(headers), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)].join('\n');
}

/** Node arguments that load TypeScript through tsx. */
export const TSX = ['--import', 'tsx'];

/** A benchmark server in its own process. */
export interface BenchServer {
  /** Base URL ending in `/rest/v3.1/`. */
  url: string;
  close(): Promise<void>;
}

export async function startServer(orderCount: number): Promise<BenchServer> {
  const child = spawn(process.execPath, [...TSX, `${BENCH_DIR}server.ts`, String(orderCount)], {
    cwd: ROOT_DIR,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await firstJsonLine<{ port: number }>(child);
  return {
    url: `http://127.0.0.1:${port.port}/rest/v3.1/`,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
        setTimeout(() => child.kill(), 2_000).unref();
      }),
  };
}

/** Resolves with the first stdout line of `child`, parsed as JSON; rejects if it exits first. */
export function firstJsonLine<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      lines.close();
      try {
        resolve(JSON.parse(line) as T);
      } catch (error) {
        reject(error);
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited (${code}) before reporting`)));
    child.once('error', reject);
  });
}

/** Runs a Node child to completion and returns its last stdout line parsed as JSON. */
export function runJsonChild<T>(args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const last = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) return reject(new Error(`child ${args.join(' ')} exited with ${code}`));
      try {
        resolve(JSON.parse(last) as T);
      } catch (error) {
        reject(error);
      }
    });
  });
}
