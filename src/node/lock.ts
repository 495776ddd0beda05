/**
 * A lock file that survives a SIGKILLed holder. Node has no `flock`, so the lock is a file created
 * exclusively: its content (pid, a random token, the time) is written to a temporary file first and
 * hard-linked into place, so the lock never exists half-written.
 *
 * A holder killed inside its critical section leaves the lock behind. It is stale at once when its pid
 * is no longer alive on this host, and only after {@link STALE_LOCK_MS} (minutes) when its pid is
 * alive (a reused pid, a lock from before a reboot). A live holder is never judged by a short
 * wall-clock age: a clock step, a VM pause or a slow fsync under load would let a second process in.
 * Taking over a stale lock is the classic race of lock files (two waiters see the same stale lock;
 * one removes it and takes a new lock, the other then removes that new lock: npm/lockfile#4,
 * moxystudio/node-proper-lockfile#121). Here a stale lock is removed only by the one process that
 * exclusively creates `<lock>.claim-<token>`, named after the stale lock's token, and only if the
 * token is still the same (see {@link breakStale}); a dead claimer's claim goes stale in turn.
 *
 * Removing "the lock if it still has token T" is never a read followed by an unlink (another process's
 * fresh lock can arrive between the two calls, and the unlink would delete it: seen in a review). The
 * lock is first renamed aside to a unique name (atomic: whatever lock was there is now out of the way
 * and no one else can touch it), then the token is read from there: ours is unlinked, anyone else's
 * is put back with an exclusive hard link. If a new lock was taken in the microseconds it was aside,
 * the one put aside cannot come back, and its holder sees that in its commit check below.
 *
 * The lock's system calls are synchronous (metadata operations of microseconds; a thread-pool round
 * trip cost more than the call on a loaded machine, bench/ledger.ts); only the waits yield.
 *
 * A holder commits only while its lock is its own and younger than half of {@link STALE_LOCK_MS} by
 * the monotonic clock (`performance.now()`, which neither clock steps nor a suspended VM's catch-up
 * move): a holder that stalled that long gives up and writes nothing, well before any other process
 * may judge its lock stale. The remaining window: another process takes over a live holder's lock only
 * when the wall clock says it is older than {@link STALE_LOCK_MS}; a wall-clock step forward of more
 * than half that limit while a holder works is the one case left where two could both decide, and the
 * loser's commit check still catches it unless it falls between the check and the rename.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import {
  linkSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { errorCode, FileLedgerError } from './errors.js';

/**
 * A lock older than this (wall clock) is stale even when its pid is alive (pid reuse, a reboot). A
 * holder commits only within half of it, by the monotonic clock: {@link COMMIT_WITHIN_MS}.
 */
export const STALE_LOCK_MS = 5 * 60_000;
/** A holder writes only while its lock is younger than this (monotonic ms); see {@link stillHeld}. */
export const COMMIT_WITHIN_MS = STALE_LOCK_MS / 2;
/** Leftover temporary and claim files older than this are removed. */
const GARBAGE_MS = 60_000;

/** What a lock file holds. */
export interface LockInfo {
  pid: number;
  token: string;
  at: number; // when the lock was taken, epoch ms
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string;
  readonly token: string;
  readonly since: number; // performance.now() when the lock was taken
}

function newInfo(): LockInfo {
  return { pid: process.pid, token: randomUUID(), at: Date.now() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user (root's cron job and a person's shell).
    return errorCode(error) === 'EPERM';
  }
}

/**
 * Whether the lock `info` may be taken over. `Math.abs`: a lock stamped in the future (the clock was
 * set back) must still go stale one day when its pid was reused; the limit is minutes, so only a step
 * of minutes makes a live holder's lock look stale, and that holder stopped committing long before.
 */
function isStale(info: LockInfo, now: number): boolean {
  return !alive(info.pid) || Math.abs(now - info.at) > STALE_LOCK_MS;
}

