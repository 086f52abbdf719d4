// One server per data dir. Two servers on one SQLite file would each trust their own caches and
// both run the queued events, so the second is refused: the first holds an exclusive SQLite lock
// on `stagecraft.lock` for as long as it runs. The lock is the kernel's (fcntl), so a crash
// releases it with the process, and no stale lock file can keep a restarted server out.
// Holding it, a server may also remove what an earlier one left behind when it was killed.
import Database from 'better-sqlite3';
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { logger } from '../core/logger.js';

/** Why the data dir cannot be used, worded for the person who started the server. */
export class DataDirError extends Error {}

export interface DataDirClaim {
  release(): void;
}

const LOCK_FILE = 'stagecraft.lock';
const PID_FILE = 'stagecraft.pid';

export function claimDataDir(dataDir: string): DataDirClaim {
  checkWritable(dataDir);
  let lock: Database.Database;
  try {
    lock = new Database(join(dataDir, LOCK_FILE));
    lock.pragma('journal_mode = MEMORY'); // (no journal file beside it: the lock never writes)
    lock.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'SQLITE_BUSY') throw new DataDirError(`cannot lock the data dir ${dataDir}: ${(e as Error).message}`);
    const holder = readPid(dataDir);
    throw new DataDirError(`the data dir ${dataDir} is in use by another Stagecraft server${holder ? ` (pid ${holder})` : ''}: stop it, or pass another --data-dir`);
  }
  writeFileSync(join(dataDir, PID_FILE), `${process.pid}\n`);
  removeLeftovers(dataDir);
  return {
    release() {
      rmSync(join(dataDir, PID_FILE), { force: true });
      lock.close(); // (rolls back the empty transaction, which drops the lock)
    },
  };
}

function checkWritable(dataDir: string): void {
  try {
    mkdirSync(dataDir, { recursive: true });
    accessSync(dataDir, constants.W_OK);
    const probe = join(dataDir, `.write-probe-${process.pid}`);
    writeFileSync(probe, 'probe');
    rmSync(probe);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'EROFS' ? 'it is on a read-only file system'
      : err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 'its disk is full'
        : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied'
          : err.message;
    throw new DataDirError(`the data dir ${dataDir} is not writable (${why}): pass a writable --data-dir`);
  }
}

function readPid(dataDir: string): string | undefined {
  try {
    return /^\d+/.exec(readFileSync(join(dataDir, PID_FILE), 'utf8'))?.[0];
  } catch {
    return undefined;
  }
}

/**
 * What a killed server left: its environments' directories (named `{kind}-{pid}-{n}`), code it
 * was extracting (`.tmp-*`), zips it was writing (`*.tmp`) and blobs it was collecting (`.trash-*`). Nothing refers to them.
 */
function removeLeftovers(dataDir: string): void {
  const sweep = (dir: string, stale: (name: string) => boolean) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return; // not made yet
    }
    for (const name of names) {
      if (!stale(name)) continue;
      try {
        rmSync(join(dir, name), { recursive: true, force: true });
      } catch (e) {
        logger.warn('could not remove what an earlier server left in the data dir', { path: join(dir, name), error: (e as Error).message });
      }
    }
  };
  const own = `-${process.pid}-`;
  sweep(join(dataDir, 'environments'), (name) => /^(env|task|opt)-\d+-\d+$/.test(name) && !name.includes(own));
  sweep(join(dataDir, 'code', 'trees'), (name) => name.startsWith('.tmp-'));
  sweep(join(dataDir, 'code', 'zips'), (name) => name.endsWith('.tmp'));
  sweep(join(dataDir, 'code'), (name) => name.startsWith('.trash-'));
}
