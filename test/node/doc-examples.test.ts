/**
 * Every `@example` in src/node compiles: each ```ts block of a TSDoc comment is type-checked as its
 * own module with the project's compiler options, importing the package by its public names.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCES = readdirSync(join(ROOT, 'src/node')).filter((name) => name.endsWith('.ts'));

/** The ```ts blocks of the TSDoc comments of `text`, with the leading ` * ` removed. */
function examples(text: string): string[] {
  const blocks: string[] = [];
  for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    const lines = comment.split('\n').map((line) => line.replace(/^\s*\* ?/, ''));
    let block: string[] | undefined;
    for (const line of lines) {
      if (block === undefined && line.trim() === '```ts') block = [];
      else if (block !== undefined && line.trim() === '```') {
        blocks.push(block.join('\n'));
        block = undefined;
      } else block?.push(line);
    }
  }
  return blocks;
}

describe('src/node TSDoc examples', () => {
  const files = new Map<string, string>();
  for (const source of SOURCES) {
    examples(readFileSync(join(ROOT, 'src/node', source), 'utf8')).forEach((code, i) => {
      files.set(
        join(ROOT, 'test/node', `__example-${source.replace(/\.ts$/, '')}-${i}.ts`),
        `${code}\nexport {};\n`,
      );
    });
  }

  it('there is an example for each public export', () => {
    expect(files.size).toBeGreaterThanOrEqual(7);
  });

  it('every example type-checks', { timeout: 60_000 }, () => {
    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
        },
      },
    )!;
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (name) => files.get(name) ?? readFile(name);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true }, host);
    const problems = [...files.keys()].flatMap((name) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(name)).map((diagnostic) => {
        const where = diagnostic.file?.fileName.replace(ROOT, '') ?? '';
        return `${where}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}\n${files.get(name)}`;
      }),
    );
    expect(problems).toEqual([]);
  });
});
