/**
 * Paths and files the ledger cannot use fail closed with a typed error naming the path, and never
 * reset or rewrite the file. (Tests run as root, which ignores mode bits: an unwritable location is
 * made with a regular file where a directory should be.)
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, SslOrdersError } from '../../src/index.js';
import { FileLedgerError, FileSendLedger } from '../../src/node/index.js';
import { NOW, reservation, tempDir } from './support.js';

const rule = { now: NOW, cooldown: 60_000, force: false };

async function failure(promise: Promise<unknown>): Promise<FileLedgerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(FileLedgerError);
  expect(error).toBeInstanceOf(SslOrdersError);
  return error as FileLedgerError;
}

describe('FileSendLedger bad paths', () => {
  it('a directory: every operation fails with is-directory, naming the path', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    mkdirSync(path);
    const ledger = new FileSendLedger({ path });
    for (const operation of [
      () => ledger.reserve('k', reservation('k', 'i'), rule),
      () => ledger.settle('k', 'i', { state: 'sent', at: NOW }),
      () => ledger.release('k', 'i'),
      () => ledger.get('k'),
      () => ledger.list(),
    ]) {
      const error = await failure(operation());
      expect(error.reason).toBe('is-directory');
      expect(error.path).toBe(path);
      expect(error.message).toContain(path);
      expect(error.message).toMatch(/pass a file path/);
    }
  });

  it('a parent that is a regular file: no-access, naming the path, for writes and reads', async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, 'file.json'), 'not a directory');
    const path = join(tmp.dir, 'file.json', 'ledger.json');
    const ledger = new FileSendLedger({ path });
    const write = await failure(ledger.reserve('k', reservation('k', 'i'), rule));
    expect(write.reason).toBe('no-access');
    expect(write.message).toContain(path);
    expect(write.message).toMatch(/not a directory/);
    const read = await failure(ledger.get('k'));
    expect(read.reason).toBe('no-access');
    expect(readFileSync(join(tmp.dir, 'file.json'), 'utf8')).toBe('not a directory');
  });

  it('a parent path that cannot be created (under a regular file, several levels deep): no-access', async () => {
    using tmp = tempDir();
    writeFileSync(join(tmp.dir, 'blocker'), '');
    const path = join(tmp.dir, 'blocker', 'a', 'b', 'ledger.json');
    const error = await failure(new FileSendLedger({ path }).reserve('k', reservation('k', 'i'), rule));
    expect(error.reason).toBe('no-access');
    expect(error.message).toContain(path);
  });

  it('bad options are InvalidArgumentError before any file is touched', () => {
    expect(() => new FileSendLedger({ path: '' })).toThrow(InvalidArgumentError);
    expect(() => new FileSendLedger({ path: 'a\0b' })).toThrow(/file path/);
    expect(() => new FileSendLedger(undefined as never)).toThrow(/options object/);
    expect(() => new FileSendLedger({ path: '/tmp/l.json', retention: -1 })).toThrow(/retention/);
    expect(() => new FileSendLedger({ path: '/tmp/l.json', lockTimeout: 0 })).toThrow(/lockTimeout/);
  });
});

describe('FileSendLedger corrupt files fail closed and are never reset', () => {
  const cases: [string, string, RegExp][] = [
    ['not JSON', '{"format":2,"records":[', /not JSON/],
    ['an empty file', '', /empty/],
    ['another file format', '{"format":1,"records":[]}', /format 1/],
    ['a JSON array', '[]', /not a JSON object/],
    [
      'a record of another format',
      JSON.stringify({ format: 2, records: [{ ...reservation('k', 'i'), format: 1 }] }),
      /record has format 1/,
    ],
    [
      'a record without a state',
      JSON.stringify({ format: 2, records: [{ ...reservation('k', 'i'), state: 'maybe' }] }),
      /state "maybe"/,
    ],
    [
      'two records with one key',
      JSON.stringify({ format: 2, records: [reservation('k', 'i'), reservation('k', 'j')] }),
      /two records have key k/,
    ],
  ];

  it.each(cases)('%s', async (_name, text, detail) => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    writeFileSync(path, text);
    const ledger = new FileSendLedger({ path });
    for (const operation of [
      () => ledger.reserve('other', reservation('other', 'x'), rule),
      () => ledger.settle('k', 'i', { state: 'sent', at: NOW }),
      () => ledger.release('k', 'i'),
      () => ledger.get('k'),
      () => ledger.list(),
    ]) {
      const error = await failure(operation());
      expect(error.reason).toBe('corrupt');
      expect(error.message).toContain(path);
      expect(error.message).toMatch(detail);
      expect(error.message).toMatch(/never reset/);
    }
    expect(readFileSync(path, 'utf8')).toBe(text);
  });

  it('refuses to store a record of another format (InvalidArgumentError), leaving the file as it was', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const ledger = new FileSendLedger({ path });
    await ledger.reserve('k', reservation('k', 'i'), rule);
    const before = readFileSync(path, 'utf8');
    const old = { ...reservation('k2', 'i2'), format: 1 } as unknown as Parameters<typeof ledger.reserve>[1];
    await expect(ledger.reserve('k2', old, rule)).rejects.toThrow(InvalidArgumentError);
    await expect(ledger.reserve('k2', old, rule)).rejects.toThrow(/format 1/);
    expect(readFileSync(path, 'utf8')).toBe(before);
  });
});
