/**
 * The shape of src/: no import cycle, no import that points up the layers, no file over 300 lines.
 * Read from the source text (every `import … from` and `export … from`, type-only ones included), so
 * it needs no bundler and fails with the offending path.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve(import.meta.dirname, '../src');

// Files allowed past 300 lines for now, with their length as a ceiling (none left: keep it that way).
const OVER_300_FOR_NOW: Record<string, number> = {};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

const FILES = sourceFiles(SRC);

function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const found: string[] = [];
  const pattern = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;
  for (const match of text.matchAll(pattern)) {
    const specifier = match[1] ?? match[2];
    if (specifier === undefined) continue;
    found.push(relative(SRC, resolve(dirname(join(SRC, file)), specifier)).replace(/\.js$/, '.ts'));
  }
  return found;
}

/**
 * The floors, lowest first: a module may import its own floor or lower. cli → index → client → send
 * → transport → auth/retry → errors/options → internal, with the leaf types (order, events, results)
 * beside the options they describe.
 */
function floor(file: string): number {
  if (
    file.startsWith('internal/') ||
    file.startsWith('errors') ||
    file === 'order.ts' ||
    file === 'version.ts'
  )
    return 0;
  if (/^(retry|events|results|schemas|validate|send-errors|send-ledger|pace|paging)/.test(file)) return 1;
  if (/^(auth|iam|options)\.ts$/.test(file)) return 2;
  if (
    /^(environment|transport|transport-response|transport-call|transport-wire|read-options)\.ts$/.test(file)
  )
    return 3;
  if (/^send(-guard|-deadline|-messages|-checks|-options|-mark)?\.ts$/.test(file)) return 4;
  if (/^client(-config|-reads|-sends)?\.ts$/.test(file)) return 5;
  if (file === 'index.ts') return 6;
  if (file.startsWith('node/') || file.startsWith('redis/')) return 7;
  if (file.startsWith('testing/')) return 8;
  return 9; // cli/
}

describe('the layout of src/', () => {
  it('has no import cycle', () => {
    const graph = new Map(FILES.map((file) => [file, importsOf(file).filter((to) => FILES.includes(to))]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'open');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of FILES) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });

  it('imports only downwards (and nothing under internal/ imports the client layer)', () => {
    const upward = FILES.flatMap((file) =>
      importsOf(file)
        .filter((to) => FILES.includes(to) && floor(to) > floor(file))
        .map((to) => `${file} → ${to}`),
    );
    expect(upward).toEqual([]);
  });

  it('the check sees an upward import and a cycle when there is one', () => {
    // Guards the two tests above against a pattern that matches nothing.
    expect(importsOf('client-config.ts')).toContain('transport.ts');
    expect(importsOf('index.ts')).toContain('client.ts');
    expect(floor('client.ts')).toBeGreaterThan(floor('transport.ts'));
    expect(importsOf('read-options.ts')).toContain('internal/filter.ts');
  });

  it('keeps every file at or under 300 lines', () => {
    const long = FILES.map((file) => ({
      file,
      lines: readFileSync(join(SRC, file), 'utf8').split('\n').length - 1,
    }))
      .filter(({ file, lines }) => lines > (OVER_300_FOR_NOW[file] ?? 300))
      .map(({ file, lines }) => `${file}: ${lines}`);
    expect(long).toEqual([]);
  });
});
