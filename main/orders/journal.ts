/**
 * The order journal: node:sqlite (WAL, synchronous=FULL) at `${dataDir}/journal.sqlite`.
 *
 * Promises:
 * - every change of an order is ONE `BEGIN IMMEDIATE … COMMIT` transaction that updates the
 *   row, appends its timeline/audit event(s) and, for money operations, writes the intent;
 * - every state change is checked against the state machine (common/order-state.ts) inside that
 *   transaction, against the row as it is on disk at that moment (not a stale copy);
 * - when a method returns, the change is on disk (synchronous=FULL): a crash after that
 *   loses nothing. The one exception is a write that only moves poll times (claimPolls,
 *   schedulePolls): a power cut may undo it, which makes its orders due again, nothing more.
 * Checkpoints (copying the WAL back into the file) run on the helper thread once the engine
 * starts it (journal-helper.ts), so a commit on main only appends to the WAL.
 * node:sqlite is synchronous, so inside one process a transaction can never interleave with
 * another piece of the engine; the IMMEDIATE lock and busy timeout cover other processes.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import {
  ERASED_PHONE,
  type MoneyOperationKind,
  type OrderEvent,
  type OrderState,
} from '../../common/domain';
import type { Message } from '../../common/i18n/messages';
import { eraseFromStored, type CustomerData } from './customer-data';
import { JournalHelper, MAIN_AUTOCHECKPOINT_PAGES, type IntegrityVerdict } from './journal-helper';
import { openJournalDatabase, type JournalOpenOptions } from './journal-open';
import { COLUMNS, eventFromDbRow, fromDbRow, toColumnValue, type OrderRow } from './order-row';
import {
  readBoardPage,
  searchFunction,
  type BoardPageQuery,
  type BoardPageRows,
} from './board-page';
import {
  DEFAULT_POLL_TIMING,
  isFollowed,
  nextPollAfterWrite,
  type PollTiming,
  type ScheduledOrder,
} from './poll-schedule';
import { transition, type StateEvent } from '../../common/order-state';

/** One line for the order's timeline (and audit trail). */
export interface EventInput {
  kind: string;
  /** Terminal name, or 'system' / 'dintero'. */
  actor: string;
  /**
   * What happened, as a catalog message (key + parameters) the screen shows in the desk's
   * language; parameters never carry a full phone number or a secret.
   */
  message?: Message;
  amount?: number;
}

/** Where a money operation stands. */
export type OperationState = 'requested' | 'sent' | 'accepted' | 'done' | 'failed' | 'unknown';

/** A money operation intent, written before Dintero is called. */
export interface OperationRow {
  id: string;
  orderId: string;
  kind: MoneyOperationKind;
  amount?: number;
  /** Our capture_reference / refund_reference; unique across the journal. */
  reference: string;
  state: OperationState;
  /** From a 202 answer: the event to watch for (correlation_request_id). */
  eventRequestId?: string;
  actor: string;
  reason?: string;
  error?: string;
  /** JSON of what the operation needs to be finished after a crash (resend: the delivery). */
  params?: string;
  createdAt: string;
  updatedAt: string;
}

/** Fields an order change may set (identity and bookkeeping are the journal's). */
export type OrderPatch = Partial<
  Omit<OrderRow, 'id' | 'merchantReference' | 'state' | 'version' | 'createdAt' | 'updatedAt'>
>;

/** What one transaction does to one order. */
export interface OrderChange {
  /** State-machine event; refused (the whole change is) when illegal from the current state. */
  event?: StateEvent;
  patch?: OrderPatch;
  /** Fields to set back to NULL. */
  clear?: Array<keyof OrderRow>;
  /** Timeline lines; the first carries the state move when there is one. */
  events?: EventInput[];
  insertOperation?: OperationRow;
  updateOperation?: { id: string; patch: Partial<Omit<OperationRow, 'id' | 'orderId'>> };
}

/** Before and after of a committed change. */
export interface ChangeResult {
  before: OrderRow;
  after: OrderRow;
}

/** Filter for {@link Journal.list}. */
export interface ListQuery {
  states?: readonly OrderState[];
  /** ISO date-times (any offset) bounding createdAt. */
  from?: string;
  to?: string;
  limit?: number;
}

/** Which orders {@link Journal.eraseCustomerData} erases. */
export interface EraseQuery {
  /** States whose orders are erased once last changed before `before` (ISO). */
  states: readonly OrderState[];
  before: string;
  /** States erased only once last changed before `lateBefore` (ISO; their grace is over). */
  lateStates: readonly OrderState[];
  lateBefore: string;
  /** Epoch ms: a duplicate watch running past it keeps the order. */
  now: number;
}

/** Thrown when a change is refused by the state machine. */
export class IllegalTransition extends Error {
  override readonly name = 'IllegalTransition';
}

const ORDER_FIELDS = Object.keys(COLUMNS) as Array<keyof OrderRow>;

/** What a poll round needs of an order to schedule and read it (a light read of the row). */
export type PollRow = ScheduledOrder & Pick<OrderRow, 'id' | 'nextPollAt'>;

const POLL_FIELDS: ReadonlyArray<keyof PollRow> = [
  'id',
  'state',
  'sessionId',
  'transactionId',
  'pendingOp',
  'createdAt',
  'updatedAt',
  'expiresAt',
  'linkLifetimeHours',
  'nextPollAt',
];
const POLL_COLUMNS = POLL_FIELDS.map((f) => COLUMNS[f]);

