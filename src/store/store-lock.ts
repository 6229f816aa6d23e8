/**
 * One writer per history file: `<file>.lock` holds the pid and host of the monitor that writes
 * the file. SQLite's own locks only serialise transactions; two monitors on one file would both
 * run and write each other's false verdicts, so a second one must refuse to start.
 *
 * The lock file is created atomically (written under a temporary name, then hard-linked to its
 * name, which fails if it exists). A lock left by a process of this host that no longer runs
 * (after SIGKILL or a power cut) is stale and taken over; a lock of another host (a shared
 * file system) is never taken over: the operator removes it.
 */
import { linkSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { StoreLockedError } from '../core/errors.js';

export interface StoreLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; later calls do nothing. */
  release(): void;
}

interface LockOwner {
  pid: number;
  host: string;
}

/** Takes the writer lock of the store file `dbPath`, or throws StoreLockedError. */
export function acquireStoreLock(dbPath: string): StoreLock {
  const lockPath = `${dbPath}.lock`;
  const me: LockOwner = { pid: process.pid, host: hostname() };
  // Two attempts: the second after moving a stale lock aside.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (tryCreate(lockPath, me)) return ownedLock(lockPath, me);
    const owner = readOwner(lockPath);
    if (owner === null) continue; // removed meanwhile, or unreadable garbage: try again
    if (owner.pid === me.pid && owner.host === me.host) {
      throw new StoreLockedError(dbPath, `history ${dbPath} is already open in this process`);
    }
    if (owner.host !== me.host) {
      throw new StoreLockedError(
        dbPath,
        `history ${dbPath} is locked by pid ${owner.pid} on host ${owner.host} (${lockPath}); remove the lock file if that monitor is gone`,
      );
    }
    if (isRunning(owner.pid)) {
      throw new StoreLockedError(
        dbPath,
        `history ${dbPath} is in use by another monitor (pid ${owner.pid}); one monitor per history file`,
      );
    }
    moveAside(lockPath, owner);
  }
  throw new StoreLockedError(dbPath, `history ${dbPath}: cannot take the lock ${lockPath}`);
}

function tryCreate(lockPath: string, me: LockOwner): boolean {
  const temporary = `${lockPath}.${me.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(me)}\n`);
  try {
    linkSync(temporary, lockPath);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function readOwner(lockPath: string): LockOwner | null {
  let text: string;
  try {
    text = readFileSync(lockPath, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string') {
      return { pid: parsed.pid, host: parsed.host };
    }
  } catch {
    // fall through: a torn or foreign file
  }
  // Not a lock we wrote: treat it as stale on this host (a crash while writing cannot leave
  // one, since the file is linked only once complete).
  return { pid: 0, host: hostname() };
}

function isRunning(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes a stale lock, after reading it once more: of two monitors that both found it stale,
 * the second must not remove the lock the first has just taken. (The window left between that
 * read and the rename is a few µs, for two monitors started at the same instant after a crash.)
 */
function moveAside(lockPath: string, owner: LockOwner): void {
  const again = readOwner(lockPath);
  if (again === null || again.pid !== owner.pid || again.host !== owner.host) return;
  const aside = `${lockPath}.stale-${process.pid}`;
  try {
    renameSync(lockPath, aside);
    unlinkSync(aside);
  } catch {
    // Another process moved it first.
  }
}

function ownedLock(lockPath: string, me: LockOwner): StoreLock {
  let released = false;
  return {
    path: lockPath,
    release() {
      if (released) return;
      released = true;
      const owner = readOwner(lockPath);
      if (owner !== null && owner.pid === me.pid && owner.host === me.host) {
        try {
          unlinkSync(lockPath);
        } catch {
          // Already gone.
        }
      }
    },
  };
}
