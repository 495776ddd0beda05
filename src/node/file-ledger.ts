/**
 * `FileSendLedger`: the send ledger of one host, in one JSON file, shared by every process that opens
 * the same path (the CLI, cron jobs, several bots on a machine).
 *
 * Mechanism, and why: one JSON file, changed only under an exclusive lock file (`<path>.lock`,
 * created with a hard link so it is never half-written, taken over safely when its holder died: see
 * ./lock.ts), and replaced only by write-temporary → fsync → rename (./ledger-file.ts). Each of
 * reserve / settle / release is one read-decide-write under the lock, so it is atomic across
 * processes; a SIGKILL at any instant leaves the old file or the new one, never a torn one, and a lock
 * whose holder died is recovered by pid liveness (or age) instead of wedging every later send.
 *
 * The alternative was `node:sqlite`: real database locks that the kernel drops when a process dies,
 * and no lock files. It was not chosen because on Node 22 (the lowest engine this package supports)
 * it is unflagged only from 22.13 and prints an `ExperimentalWarning` on stderr on first use (measured
 * on 22.23.3), which the CLI would have to hide by patching `process.emitWarning`; Bun and Deno do not
 * have it; and a person could no longer read or repair the ledger with a text editor. The lock-file
 * cycle costs well under a millisecond on an ext4 disk, fsync included (bench/ledger.ts has the
 * figures). Libraries were considered and not used: proper-lockfile (mkdir locks refreshed by mtime)
 * has the stale-takeover race (moxystudio/node-proper-lockfile#121) and needs a timer per held lock;
 * write-file-atomic gives the rename step only. Both would add a dependency for ~150 lines.
 *
 * Durability: a reservation is on disk before `reserve` resolves (file and directory flushed), because
 * a POST follows it. `settle` and `release` flush the file but not the directory: they are atomic and
 * visible to every process at once, and the OS writes the rename within seconds (the next reservation's
 * flush carries it too). If a power loss undoes one, the reservation it replaced comes back, and a
 * reservation blocks: a lost settle can make a person mark a send, never send an email twice. Against
 * SIGKILL no flush matters: the page cache survives the process. Each flush costs what the disk's
 * fsync costs (about 0.1 ms on this machine's ext4 when idle, several ms when other processes keep the
 * disk busy: bench/results.md).
 *
 * Limits, said plainly: the guarantee holds for processes of one host that see the same pids (one pid
 * namespace: containers sharing a volume need their own ledger or Redis), on a local file system (not
 * NFS). Every write rewrites the whole file, so a write costs O(records); {@link FileSendLedgerOptions.retention}
 * bounds the count. This subpath is Node only (`node:fs`); the main entry never imports it.
 *
 * @module
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { LedgerOperation } from '../send-errors.js';
import {
  applySettlement,
  blocks,
  type ReserveRule,
  replacing,
  restoredBy,
  type SendLedger,
  type SendRecord,
  type Settlement,
  settlementApplies,
} from '../send-ledger.js';
import { FileLedgerError, fileError } from './errors.js';
import { type LedgerSnapshot, readLedger, recordProblem, storable, writeLedger } from './ledger-file.js';
import { acquireLock, COMMIT_WITHIN_MS, releaseLock, stillHeld, sweepGarbage } from './lock.js';
import { checkKey, checkOptions, type FileSendLedgerOptions } from './options.js';
import { dropExpired } from './retention.js';

/** Operations on one file queue in this process, so they do not poll the lock against each other. */
const queues = new Map<string, Promise<unknown>>();

function queued<T>(path: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(path) ?? Promise.resolve();
  const next = previous.then(task, task);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  queues.set(path, settled);
  void settled.then(() => {
    if (queues.get(path) === settled) queues.delete(path);
  });
  return next;
}

/**
 * A {@link SendLedger} in one JSON file, atomic across the processes of one host and safe across a
 * crash: a process killed at any instant leaves no record or a record that blocks. Node only.
 *
 * Share one file between every process that must not send the same email twice: the CLI, cron jobs,
 * bots on the same machine (root's cron job and a person's shell can share one: files written by root
 * keep the directory owner's ownership). Across machines, use `RedisSendLedger`.
 *
 * @throws {FileLedgerError} from each operation when the file cannot be used: the path is a directory,
 *   it or its directory cannot be written, it is corrupt (never reset), or its lock stays held longer
 *   than `lockTimeout`. A send that meets one stops before its POST.
 * @throws {InvalidArgumentError} from the constructor for a bad option.
 *
 * @example
 * ```ts
 * import { SslOrdersClient } from 'softlayer-ssl-orders';
 * import { defaultLedgerPath, FileSendLedger } from 'softlayer-ssl-orders/node';
 * const sendLedger = new FileSendLedger({ path: defaultLedgerPath() });
 * const client = SslOrdersClient.fromEnv({ sendLedger });
 * // A second process running this within the cooldown is refused, and nothing is sent twice.
 * await client.resendFulfillmentEmail(4471203, { confirm: false });
 * ```
 */
export class FileSendLedger implements SendLedger {
  /** The ledger file, as an absolute path. */
  readonly path: string;
  /** See {@link FileSendLedgerOptions.retention} (ms). */
  readonly retention: number;
  /** See {@link FileSendLedgerOptions.lockTimeout} (ms). */
  readonly lockTimeout: number;
  readonly #lockPath: string;
  #directoryReady = false;
  /** The file as this instance last read or wrote it; its parse is reused while the text is the same. */
  #snapshot: LedgerSnapshot | undefined;

