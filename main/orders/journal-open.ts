/**
 * Opening the journal safely.
 *
 * The journal is the only record of orders that have not reached Dintero yet, so a journal
 * that cannot be trusted is never wiped, replaced or "repaired" automatically: starting on an
 * empty journal would let the desk carry on as if those orders never existed. Instead:
 *
 * - the file stays exactly where it is, untouched (next start finds the same problem);
 * - an intact copy (with its -wal/-shm companions) is saved beside it as
 *   `journal.sqlite.broken-<timestamp>` so support has evidence even if someone deletes it;
 * - the caller gets a plain message naming both, and the engine stops sending until a person
 *   resolves it.
 *
 * A brand-new journal is built under a temporary name and renamed into place only once its
 * schema is complete, so an existing `journal.sqlite` that is empty or has no SQLite header
 * can only mean damage, never "a first start that crashed half way".
 */
import { english } from '../../common/i18n';
import { msg, type Message } from '../../common/i18n/messages';
import { DatabaseSync } from 'node:sqlite';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS, SCHEMA_VERSION } from './journal-schema';

/** File name of the journal inside the data folder. */
export const JOURNAL_FILE = 'journal.sqlite';

/** How long a write waits for another connection's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Journals up to this size (main file + WAL) are checked with PRAGMA quick_check as they are
 * opened (a few milliseconds per megabyte); a larger one is opened at once and checked by the
 * journal's helper thread right after (journal-helper.ts), so a start never reads the whole
 * file on the main thread. 8 MiB is some five thousand orders.
 */
export const INLINE_CHECK_MAX_BYTES = 8 * 2 ** 20;

/** Result of {@link openJournalDatabase}. */
export type JournalOpenResult =
  | {
      ok: true;
      db: DatabaseSync;
      path: string;
      migratedFrom: number;
      /** The integrity check was not run (a large file): run it off the main thread. */
      checkDeferred: boolean;
    }
  | { ok: false; path: string; problem: Message; backup?: string };

/** Options of {@link openJournalDatabase}. */
export interface JournalOpenOptions {
  /** Largest journal checked inline (default {@link INLINE_CHECK_MAX_BYTES}). */
  inlineCheckMaxBytes?: number;
}

const SQLITE_HEADER = 'SQLite format 3\u0000';

/** Why a journal cannot be used, as a catalog message (its English words are Error.message). */
class JournalDamage extends Error {
  constructor(readonly reason: Message) {
    super(english(reason));
  }
}

/** Opens (or creates) `${dataDir}/journal.sqlite`, checked and migrated, or says why not. */
export function openJournalDatabase(
  dataDir: string,
  now: () => number,
  opts: JournalOpenOptions = {},
): JournalOpenResult {
  const path = join(dataDir, JOURNAL_FILE);
  try {
    mkdirSync(dataDir, { recursive: true });
    if (!existsSync(path)) {
      if (existsSync(`${path}-wal`)) {
        throw new JournalDamage(msg('banner.journalWalOnly'));
      }
      createFresh(path);
    }
    checkHeader(path);
    const inlineCheck = journalBytes(path) <= (opts.inlineCheckMaxBytes ?? INLINE_CHECK_MAX_BYTES);
    const db = openChecked(path, inlineCheck);
    const migratedFrom = migrate(db);
    return { ok: true, db, path, migratedFrom, checkDeferred: !inlineCheck };
  } catch (err) {
    const reason =
      err instanceof JournalDamage || err instanceof NewerJournal
        ? err.reason
        : msg('banner.journalUnreadable', { detail: describe(err) });
    const backup = err instanceof NewerJournal ? undefined : copyAside(path, now());
    return { ok: false, path, problem: problemMessage(path, reason, backup, err), backup };
  }
}

class NewerJournal extends JournalDamage {}

