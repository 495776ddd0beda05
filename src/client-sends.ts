/**
 * The client's send part, a chunk of its own loaded on the first send (or ledger call): read-only users
 * never load the send pipeline, the send errors or the memory ledger.
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
