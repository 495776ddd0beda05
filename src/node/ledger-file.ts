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
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
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
  if (typeof copy.expiresAt !== 'number' || !Number.isFinite(copy.expiresAt)) delete copy.expiresAt;
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

/** The records of the ledger at `path`; an empty map when the file does not exist yet. */
export async function readLedger(path: string): Promise<Map<string, SendRecord>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return new Map();
    throw fileError(error, path, 'read');
  }
  return parseLedger(text, path);
}

/** The text of a ledger file holding `records`. */
export function formatLedger(records: Iterable<SendRecord>): string {
  const lines = [...records].map((record) => JSON.stringify(record));
  return `{"format":${SEND_RECORD_FORMAT},"records":[${lines.length ? `\n${lines.join(',\n')}\n` : ''}]}\n`;
}

/** The owner that files written by root should keep: the directory's, so its user can still read them. */
async function ownerToKeep(dir: string): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const stats = await stat(dir);
  return stats.uid === 0 ? undefined : { uid: stats.uid, gid: stats.gid };
}

/**
 * Replaces the ledger at `path` with `records`: temporary file (mode 0600), fsync, rename, fsync of
 * the directory. `commit` runs just before the rename; when it answers false, nothing is replaced.
 */
export async function writeLedger(
  path: string,
  records: Iterable<SendRecord>,
  commit: () => Promise<boolean>,
): Promise<boolean> {
  const dir = dirname(path);
  const temp = `${path}.${randomUUID()}.tmp`;
  try {
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(formatLedger(records), 'utf8');
      const owner = await ownerToKeep(dir);
      if (owner) await file.chown(owner.uid, owner.gid);
      await file.sync();
    } finally {
      await file.close();
    }
    if (!(await commit())) return false;
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw fileError(error, path, 'write');
  }
  await syncDirectory(dir);
  return true;
}

/** Flushes a rename to disk. Windows cannot open a directory for fsync; the rename is still atomic. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort: durability across a power loss, not atomicity
  }
}
