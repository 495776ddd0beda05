/**
 * `softlayer-ssl-orders/node`: what needs Node's file system. {@link FileSendLedger} keeps the
 * duplicate guard's records in one file shared by every process of a host (the CLI's default), and
 * {@link defaultLedgerPath} says where that file lives for the current user.
 *
 * Node only (it imports `node:fs`); the main entry never loads it, so browser bundles stay free of it.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * import { defaultLedgerPath, FileSendLedger } from 'softlayer-ssl-orders/node';
 * const client = SslOrdersClient.fromEnv({ sendLedger: new FileSendLedger({ path: defaultLedgerPath() }) });
 * ```
 *
 * @module
 */
export { FileLedgerError, type FileLedgerProblem } from './errors.js';
export { FileSendLedger } from './file-ledger.js';
export type { FileSendLedgerOptions } from './options.js';
export { defaultLedgerPath } from './paths.js';
export { DEFAULT_RETENTION_MS } from './retention.js';
