/**
 * The ledger's lock file: a lock left by a dead process, or an old one, is taken over; a live lock
 * is waited for and, past lockTimeout, fails closed with a typed error; garbage is swept.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  linkSync,
  readdirSync,
  readFileSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { FileLedgerError, FileSendLedger } from '../../src/node/index.js';
import {
  acquireLock,
  breakStale,
  COMMIT_WITHIN_MS,
  releaseLock,
  STALE_LOCK_MS,
  stillHeld,
  sweepGarbage,
} from '../../src/node/lock.js';
import { NOW, reservation, tempDir } from './support.js';

const rule = { now: NOW, cooldown: 60_000, force: false };

/** The pid of a process that has exited (and was reaped), so no process has it now. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

function lockAt(path: string, info: { pid: number; token: string; at: number }): void {
  writeFileSync(`${path}.lock`, JSON.stringify(info));
}

describe('FileSendLedger lock recovery', () => {
  it('takes over a lock whose holder is dead, at once', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    lockAt(path, { pid: await deadPid(), token: 'dead-holder', at: Date.now() });
    const ledger = new FileSendLedger({ path, lockTimeout: 60_000 });
    expect(await ledger.reserve('k', reservation('k', 'i'), rule)).toBeUndefined();
    expect(existsSync(`${path}.lock`)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(['ledger.json']);
  });

  it('takes over a lock older than STALE_LOCK_MS even when its pid is alive (pid reuse, a reboot)', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    lockAt(path, { pid: process.pid, token: 'old-holder', at: Date.now() - STALE_LOCK_MS - 1_000 });
    const ledger = new FileSendLedger({ path, lockTimeout: 60_000 });
    expect(await ledger.reserve('k', reservation('k', 'i'), rule)).toBeUndefined();
  });

  it('takes over an old lock file that does not parse, by its mtime', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    writeFileSync(`${path}.lock`, 'garbage');
    const old = new Date(Date.now() - STALE_LOCK_MS - 60_000);
    utimesSync(`${path}.lock`, old, old);
    const ledger = new FileSendLedger({ path, lockTimeout: 60_000 });
    expect(await ledger.reserve('k', reservation('k', 'i'), rule)).toBeUndefined();
  });

  it("never takes over a live holder's lock for being seconds old (a slow fsync, a VM pause, a clock step)", async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    for (const at of [Date.now() - 11_000, Date.now() + 11_000]) {
      lockAt(path, { pid: process.pid, token: 'live-holder', at });
      const ledger = new FileSendLedger({ path, lockTimeout: 100 });
      await expect(ledger.reserve('k', reservation('k', 'i'), rule)).rejects.toMatchObject({
        reason: 'locked',
      });
      expect(JSON.parse(readFileSync(`${path}.lock`, 'utf8'))).toMatchObject({ token: 'live-holder' });
      expect(existsSync(path)).toBe(false);
    }
  });

  it('waits for a live lock and fails closed after lockTimeout, naming the path and the holder', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    lockAt(path, { pid: process.pid, token: 'live-holder', at: Date.now() });
    const ledger = new FileSendLedger({ path, lockTimeout: 150 });
    const error = await ledger.reserve('k', reservation('k', 'i'), rule).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileLedgerError);
    expect(error).toMatchObject({
      reason: 'locked',
      path,
      operation: 'reserve',
      key: 'k',
      problem: 'failed',
    });
    expect((error as Error).message).toContain(`${path}.lock`);
    expect((error as Error).message).toContain(`pid ${process.pid}`);
    expect(existsSync(path)).toBe(false);
    // Reads need no lock.
    expect(await ledger.list()).toEqual([]);
  });

  it('a stale claim left by a dead claimer does not wedge the lock', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const dead = await deadPid();
    lockAt(path, { pid: dead, token: 'dead-holder', at: Date.now() });
    writeFileSync(
      `${path}.lock.claim-dead-holder`,
      JSON.stringify({ pid: dead, token: 'dead-claimer', at: Date.now() }),
    );
    const ledger = new FileSendLedger({ path, lockTimeout: 5_000 });
    expect(await ledger.reserve('k', reservation('k', 'i'), rule)).toBeUndefined();
    expect(existsSync(`${path}.lock`)).toBe(false);
  });

  it('a waiter that comes late to a stale lock another waiter removed never moves the new, live lock', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const lockPath = `${path}.lock`;
    const stale = { pid: await deadPid(), token: 'dead-holder', at: Date.now() };
    lockAt(path, stale);
    // The first waiter that saw it stale removes it; a new process takes the lock.
    breakStale(lockPath, lockPath, stale, 0);
    expect(existsSync(lockPath)).toBe(false);
    const live = await acquireLock(lockPath, path, 1_000);
    // A second waiter saw the same stale lock before all that and only now gets to break it. Moving
    // the live lock aside, even for microseconds, would fail its holder's commit check.
    let moved = 0;
    breakStale(lockPath, lockPath, stale, 0, () => moved++);
    expect(moved).toBe(0);
    expect(stillHeld(live)).toBe(true);
    expect(readdirSync(tmp.dir)).toEqual(['ledger.json.lock']);
    releaseLock(live);
  });

  it('a stale lock that a live process has claimed is waited for, within lockTimeout, without blocking', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const lockPath = `${path}.lock`;
    lockAt(path, { pid: await deadPid(), token: 'dead-holder', at: Date.now() });
    // A claimer that is alive and stays put (stopped mid-way, say): its claim is not stale.
    writeFileSync(
      `${lockPath}.claim-dead-holder`,
      JSON.stringify({ pid: process.pid, token: 'claimer', at: Date.now() }),
    );
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 1);
    try {
      const error = await acquireLock(lockPath, path, 200).catch((thrown: unknown) => thrown);
      expect(error).toMatchObject({ reason: 'locked' });
      // The message names the process in the way, the claimer, and the file to remove.
      expect(String((error as Error).message)).toContain(
        `is stale, but pid ${process.pid} is removing it (${lockPath}.claim-dead-holder)`,
      );
      expect(String((error as Error).message)).toMatch(/remove \S+\.claim-dead-holder$/);
    } finally {
      clearInterval(ticker);
    }
    // The wait yielded to the event loop (a synchronous retry loop would have starved the ticker).
    expect(ticks).toBeGreaterThan(0);
  });

  it('sweeps old temporary files and claims of locks that are gone, and nothing else', async () => {
    using tmp = tempDir();
    const path = join(tmp.dir, 'ledger.json');
    const old = new Date(Date.now() - 120_000);
    for (const name of ['ledger.json.abc.tmp', 'ledger.json.lock.claim-gone', 'other.json.x.tmp']) {
      writeFileSync(join(tmp.dir, name), '');
      utimesSync(join(tmp.dir, name), old, old);
    }
    writeFileSync(join(tmp.dir, 'ledger.json.fresh.tmp'), '');
    writeFileSync(path, '{"format":2,"records":[]}\n');
    await sweepGarbage(`${path}.lock`);
    expect(readdirSync(tmp.dir).sort()).toEqual(['ledger.json', 'ledger.json.fresh.tmp', 'other.json.x.tmp']);
  });
});

/** What another process does when it takes the lock over: whatever lock is there goes, its own comes. */
function takeOver(lockPath: string, token: string): void {
  try {
    unlinkSync(lockPath);
  } catch {
    // not there
  }
  writeFileSync(`${lockPath}.${token}.tmp`, JSON.stringify({ pid: process.pid, token, at: Date.now() }));
  linkSync(`${lockPath}.${token}.tmp`, lockPath);
  unlinkSync(`${lockPath}.${token}.tmp`);
}

