/**
 * Which send ledger a command uses, and opening it. The duplicate guard holds per ledger: every
 * process that shares one (a person's shell, root's cron job, several hosts on one Redis) sees the
 * others' sends; processes on different ledgers do not.
 *
 * - `--ledger <path | redis://… | rediss://…>`, else `SSL_ORDERS_LEDGER`, else the default file
 *   (`defaultLedgerPath()` of `softlayer-ssl-orders/node`: `$XDG_STATE_HOME/softlayer-ssl-orders/`…).
 * - `--emulator` and `demo` run against a throw-away emulator: they keep their records in memory,
 *   unless a ledger is named explicitly, so they never write the user's ledger.
 *
 * The file ledger and the Redis client are imported on demand: `list` and `show` never load them, and
 * node-redis (an optional peer dependency) is loaded only for a `redis://` ledger.
 *
 * @module
 */
import { resolve } from 'node:path';
import { MemorySendLedger, type SendLedger } from '../index.js';
import type { GlobalFlags } from './args.js';
import { UsageError } from './usage.js';

/** An open ledger and how to let go of it. */
export interface OpenedLedger {
  ledger: SendLedger;
  /** Where the records live, for messages: a path, a URL without its password, or `memory`. */
  where: string;
  /** Closes the store's connection, if it has one. */
  close(): Promise<void>;
}

/** Where the ledger the flags and environment name lives, before opening it. */
export type LedgerChoice =
  | { kind: 'memory'; where: string }
  | { kind: 'file'; path: string | undefined }
  | { kind: 'redis'; url: string };

/** A URL (of any scheme) with any password replaced, safe to print. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^@/]*)@/i, (_, scheme: string, auth: string) => {
    const user = auth.includes(':') ? auth.slice(0, auth.indexOf(':')) : '';
    return `${scheme}${user ? `${user}:` : ''}***@`;
  });
}

/**
 * Picks the ledger: `--ledger`, else `SSL_ORDERS_LEDGER`, else memory for a throw-away emulator,
 * else the default file.
 *
 * @throws {@link UsageError} for a URL with another scheme than `redis://` / `rediss://`.
 */
export function chooseLedger(
  flags: Pick<GlobalFlags, 'ledger' | 'emulator'>,
  env: Record<string, string | undefined>,
): LedgerChoice {
  const fromEnv = env['SSL_ORDERS_LEDGER']?.trim() || undefined;
  const spec = flags.ledger ?? fromEnv;
  const source = flags.ledger !== undefined ? '--ledger' : 'SSL_ORDERS_LEDGER';
  if (spec === undefined) {
    return flags.emulator
      ? { kind: 'memory', where: 'memory (this run only)' }
      : { kind: 'file', path: undefined };
  }
  if (/^rediss?:\/\//i.test(spec)) return { kind: 'redis', url: spec };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(spec)) {
    throw new UsageError(
      `${source} takes a file path or a redis:// or rediss:// URL, got ${JSON.stringify(redactUrl(spec).slice(0, 80))}`,
    );
  }
  return { kind: 'file', path: resolve(spec) };
}

/** What opening a ledger needs besides the choice. */
export interface LedgerSettings {
  /** The environment the default path is computed from (XDG_STATE_HOME, HOME, LOCALAPPDATA). */
  env: Record<string, string | undefined>;
  /** How long the file ledger keeps settled records for history (default 90 days). */
  retentionMs?: number | undefined;
}

/** Opens the chosen ledger. Its own errors (unwritable path, bad Redis URL) propagate typed. */
export async function openLedger(choice: LedgerChoice, settings: LedgerSettings): Promise<OpenedLedger> {
  switch (choice.kind) {
    case 'memory':
      return { ledger: new MemorySendLedger(), where: choice.where, close: async () => {} };
    case 'redis': {
      const { RedisSendLedger } = await import('../redis/index.js');
      const ledger = new RedisSendLedger({ url: choice.url });
      return { ledger, where: redactUrl(choice.url), close: () => ledger.close() };
    }
    case 'file': {
      const { FileSendLedger, defaultLedgerPath } = await import('../node/index.js');
      const path = choice.path ?? defaultLedgerPath(settings.env);
      const ledger = new FileSendLedger({
        path,
        ...(settings.retentionMs === undefined ? {} : { retention: settings.retentionMs }),
      });
      return { ledger, where: path, close: async () => {} };
    }
  }
}
