/**
 * The testing snippets of README.md ("Testing your code") and docs/testing.md are examples/testing/*.ts
 * verbatim, so `npm run typecheck` checks them under the project's strict options (TS18048 on
 * `SeedOrder.status` was once in both); this test also runs them against their own emulator.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const read = (path: string) => readFileSync(`${ROOT}${path}`, 'utf8');

/** The first ```ts block after a heading. */
function snippet(markdown: string, heading: string): string | undefined {
  const at = markdown.indexOf(heading);
  if (at < 0) return undefined;
  return /```ts\n([\s\S]*?)```/.exec(markdown.slice(at))?.[1];
}

const SNIPPETS = [
  { doc: 'README.md', heading: '## Testing your code', file: 'examples/testing/readme.ts' },
  { doc: 'docs/testing.md', heading: '# Testing with the emulator', file: 'examples/testing/docs.ts' },
];

describe('testing snippets', () => {
  it.each(SNIPPETS)('$doc shows $file verbatim', ({ doc, heading, file }) => {
    expect(snippet(read(doc), heading)).toBe(read(file));
  });

  it('are type-checked under strict by npm run typecheck (tsconfig includes examples/)', () => {
    // Parsed with TypeScript's own reader (tsconfig allows comments); a full check here would repeat
    // `npm run typecheck`, which `npm test` runs first.
    const { config } = ts.readConfigFile(`${ROOT}tsconfig.json`, ts.sys.readFile);
    expect(config.compilerOptions.strict).toBe(true);
    expect(config.include).toContain('examples');
    expect(read('package.json')).toContain('npm run typecheck && vitest run');
  });

  it.each(SNIPPETS)('$file runs and sends one email', { timeout: 60_000 }, async ({ file }) => {
    const child = spawn(`${ROOT}node_modules/.bin/node`, ['--import', 'tsx', file], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.match(/emailType: 'FulfillmentEmail'/g)).toHaveLength(1);
  });
});