/** Creates `path` holding `info`, atomically and only if it does not exist. */
function createExclusive(path: string, info: LockInfo): boolean {
  const temp = `${path}.${info.token}.tmp`;
  // 0644: a person's shell must be able to read the pid in a lock left by root's cron job.
  writeFileSync(temp, JSON.stringify(info), { mode: 0o644, flag: 'wx' });
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(temp);
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/**
 * The lock at `path`, or undefined when there is none. A file that does not parse (written by hand)
 * gets an identity from its inode and mtime, and its mtime as its age, so it can still go stale.
 */
function readLock(path: string): LockInfo | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = JSON.parse(text) as Partial<LockInfo>;
    if (typeof info.pid === 'number' && typeof info.token === 'string' && typeof info.at === 'number') {
      return { pid: info.pid, token: info.token.replace(/[^\w-]/g, ''), at: info.at };
    }
  } catch {
    // fall through: identify it by inode and mtime
  }
  try {
    const stats = statSync(path, { bigint: true });
    return { pid: 0, token: `ino${stats.ino}-${stats.mtimeNs}`, at: Number(stats.mtimeMs) };
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes the lock file `path` only if it holds `token`: renames it aside first, so that a lock another
 * process creates meanwhile is never the one removed; a lock that is not `token`'s is put back.
 * `interleave` runs right after the rename (tests replay another process's step there).
 */
export function removeIfToken(lockPath: string, path: string, token: string, interleave?: () => void): void {
  // Ends in .tmp and starts with the ledger's name: sweepGarbage removes it if this process dies here.
  const aside = `${lockPath}.aside-${randomUUID()}.tmp`;
  try {
    renameSync(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return;
    throw error;
  }
  try {
    interleave?.();
    if (readLock(aside)?.token === token) return;
    try {
      linkSync(aside, path);
    } catch (error) {
      // EEXIST: a new lock was taken while this one was aside. Its holder's commit check fails.
      if (errorCode(error) !== 'EEXIST') throw error;
    }
  } finally {
    unlinkQuietly(aside);
  }
}

/**
 * Removes `path` if it still holds the stale lock `stale`; `depth` bounds claims of claims.
 * Several waiters can see the same stale lock; one removes it, and a new, live lock may come before
 * a slower one gets here. That one must not move the live lock aside even for microseconds (its
 * holder's commit check would find no lock: seen as "lost the lock" under load), so the lock is read
 * again under the claim first. `interleave` is for tests.
 */
export function breakStale(
  lockPath: string,
  path: string,
  stale: LockInfo,
  depth: number,
  interleave?: () => void,
): void {
  const claimPath = `${lockPath}.claim-${stale.token}`;
  if (createExclusive(claimPath, newInfo())) {
    try {
      if (readLock(path)?.token === stale.token) removeIfToken(lockPath, path, stale.token, interleave);
    } finally {
      unlinkQuietly(claimPath);
    }
    sweepGarbage(lockPath);
    return;
  }
  // Another process is removing it. If that claimer died mid-way, its claim is stale in turn.
  const claimer = readLock(claimPath);
  if (claimer && depth < 4 && isStale(claimer, Date.now()))
    breakStale(lockPath, claimPath, claimer, depth + 1);
}

/**
 * Removes temporary files and claims left by killed processes: old `.tmp` files beside the ledger,
 * and old claims of locks that are gone (a claim is held for a few system calls).
 */
export function sweepGarbage(lockPath: string): void {
  const ledgerName = basename(lockPath).replace(/\.lock$/, '');
  const dir = dirname(lockPath);
  const now = Date.now();
  let current: LockInfo | undefined;
  let names: string[];
  try {
    current = readLock(lockPath);
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(`${ledgerName}.`)) continue;
    const claim = /\.claim-([\w-]+)$/.exec(name);
    const garbage = name.endsWith('.tmp') || (claim !== null && claim[1] !== current?.token);
    if (!garbage) continue;
    const file = join(dir, name);
    try {
      if (now - statSync(file).mtimeMs > GARBAGE_MS) unlinkSync(file);
    } catch {
      // gone already, or not ours to remove: harmless
    }
  }
}

/**
 * Takes the lock at `lockPath`, waiting while a live process holds it and taking over a stale one.
 *
 * @param ledgerPath - the ledger file, for error messages.
 * @param timeout - how long to wait (ms) before failing with a `locked` {@link FileLedgerError}.
 */
export async function acquireLock(lockPath: string, ledgerPath: string, timeout: number): Promise<HeldLock> {
  const started = Date.now();
  let wait = 1;
  for (;;) {
    const info = newInfo();
    if (createExclusive(lockPath, info))
      return { path: lockPath, token: info.token, since: performance.now() };
    const holder = readLock(lockPath);
    if (!holder) continue;
    if (isStale(holder, Date.now())) {
      breakStale(lockPath, lockPath, holder, 0);
      // Gone: take it at once. Still there (another process's claim on it): wait, within the timeout.
      if (readLock(lockPath)?.token !== holder.token) continue;
    }
    if (Date.now() - started > timeout) {
      // A stale lock still there is held up by the process that claimed it: name that one.
      const claim = `${lockPath}.claim-${holder.token}`;
      const claimer = isStale(holder, Date.now()) ? readLock(claim) : undefined;
      const state = claimer
        ? `is stale, but pid ${claimer.pid} is removing it (${claim})`
        : `is held by pid ${holder.pid}`;
      throw new FileLedgerError(
        'locked',
        ledgerPath,
        `timed out after ${timeout} ms waiting for the lock ${lockPath} of the send ledger ${ledgerPath}, which ${state}; ` +
          `nothing was sent. If no ssl-orders process is running, remove ${claimer ? claim : lockPath}`,
      );
    }
    await delay(wait + Math.random() * wait);
    wait = Math.min(wait * 2, 16);
  }
}

/**
 * Whether the holder of `lock` may still commit: the lock file still holds its token, and it was taken
 * less than {@link COMMIT_WITHIN_MS} ago by the monotonic clock (so no other process can have judged
 * it stale yet, whatever the wall clock did).
 */
export function stillHeld(lock: HeldLock): boolean {
  if (performance.now() - lock.since >= COMMIT_WITHIN_MS) return false;
  return readLock(lock.path)?.token === lock.token;
}

/**
 * Releases `lock` if the lock file still holds it; never removes another process's lock (see
 * {@link removeIfToken}). `interleave` is for tests.
 */
export function releaseLock(lock: HeldLock, interleave?: () => void): void {
  try {
    removeIfToken(lock.path, lock.path, lock.token, interleave);
  } catch {
    // Not removable (the directory became read-only): the lock goes stale with this process.
  }
}
