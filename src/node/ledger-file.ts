/**
 * Reading and replacing the ledger file. A writer never changes the file in place: it writes the whole
 * ledger to a temporary file beside it, flushes it to disk, and renames it over the ledger. A rename
 * within one directory is atomic, so a reader (or a process killed at any instant) sees the old file
 * or the new one, never a torn or empty one. Readers therefore need no lock.
 *
 * The format is JSON, one record per line so that a person can read it and diff it:
 * `{"format":2,"records":[…]}`. Anything else fails closed with a `corrupt` {@link FileLedgerError}:
 * the file may hold the records that stop a duplicate email, so it is never reset.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fchownSync,
  fsync,
  openSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { SEND_RECORD_FORMAT, type SendRecord } from '../send-ledger.js';
import { errorCode, FileLedgerError, fileError } from './errors.js';

const STATES = new Set(['reserved', 'sent', 'unknown', 'not-sent']);

/** Why `value` is not a record this SDK can store, or undefined when it is one. */
export function recordProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'a record is not an object';
  const record = value as Partial<SendRecord>;
  if (record.format !== SEND_RECORD_FORMAT) {
    return `a record has format ${JSON.stringify(record.format)}, this SDK reads format ${SEND_RECORD_FORMAT}`;
  }
  if (typeof record.key !== 'string' || record.key === '') return 'a record has no key';
  if (typeof record.intentId !== 'string') return `record ${record.key} has no intentId`;
  if (typeof record.state !== 'string' || !STATES.has(record.state)) {
    return `record ${record.key} has state ${JSON.stringify(record.state)}`;
  }
  if (!Number.isFinite(record.reservedAt) || !Number.isFinite(record.deadline)) {
    return `record ${record.key} has no reservedAt or deadline time`;
  }
  return undefined;
}

/** The latest instant a `Date` can hold: what an infinite deadline is stored as (JSON has no Infinity). */
const FOREVER = 8.64e15;

/**
 * `record` as JSON can hold it: an infinite `deadline` becomes the latest date, an infinite or absent
 * `expiresAt` is left out (keep until a person acts). JSON would turn `Infinity` into `null`.
 */
export function storable(record: SendRecord): SendRecord {
  const copy = { ...record };
  if (copy.deadline === Number.POSITIVE_INFINITY) copy.deadline = FOREVER;
  if (typeof copy.expiresAt !== 'number' || !Number.isFinite(copy.expiresAt)) copy.expiresAt = undefined;
  if (copy.replaced) copy.replaced = storable(copy.replaced as SendRecord);
  return copy;
}

function corrupt(path: string, detail: string, cause?: unknown): FileLedgerError {
  return new FileLedgerError(
    'corrupt',
    path,
    `the send ledger ${path} is not a ledger file this SDK can read (${detail}); nothing was sent. ` +
      'It is never reset, because it may hold the records that stop a duplicate email: move it aside, ' +
      'check which emails it recorded, and start a new ledger',
    cause === undefined ? undefined : { cause },
  );
}

/** Parses the text of a ledger file; throws a `corrupt` {@link FileLedgerError}. */
export function parseLedger(text: string, path: string): Map<string, SendRecord> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw corrupt(path, text.trim() === '' ? 'the file is empty' : 'not JSON', error);
  }
  const top = data as { format?: unknown; records?: unknown } | null;
  if (typeof top !== 'object' || top === null || Array.isArray(top)) throw corrupt(path, 'not a JSON object');
  if (top.format !== SEND_RECORD_FORMAT) {
    throw corrupt(path, `format ${JSON.stringify(top.format)}, this SDK reads format ${SEND_RECORD_FORMAT}`);
  }
  if (!Array.isArray(top.records)) throw corrupt(path, 'no records array');
  const records = new Map<string, SendRecord>();
  for (const record of top.records) {
    const problem = recordProblem(record);
    if (problem) throw corrupt(path, problem);
    const { key } = record as SendRecord;
    if (records.has(key)) throw corrupt(path, `two records have key ${key}`);
    records.set(key, record as SendRecord);
  }
  return records;
}

