/**
 * The client's send part, made on the first send (or ledger call). It is part of the startup bundle,
 * not a chunk loaded on the first send as it was: as its own chunk (with two more small chunks for
 * the modules it shares with the client) it added 1.7 KB gzip to an app's total (31.00 KB against
 * 29.31 KB, scripts/check-size.mjs, budget 31 KB), and the startup bundle it joins stays under its
 * 18 KB budget.
 *
 * @module
 */

import type { SendSettings } from './client-config.js';
import { Sender, type SenderConfig } from './send.js';
import { MemorySendLedger } from './send-ledger-memory.js';

/** The sender of one client; without a `sendLedger` option, a {@link MemorySendLedger} of its own. */
export function createSender(
  settings: SendSettings,
  reads: Pick<SenderConfig, 'readOrder' | 'accountId'>,
): Sender {
  return new Sender({ ...settings, ...reads, ledger: settings.ledger ?? new MemorySendLedger() });
}
