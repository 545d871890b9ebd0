/**
 * The poller's persisted schedule (orders.next_poll_at, migration 8): a round reads only the
 * due rows through the index, every write keeps the schedule right, an upgraded journal keeps
 * following what it followed, and wall-clock jumps neither stop following nor cause a storm.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OrderState } from '../../../common/domain';
import { Journal } from '../../../main/orders/journal';
import { MIGRATIONS } from '../../../main/orders/journal-schema';
import type { OrderRow } from '../../../main/orders/order-row';
import { DEFAULT_POLL_TIMING, FOLLOW_CAPTURED_MS } from '../../../main/orders/poll-schedule';
import { POLL_PAGE, POLL_ROUND_LIMIT } from '../../../main/orders/status-poller';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, sentOrders, tempDir } from './helpers';

const DAY = 24 * 60 * 60 * 1000;
const ACCOUNT = 'P00000000';

afterEach(() => {
  vi.restoreAllMocks();
});

/** An order row as the journal holds it: a link sent `ageMs` ago, in `state`. */
function order(i: number, state: OrderState, at: number, over: Partial<OrderRow> = {}): OrderRow {
  const iso = new Date(at).toISOString();
  const live = state !== 'queued' && state !== 'failed';
  return {
    id: `o${i}`,
    merchantReference: `DESK2-20250301-${i}`,
    state,
    phone: `+4741${String(i).padStart(6, '0')}`,
    amount: 10_000,
    currency: 'NOK',
    vatAmount: 0,
    items: [],
    delivery: 'sms',
    linkLifetimeHours: 24,
    createdAt: iso,
    updatedAt: iso,
    createdBy: 'Desk 2',
    authorizedAmount: 0,
    capturedAmount: 0,
    refundedAmount: 0,
    nextAttemptAt: 0,
    attempts: 1,
    checkBeforeSend: false,
    lapseWarned: false,
    outcomeUnknown: false,
    duplicateWatchUntil: 0,
    accountId: ACCOUNT,
    version: 1,
    ...(live ? { sessionId: `T00000000.s${i}`, expiresAt: new Date(at + DAY).toISOString() } : {}),
    ...over,
  };
}

/** Opens the journal in `dir` on clock `now`, adds `rows`, closes it. */
function seed(dir: string, now: () => number, rows: OrderRow[]): void {
  const r = Journal.open(dir, now);
  if (!r.ok) throw new Error('journal');
  r.journal.transaction(() => {
    for (const row of rows) r.journal.insertOrder(row, [{ kind: 'created', actor: 'Desk 2' }]);
  });
  r.journal.close();
}

/** Counts the rows the poller reads from the journal through the due index. */
function countDueReads(): { rows: number[] } {
  const seen = { rows: [] as number[] };
  const real = Journal.prototype.claimPolls;
  vi.spyOn(Journal.prototype, 'claimPolls').mockImplementation(function (this: Journal, ...args) {
    const out = real.apply(this, args);
    seen.rows.push(out.length);
    return out;
  });
  return seen;
}

