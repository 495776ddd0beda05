/** FileSendLedger runs the SendLedger v2 contract suite, each case on a fresh file. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { FileSendLedger } from '../../src/node/index.js';
import { describeLedgerContract } from '../helpers/ledger-contract.js';
import { tempDir } from './support.js';

const dirs = new Map<FileSendLedger, string>();

describeLedgerContract(
  'FileSendLedger',
  () => {
    const { dir } = tempDir();
    const ledger = new FileSendLedger({ path: join(dir, 'ledger.json') });
    dirs.set(ledger, dir);
    return ledger;
  },
  (ledger) => {
    rmSync(dirs.get(ledger as FileSendLedger)!, { recursive: true, force: true });
  },
);
