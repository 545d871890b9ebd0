/**
 * One data folder, one process. Two processes on one folder (a second copy of the app, the
 * browser preview beside the app, two desks pointed at one network folder) would each recover
 * the other's in-flight sends and create them again, so whoever opens a data folder first
 * holds an exclusive OS-level lock on `<data>/paylink.lock` for as long as it runs, and takes
 * it BEFORE anything in the folder (journal, settings, logs, training/) is opened or created.
 *
 * Mechanism: node:sqlite, already the journal's engine, so no new native dependency. The lock
 * file is an (empty) SQLite database held with `PRAGMA locking_mode=EXCLUSIVE` and an open
 * `BEGIN EXCLUSIVE` transaction that is never committed. SQLite takes that lock with fcntl()
 * on POSIX and LockFileEx() on Windows, which the OS drops when the process ends in any way
 * (kill -9 included): there is never a stale lock to clean up, unlike a pid file or a lock
 * directory. SQLite also refuses a second connection from the SAME process (it tracks its own
 * locks per file), so a second acquire in one process is refused too. With a busy timeout of
 * 0 a refused opener fails at once and writes nothing.
 *
 * The lock file is never deleted (deleting it would let a newcomer lock a fresh file while
 * the holder still locks the old one). Nothing else in the process may open and close
 * `paylink.lock` by hand: POSIX drops a process's fcntl locks on a file when ANY descriptor of
 * it is closed.
 *
 * Only node: built-ins are imported, so Node can load this file as it is (tests run it in a
 * child process with plain `node`).
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** File name of the lock inside the data folder. */
export const LOCK_FILE = 'paylink.lock';

/** SQLITE_BUSY and SQLITE_LOCKED (primary codes): another connection holds the file. */
const BUSY_CODES = new Set([5, 6]);

/**
 * The folder is held by another process (or another acquire in this one). The message is the
 * plain English default (logs, developers); people see data-lock-text.ts's catalog words.
 */
export class DataFolderInUseError extends Error {
  readonly code = 'data_folder_in_use';
  /** The absolute path of the data folder, as named in the message. */
  readonly folder: string;
  constructor(folder: string) {
    super(
      `The data folder ${folder} is in use by another Paylink Desk (another copy of the app ` +
        'or the browser preview). Close that one first, or use a different data folder.',
    );
    this.name = 'DataFolderInUseError';
    this.folder = folder;
  }
}

/** A held lock. `release()` is idempotent; the OS releases it anyway when the process ends. */
export interface DataFolderLock {
  /** The absolute data folder. */
  readonly folder: string;
  /** The absolute path of the lock file. */
  readonly path: string;
  release(): void;
}

/**
 * Strong references to every held lock: a DatabaseSync that is garbage-collected is closed,
 * which would drop the lock silently while the holder still runs.
 */
const held = new Set<DatabaseSync>();

/**
 * Takes the data folder's lock, creating the folder and the empty lock file if needed.
 * Throws {@link DataFolderInUseError} (naming the folder) at once if another process, or
 * another unreleased acquire in this process, holds it; other failures (an unwritable folder)
 * are thrown as they are. On refusal nothing in the folder is created or changed.
 */
export function acquireDataFolderLock(dir: string): DataFolderLock {
  const folder = resolve(dir);
  const path = join(folder, LOCK_FILE);
  mkdirSync(folder, { recursive: true });
  const db = new DatabaseSync(path);
  try {
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('PRAGMA locking_mode = EXCLUSIVE');
    // No rollback-journal file beside the lock: the transaction never writes anyway.
    db.exec('PRAGMA journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
  } catch (e) {
    db.close();
    if (isBusy(e)) throw new DataFolderInUseError(folder);
    throw e;
  }
  held.add(db);
  let released = false;
  return {
    folder,
    path,
    release() {
      if (released) return;
      released = true;
      held.delete(db);
      db.close();
    },
  };
}

/** SQLITE_BUSY/LOCKED by code, or by SQLite's own words where a runtime gives no errcode. */
function isBusy(e: unknown): boolean {
  const { errcode, message } = (e ?? {}) as { errcode?: unknown; message?: unknown };
  if (typeof errcode === 'number') return BUSY_CODES.has(errcode & 0xff);
  return typeof message === 'string' && /database (table )?is locked/.test(message);
}
