/**
 * Nothing in main holds the event loop long (issue: a million orders): the journal's helper
 * thread (checkpoints, the integrity check of a large journal), a poll round's answers and
 * lapse reminders applied a slice at a time, and the questions asked while the desk runs
 * answered from small indexes. No timings are asserted: what is checked is who does the work,
 * in what order, and that other work gets its turns.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { english } from '../../../common/i18n';
import { MAIN_AUTOCHECKPOINT_PAGES } from '../../../main/orders/journal-helper';
import { Journal } from '../../../main/orders/journal';
import type { NotificationRequest } from '../../../main/orders/engine-types';
import { SLICE_MS } from '../../../main/orders/main-slices';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, phone, sentOrders, tempDir } from './helpers';

const DAY = 24 * 60 * 60 * 1000;

afterEach(() => {
  vi.restoreAllMocks();
});

/** Counts turns of the event loop (check phases) until stopped. */
function turnCounter(): { stop: () => number } {
  let turns = 0;
  let going = true;
  const tick = (): void => {
    if (!going) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    stop: () => {
      going = false;
      return turns;
    },
  };
}

/** Waits (bounded) until `done` holds. */
async function until(done: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (done()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`never: ${what}`);
}

/** A journal with `n` orders sent to `fake`, closed cleanly; returns its folder. */
async function journalWithOrders(n: number, fake: MemoryDintero, now: () => number) {
  const dir = tempDir();
  const e = engine(dir, fake, { now });
  await sentOrders(e, n);
  await e.stop();
  return dir;
}

/** Garbage over the timeline table's first page (the schema itself stays readable). */
function damageTimeline(path: string): void {
  const db = new DatabaseSync(path, { readOnly: true });
  const root = Number(
    (
      db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'order_events'").get() as {
        rootpage: number;
      }
    ).rootpage,
  );
  db.close();
  const bytes = readFileSync(path);
  bytes.fill(0x5a, (root - 1) * 4096 + 8, root * 4096);
  writeFileSync(path, bytes);
}

describe('the journal helper thread', () => {
  it('copies the WAL into the main file, so main only appends; closing removes the WAL', async () => {
    const c = clock();
    const dir = tempDir();
    const e = engine(dir, new MemoryDintero(c.now), { now: c.now });
    const path = join(dir, 'journal.sqlite');
    // Main checkpoints by itself only far out (the helper gone).
    expect(e.journal!.pragma('wal_autocheckpoint')).toBe(MAIN_AUTOCHECKPOINT_PAGES);
    const before = statSync(path).size;
    for (let i = 0; i < 300; i++) await e.createOrder(input({ phone: phone(i) }), 'Desk 2');
    // Far below main's own threshold: only the helper can have grown the main file.
    await until(() => statSync(path).size > before, 'the helper checkpoints');
    await e.stop();
    expect(existsSync(`${path}-wal`)).toBe(false);
    const db = new DatabaseSync(path, { readOnly: true });
    expect((db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number }).n).toBe(300);
    db.close();
  });

  it('a journal too large to check as it opens is checked off the main thread; nothing is sent before', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const dir = await journalWithOrders(3, fake, c.now);
    const e = engine(dir, fake, { now: c.now, inlineCheckMaxBytes: 0 });
    let passed = false;
    void e.journalChecked().then((ok) => (passed = ok));
    const create = vi.spyOn(fake, 'createSession');
    const whenSent: boolean[] = [];
    create.mockImplementation(function (this: MemoryDintero, ...args) {
      whenSent.push(passed);
      return MemoryDintero.prototype.createSession.apply(this, args);
    });
    e.start();
    // Taken (journaled) at once, whatever the check.
    const r = await e.createOrder(input({ phone: phone(50) }), 'Desk 2');
    expect(r.created).toBe(true);
    expect(await e.journalChecked()).toBe(true);
    await until(() => whenSent.length > 0, 'the order is sent');
    expect(whenSent.every((p) => p)).toBe(true);
    expect(e.status().journalProblem).toBeUndefined();
  });

  it('damage found by that check stops the engine, keeps a copy and says so', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const dir = await journalWithOrders(40, fake, c.now);
    damageTimeline(join(dir, 'journal.sqlite'));

    const e = engine(dir, fake, { now: c.now, inlineCheckMaxBytes: 0 });
    expect(e.status().journalProblem).toBeUndefined();
    const changes: unknown[] = [];
    e.on('statusChanged', (s) => changes.push(s));
    const sent = fake.count('create');
    e.start();
    expect(await e.journalChecked()).toBe(false);
    const problem = e.status().journalProblem;
    expect(problem).toBeDefined();
    expect(english(problem!)).toContain('journal.sqlite');
    expect(changes.length).toBeGreaterThan(0);
    expect(readdirSync(dir).some((f) => f.startsWith('journal.sqlite.broken-'))).toBe(true);
    await expect(e.createOrder(input({ phone: phone(60) }), 'Desk 2')).rejects.toMatchObject({
      code: 'journal_unavailable',
    });
    expect(fake.count('create')).toBe(sent);
  });
});

