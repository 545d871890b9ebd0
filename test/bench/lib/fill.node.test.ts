/**
 * The benchmarks' journal fill (fill.ts): how orders are spread over the days, and that a
 * filled journal is one the app reads as its own (states, desks, references, timelines,
 * counters, the poll schedule).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ORDER_STATES } from '../../../common/domain';
import { english } from '../../../common/i18n';
import { Journal } from '../../../main/orders/journal';
import { dayStamp, deskPart, sequenceName } from '../../../main/orders/merchant-reference';
import { eventFromDbRow } from '../../../main/orders/order-row';
import { dayPlan, OTHER_DESKS, prefillJournal } from './fill';
import { engineSettings } from './setup';

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.parse('2025-06-04T12:00:00Z');
const dirs: string[] = [];

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the benchmark fill', () => {
  it('spreads the orders over the days: all of them, a busy day exactly, nothing after now', () => {
    const plan = dayPlan({
      count: 100_000,
      now: NOW,
      spanDays: 730,
      busyDay: { day: '2025-04-01', orders: 5_000 },
    });
    expect(plan).toHaveLength(730);
    expect(plan.reduce((n, d) => n + d.orders, 0)).toBe(100_000);
    expect(plan.find((d) => d.start === Date.parse('2025-04-01T00:00:00Z'))!.orders).toBe(5_000);
    const today = plan.at(-1)!;
    expect(today.to).toBeLessThan(NOW);
    expect(today.from).toBeLessThan(today.to);
    for (const d of plan) expect(d.from).toBeGreaterThanOrEqual(d.start);
    // Sundays are quiet, the business grew, December is busy.
    const sundays = plan.filter((d) => new Date(d.start).getUTCDay() === 0).slice(10, 20);
    const fridays = plan.filter((d) => new Date(d.start).getUTCDay() === 5).slice(10, 20);
    const sum = (xs: typeof plan): number => xs.reduce((n, d) => n + d.orders, 0);
    expect(sum(sundays)).toBeLessThan(sum(fridays));
    const first = plan.slice(0, 60);
    const last = plan.slice(-120, -60);
    expect(sum(first)).toBeLessThan(sum(last));
  });

  it("fills a journal the app reads as its own: every state, the store's desks, references, timelines", () => {
    const dir = mkdtempSync(join(tmpdir(), 'paylink-fill-'));
    dirs.push(dir);
    const terminal = engineSettings();
    const fill = prefillJournal(dir, {
      count: 20_000,
      now: NOW,
      spanDays: 14,
      terminal,
      phoneBase: 10_000_000,
      seed: 3,
    });
    expect(fill.orders).toBe(20_000);
    expect(new Set(fill.ids).size).toBe(20_000);
    // Every state an order can be in, the newest few in the outbox.
    for (const s of ORDER_STATES) expect(fill.byState[s], s).toBeGreaterThan(0);
    const db = new DatabaseSync(fill.path, { readOnly: true });
    const newest = db
      .prepare('SELECT state FROM orders ORDER BY created_at DESC, rowid DESC LIMIT 4')
      .all()
      .map((r) => String(r.state));
    expect(newest.sort()).toEqual(['queued', 'queued', 'sending', 'unknown']);

    // This desk's orders and the store's other desks', each with its own references.
    expect(Object.keys(fill.byDesk).sort()).toEqual(
      ['', ...OTHER_DESKS.map((d) => d.deskId)].sort(),
    );
    for (const d of OTHER_DESKS) {
      const rows = db
        .prepare(
          'SELECT merchant_reference AS r, created_by AS by FROM orders WHERE origin_desk = ?',
        )
        .all(d.deskId) as Array<{ r: string; by: string }>;
      expect(rows.length).toBeGreaterThan(300);
      for (const row of rows.slice(0, 50)) {
        expect(row.r).toMatch(new RegExp(`^[A-Z0-9]{1,8}-${d.deskId}-\\d{8}-\\d+$`));
        expect(row.by).toBe(d.terminalName);
      }
    }
    const own = db
      .prepare('SELECT merchant_reference AS r FROM orders WHERE origin_desk IS NULL LIMIT 20')
      .all()
      .map((r) => String(r.r));
    for (const r of own) expect(r).toMatch(new RegExp(`-${terminal.deskId}-\\d{8}-\\d+$`));
    expect(
      Number(
        (
          db.prepare('SELECT count(DISTINCT merchant_reference) AS n FROM orders').get() as {
            n: number;
          }
        ).n,
      ),
    ).toBe(20_000);

    // Timelines as the engine writes them: catalog messages every language can say, in order.
    const lines = db.prepare('SELECT * FROM order_events ORDER BY id').all().map(eventFromDbRow);
    expect(lines).toHaveLength(fill.events);
    expect(fill.events).toBeGreaterThan(3 * fill.orders);
    for (const l of lines.slice(0, 500))
      if (l.message) expect(english(l.message)).not.toMatch(/line\./);
    const paid = db
      .prepare("SELECT id FROM orders WHERE state = 'partially_refunded' LIMIT 1")
      .get() as { id: string };
    const story = lines.filter((l) => l.orderId === paid.id).map((l) => l.kind);
    expect(story).toEqual([
      'created',
      'sending',
      'link_sent',
      'authorized',
      'captured',
      'refunded',
    ]);

    // Old customers erased; the live ones followed by the poller, due at the fill's now.
    const old = db
      .prepare(
        "SELECT count(*) AS n FROM orders WHERE updated_at < ? AND phone <> '[erased]' AND state = 'captured'",
      )
      .get(new Date(NOW - 90 * DAY).toISOString()) as { n: number };
    expect(Number(old.n)).toBe(0);
    const due = db
      .prepare('SELECT min(next_poll_at) AS a, max(next_poll_at) AS b FROM orders')
      .get() as {
      a: number;
      b: number;
    };
    expect([due.a, due.b]).toEqual([NOW, NOW]);
    db.close();

    // The journal opens as is, and this desk keeps numbering after the fill's orders.
    const opened = Journal.open(dir, () => NOW);
    if (!opened.ok) throw new Error('journal');
    const { journal } = opened;
    // The day (terminal's local) of this desk's newest order.
    const desk = deskPart(terminal);
    const newestOwn = journal.list({ limit: 10 }).orders.find((o) => o.originDesk === undefined)!;
    const today = dayStamp(Date.parse(newestOwn.createdAt));
    const taken = journal.referencesLike(`${desk}-${today}-`).length;
    expect(taken).toBeGreaterThan(0);
    expect(journal.transaction(() => journal.nextSequence(sequenceName(desk, today)))).toBe(
      taken + 1,
    );
    journal.close();
  });
});
