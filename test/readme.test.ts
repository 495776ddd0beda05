/**
 * The README's quickstart is examples/readme/quickstart.ts verbatim, so `npm run typecheck` (which
 * includes examples/) keeps the README's code compiling against the real API.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

describe('README', () => {
  it('shows examples/readme/quickstart.ts as its quickstart, in at most 10 lines of code', () => {
    const quickstart = read('examples/readme/quickstart.ts');
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Quickstart'));
    const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
    expect(block).toBe(quickstart);
    expect(quickstart.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(10);
  });

  it('keeps the two commands that work on a fresh machine', () => {
    const readme = read('README.md');
    expect(readme).toContain('npm install && npm run demo');
    expect(readme).toContain('npm test');
    const scripts = JSON.parse(read('package.json')).scripts as Record<string, string>;
    expect(scripts['demo']).toBeDefined();
    expect(scripts['test']).toContain('vitest run');
  });
});
