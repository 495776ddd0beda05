/**
 * FileSendLedger under the real send pipeline, against the emulator: a second client (a second process
 * in practice) is refused by the file, and a ledger file that cannot be used stops the send before any
 * POST with the file ledger's own error, passed on as a SendLedgerError.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuplicateSendError, SendLedgerError } from '../../src/index.js';
import { FileLedgerError, FileSendLedger } from '../../src/node/index.js';
import { APPROVED, type Emulator, makeClient, posts, startEmulator } from '../send-fixture.js';
import { tempDir } from './support.js';

let emulator: Emulator;
beforeEach(async () => {
  emulator = await startEmulator();
});
afterEach(async () => {
  await emulator.close();
});

describe('FileSendLedger in the send pipeline', () => {
  it('one email: a client on a fresh ledger object over the same file is refused', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const first = makeClient(emulator, { sendLedger: new FileSendLedger({ path }) }).client;
    const second = makeClient(emulator, { sendLedger: new FileSendLedger({ path }) }).client;
    expect((await first.resendFulfillmentEmail(APPROVED)).outcome).toBe('sent');
    await expect(second.resendFulfillmentEmail(APPROVED)).rejects.toBeInstanceOf(DuplicateSendError);
    expect(posts(emulator)).toBe(1);
    expect(await new FileSendLedger({ path }).list()).toEqual([expect.objectContaining({ state: 'sent' })]);
  });

  const broken: [string, (dir: string) => string, string][] = [
    [
      'a directory',
      (dir) => {
        mkdirSync(join(dir, 'ledger.json'));
        return join(dir, 'ledger.json');
      },
      'is-directory',
    ],
    [
      'a path under a regular file',
      (dir) => {
        writeFileSync(join(dir, 'file.json'), '');
        return join(dir, 'file.json', 'ledger.json');
      },
      'no-access',
    ],
    [
      'a corrupt file',
      (dir) => {
        writeFileSync(join(dir, 'ledger.json'), '{"format":1,"records":[]}');
        return join(dir, 'ledger.json');
      },
      'corrupt',
    ],
  ];

  it.each(broken)(
    '%s: the send stops before any POST, with the error naming the path',
    async (_name, make, reason) => {
      using tmp = tempDir();
      const path = make(tmp.dir);
      const { client } = makeClient(emulator, { sendLedger: new FileSendLedger({ path }) });
      const error = await client.resendFulfillmentEmail(APPROVED).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(FileLedgerError);
      expect(error).toBeInstanceOf(SendLedgerError);
      expect(error).toMatchObject({
        reason,
        path,
        operation: expect.stringMatching(/^(get|reserve)$/),
        problem: 'failed',
      });
      expect((error as Error).message).toContain(path);
      expect(posts(emulator)).toBe(0);
      expect(emulator.outbox).toHaveLength(0);
    },
  );
});
