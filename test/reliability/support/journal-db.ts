/**
 * Reading a journal from outside the engine (another connection, as support would): the
 * integrity check, rows by table, and a logical dump to compare before and after.
 */
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';

export const journalPath = (dataDir: string): string => join(dataDir, 'journal.sqlite');

/** Runs `fn` on a read-only connection to the journal in `dataDir`. */
export function withJournal<T>(dataDir: string, fn: (db: DatabaseSync) => T): T {
  const db = new DatabaseSync(journalPath(dataDir), { readOnly: true, timeout: 5000 });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

/** `PRAGMA integrity_check` verdicts ('ok' alone when sound). */
export function integrityCheck(dataDir: string): string[] {
  return withJournal(dataDir, (db) =>
    (db.prepare('PRAGMA integrity_check').all() as Array<Record<string, unknown>>).map((r) =>
      String(Object.values(r)[0]),
    ),
  );
}

/** Every row of the journal's tables, ordered, as JSON (for before/after comparisons). */
export function logicalDump(dataDir: string): string {
  return withJournal(dataDir, (db) => {
    const out: Record<string, unknown[]> = {};
    for (const [table, order] of [
      ['orders', 'id'],
      ['order_events', 'id'],
      ['operations', 'id'],
      ['sequences', 'name'],
    ] as const) {
      out[table] = db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).all();
    }
    // next_poll_at is the poller's schedule (a round moves it without changing the order).
    return JSON.stringify(out, (k, v: unknown) =>
      k === 'next_poll_at' ? undefined : typeof v === 'bigint' ? Number(v) : v,
    );
  });
}

/** Events of every order by kind (how often each kind was written). */
export function eventKindCounts(dataDir: string): Record<string, number> {
  return withJournal(dataDir, (db) => {
    const rows = db
      .prepare('SELECT kind, COUNT(*) AS n FROM order_events GROUP BY kind')
      .all() as Array<{ kind: string; n: number }>;
    return Object.fromEntries(rows.map((r) => [r.kind, Number(r.n)]));
  });
}
