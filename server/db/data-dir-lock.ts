import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The file that marks a PGlite data directory as open by one process. */
export const LOCK_FILE = 'doppel.lock';

/** Another live process holds the data directory; the message names it and says what to do. */
export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `The PGlite data directory ${dataDir} is in use by process ${holder.pid} (${holder.command}, since ${holder.since}). ` +
        'PGlite allows one process per directory: stop that process first, or use PostgreSQL (DATABASE_URL) for several.',
    );
  }
}

export interface LockHolder {
  pid: number;
  command: string;
  since: string;
}

export interface DataDirLock {
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(path: string): LockHolder | null {
  try {
    const holder = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    return Number.isInteger(holder.pid) ? (holder as LockHolder) : null;
  } catch {
    return null;
  }
}

/**
 * Takes the data directory for this process: creates the lock file atomically with this pid,
 * takes over a lock left by a process that is gone, and refuses one held by a live process
 * (this one included). The lock goes when released or when this process exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = join(dataDir, LOCK_FILE);
  const holder: LockHolder = {
    pid: process.pid,
    command: process.argv.slice(1).join(' '),
    since: new Date().toISOString(),
  };
  // Written whole under a private name, then linked into place: the link either succeeds or fails
  // with EEXIST, so no other process ever reads a half-written lock.
  const draft = `${path}.${process.pid}`;
  writeFileSync(draft, JSON.stringify(holder), { mode: 0o600 });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
      const current = readHolder(path);
      if (current && isAlive(current.pid)) throw new DataDirLockedError(dataDir, current);
      if (attempt > 0) {
        throw new Error(`Could not take the lock ${path}; if no process uses ${dataDir}, delete it.`);
      }
      // Left by a process that is gone (a crash or kill -9): take it over, once.
      rmSync(path, { force: true });
    }
  } finally {
    rmSync(draft, { force: true });
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    if (readHolder(path)?.pid === process.pid) unlinkSync(path);
  };
  process.on('exit', release);
  return { release };
}
