/**
 * The shipped CLI loads the test kit (src/testing) only for --emulator and demo, through a dynamic
 * import, and node-redis only for a redis:// ledger: neither is in the bin's static import graph.
 * The graph is read from the sources (every `import … from` / `export … from` that is not
 * `import type`), starting at the bin.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './child.js';

const STATIC = /^\s*(?:import|export)\s+(?!type\s)(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
const DYNAMIC = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(file: string, pattern: RegExp): string[] {
  return [...readFileSync(file, 'utf8').matchAll(pattern)].map((match) => match[1] ?? '');
}

function toSource(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined; // a package or node: built-in
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

/** Every source file the entries reach through static imports. */
function staticGraph(...entries: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...entries];
  while (queue.length > 0) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const specifier of specifiers(file, STATIC)) {
      const next = toSource(file, specifier);
      if (next) queue.push(next);
    }
  }
  return seen;
}

describe('the CLI import graph', () => {
  const bin = join(ROOT, 'src/cli/index.ts');
  // The bin loads main.ts with import() once the Node version is checked: what every command loads.
  const graph = [...staticGraph(bin, join(ROOT, 'src/cli/main.ts'))].map((file) => relative(ROOT, file));

  it('the bin loads main.ts dynamically', () => {
    expect(specifiers(bin, DYNAMIC)).toEqual(['./main.js']);
  });

  it('reaches the SDK but not the test kit, the Redis ledger or node-redis statically', () => {
    expect(graph).toContain('src/cli/main.ts');
    expect(graph).toContain('src/client.ts');
    expect(graph.filter((file) => file.startsWith('src/testing/'))).toEqual([]);
    expect(graph.filter((file) => file.startsWith('src/redis/'))).toEqual([]);
    for (const file of graph) {
      expect(specifiers(join(ROOT, file), STATIC), file).not.toContain('redis');
    }
  });

  it('the bin entry imports only node: built-ins and its proxy helper before the version check', () => {
    expect(specifiers(bin, STATIC)).toEqual(['./proxy.js']);
    expect(specifiers(join(ROOT, 'src/cli/proxy.ts'), STATIC).every((name) => name.startsWith('node:'))).toBe(
      true,
    );
  });

  it('the test kit is loaded by a dynamic import, in one place', () => {
    const loaders = graph.filter((file) =>
      specifiers(join(ROOT, file), DYNAMIC).some((name) => name.includes('testing/')),
    );
    expect(loaders).toEqual(['src/cli/session.ts']);
  });
});
