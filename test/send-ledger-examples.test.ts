/**
 * The `@example` blocks of src/send-ledger.ts and src/send-ledger-memory.ts (MemorySendLedger) type-check with the project's compiler options (importing
 * the package by its public name) AND run: each block is written out as a module, imported, and what
 * it builds is used for real sends against the emulator.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SendLedger, SslOrdersClient } from '../src/index.js';
import { DEFAULT_CREDENTIALS } from '../src/testing/index.js';
import { APPROVED, type Emulator, makeClient, posts, rejection, startEmulator } from './send-fixture.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const SOURCES = ['src/send-ledger.ts', 'src/send-ledger-memory.ts'].map((file) => join(ROOT, file));

/** The ```ts blocks of the TSDoc comments of `text`, with the leading ` * ` removed. */
function examples(text: string): string[] {
  const blocks: string[] = [];
  for (const comment of text.match(/\/\*\*[\s\S]*?\*\//g) ?? []) {
    let block: string[] | undefined;
    for (const line of comment.split('\n').map((one) => one.replace(/^\s*\* ?/, ''))) {
      if (block === undefined && line.trim() === '```ts') block = [];
      else if (block !== undefined && line.trim() === '```') {
        blocks.push(block.join('\n'));
        block = undefined;
      } else block?.push(line);
    }
  }
  return blocks;
}

const BLOCKS = SOURCES.flatMap((source) => examples(readFileSync(source, 'utf8')));
const mapStore = BLOCKS.find((code) => code.includes('const ledger: SendLedger'));
const memory = BLOCKS.find((code) => code.includes('new MemorySendLedger()'));

let emulator: Emulator;
let dir: string;
beforeEach(async () => {
  emulator = await startEmulator();
  dir = mkdtempSync(join(ROOT, 'test/.examples-'));
});
afterEach(async () => {
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
  await emulator.close();
});

/** Imports `code` as a module that also exports `names`; the package name points at src/index.ts. */
async function load<T>(code: string, names: string[]): Promise<T> {
  const file = join(dir, `example-${crypto.randomUUID()}.ts`);
  const source = code.replaceAll("'softlayer-ssl-orders'", JSON.stringify(join(ROOT, 'src/index.ts')));
  writeFileSync(file, `${source}\nexport { ${names.join(', ')} };\n`);
  return (await import(pathToFileURL(file).href)) as T;
}

describe('send ledger TSDoc examples', () => {
  it('there are the two examples, and they type-check', { timeout: 60_000 }, () => {
    expect(mapStore).toBeDefined();
    expect(memory).toBeDefined();
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
    const files = new Map(
      BLOCKS.map((code, i) => [join(ROOT, `test/__example-send-ledger-${i}.ts`), `${code}\nexport {};\n`]),
    );
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    const fileExists = host.fileExists.bind(host);
    host.readFile = (name) => files.get(name) ?? readFile(name);
    host.fileExists = (name) => files.has(name) || fileExists(name);
    const program = ts.createProgram([...files.keys()], { ...config.options, noEmit: true }, host);
    const problems = [...files.keys()].flatMap((name) =>
      ts
        .getPreEmitDiagnostics(program, program.getSourceFile(name))
        .map((diagnostic) => `${name}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`),
    );
    expect(problems).toEqual([]);
  });

  it('the Map store runs: sends once, refuses the duplicate, honours a settle precondition', async () => {
    const { ledger } = await load<{ ledger: SendLedger }>(mapStore!, ['ledger']);
    const { client } = makeClient(emulator, { sendLedger: ledger });
    const sent = await client.resendFulfillmentEmail(APPROVED);
    expect(await rejection(client.resendFulfillmentEmail(APPROVED))).toMatchObject({ reason: 'cooldown' });
    const [record] = await ledger.list();
    const stale = { state: 'not-sent' as const, at: Date.now(), expect: { state: 'reserved' as const } };
    expect(await ledger.settle(record!.key, sent.intentId, stale)).toBeUndefined();
    expect(posts(emulator)).toBe(1);
  });

  it('the MemorySendLedger example runs with SL_* variables pointing at the emulator', async () => {
    for (const name of ['IBMCLOUD_API_KEY', 'IC_API_KEY', 'SOFTLAYER_USERNAME', 'SOFTLAYER_API_KEY'])
      vi.stubEnv(name, undefined);
    vi.stubEnv('HOME', mkdtempSync(join(tmpdir(), 'send-ledger-example-home-')));
    vi.stubEnv('SL_USERNAME', DEFAULT_CREDENTIALS.username);
    vi.stubEnv('SL_API_KEY', DEFAULT_CREDENTIALS.apiKey);
    vi.stubEnv('SL_ENDPOINT_URL', emulator.url);
    const { client } = await load<{ client: SslOrdersClient }>(memory!, ['client', 'sendLedger']);
    // The example's hook says yes to an @example.com approver: the seeded order's admin@example.com.
    await expect(client.resendFulfillmentEmail(APPROVED)).resolves.toMatchObject({ outcome: 'sent' });
    expect(await rejection(client.resendFulfillmentEmail(APPROVED))).toMatchObject({ reason: 'cooldown' });
    expect(posts(emulator)).toBe(1);
  });
});