/** A light row of {@link Journal.claimPolls} (NULL columns become absent fields). */
function pollRowFromDb(raw: Record<string, unknown>): PollRow {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < POLL_FIELDS.length; i++) {
    const v = raw[POLL_COLUMNS[i]!];
    if (v !== null && v !== undefined) out[POLL_FIELDS[i]!] = typeof v === 'bigint' ? Number(v) : v;
  }
  return out as unknown as PollRow;
}

const OP_COLUMNS: Readonly<Record<keyof OperationRow, string>> = {
  id: 'id',
  orderId: 'order_id',
  kind: 'kind',
  amount: 'amount',
  reference: 'reference',
  state: 'state',
  eventRequestId: 'event_request_id',
  actor: 'actor',
  reason: 'reason',
  error: 'error',
  params: 'params',
  createdAt: 'created_at',
  updatedAt: 'updated_at',
};

function opFromDbRow(raw: Record<string, unknown>): OperationRow {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(OP_COLUMNS)) {
    const v = raw[column];
    if (v !== null && v !== undefined) out[field] = v;
  }
  return out as unknown as OperationRow;
}

/** Result of {@link Journal.open}: a journal, or the plain-language reason there is none. */
export type JournalOpen =
  | {
      ok: true;
      journal: Journal;
      migratedFrom: number;
      /** Too large to check as it opened: check it off the main thread (startHelper().check()). */
      checkDeferred: boolean;
    }
  | { ok: false; path: string; problem: Message; backup?: string };

/** The durable record of every order. Construct with {@link Journal.open}. */
export class Journal {
  private closed = false;

  private constructor(
    private readonly db: DatabaseSync,
    /** Path of journal.sqlite. */
    readonly path: string,
    private readonly now: () => number,
  ) {
    searchFunction(db);
  }

  /** The poll timing next_poll_at is computed with on each write (the engine's, see followWith). */
  private pollTiming: PollTiming = DEFAULT_POLL_TIMING;

  /** Sets the poll timing every later write schedules the order's next read with. */
  followWith(t: PollTiming): void {
    this.pollTiming = {
      pollFastMs: t.pollFastMs,
      pollSlowMs: t.pollSlowMs,
      lateGraceMs: t.lateGraceMs,
    };
  }