/** The banner: which file, why, that sending is stopped, and where the intact copy is. */
function problemMessage(
  path: string,
  reason: Message,
  backup: string | undefined,
  err: unknown,
): Message {
  if (err instanceof NewerJournal)
    return msg('banner.journalFromNewer', { path, why: { text: reason } });
  return backup
    ? msg('banner.journalKeptCopy', { path, why: { text: reason }, backup })
    : msg('banner.journalKept', { path, why: { text: reason } });
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${err.message}` : err.message;
  }
  return String(err);
}

/** Builds a new journal under a temporary name, then renames it into place. */
function createFresh(path: string): void {
  const tmp = `${path}.new`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  const db = new DatabaseSync(tmp, {
    timeout: BUSY_TIMEOUT_MS,
    enableForeignKeyConstraints: true,
  });
  try {
    applyPragmas(db);
    migrate(db);
  } finally {
    db.close();
  }
  // A clean close checkpoints and removes the -wal file, so the main file is complete.
  renameSync(tmp, path);
}

function checkHeader(path: string): void {
  const size = statSync(path).size;
  if (size === 0) throw new JournalDamage(msg('banner.journalEmpty'));
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(16);
    const n = readSync(fd, buf, 0, 16, 0);
    if (n < 16 || buf.toString('latin1') !== SQLITE_HEADER) {
      throw new JournalDamage(msg('banner.journalNotSqlite'));
    }
  } finally {
    closeSync(fd);
  }
}

/** Size of the journal and its WAL (what a check reads). */
function journalBytes(path: string): number {
  const wal = `${path}-wal`;
  return statSync(path).size + (existsSync(wal) ? statSync(wal).size : 0);
}

/**
 * The banner for a journal whose deferred integrity check failed (the helper thread's
 * quick_check): an intact copy is saved beside it first, as for a check at open.
 */
export function integrityProblem(
  path: string,
  detail: string,
  at: number,
): {
  problem: Message;
  backup?: string;
} {
  const reason = msg('banner.journalIntegrity', { detail });
  const backup = copyAside(path, at);
  return {
    problem: problemMessage(path, reason, backup, new JournalDamage(reason)),
    ...(backup !== undefined ? { backup } : {}),
  };
}

function openChecked(path: string, inlineCheck: boolean): DatabaseSync {
  const db = new DatabaseSync(path, {
    timeout: BUSY_TIMEOUT_MS,
    enableForeignKeyConstraints: true,
  });
  try {
    const version = userVersion(db);
    if (version > SCHEMA_VERSION) {
      throw new NewerJournal(msg('banner.journalNewer', { version, supported: SCHEMA_VERSION }));
    }
    if (inlineCheck) {
      const rows = db.prepare('PRAGMA quick_check').all() as Array<Record<string, unknown>>;
      const verdicts = rows.map((r) => String(Object.values(r)[0]));
      if (verdicts.length !== 1 || verdicts[0] !== 'ok') {
        throw new JournalDamage(
          msg('banner.journalIntegrity', { detail: verdicts.slice(0, 3).join('; ') }),
        );
      }
    } else {
      // Reads the schema (a damaged first page or schema fails here); the rest is checked
      // off the main thread right after.
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    applyPragmas(db);
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

function applyPragmas(db: DatabaseSync): void {
  const mode = db.prepare('PRAGMA journal_mode = WAL').get() as { journal_mode?: string };
  if (mode.journal_mode !== 'wal') {
    throw new JournalDamage(msg('banner.journalNoWal', { mode: String(mode.journal_mode) }));
  }
  db.exec('PRAGMA synchronous = FULL');
  // What a delete or an update frees is overwritten with zeros, not left in the file: an
  // erased customer is gone from journal.sqlite once the WAL is copied back and emptied.
  db.exec('PRAGMA secure_delete = ON');
  db.exec('PRAGMA foreign_keys = ON');
  db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
}

function userVersion(db: DatabaseSync): number {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number };
  return row.user_version;
}

/** Applies every migration the journal lacks, each in its own transaction. */
function migrate(db: DatabaseSync): number {
  const start = userVersion(db);
  for (const m of MIGRATIONS) {
    if (m.version <= userVersion(db)) continue;
    db.exec('BEGIN IMMEDIATE');
    try {
      db.exec(m.sql);
      db.exec(`PRAGMA user_version = ${m.version}`);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw err;
    }
  }
  // Journals written before PRAGMA secure_delete (migration 12) may hold stale copies of
  // customer data in free pages: rewritten once, without them (seconds at a million orders,
  // once, at the upgrade). From then on every freed page is zeroed as it is freed.
  if (start > 0 && start < SECURE_DELETE_SINCE) db.exec('VACUUM');
  return start;
}

/** The schema version from which the journal is written with PRAGMA secure_delete on. */
const SECURE_DELETE_SINCE = 12;

/** Copies the journal and its companions aside, untouched; returns the copy's path. */
function copyAside(path: string, at: number): string | undefined {
  if (!existsSync(path)) return undefined;
  const stamp = new Date(at)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  let backup = `${path}.broken-${stamp}`;
  for (let i = 2; existsSync(backup); i++) backup = `${path}.broken-${stamp}-${i}`;
  try {
    copyFileSync(path, backup);
    for (const suffix of ['-wal', '-shm']) {
      if (existsSync(path + suffix)) copyFileSync(path + suffix, backup + suffix);
    }
    return backup;
  } catch {
    return undefined;
  }
}