const tokenAt = (lockPath: string) => JSON.parse(readFileSync(lockPath, 'utf8')).token as string;

describe("releasing the lock never removes another process's lock", () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('another process taking the lock in the middle of the release keeps it', async () => {
    using tmp = tempDir();
    const lockPath = join(tmp.dir, 'ledger.json.lock');
    const a = await acquireLock(lockPath, 'ledger.json', 1_000);
    releaseLock(a, () => takeOver(lockPath, 'b-token'));
    expect(tokenAt(lockPath)).toBe('b-token');
    expect(readdirSync(tmp.dir)).toEqual(['ledger.json.lock']);
  });

  it('a release after a takeover puts the other lock back; one taken meanwhile wins, and the displaced holder cannot commit', async () => {
    using tmp = tempDir();
    const lockPath = join(tmp.dir, 'ledger.json.lock');
    const a = await acquireLock(lockPath, 'ledger.json', 1_000);
    takeOver(lockPath, 'b-token');
    releaseLock(a);
    expect(tokenAt(lockPath)).toBe('b-token');
    const b = { path: lockPath, token: 'b-token', since: performance.now() };
    expect(stillHeld(b)).toBe(true);
    releaseLock(a, () => takeOver(lockPath, 'c-token'));
    expect(tokenAt(lockPath)).toBe('c-token');
    expect(stillHeld(b)).toBe(false);
    expect(readdirSync(tmp.dir)).toEqual(['ledger.json.lock']);
  });

  it('a holder may not commit once it has held its lock for half the stale limit, by the monotonic clock', async () => {
    using tmp = tempDir();
    const lockPath = join(tmp.dir, 'ledger.json.lock');
    const a = await acquireLock(lockPath, 'ledger.json', 1_000);
    expect(stillHeld(a)).toBe(true);
    const start = performance.now();
    vi.spyOn(performance, 'now').mockReturnValue(start + COMMIT_WITHIN_MS);
    expect(tokenAt(lockPath)).toBe(a.token);
    expect(stillHeld(a)).toBe(false);
  });
});
