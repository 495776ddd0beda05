/**
 * The client's send part, made on the first send (or ledger call). It is part of the startup bundle,
 * not a chunk loaded on the first send as it was: as its own chunk (and the two small chunks of the
 * modules it shares with the client) an app's total was 31.00 KB gzip against 29.31 KB now, by
 * scripts/check-size.mjs (budget 31 KB), while the startup bundle it joins is 15.27 KB (budget 18).
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