  /** Prepared statements by SQL text: a busy read (a day's 5,000 orders) prepares each once. */
  private readonly statements = new Map<string, StatementSync>();

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (statement === undefined) {
      // Lists of states make a few shapes of SQL; the bound keeps odd ones from piling up.
      if (this.statements.size >= 200) this.statements.clear();
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Opens, checks and migrates the journal in `dataDir`; never replaces a damaged one. */
  static open(
    dataDir: string,
    now: () => number = Date.now,
    opts: JournalOpenOptions = {},
  ): JournalOpen {
    const r = openJournalDatabase(dataDir, now, opts);
    if (!r.ok) return r;
    return {
      ok: true,
      journal: new Journal(r.db, r.path, now),
      migratedFrom: r.migratedFrom,
      checkDeferred: r.checkDeferred,
    };
  }

  /** The helper thread, once started. */
  private helper: JournalHelper | undefined;

  /**
   * Moves the WAL's checkpoints to a helper thread (journal-helper.ts): from now on this
   * connection's commits only append to the WAL, and checkpoint by themselves only if the WAL
   * grows past MAIN_AUTOCHECKPOINT_PAGES (the helper gone). The engine starts it; a journal
   * opened alone (tests, tools) checkpoints as SQLite does by default. Idempotent.
   */
  startHelper(onError?: (message: string) => void): JournalHelper | undefined {
    if (this.closed) throw new Error('journal: closed');
    if (!this.helper) {
      try {
        this.helper = new JournalHelper(this.path, onError ? { onError } : {});
      } catch (err) {
        // No thread to be had: checkpoints stay with this connection, as SQLite does them.
        onError?.(err instanceof Error ? err.message : String(err));
        return undefined;
      }
      this.db.exec(`PRAGMA wal_autocheckpoint = ${MAIN_AUTOCHECKPOINT_PAGES}`);
    }
    return this.helper;
  }

  /**
   * PRAGMA quick_check on this connection (reads the whole file: the fallback when the helper
   * thread cannot check a large journal).
   */
  quickCheck(): IntegrityVerdict {
    let verdicts: string[];
    try {
      verdicts = this.db
        .prepare('PRAGMA quick_check')
        .all()
        .map((r) => String(Object.values(r)[0]));
    } catch (err) {
      // SQLite may refuse to read a damaged page at all.
      verdicts = [err instanceof Error ? err.message : String(err)];
    }
    return verdicts.length === 1 && verdicts[0] === 'ok'
      ? { ok: true }
      : { ok: false, detail: verdicts.slice(0, 3).join('; ') };
  }

  /** True once closed; every method then throws. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Closes the connection (a clean close checkpoints the WAL). Idempotent. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    // The helper's connection first: this one, closing last, checkpoints and removes the WAL.
    this.helper?.close();
    this.db.close();
  }

  private nowIso(): string {
    return new Date(this.now()).toISOString();
  }

  /** Runs `fn` in one BEGIN IMMEDIATE transaction; rolls back if it throws. Not reentrant. */
  transaction<T>(fn: () => T): T {
    if (this.db.isTransaction) throw new Error('journal: nested transaction');
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = fn();
      this.db.exec('COMMIT');
      return result;
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** One order by id. */
  get(id: string): OrderRow | undefined {
    const raw = this.sql('SELECT * FROM orders WHERE id = ?').get(id);
    return raw ? fromDbRow(raw) : undefined;
  }

  /** One order by its merchant reference. */
  getByReference(reference: string): OrderRow | undefined {
    const raw = this.sql('SELECT * FROM orders WHERE merchant_reference = ?').get(reference);
    return raw ? fromDbRow(raw) : undefined;
  }

  /**
   * Which of `sessionIds` and `transactionIds` some order of the journal already holds
   * (indexed; the store's board asks before importing another desk's orders).
   */
  knownIds(
    sessionIds: readonly string[],
    transactionIds: readonly string[],
  ): { sessions: Set<string>; transactions: Set<string> } {
    const sessions = new Set<string>();
    const transactions = new Set<string>();
    for (const id of sessionIds) {
      if (this.sql('SELECT 1 FROM orders WHERE session_id = ?').get(id)) sessions.add(id);
    }
    for (const id of transactionIds) {
      if (this.sql('SELECT 1 FROM orders WHERE transaction_id = ?').get(id)) transactions.add(id);
    }
    return { sessions, transactions };
  }

  /** A small named value this desk keeps (desk_state), or undefined. */
  deskValue(name: string): string | undefined {
    const row = this.sql('SELECT value FROM desk_state WHERE name = ?').get(name);
    return row ? String(row.value) : undefined;
  }

  /** Sets a named value (its own write; durable like every journal write). */
  setDeskValue(name: string, value: string): void {
    this.sql(
      `INSERT INTO desk_state (name, value) VALUES (?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value`,
    ).run(name, value);
  }

  /**
   * Applies one change to one order in its own transaction. `decide` sees the row as it is on
   * disk inside the transaction and returns the change, or undefined to leave it alone.
   */
  change(id: string, decide: (row: OrderRow) => OrderChange | undefined): ChangeResult | undefined {
    return this.transaction(() => this.applyChange(id, decide));
  }

  /** The body of {@link change}, for use inside a larger {@link transaction}. */
  applyChange(
    id: string,
    decide: (row: OrderRow) => OrderChange | undefined,
  ): ChangeResult | undefined {
    if (!this.db.isTransaction) throw new Error('journal: applyChange outside a transaction');
    const before = this.get(id);
    if (!before) return undefined;
    const change = decide(before);
    if (!change) return undefined;
    let state = before.state;
    if (change.event) {
      const t = transition(before.state, change.event);
      if (!t.ok) throw new IllegalTransition(t.reason);
      state = t.state;
    }
    const at = this.nowIso();
    const sets: string[] = ['state = ?', 'updated_at = ?', 'version = version + 1'];
    const values: SQLInputValue[] = [state, at];
    for (const [field, value] of Object.entries(change.patch ?? {}) as Array<
      [keyof OrderRow, unknown]
    >) {
      if (value === undefined) continue;
      sets.push(`${COLUMNS[field]} = ?`);
      values.push(toColumnValue(field, value));
    }
    for (const field of change.clear ?? []) sets.push(`${COLUMNS[field]} = NULL`);
    this.sql(`UPDATE orders SET ${sets.join(', ')} WHERE id = ? AND version = ?`).run(
      ...values,
      id,
      before.version,
    );
    const events =
      change.events ?? (state !== before.state ? [{ kind: state, actor: 'system' }] : []);
    events.forEach((e, i) =>
      this.insertEvent(
        id,
        e,
        at,
        i === 0 && state !== before.state ? [before.state, state] : undefined,
      ),
    );
    if (change.insertOperation) this.insertOperation(change.insertOperation);
    if (change.updateOperation) {
      this.updateOperation(change.updateOperation.id, change.updateOperation.patch, at);
    }
    const after = this.get(id);
    if (!after) throw new Error('journal: order vanished inside a transaction');
    const explicit =
      change.patch?.nextPollAt !== undefined || (change.clear ?? []).includes('nextPollAt');
    if (!explicit) this.reschedule(before.nextPollAt, after);
    return { before, after };
  }

  /** Inserts a new order with its first events (inside a {@link transaction}). */
  insertOrder(row: OrderRow, events: EventInput[]): OrderRow {
    if (!this.db.isTransaction) throw new Error('journal: insertOrder outside a transaction');
    const cols = ORDER_FIELDS.map((f) => COLUMNS[f]);
    const values = ORDER_FIELDS.map((f) => toColumnValue(f, row[f]));
    this.sql(
      `INSERT INTO orders (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    ).run(...values);
    for (const e of events) this.insertEvent(row.id, e, row.createdAt, undefined);
    const saved = this.get(row.id);
    if (!saved) throw new Error('journal: insert failed');
    if (row.nextPollAt === undefined) this.reschedule(undefined, saved);
    return saved;
  }

  /**
   * Sets `row`'s next_poll_at after a write (poll-schedule.ts: NULL once not followed, now once
   * newly followed, never later than one interval of its new state), on disk and on `row`.
   */
  private reschedule(before: number | undefined, row: OrderRow): void {
    const next = nextPollAfterWrite(before, row, this.now(), this.pollTiming);
    if (next === row.nextPollAt) return;
    this.sql('UPDATE orders SET next_poll_at = ? WHERE id = ?').run(next ?? null, row.id);
    if (next === undefined) delete row.nextPollAt;
    else row.nextPollAt = next;
  }

  /** Appends a timeline line without changing the order (own transaction). */
  appendEvent(orderId: string, event: EventInput): void {
    this.transaction(() => {
      this.insertEvent(orderId, event, this.nowIso(), undefined);
    });
  }

  private insertEvent(
    orderId: string,
    e: EventInput,
    at: string,
    move: [OrderState, OrderState] | undefined,
  ): void {
    this.sql(
      `INSERT INTO order_events (order_id, at, kind, actor, message, amount, from_state, to_state)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      orderId,
      at,
      e.kind,
      e.actor,
      e.message ? JSON.stringify(e.message) : null,
      e.amount ?? null,
      move?.[0] ?? null,
      move?.[1] ?? null,
    );
  }

  /** Next value of a named counter (1, 2, …), inside the caller's transaction. */
  nextSequence(name: string): number {
    const row = this.sql(
      `INSERT INTO sequences (name, value) VALUES (?, 1)
         ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value`,
    ).get(name) as { value: number };
    return Number(row.value);
  }

  /** The order's timeline, oldest first. */
  events(orderId: string): OrderEvent[] {
    return this.sql('SELECT * FROM order_events WHERE order_id = ? ORDER BY id')
      .all(orderId)
      .map(eventFromDbRow);
  }

  /**
   * The Dintero account whose orders the work queries below (due, inStates, followed, count,
   * wakeWaiting, openOperations) return; undefined = every order. Orders of another account
   * wait, untouched, until the desk is switched back to it. The board (list) shows them all.
   */
  private scope: string | undefined;

  /** Limits the work queries to `accountId` (see {@link scope}). */
  scopeTo(accountId: string | undefined): void {
    this.scope = accountId;
  }

  /** The account the work queries are limited to. */
  get scopedAccount(): string | undefined {
    return this.scope;
  }

  /**
   * Orders created before accounts were recorded belong to the account in use when the
   * journal is first opened by a version that records them. Returns how many were adopted.
   */
  adoptUnassigned(accountId: string): number {
    const r = this.sql('UPDATE orders SET account_id = ? WHERE account_id IS NULL').run(accountId);
    return Number(r.changes);
  }

  /** `AND account_id = ?` when scoped (with its parameter). */
  private scoped(): { sql: string; params: SQLInputValue[] } {
    return this.scope === undefined
      ? { sql: '', params: [] }
      : { sql: ' AND account_id = ?', params: [this.scope] };
  }

  /**
   * Orders in the given states whose backoff has passed, oldest due first. A wait further
   * ahead than `horizonMs` can only come from a wall clock that jumped back: it counts as due,
   * so a clock change never parks an order for hours.
   */
  due(
    states: readonly OrderState[],
    now: number,
    limit: number,
    horizonMs = Number.MAX_SAFE_INTEGER,
  ): OrderRow[] {
    if (states.length === 0 || limit <= 0) return [];
    const sc = this.scoped();
    const far =
      now >= Number.MAX_SAFE_INTEGER - horizonMs ? Number.MAX_SAFE_INTEGER : now + horizonMs;
    return this.sql(
      `SELECT * FROM orders WHERE state IN (${states.map(() => '?').join(', ')})
         AND (next_attempt_at <= ? OR next_attempt_at > ?)${sc.sql}
         ORDER BY next_attempt_at, created_at, id LIMIT ?`,
    )
      .all(...states, now, far, ...sc.params, limit)
      .map(fromDbRow);
  }

  /**
   * Every order in the given states (or with a money operation in flight, when asked), oldest
   * first. Two indexed reads (by state; orders_pending_op), never a scan of the journal.
   */
  inStates(states: readonly OrderState[], withPendingOp = false): OrderRow[] {
    const sc = this.scoped();
    const rows =
      states.length === 0
        ? []
        : this.sql(
            `SELECT * FROM orders WHERE state IN (${states.map(() => '?').join(', ')})${sc.sql}
               ORDER BY created_at, id`,
          )
            .all(...states, ...sc.params)
            .map(fromDbRow);
    if (!withPendingOp) return rows;
    const seen = new Set(rows.map((r) => r.id));
    const busy = this.sql(
      `SELECT * FROM orders WHERE pending_op IS NOT NULL${sc.sql} ORDER BY created_at, id`,
    )
      .all(...sc.params)
      .map(fromDbRow)
      .filter((r) => !seen.has(r.id));
    if (busy.length === 0) return rows;
    const byAge = (a: OrderRow, b: OrderRow): number =>
      a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1;
    return rows.concat(busy).sort(byAge);
  }

  /**
   * Followed orders whose next read is due (next_poll_at <= now), oldest due first, at most
   * `limit`, through the orders_next_poll index. Times further ahead than `horizonMs` can only
   * come from a wall clock that was set back: they count as due (after the ones due now), so a
   * clock change never stops following.
   */
  duePolls(now: number, horizonMs: number, limit: number): OrderRow[] {
    if (limit <= 0) return [];
    const sc = this.scoped();
    const rows = this.sql(
      `SELECT * FROM orders WHERE next_poll_at <= ?${sc.sql} ORDER BY next_poll_at LIMIT ?`,
    )
      .all(now, ...sc.params, limit)
      .map(fromDbRow);
    if (rows.length >= limit) return rows;
    const far = this.sql(
      `SELECT * FROM orders WHERE next_poll_at > ?${sc.sql} ORDER BY next_poll_at LIMIT ?`,
    )
      .all(now + horizonMs, ...sc.params, limit - rows.length)
      .map(fromDbRow);
    return rows.concat(far);
  }

  /**
   * Claims the next page of a poll round in ONE short transaction: the due rows as
   * {@link duePolls} finds them (at most `limit`), read with only the columns the schedule
   * needs, each given the next time `plan` returns (undefined = no longer followed). Returns
   * the rows read. A schedule-only write (see {@link unsyncedTransaction}).
   */
  claimPolls(
    now: number,
    horizonMs: number,
    limit: number,
    plan: (row: PollRow) => number | undefined,
  ): PollRow[] {
    if (limit <= 0) return [];
    const sc = this.scoped();
    const cols = `rowid AS row_id, ${POLL_COLUMNS.join(', ')}`;
    return this.unsyncedTransaction(() => {
      const rows = this.sql(
        `SELECT ${cols} FROM orders WHERE next_poll_at <= ?${sc.sql} ORDER BY next_poll_at LIMIT ?`,
      ).all(now, ...sc.params, limit);
      if (rows.length < limit) {
        const far = this.sql(
          `SELECT ${cols} FROM orders WHERE next_poll_at > ?${sc.sql} ORDER BY next_poll_at LIMIT ?`,
        ).all(now + horizonMs, ...sc.params, limit - rows.length);
        rows.push(...far);
      }
      // By rowid: the row is found without a second walk down the id index.
      const update = this.sql('UPDATE orders SET next_poll_at = ? WHERE rowid = ?');
      return rows.map((raw) => {
        const row = pollRowFromDb(raw);
        const next = plan(row);
        if (next !== row.nextPollAt) update.run(next ?? null, raw.row_id as number);
        return row;
      });
    });
  }

  /**
   * Sets the next read of orders (undefined = no longer followed) in one transaction. Not a
   * change of the order: no version bump, no timeline line. A schedule-only write (see
   * {@link unsyncedTransaction}).
   */
  schedulePolls(entries: ReadonlyArray<readonly [id: string, at: number | undefined]>): void {
    if (entries.length === 0) return;
    const write = (): void => {
      const update = this.sql('UPDATE orders SET next_poll_at = ? WHERE id = ?');
      for (const [id, at] of entries) update.run(at ?? null, id);
    };
    if (this.db.isTransaction) write();
    else this.unsyncedTransaction(write);
  }

  /**
   * A transaction committed without waiting for the disk (synchronous=NORMAL for this commit),
   * for writes whose loss in a power cut loses nothing the app acted on, so main never waits
   * on their fsync:
   * - poll times (next_poll_at): the orders are simply due again, and read once more;
   * - a batch of erased customer data: the next run erases it again.
   * The next ordinary commit (synchronous=FULL) syncs it along with everything before it; WAL
   * order keeps every commit whole either way.
   */
  private unsyncedTransaction<T>(fn: () => T): T {
    this.db.exec('PRAGMA synchronous = NORMAL');
    try {
      return this.transaction(fn);
    } finally {
      this.db.exec('PRAGMA synchronous = FULL');
    }
  }

  /** Followed orders (next_poll_at set) in the given states, still followed at `now`. */
  followedIn(states: readonly OrderState[], now: number): OrderRow[] {
    if (states.length === 0) return [];
    const sc = this.scoped();
    // Only the followed orders in these states (the planner would rather walk every followed
    // order through orders_next_poll: 0.1 s at a million orders).
    return this.sql(
      `SELECT * FROM orders INDEXED BY orders_followed_state WHERE next_poll_at IS NOT NULL
         AND state IN (${states.map(() => '?').join(', ')})${sc.sql} ORDER BY created_at, id`,
    )
      .all(...states, ...sc.params)
      .map(fromDbRow)
      .filter((r) => isFollowed(r, now, this.pollTiming));
  }

  /** Followed orders with a session whose duplicate watch runs past `now` (small index). */
  duplicateWatched(now: number): OrderRow[] {
    const sc = this.scoped();
    return this.sql(
      `SELECT * FROM orders INDEXED BY orders_duplicate_watch
         WHERE duplicate_watch_until > 0 AND duplicate_watch_until > ?${sc.sql}
         AND session_id IS NOT NULL AND next_poll_at IS NOT NULL ORDER BY created_at, id`,
    )
      .all(now, ...sc.params)
      .map(fromDbRow);
  }

  /**
   * Authorized or partly captured orders not yet warned about a lapsing authorization,
   * authorized before `authorizedBefore` (ISO; the caller adds a day of margin for odd offsets
   * and checks the exact age itself), through the small orders_lapse_unwarned index: a round
   * reads these few, not every authorized order, and only their ids and times (the caller
   * reads the few whose reminder is due). (The states are written out so the partial index
   * applies.)
   */
  lapseCandidates(authorizedBefore: string): Array<{ id: string; authorizedAt: string }> {
    const sc = this.scoped();
    return this.sql(
      `SELECT id, authorized_at FROM orders WHERE lapse_warned = 0
         AND state IN ('authorized', 'partially_captured')
         AND authorized_at < ?${sc.sql} ORDER BY created_at, id`,
    )
      .all(authorizedBefore, ...sc.params)
      .map((r) => ({ id: String(r.id), authorizedAt: String(r.authorized_at) }));
  }

  /** Orders created between two instants with money captured: what a payout may cover. */
  capturesBetween(
    from: string,
    to: string,
  ): Array<{
    orderId: string;
    merchantReference: string;
    transactionId: string;
    currency: string;
    captured: number;
    accountId?: string;
  }> {
    const rows = this.sql(
      `SELECT id, merchant_reference, transaction_id, currency, captured_amount, account_id
       FROM orders WHERE created_at >= ? AND created_at <= ? AND captured_amount > 0
       AND transaction_id IS NOT NULL ORDER BY created_at, rowid`,
    ).all(new Date(from).toISOString(), new Date(to).toISOString()) as Array<{
      id: string;
      merchant_reference: string;
      transaction_id: string;
      currency: string;
      captured_amount: number;
      account_id: string | null;
    }>;
    return rows.map((r) => ({
      orderId: r.id,
      merchantReference: r.merchant_reference,
      transactionId: r.transaction_id,
      currency: r.currency,
      captured: Number(r.captured_amount),
      ...(r.account_id !== null ? { accountId: r.account_id } : {}),
    }));
  }

  /** Orders whose money operation lost its answer (being checked with Dintero). */
  withUnknownOutcome(): OrderRow[] {
    const sc = this.scoped();
    return this.sql(
      `SELECT * FROM orders WHERE outcome_unknown = 1${sc.sql} ORDER BY created_at, id`,
    )
      .all(...sc.params)
      .map(fromDbRow);
  }

  /** How many orders are in the given states. */
  count(states: readonly OrderState[]): number {
    if (states.length === 0) return 0;
    const sc = this.scoped();
    const row = this.sql(
      `SELECT COUNT(*) AS n FROM orders WHERE state IN (${states.map(() => '?').join(', ')})${sc.sql}`,
    ).get(...states, ...sc.params) as { n: number };
    return Number(row.n);
  }

  /** Moves the backoff of waiting orders to `now` (the line came back). Not a state change. */
  wakeWaiting(states: readonly OrderState[], now: number): void {
    if (states.length === 0) return;
    const sc = this.scoped();
    this.sql(
      `UPDATE orders SET next_attempt_at = ? WHERE state IN (${states.map(() => '?').join(', ')})
         AND next_attempt_at > ?${sc.sql}`,
    ).run(now, ...states, now, ...sc.params);
  }

  /** Orders for the board: states, date range; newest first (the board searches them itself). */
  list(q: ListQuery): { orders: OrderRow[]; total: number } {
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (q.states && q.states.length > 0) {
      where.push(`state IN (${q.states.map(() => '?').join(', ')})`);
      params.push(...q.states);
    }
    if (q.from) {
      where.push('created_at >= ?');
      params.push(new Date(q.from).toISOString());
    }
    if (q.to) {
      where.push('created_at <= ?');
      params.push(new Date(q.to).toISOString());
    }
    const whereSql = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
    const total = Number(
      (
        this.sql(`SELECT COUNT(*) AS n FROM orders ${whereSql}`).get(...params) as {
          n: number;
        }
      ).n,
    );
    const limit = q.limit ?? 500;
    const orders = this.sql(
      `SELECT * FROM orders ${whereSql} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
    )
      .all(...params, limit)
      .map(fromDbRow);
    return { orders, total };
  }

  /**
   * One page of the board: filters, search and keyset cursor in SQL through indexes, a bounded
   * amount of work per call (board-page.ts).
   */
  page(q: BoardPageQuery): BoardPageRows {
    return readBoardPage((text) => this.sql(text), q);
  }

  /** Open orders to the same number for the same amount and currency (duplicate warning). */
  openDuplicates(
    phone: string,
    amount: number,
    currency: string,
    openStates: readonly OrderState[],
  ): OrderRow[] {
    // By phone (a customer's few orders): the planner may otherwise pick orders_amount, which
    // a common amount fills with thousands of orders (every order taken asks this).
    return this.sql(
      `SELECT * FROM orders INDEXED BY orders_phone WHERE phone = ? AND amount = ? AND currency = ?
         AND state IN (${openStates.map(() => '?').join(', ')}) ORDER BY created_at DESC`,
    )
      .all(phone, amount, currency, ...openStates)
      .map(fromDbRow);
  }

  /** Orders whose reference starts with `prefix` (resend numbering). */
  referencesLike(prefix: string): string[] {
    return this.sql(
      `SELECT merchant_reference AS r FROM orders WHERE merchant_reference LIKE ? ESCAPE '\\'`,
    )
      .all(`${escapeLike(prefix)}%`)
      .map((r) => String(r.r));
  }

  // ----- money operations -------------------------------------------------------------

  private insertOperation(op: OperationRow): void {
    const fields = Object.keys(OP_COLUMNS) as Array<keyof OperationRow>;
    const cols = fields.map((f) => OP_COLUMNS[f]);
    this.sql(
      `INSERT INTO operations (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    ).run(...fields.map((f) => (op[f] ?? null) as SQLInputValue));
  }

  private updateOperation(
    id: string,
    patch: Partial<Omit<OperationRow, 'id' | 'orderId'>>,
    at: string,
  ): void {
    const sets = ['updated_at = ?'];
    const values: SQLInputValue[] = [at];
    for (const [field, value] of Object.entries(patch) as Array<[keyof OperationRow, unknown]>) {
      if (value === undefined || field === 'updatedAt') continue;
      sets.push(`${OP_COLUMNS[field]} = ?`);
      values.push(value as SQLInputValue);
    }
    this.sql(`UPDATE operations SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
  }

  /** One money operation. */
  operation(id: string): OperationRow | undefined {
    const raw = this.sql('SELECT * FROM operations WHERE id = ?').get(id);
    return raw ? opFromDbRow(raw) : undefined;
  }

  /** Every money operation of an order, oldest first. */
  operations(orderId: string): OperationRow[] {
    return this.sql('SELECT * FROM operations WHERE order_id = ? ORDER BY created_at, rowid')
      .all(orderId)
      .map(opFromDbRow);
  }

  /** Operations not yet settled (requested, sent, accepted, unknown) of the scoped account. */
  openOperations(): OperationRow[] {
    const sc = this.scoped();
    // CROSS JOIN: from the few open operations (operations_open index) to their orders, never
    // from every order of the account (a poll round runs this: 1.2 s at 1,000,000 orders).
    return this.sql(
      `SELECT operations.* FROM operations CROSS JOIN orders ON orders.id = operations.order_id
         WHERE operations.state IN ('requested', 'sent', 'accepted', 'unknown')${sc.sql}
         ORDER BY operations.created_at, operations.rowid`,
    )
      .all(...sc.params)
      .map(opFromDbRow);
  }

  /** The newest open operation of an order, if any. */
  openOperationFor(orderId: string): OperationRow | undefined {
    const raw = this.sql(
      `SELECT * FROM operations WHERE order_id = ?
         AND state IN ('requested', 'sent', 'accepted', 'unknown') ORDER BY rowid DESC LIMIT 1`,
    ).get(orderId);
    return raw ? opFromDbRow(raw) : undefined;
  }

  /** How many operations of `kind` the order has had (for numbering references). */
  countOperations(orderId: string, kind: MoneyOperationKind): number {
    const row = this.sql(
      'SELECT COUNT(*) AS n FROM operations WHERE order_id = ? AND kind = ?',
    ).get(orderId, kind) as { n: number };
    return Number(row.n);
  }

  // ----- customer data ------------------------------------------------------------------

  /**
   * Erases the customer from the orders `q` names that need them no more: no operation in
   * flight or open, no unknown outcome, no duplicate watch running. The phone becomes
   * ERASED_PHONE; name, email and note NULL; timeline lines, the last error and operation
   * reasons lose every trace of them. Amounts, references, times, states and actors stay, and
   * updated_at too (erasing is not activity). What this frees is overwritten with zeros
   * (PRAGMA secure_delete), but the customer's search index keeps their trigrams until it is
   * merged, and the old pages stay in the WAL and in the main file, until {@link compact}.
   *
   * One transaction per batch of at most 200 orders. With `budgetMs`, stops after the first
   * batch that has run that long (at least one order erased): the caller yields and calls
   * again until nothing is left (an empty answer). Returns the ids erased.
   */
  eraseCustomerData(q: EraseQuery, budgetMs = Number.POSITIVE_INFINITY): string[] {
    const list = (xs: readonly OrderState[]) => xs.map(() => '?').join(', ') || "''";
    const select = this.sql(
      // The partial index holds only orders still carrying their customer, by age: a desk
      // that erases daily finds the few old enough without reading the rest.
      `SELECT id, phone, customer_name, email, note, last_error
         FROM orders INDEXED BY orders_customer_kept
         WHERE customer_erased_at IS NULL AND updated_at < max(?, ?)
         AND ((state IN (${list(q.states)}) AND updated_at < ?)
           OR (state IN (${list(q.lateStates)}) AND updated_at < ?))
         AND pending_op IS NULL AND outcome_unknown = 0 AND duplicate_watch_until <= ?
         AND NOT EXISTS (SELECT 1 FROM operations WHERE operations.order_id = orders.id
           AND operations.state IN ('requested', 'sent', 'accepted', 'unknown'))
         ORDER BY updated_at, id LIMIT 200`,
    );
    const erased: string[] = [];
    const at = this.nowIso();
    const start = performance.now();
    const spent = (): boolean => performance.now() - start >= budgetMs;
    while (!spent()) {
      const rows = select.all(
        q.before,
        q.lateBefore,
        ...q.states,
        q.before,
        ...q.lateStates,
        q.lateBefore,
        q.now,
      ) as Array<Record<string, string | null>>;
      if (rows.length === 0) break;
      this.unsyncedTransaction(() => {
        for (const r of rows) {
          const id = String(r.id);
          const customer: CustomerData = {
            phone: String(r.phone),
            customerName: r.customer_name ?? undefined,
            email: r.email ?? undefined,
            note: r.note ?? undefined,
          };
          this.sql(
            `UPDATE orders SET phone = ?, customer_name = NULL, email = NULL, note = NULL,
               last_error = ?, customer_erased_at = ?, version = version + 1 WHERE id = ?`,
          ).run(
            ERASED_PHONE,
            r.last_error === null ? null : eraseFromStored(String(r.last_error), customer),
            at,
            id,
          );
          this.eraseFromTimeline(id, customer);
          erased.push(id);
          if (spent()) break;
        }
        this.sql(
          `INSERT INTO sequences (name, value) VALUES ('${COMPACT_DUE}', 1)
             ON CONFLICT (name) DO UPDATE SET value = 1`,
        ).run();
      });
    }
    return erased;
  }

  private eraseFromTimeline(orderId: string, customer: CustomerData): void {
    const update = (table: string, column: string, rowId: number | string, value: string) => {
      this.sql(`UPDATE ${table} SET ${column} = ? WHERE id = ?`).run(value, rowId);
    };
    const lines = this.sql('SELECT id, message, detail FROM order_events WHERE order_id = ?').all(
      orderId,
    ) as Array<{ id: number; message: string | null; detail: string | null }>;
    for (const line of lines) {
      for (const column of ['message', 'detail'] as const) {
        const was = line[column];
        if (was === null) continue;
        const next = eraseFromStored(was, customer);
        if (next !== was) update('order_events', column, line.id, next);
      }
    }
    const ops = this.sql('SELECT id, reason, error FROM operations WHERE order_id = ?').all(
      orderId,
    ) as Array<{ id: string; reason: string | null; error: string | null }>;
    for (const op of ops) {
      for (const column of ['reason', 'error'] as const) {
        const was = op[column];
        if (was === null) continue;
        const next = eraseFromStored(was, customer);
        if (next !== was) update('operations', column, op.id, next);
      }
    }
  }

  /** True when erased data may still sit in the WAL or the main file (see {@link compact}). */
  get compactDue(): boolean {
    const row = this.sql('SELECT value FROM sequences WHERE name = ?').get(COMPACT_DUE) as
      { value: number } | undefined;
    return row !== undefined && Number(row.value) !== 0;
  }

  /**
   * Merges customer_search's segments into one, at most `budgetMs` at a time (at least one
   * step of MERGE_PAGES pages); true once nothing is left to merge. An erased customer's row
   * leaves that index as a tombstone; only a merge drops what the older segments still hold of
   * them (and secure_delete zeroes the pages it frees). The index holds only the orders whose
   * customer is kept, so a whole merge is a few months of orders, not the journal.
   */
  mergeCustomerSearch(budgetMs = Number.POSITIVE_INFINITY): boolean {
    const changes = (): number =>
      Number((this.sql('SELECT total_changes() AS n').get() as { n: number }).n);
    const merge = this.sql(
      "INSERT INTO customer_search (customer_search, rank) VALUES ('merge', ?)",
    );
    const start = performance.now();
    do {
      const before = changes();
      // Negative: every segment may join the merge, however few there are on a level.
      this.unsyncedTransaction(() => merge.run(-MERGE_PAGES));
      // SQLite's documented test: fewer than two changes means the merge found nothing to do.
      if (changes() - before < 2) return true;
    } while (performance.now() - start < budgetMs);
    return false;
  }

  /**
   * Removes what erased customers left behind: merges customer_search ({@link
   * mergeCustomerSearch}, whatever is left of it), then copies the whole WAL into the main
   * file and empties it (checkpoint, TRUNCATE), so the pages that held erased data are gone
   * from journal.sqlite-wal and overwritten in journal.sqlite (freed space is zeros already:
   * secure_delete). The checkpoint runs on the helper thread when one runs, so main never
   * waits on the copy and its fsyncs; on this connection otherwise. Outside any transaction.
   * Resolves false when the WAL could not be emptied (a reader or writer held it): the flag
   * stays and the next run tries again.
   */
  async compact(): Promise<boolean> {
    if (this.db.isTransaction) throw new Error('journal: compact inside a transaction');
    this.mergeCustomerSearch();
    const helped = this.helper ? await this.helper.truncateWal() : undefined;
    if (this.closed) return false;
    const done = helped ?? this.checkpoint();
    // The flag's own change goes to the WAL; it holds no customer data.
    if (done) this.sql('DELETE FROM sequences WHERE name = ?').run(COMPACT_DUE);
    return done;
  }

  private checkpoint(): boolean {
    const r = this.db.prepare('PRAGMA wal_checkpoint(TRUNCATE)').get() as { busy: number };
    return Number(r.busy) === 0;
  }

  /** Reads a PRAGMA (tests and diagnostics). */
  pragma(name: string): unknown {
    const row = this.sql(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
    return row ? Object.values(row)[0] : undefined;
  }
}

/** The sequences row that says erased data awaits {@link Journal.compact}. */
const COMPACT_DUE = 'customer_data_compact_due';
/** Pages of customer_search one merge step writes (FTS5 pages of about 4 kB). */
const MERGE_PAGES = 64;

function escapeLike(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}
