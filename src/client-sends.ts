/**
 * The client's send part, made on the first send (or ledger call). It is part of the startup bundle,
 * not a chunk loaded on the first send as it was: as its own chunk it cost 1.6 KB gzip more in all
 * (31.00 KB against 29.42 KB measured by scripts/check-size.mjs, whose total budget is 31 KB), while
 * the startup bundle it joins stays under its 18 KB (15.4 KB) once ky loads with the first call.
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
