/**
 * Two FileSendLedger instances on one path (what two processes are): each decision is made on the
 * file as it is now, never on a parse an instance kept from an earlier read of a file that looked the
 * same (same inode, mtime and size: ext4 reuses a freed inode at once, and mtimes tick coarsely).
 */
import { linkSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileSendLedger } from '../../src/node/index.js';
import { describeLedgerContract } from '../helpers/ledger-contract.js';
import { NOW, reservation, tempDir } from './support.js';

const dirs = new Map<FileSendLedger, string>();

describeLedgerContract(
  'two FileSendLedger instances on one file',
  () => {
    const { dir } = tempDir();
    const ledger = new FileSendLedger({ path: join(dir, 'ledger.json') });
    dirs.set(ledger, dir);
    return ledger;
  },
  (ledger) => {
    rmSync(dirs.get(ledger as FileSendLedger)!, { recursive: true, force: true });
  },
  { twin: (ledger) => new FileSendLedger({ path: (ledger as FileSendLedger).path }) },
);

const rule = { now: NOW, cooldown: 60_000, force: false };
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

describe('FileSendLedger decides on the file as it is now', () => {
  it('a later file with the same inode, mtime and size as one read earlier is read anew', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const [a, b, c] = [1, 2, 3].map(() => new FileSendLedger({ path }));
    await a!.reserve('key-1', reservation('key-1', id(1)), rule);
    // Keep the first file's inode alive, and give it a whole-second mtime: one coarse clock tick.
    const first = join(tmp.dir, 'first');
    linkSync(path, first);
    const tick = 1_700_000_000;
    utimesSync(path, tick, tick);
    const before = statSync(path, { bigint: true });
    expect(await c!.get('key-1')).toMatchObject({ intentId: id(1) }); // c has now parsed that file
    await a!.release('key-1', id(1));
    await b!.reserve('key-2', reservation('key-2', id(2)), rule);
    // What ext4 does within one tick: the new ledger lands on the freed inode with the same mtime.
    const now = readFileSync(path, 'utf8');
    writeFileSync(first, now);
    utimesSync(first, tick, tick);
    renameSync(first, path);
    const after = statSync(path, { bigint: true });
    expect([after.ino, after.mtimeNs, after.size]).toEqual([before.ino, before.mtimeNs, before.size]);

    expect(await c!.get('key-1')).toBeUndefined();
    expect(await c!.reserve('key-2', reservation('key-2', id(3)), rule)).toMatchObject({ intentId: id(2) });
    expect((await a!.list()).map((record) => record.intentId)).toEqual([id(2)]);
  });

  it("a reserve by one instance never loses another instance's update made in between", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const [a, b] = [1, 2].map(() => new FileSendLedger({ path }));
    for (let n = 0; n < 40; n++) {
      const writer = n % 2 === 0 ? a! : b!;
      expect(await writer.reserve(`key-${n}`, reservation(`key-${n}`, id(n)), rule)).toBeUndefined();
    }
    expect((await a!.list()).map((record) => record.intentId).sort()).toEqual(
      Array.from({ length: 40 }, (_, n) => id(n)).sort(),
    );
  });
});