describe('poll schedule (next_poll_at)', () => {
  it('a round reads only the due rows of a journal with many settled ones', async () => {
    const c = clock();
    const dir = tempDir();
    const old = c.now() - 200 * DAY;
    const rows: OrderRow[] = [];
    for (let i = 0; i < 3000; i++) rows.push(order(i, i % 3 ? 'captured' : 'cancelled', old));
    for (let i = 3000; i < 3050; i++) rows.push(order(i, 'link_sent', c.now() - 60 * 60_000));
    seed(dir, c.now, rows);
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    const reads = countDueReads();

    expect((await e.pollNow()).polled).toBe(50);
    expect(reads.rows).toEqual([50]);
    // Nothing due: the index finds nothing, no row is read.
    expect((await e.pollNow()).polled).toBe(0);
    expect(reads.rows.at(-1)).toBe(0);
    // Older links are read every pollSlowMs (50 ms in the test timing), not before.
    c.advance(49);
    expect((await e.pollNow()).polled).toBe(0);
    c.advance(1);
    expect((await e.pollNow()).polled).toBe(50);
    expect(Math.max(...reads.rows)).toBe(50);
    expect(e.journal!.get('o1')!.nextPollAt).toBeUndefined();
    expect(e.journal!.get('o3000')!.nextPollAt).toBe(c.now() + 50);
  });

  it('a row becomes due exactly at its time', async () => {
    const c = clock();
    const dir = tempDir();
    seed(dir, c.now, [order(1, 'authorized', c.now(), { transactionId: 'T1' })]);
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    expect((await e.pollNow()).polled).toBe(1);
    const at = e.journal!.get('o1')!.nextPollAt!;
    expect(at).toBe(c.now() + 50);
    c.set(at - 1);
    expect((await e.pollNow()).polled).toBe(0);
    c.set(at);
    expect((await e.pollNow()).polled).toBe(1);
  });

  it('uses the index, scoped to the account', () => {
    const r = Journal.open(tempDir());
    if (!r.ok) throw new Error('journal');
    const db = new DatabaseSync(r.journal.path, { readOnly: true });
    const plan = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT * FROM orders WHERE next_poll_at <= ? AND account_id = ?
           ORDER BY next_poll_at LIMIT ?`,
      )
      .all(1, ACCOUNT, 10)
      .map((x) => String(x.detail))
      .join('\n');
    expect(plan).toContain('orders_next_poll');
    expect(plan).not.toContain('TEMP B-TREE');
    // The round's other reads: unwarned authorizations and open operations, from small indexes.
    const planOf = (sql: string, ...params: Array<string | number>): string =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((x) => String(x.detail))
        .join('\n');
    expect(
      planOf(
        `SELECT * FROM orders WHERE lapse_warned = 0
           AND state IN ('authorized', 'partially_captured') AND authorized_at < ? AND account_id = ?`,
        '2025-01-01',
        ACCOUNT,
      ),
    ).toContain('orders_lapse_unwarned');
    expect(
      planOf(
        `SELECT operations.* FROM operations CROSS JOIN orders ON orders.id = operations.order_id
           WHERE operations.state IN ('requested', 'sent', 'accepted', 'unknown') AND account_id = ?`,
        ACCOUNT,
      ),
    ).toMatch(/SEARCH operations USING INDEX operations_open[\s\S]*SEARCH orders/);
    db.close();
    r.journal.close();
  });

  it('every write keeps next_poll_at right: new link due now, operation due soon, final dropped', () => {
    const c = clock();
    const r = Journal.open(tempDir(), c.now);
    if (!r.ok) throw new Error('journal');
    const j = r.journal;
    const t = DEFAULT_POLL_TIMING;
    j.transaction(() => j.insertOrder(order(1, 'queued', c.now()), []));
    expect(j.get('o1')!.nextPollAt).toBeUndefined();
    j.change('o1', () => ({ event: 'send' }));
    c.advance(1000);
    const sent = j.change('o1', () => ({
      event: 'link_created',
      patch: { sessionId: 'S1', expiresAt: new Date(c.now() + DAY).toISOString() },
    }));
    expect(sent!.after.nextPollAt).toBe(c.now());
    expect(j.get('o1')!.nextPollAt).toBe(c.now());
    // The poller read it: a young link comes back after pollFastMs.
    j.schedulePolls([['o1', c.now() + t.pollFastMs]]);
    c.advance(1000);
    const paid = j.change('o1', () => ({ event: 'authorize', patch: { transactionId: 'T1' } }));
    // A slower state keeps the earlier time already planned.
    expect(paid!.after.nextPollAt).toBe(c.now() - 1000 + t.pollFastMs);
    j.schedulePolls([['o1', c.now() + t.pollSlowMs]]);
    const capturing = j.change('o1', () => ({ patch: { pendingOp: 'capture' } }));
    // An operation started: due within pollFastMs.
    expect(capturing!.after.nextPollAt).toBe(c.now() + t.pollFastMs);
    j.change('o1', () => ({ event: 'void', clear: ['pendingOp'] }));
    expect(j.get('o1')!.nextPollAt).toBeUndefined();

    // A captured order no longer followed (old) is followed again once a refund starts.
    j.transaction(() =>
      j.insertOrder(
        order(2, 'captured', c.now() - 100 * DAY, { transactionId: 'T2', capturedAmount: 10_000 }),
        [],
      ),
    );
    expect(j.get('o2')!.nextPollAt).toBeUndefined();
    j.change('o2', () => ({ patch: { pendingOp: 'refund' } }));
    expect(j.get('o2')!.nextPollAt).toBe(c.now());
    // A change that is not a state change (a lapse flag) never pushes the read later.
    j.schedulePolls([['o2', c.now() + 5]]);
    j.change('o2', () => ({ patch: { lapseWarned: true } }));
    expect(j.get('o2')!.nextPollAt).toBe(c.now() + 5);
    j.close();
  });

  it('migration 8 fills next_poll_at for the orders followed now, and only those', () => {
    const dir = tempDir();
    const db = new DatabaseSync(join(dir, 'journal.sqlite'));
    db.exec('PRAGMA journal_mode = WAL');
    for (const m of MIGRATIONS.filter((x) => x.version <= 7)) db.exec(m.sql);
    db.exec('PRAGMA user_version = 7');
    const now = Date.now();
    const iso = (ago: number): string => new Date(now - ago).toISOString();
    const insert = db.prepare(
      `INSERT INTO orders (id, merchant_reference, state, phone, amount, currency, delivery,
         link_lifetime_hours, created_at, updated_at, created_by, session_id, transaction_id,
         pending_op, account_id)
       VALUES (?, ?, ?, '+4791234567', 100, 'NOK', 'sms', 24, ?, ?, 'Desk 2', ?, ?, ?, ?)`,
    );
    const cases: Array<
      [string, OrderState, number, string | null, string | null, string | null, boolean]
    > = [
      // id, state, age of last change, session, transaction, pending op, followed?
      ['queued', 'queued', 0, null, null, null, false],
      ['link', 'link_sent', 60_000, 'S1', null, null, true],
      ['opened', 'opened', 5 * DAY, 'S2', null, null, true],
      ['paid', 'authorized', 3 * DAY, 'S3', 'T3', null, true],
      ['captured-new', 'captured', 89 * DAY, 'S4', 'T4', null, true],
      ['captured-old', 'captured', 91 * DAY, 'S5', 'T5', null, false],
      ['refunding-old', 'captured', 200 * DAY, 'S6', 'T6', 'refund', true],
      ['expired-new', 'expired', 47 * 60 * 60_000, 'S7', null, null, true],
      ['expired-old', 'expired', 49 * 60 * 60_000, 'S8', null, null, false],
      ['refused', 'failed', 60_000, null, null, null, false],
      ['cancelled', 'cancelled', 60_000, 'S9', null, null, false],
      ['voiding', 'voided', 60_000, 'S10', 'T10', 'void', true],
    ];
    cases.forEach(([id, state, ago, session, tx, op], i) =>
      insert.run(id, `R-${i}`, state, iso(ago + DAY), iso(ago), session, tx, op, ACCOUNT),
    );
    db.close();

    const r = Journal.open(dir);
    if (!r.ok) throw new Error('journal');
    expect(r.migratedFrom).toBe(7);
    const after = Date.now();
    for (const [id, , , , , , followed] of cases) {
      const at = r.journal.get(id)!.nextPollAt;
      if (followed) {
        expect(at, id).toBeGreaterThanOrEqual(now - 1000);
        expect(at, id).toBeLessThanOrEqual(after + 1000);
      } else {
        expect(at, id).toBeUndefined();
      }
    }
    // The SQL fill follows the same rule as the poller (FOLLOW_CAPTURED_MS is 90 days).
    expect(FOLLOW_CAPTURED_MS).toBe(90 * DAY);
    r.journal.close();
  });

  it('a wall clock set back 3 days does not stop polling', async () => {
    const c = clock();
    const dir = tempDir();
    seed(dir, c.now, [order(1, 'authorized', c.now(), { transactionId: 'T1' })]);
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    expect((await e.pollNow()).polled).toBe(1);
    c.advance(-3 * DAY);
    // Its time is 3 days ahead of this clock: it counts as due, and is rescheduled by it.
    expect((await e.pollNow()).polled).toBe(1);
    expect(e.journal!.get('o1')!.nextPollAt).toBe(c.now() + 50);
    expect((await e.pollNow()).polled).toBe(0);
    c.advance(50);
    expect((await e.pollNow()).polled).toBe(1);
  });

  it('a wall clock set forward reads everything once, one batch per round', async () => {
    const c = clock();
    const dir = tempDir();
    const n = 2 * POLL_ROUND_LIMIT + 500;
    const rows: OrderRow[] = [];
    for (let i = 0; i < n; i++)
      rows.push(order(i, 'authorized', c.now(), { transactionId: `T${i}` }));
    seed(dir, c.now, rows);
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    const reads = countDueReads();
    for (let i = 0; i < 3; i++) await e.pollNow();
    // Each round claims its batch in pages of POLL_PAGE (the last page of the third is empty).
    const pages = POLL_ROUND_LIMIT / POLL_PAGE;
    expect(reads.rows).toEqual([
      ...Array<number>(2 * pages).fill(POLL_PAGE),
      ...Array<number>(500 / POLL_PAGE).fill(POLL_PAGE),
      0,
    ]);
    expect((await e.pollNow()).polled).toBe(0);
    c.advance(2 * DAY);
    const polled: number[] = [];
    for (let i = 0; i < 4; i++) polled.push((await e.pollNow()).polled);
    expect(polled).toEqual([POLL_ROUND_LIMIT, POLL_ROUND_LIMIT, 500, 0]);
    expect(Math.max(...reads.rows)).toBe(POLL_PAGE);
  });

  it('a round claims its batch in pages and lets other work run between them', async () => {
    const c = clock();
    const dir = tempDir();
    const rows: OrderRow[] = [];
    for (let i = 0; i < POLL_ROUND_LIMIT; i++)
      rows.push(order(i, 'authorized', c.now(), { transactionId: `T${i}` }));
    seed(dir, c.now, rows);
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    const log: string[] = [];
    const real = Journal.prototype.claimPolls;
    vi.spyOn(Journal.prototype, 'claimPolls').mockImplementation(function (this: Journal, ...a) {
      // Work that arrives while the first page is claimed (an order typed, an IPC call).
      if (log.length === 0) setImmediate(() => log.push('other work'));
      log.push('page');
      return real.apply(this, a);
    });
    expect((await e.pollNow()).polled).toBe(POLL_ROUND_LIMIT);
    expect(log).toEqual([
      'page',
      'other work',
      ...Array<string>(POLL_ROUND_LIMIT / POLL_PAGE - 1).fill('page'),
    ]);
  });

  it('orders awaiting an operation are read every round, whatever their time', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await sentOrders(e, 1);
    fake.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('authorized');
    fake.asyncOperations = true;
    await e.capture(id!, 10_000, 'Desk 2');
    expect(e.getOrder(id!).order.pendingOperation).toBe('capture');
    // Woken by the capture: read in the next round.
    expect((await e.pollNow()).polled).toBe(1);
    // Not due by its time, but awaiting its operation's event: read anyway.
    e.journal!.schedulePolls([[id!, c.now() + 40]]);
    expect((await e.pollNow()).polled).toBe(1);
    fake.settleAsync();
    await e.pollNow();
    expect(e.getOrder(id!).order).toMatchObject({ state: 'partially_captured' });
  });
});