describe('without its helper thread', () => {
  it('a large journal is still checked before anything is sent: on main, once', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const dir = await journalWithOrders(40, fake, c.now);
    damageTimeline(join(dir, 'journal.sqlite'));
    const e = engine(dir, fake, { now: c.now, inlineCheckMaxBytes: 0 });
    // The thread dies before it has answered.
    const helper = (
      e.journal as unknown as { helper: { worker: { terminate(): Promise<number> } } }
    ).helper;
    await helper.worker.terminate();
    const sent = fake.count('create');
    e.start();
    expect(await e.journalChecked()).toBe(false);
    expect(english(e.status().journalProblem!)).toContain('journal.sqlite');
    expect(fake.count('create')).toBe(sent);
  });
});

describe('a poll round on main', () => {
  function setup() {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const notes: NotificationRequest[] = [];
    e.on('notify', (n) => notes.push(n));
    return { c, fake, e, notes };
  }

  it("applies Dintero's answers a slice at a time, other work running between slices", async () => {
    const { c, fake, e } = setup();
    const ids = await sentOrders(e, 200);
    for (const id of ids) fake.pay(e.getOrder(id).order.sessionId!);
    c.advance(3000);
    // Each look at the clock is a millisecond later: a slice ends every SLICE_MS answers.
    let t = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (t += 1));
    const turns = turnCounter();
    const round = await e.pollNow();
    const seen = turns.stop();
    vi.restoreAllMocks();
    expect(round).toMatchObject({ polled: 200, sessionCalls: 2, transactionCalls: 2 });
    expect(e.listOrders({ states: ['authorized'], limit: 1 }).total).toBe(200);
    // 200 sessions and 200 transactions answered: at least one turn per slice of them.
    expect(seen).toBeGreaterThanOrEqual((2 * 200) / SLICE_MS);
  });

  it('reminds of many stale authorizations a page at a time, each on disk before its notification', async () => {
    const { c, fake, e, notes } = setup();
    const ids = await sentOrders(e, 60);
    for (const id of ids) fake.pay(e.getOrder(id).order.sessionId!);
    await e.pollNow();
    expect(e.listOrders({ states: ['authorized'], limit: 1 }).total).toBe(60);
    const journaledFirst: boolean[] = [];
    e.on('notify', (n) => {
      if (n.kind !== 'authorization_lapsing') return;
      journaledFirst.push(e.getOrder(n.orderId).events.at(-1)?.kind === 'lapse_warning');
    });
    c.advance(5 * DAY + 1);
    const turns = turnCounter();
    await e.pollNow();
    const seen = turns.stop();
    expect(notes.filter((n) => n.kind === 'authorization_lapsing')).toHaveLength(60);
    expect(journaledFirst).toEqual(Array<boolean>(60).fill(true));
    // Three pages of reminders: other work ran between them.
    expect(seen).toBeGreaterThanOrEqual(2);
    // Once only.
    c.advance(DAY);
    await e.pollNow();
    expect(notes.filter((n) => n.kind === 'authorization_lapsing')).toHaveLength(60);
  });
});

describe('questions asked while the desk runs', () => {
  it('read small indexes, never the whole journal', () => {
    const r = Journal.open(tempDir());
    if (!r.ok) throw new Error('journal');
    const db = new DatabaseSync(r.journal.path, { readOnly: true });
    const planOf = (sql: string, ...params: Array<string | number>): string =>
      db
        .prepare(`EXPLAIN QUERY PLAN ${sql}`)
        .all(...params)
        .map((x) => String(x.detail))
        .join('\n');
    // engine.pendingWork(): the orders with an operation in flight.
    expect(
      planOf('SELECT * FROM orders WHERE pending_op IS NOT NULL AND account_id = ?', 'P00000000'),
    ).toContain('orders_pending_op');
    // What an account change would strand: the followed orders in the live states.
    expect(
      planOf(
        `SELECT * FROM orders INDEXED BY orders_followed_state WHERE next_poll_at IS NOT NULL
           AND state IN ('link_sent', 'authorized') AND account_id = ?`,
        'P00000000',
      ),
    ).toContain('SEARCH orders USING INDEX orders_followed_state');
    db.close();
    r.journal.close();
  });

  it('pendingWork and the orders needing the account find orders with an operation in flight', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await sentOrders(e, 1);
    fake.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    expect(e.pendingWork().operationsPending).toBe(0);
    fake.asyncOperations = true;
    await e.capture(id!, 25_000, 'Desk 2');
    expect(e.getOrder(id!).order.pendingOperation).toBe('capture');
    expect(e.pendingWork().operationsPending).toBe(1);
    expect(e.ordersNeedingAccount().map((o) => o.id)).toContain(id);
  });
});
