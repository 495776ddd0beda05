/**
 * node-redis is an optional peer: only src/redis/** may import it, and nothing the main entry (or the
 * testing entry) loads may reach src/redis. Walks the real import graph of the sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

function specifiers(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(IMPORT)].map((match) => (match[1] ?? match[2])!);
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** Every source file `entry` loads, following relative imports. */
function graph(entry: string, seen = new Set<string>()): Set<string> {
  if (seen.has(entry)) return seen;
  seen.add(entry);
  for (const specifier of specifiers(entry)) {
    if (specifier.startsWith('.')) graph(resolve(dirname(entry), specifier.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

describe('node-redis stays in softlayer-ssl-orders/redis', () => {
  it('only src/redis/** imports redis', () => {
    const importers = sources(SRC)
      .filter((file) => specifiers(file).some((spec) => spec === 'redis' || spec.startsWith('@redis/')))
      .map((file) => relative(SRC, file));
    expect(importers.length).toBeGreaterThan(0);
    expect(importers.filter((file) => !file.startsWith('redis/'))).toEqual([]);
  });

  it('the main and testing entries never load src/redis', () => {
    for (const entry of ['index.ts', 'testing/index.ts']) {
      const loaded = [...graph(join(SRC, entry))].map((file) => relative(SRC, file));
      expect(loaded.length).toBeGreaterThan(3);
      expect(loaded.filter((file) => file.startsWith('redis/'))).toEqual([]);
    }
  });
});
