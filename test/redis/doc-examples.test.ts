/**
 * Every `@example` in src/redis/** and every `ts` block of docs/fleet.md compiles against the real API
 * (tsconfig.json's strict settings and paths), so the documentation cannot drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The ```ts blocks of a TSDoc comment or a Markdown file, with the comment's ` * ` removed. */
function blocks(text: string, doc: boolean): string[] {
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) =>
    doc
      ? match[1]!
          .split('\n')
          .map((line) => line.replace(/^\s*\* ?/, ''))
          .join('\n')
      : match[1]!,
  );
}

function examples(): Map<string, string> {
  const found = new Map<string, string>();
  const dir = join(ROOT, 'src/redis');
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.ts'))) {
    for (const [index, code] of blocks(readFileSync(join(dir, name), 'utf8'), true).entries())
      found.set(join(ROOT, `test/redis/__example_${name.replace('.ts', '')}_${index}.ts`), code);
  }
  for (const [index, code] of blocks(readFileSync(join(ROOT, 'docs/fleet.md'), 'utf8'), false).entries())
    found.set(join(ROOT, `test/redis/__example_fleet_md_${index}.ts`), code);
  return found;
}

describe('documentation examples of softlayer-ssl-orders/redis', () => {
  it('all compile', () => {
    const virtual = new Map([...examples()].map(([file, code]) => [file, `${code}\nexport {};\n`]));
    expect(virtual.size).toBeGreaterThanOrEqual(4);
    const config = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (file) => virtual.get(file) ?? readFile(file);
    host.fileExists = (file) => virtual.has(file) || fileExists(file);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (file, language, ...rest) => {
      const code = virtual.get(file);
      return code === undefined
        ? getSourceFile(file, language, ...rest)
        : ts.createSourceFile(file, code, language);
    };
    const program = ts.createProgram([...virtual.keys()], { ...options, noEmit: true }, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((diagnostic) => diagnostic.file && virtual.has(diagnostic.file.fileName))
      .map((diagnostic) => {
        const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
        return `${diagnostic.file!.fileName.slice(ROOT.length)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  }, 60_000);
});