/** A parsed ledger file and the exact text it was parsed from (or written as). */
export interface LedgerSnapshot {
  text: string;
  records: Map<string, SendRecord>;
}

/**
 * The records of the ledger at `path` (an empty map when the file does not exist yet). The file is
 * read on every call; when its text is exactly the text `cached` came from, `cached` is returned
 * without parsing (copy its map before changing it).
 *
 * The text, not the file's identity (inode, mtime, size), decides: ext4 hands a just-freed inode to
 * the next file at once, and before Linux 6.13 mtimes tick in 1-10 ms steps, so a later ledger of the
 * same size written within one tick has the identity of an older one (seen in a review: a reserve
 * decided on stale records and let a held key be reserved twice). Reading a few KB and comparing
 * strings costs microseconds; the parse it saves is the larger cost for a big ledger.
 */
export function readLedger(path: string, cached?: LedgerSnapshot): LedgerSnapshot {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { text: '', records: new Map() };
    throw fileError(error, path, 'read');
  }
  if (cached !== undefined && cached.text === text && text !== '') return cached;
  try {
    return { text, records: parseLedger(text, path) };
  } catch (error) {
    throw fileError(error, path, 'read');
  }
}

/** Serialised records: a record object is never changed once stored, so its line can be reused. */
const lines = new WeakMap<SendRecord, string>();

function line(record: SendRecord): string {
  let text = lines.get(record);
  if (text === undefined) {
    text = JSON.stringify(record);
    lines.set(record, text);
  }
  return text;
}

/** The text of a ledger file holding `records`. */
export function formatLedger(records: Iterable<SendRecord>): string {
  const body = [...records].map(line);
  return `{"format":${SEND_RECORD_FORMAT},"records":[${body.length ? `\n${body.join(',\n')}\n` : ''}]}\n`;
}

/** The owner that files written by root should keep: the directory's, so its user can still read them. */
function ownerToKeep(dir: string): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const stats = statSync(dir);
  return stats.uid === 0 ? undefined : { uid: stats.uid, gid: stats.gid };
}

const fsyncAsync = (fd: number) =>
  new Promise<void>((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));

/**
 * Replaces the ledger at `path` with `records`: temporary file (mode 0600), fsync, rename, and with
 * `durable`, an fsync of the directory so that the rename itself survives a power loss. `commit` runs
 * just before the rename; when it answers false, nothing is replaced. Resolves the new file's
 * snapshot, or undefined when `commit` said no.
 *
 * The data is always flushed before the rename, so even a rename that a power loss undoes never
 * leaves an empty file (file systems without ext4's rename heuristic could).
 *
 * Only the two fsyncs go through the thread pool: they wait for the disk. The other calls are
 * page-cache operations of microseconds, cheaper done at once than as a thread-pool round trip each.
 */
export async function writeLedger(
  path: string,
  records: Map<string, SendRecord>,
  commit: () => boolean,
  durable: boolean,
): Promise<LedgerSnapshot | undefined> {
  const dir = dirname(path);
  const temp = `${path}.${randomUUID()}.tmp`;
  const text = formatLedger(records.values());
  try {
    const fd = openSync(temp, 'wx', 0o600);
    try {
      writeFileSync(fd, text, 'utf8');
      const owner = ownerToKeep(dir);
      if (owner) fchownSync(fd, owner.uid, owner.gid);
      await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
    if (!commit()) {
      unlinkSync(temp);
      return undefined;
    }
    renameSync(temp, path);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // never created, or renamed already
    }
    throw fileError(error, path, 'write');
  }
  if (durable) await syncDirectory(dir);
  return { text, records };
}

/** Flushes a rename to disk. Windows cannot open a directory for fsync; the rename is still atomic. */
async function syncDirectory(dir: string): Promise<void> {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    await fsyncAsync(fd);
  } catch {
    // best effort: durability across a power loss, not atomicity
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