  /** @param options - see {@link FileSendLedgerOptions}. */
  constructor(options: FileSendLedgerOptions) {
    const checked = checkOptions(options);
    this.path = checked.path;
    this.retention = checked.retention;
    this.lockTimeout = checked.lockTimeout;
    this.#lockPath = `${this.path}.lock`;
  }

  /**
   * Atomically, under the file's lock: when no record of `key` blocks under `rule` (`blocks()`), store
   * `record` (as `replacing()` makes it) and resolve `undefined`; otherwise store nothing and resolve
   * the holding record. Records past their retention are dropped first. The new record is flushed to
   * disk (file and directory) before this resolves.
   *
   * @throws {FileLedgerError} when the file cannot be used; nothing is stored.
   */
  async reserve(key: string, record: SendRecord, rule: ReserveRule): Promise<SendRecord | undefined> {
    checkKey(key);
    const candidate = storable({ ...record, key });
    const problem = recordProblem(candidate);
    if (problem) throw new InvalidArgumentError('record', `cannot reserve ${key}: ${problem}`);
    return this.#as('reserve', key, () =>
      this.#update((records) => {
        const changed = dropExpired(records, rule.now, this.retention);
        const holder = records.get(key);
        if (holder && blocks(holder, rule)) return { result: { ...holder }, changed };
        records.set(key, storable(replacing(candidate, holder)));
        return { result: undefined, changed: true };
      }, true),
    );
  }

  /**
   * Atomically, under the file's lock: when the record of `key` has `intentId` and meets
   * `settlement.expect` (`settlementApplies()`), apply `settlement` (`applySettlement()`) and resolve the new record; otherwise change nothing and resolve `undefined`.
   *
   * @throws {FileLedgerError} when the file cannot be used.
   */
  async settle(key: string, intentId: string, settlement: Settlement): Promise<SendRecord | undefined> {
    checkKey(key);
    return this.#as('settle', key, () =>
      this.#update((records) => {
        const current = records.get(key);
        if (!settlementApplies(current, intentId, settlement)) return { result: undefined, changed: false };
        const next = storable(applySettlement(current, settlement));
        records.set(key, next);
        return { result: { ...next }, changed: true };
      }),
    );
  }

  /**
   * Atomically, under the file's lock: when the record of `key` has `intentId`, put back what it
   * replaced (`restoredBy()`) or remove it, and resolve `true`; otherwise change nothing and resolve
   * `false`.
   *
   * @throws {FileLedgerError} when the file cannot be used.
   */
  async release(key: string, intentId: string): Promise<boolean> {
    checkKey(key);
    return this.#as('release', key, () =>
      this.#update((records) => {
        const current = records.get(key);
        if (current?.intentId !== intentId) return { result: false, changed: false };
        const previous = restoredBy(current);
        if (previous) records.set(key, previous);
        else records.delete(key);
        return { result: true, changed: true };
      }),
    );
  }

  /**
   * The record of `key`, if any (a copy). Reads without the lock: the file is only ever replaced whole.
   *
   * @throws {FileLedgerError} when the file cannot be read or is corrupt.
   */
  async get(key: string): Promise<SendRecord | undefined> {
    checkKey(key);
    return this.#as('get', key, async () => {
      const record = this.#read().records.get(key);
      return record ? { ...record } : undefined;
    });
  }

  /**
   * Every record the file holds (copies), in file order. Reads without the lock.
   *
   * @throws {FileLedgerError} when the file cannot be read or is corrupt.
   */
  async list(): Promise<SendRecord[]> {
    return this.#as('list', undefined, async () =>
      [...this.#read().records.values()].map((record) => ({ ...record })),
    );
  }

  /** Runs `step`; a {@link FileLedgerError} from it names the operation and key it failed in. */
  async #as<T>(operation: LedgerOperation, key: string | undefined, step: () => Promise<T>): Promise<T> {
    try {
      return await step();
    } catch (error) {
      if (error instanceof FileLedgerError) Object.assign(error, { operation, key });
      throw error;
    }
  }

  /** One read-decide-write step under the lock; writes only when `decide` changed something. */
  #update<T>(
    decide: (records: Map<string, SendRecord>) => { result: T; changed: boolean },
    durable = false,
  ): Promise<T> {
    return queued(this.path, async () => {
      await this.#ensureDirectory();
      let lock: Awaited<ReturnType<typeof acquireLock>>;
      try {
        lock = await acquireLock(this.#lockPath, this.path, this.lockTimeout);
      } catch (error) {
        throw fileError(error, this.path, 'lock');
      }
      try {
        const { records } = this.#read();
        const { result, changed } = decide(records);
        if (!changed) return result;
        const written = await writeLedger(this.path, records, () => stillHeld(lock), durable);
        if (written) this.#snapshot = written;
        else {
          throw new FileLedgerError(
            'locked',
            this.path,
            `lost the lock of the send ledger ${this.path}, or held it for more than ${COMMIT_WITHIN_MS} ms (a stall); nothing was written and nothing was sent`,
          );
        }
        if (Math.random() < 1 / 64) sweepGarbage(this.#lockPath);
        return result;
      } finally {
        releaseLock(lock);
      }
    });
  }

  #read(): LedgerSnapshot {
    const snapshot = readLedger(this.path, this.#snapshot);
    this.#snapshot = snapshot;
    return { text: snapshot.text, records: new Map(snapshot.records) };
  }

  async #ensureDirectory(): Promise<void> {
    if (this.#directoryReady) return;
    try {
      await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    } catch (error) {
      throw fileError(error, this.path, 'create the directory of');
    }
    this.#directoryReady = true;
  }
}
