/**
 * The board's pages from the journal (board-page.ts): newest first with ties on created_at
 * broken by id, a keyset cursor that never skips or repeats an order while orders arrive
 * between page reads, and filters plus search giving exactly what common/order-search.ts's
 * rules give (checked against the plain way over every order). Erased customers leave the
 * search index with their row, and stay out of it after the WAL is emptied.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ERASED_PHONE, ORDER_STATES } from '../../../common/domain';
import {
  boardKeyOf,
  compareBoardKeys,
  type BoardFilter,
  type BoardKey,
} from '../../../common/order-search';
import type { OrderRow } from '../../../main/orders/order-row';
import { MemoryDintero } from '../../support/memory-dintero';
import {
  expectedIds,
  insertRows,
  openJournal,
  orderRow,
  readAll,
  variedRows,
} from './board-journal';
import { engine, input, phone, tempDir } from './helpers';

describe('board pages: the cursor', () => {
  it('lists every order once, newest first, ties on created_at by id, while orders arrive between pages', () => {
    const j = openJournal(tempDir());
    // 600 orders, seven at a time on the same millisecond, ids not in insertion order.
    const rows = variedRows(600, { ties: 7, seed: 3 });
    insertRows(j, rows);
    const known = [...rows];
    const seen: string[] = [];
    let after: BoardKey | undefined;
    let n = 0;
    for (let page = 0; ; page++) {
      const p = j.page({ limit: 23, ...(after ? { after } : {}) });
      seen.push(...p.orders.map((o) => o.id));
      // Each page is in board order and starts after the previous one.
      const keys = p.orders.map(boardKeyOf);
      for (let i = 1; i < keys.length; i++) {
        expect(compareBoardKeys(keys[i - 1]!, keys[i]!)).toBeLessThan(0);
      }
      if (after && keys[0]) expect(compareBoardKeys(after, keys[0])).toBeLessThan(0);
      if (!p.resume) break;
      after = p.resume;
      // Between pages: a new order at the top (already read past: not on later pages), an
      // order of another desk created long ago (still ahead: read once), and two on the
      // cursor's own millisecond, one on each side of it.
      const at = after.createdAt;
      const arrivals = [
        orderRow(10_000 + n++, { createdAt: new Date(Date.now() + page).toISOString() }),
        orderRow(10_000 + n++, { createdAt: '2023-06-01T10:00:00.000Z' }),
        orderRow(10_000 + n++, { createdAt: at, id: `${after.id}0` }),
        orderRow(10_000 + n++, { createdAt: at, id: after.id.slice(0, -1) }),
      ].map((r) => ({ ...r, merchantReference: `LATE-${r.id}` }));
      insertRows(j, arrivals);
      known.push(...arrivals.filter((r) => compareBoardKeys(boardKeyOf(r), after!) > 0));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(expectedIds(known, {}));
    j.close();
  });

  it('a page read again over its own range (after … until) gives the same orders', () => {
    const j = openJournal(tempDir());
    insertRows(j, variedRows(300, { ties: 4, seed: 5 }));
    const pages: Array<{ after?: BoardKey; resume: BoardKey; ids: string[] }> = [];
    let after: BoardKey | undefined;
    for (;;) {
      const page = j.page({ limit: 40, ...(after ? { after } : {}) });
      if (!page.resume) break;
      pages.push({
        ...(after ? { after } : {}),
        resume: page.resume,
        ids: page.orders.map((o) => o.id),
      });
      after = page.resume;
    }
    expect(pages.length).toBeGreaterThan(3);
    for (const p of pages) {
      const again = j.page({ limit: 200, until: p.resume, ...(p.after ? { after: p.after } : {}) });
      expect(again.orders.map((o) => o.id)).toEqual(p.ids);
      expect(again.resume).toBeUndefined();
    }
    j.close();
  });
});

/** Searches built from what the orders hold, and some that find nothing. */
const SEARCHES = [
  '',
  'a',
  'ø',
  'Ø',
  'kari',
  'KARI NORD',
  'ØDEGÅRD',
  'åse æs',
  'æsøy',
  'olsen',
  'desk2',
  '20240101',
  'k7q2mx-2024',
  'erp-1',
  'ERP-7919',
  'example.no',
  'kunde1',
  '9000 01',
  '0047 90000 12',
  '+47 900 00 123',
  '90000150',
  '123,00',
  '250',
  '1 000',
  'kr 450',
  'zq',
  'zzzz',
  '"quoted"',
  'nord"mann',
  '  kari  ',
] as const;

describe('board pages: filters and search', () => {
  const j = openJournal(tempDir());
  const rows = variedRows(700, { ties: 3, seed: 9, stepMs: 17 * 60_000 });
  insertRows(j, rows);
  const span = { from: Date.parse(rows[0]!.createdAt), to: Date.parse(rows.at(-1)!.createdAt) };

  const filter = fc.record(
    {
      states: fc.subarray([...ORDER_STATES], { minLength: 1, maxLength: 4 }),
      from: fc.integer({ min: span.from - 3_600_000, max: span.to }),
      to: fc.integer({ min: span.from, max: span.to + 3_600_000 }),
      ids: fc.subarray(
        rows.map((r) => r.id),
        { minLength: 0, maxLength: 120 },
      ),
      search: fc.constantFrom(...SEARCHES),
    },
    { requiredKeys: ['search'] },
  );

  it('every page read in turn gives exactly the orders the rules give, in board order', () => {
    fc.assert(
      fc.property(filter, fc.integer({ min: 1, max: 60 }), (f, limit) => {
        const board: BoardFilter = {
          ...(f.states ? { states: f.states } : {}),
          // Offsets on the bounds: the journal compares instants, not strings.
          ...(f.from !== undefined ? { from: isoWithOffset(f.from) } : {}),
          ...(f.to !== undefined ? { to: new Date(f.to).toISOString() } : {}),
          ...(f.ids ? { ids: f.ids } : {}),
          search: f.search,
        };
        const got = readAll(j, { ...board, limit });
        const want = expectedIds(rows, board);
        expect(got.ids).toEqual(want);
        // A total, when there is one, is the true count.
        if (got.totals[0] !== undefined) expect(got.totals[0]).toBe(want.length);
      }),
      { numRuns: 300, seed: 42 },
    );
  });

  it('says how many orders there are in all, and per state, without a search', () => {
    const first = j.page({ limit: 5 });
    expect(first.all).toBe(rows.length);
    expect(first.total).toBe(rows.length);
    const paid = rows.filter((r) => r.state === 'authorized' || r.state === 'captured').length;
    expect(j.page({ limit: 5, states: ['authorized', 'captured'] }).total).toBe(paid);
  });
});

/** An ISO date-time with a +02:00 offset for the instant `ms`. */
function isoWithOffset(ms: number): string {
  return `${new Date(ms + 2 * 3_600_000).toISOString().slice(0, 23)}+02:00`;
}

describe('board pages: counts and live state', () => {
  it('the totals per state follow every new order and every state change', async () => {
    const e = engine(tempDir(), new MemoryDintero());
    for (let i = 0; i < 5; i++) await e.createOrder(input({ phone: phone(i) }), 'Desk 2');
    expect(e.pageOrders({ limit: 1, states: ['queued'] }).total).toBe(5);
    await e.sendNow();
    expect(e.pageOrders({ limit: 1, states: ['queued'] }).total).toBe(0);
    expect(e.pageOrders({ limit: 1, states: ['link_sent'] })).toMatchObject({ total: 5, all: 5 });
    // The engine's page is the screens' summary, searchable by the number as staff type it.
    const found = e.pageOrders({ limit: 10, search: '410 00 003' });
    expect(found.orders.map((o) => o.phone)).toEqual(['+4741000003']);
    expect(found.orders[0]!.statusWord).toBe('Link sent');
  });
});

describe('board pages: erased customers', () => {
  it('are found no more by name, e-mail or phone, also after the WAL is emptied', async () => {
    const dir = tempDir();
    const j = openJournal(dir);
    const old = '2024-01-01T00:00:00.000Z';
    const rows = variedRows(400, { seed: 11 }).map((r, i): OrderRow => ({
      ...r,
      state: i % 2 === 0 ? 'captured' : 'authorized',
      updatedAt: old,
      customerName: `Zelda Qwx${i}`,
      email: `zelda${i}@erase.example`,
    }));
    insertRows(j, rows);
    expect(j.page({ limit: 500, search: 'zelda' }).orders).toHaveLength(400);
    const erased = j.eraseCustomerData({
      states: ['captured'],
      before: '2025-01-01T00:00:00.000Z',
      lateStates: [],
      lateBefore: old,
      now: Date.parse('2025-01-01T00:00:00Z'),
    });
    expect(erased).toHaveLength(200);
    const after = rows.map((r): OrderRow => {
      if (r.state !== 'captured') return r;
      const { customerName: _name, email: _email, ...rest } = r;
      return { ...rest, phone: ERASED_PHONE };
    });
    const check = (): void => {
      for (const search of ['zelda', 'qwx1', 'erase.example', '9000000', '90000002', 'qw']) {
        expect(readAll(j, { limit: 50, search }).ids, search).toEqual(
          expectedIds(after, { search }),
        );
      }
      // An erased order's own name, phone and e-mail find nothing (the index's side).
      const gone = rows.find((r) => r.state === 'captured' && r.phone !== ERASED_PHONE)!;
      for (const search of [gone.customerName, gone.phone.slice(3), gone.email]) {
        expect(j.page({ limit: 10, search }).orders, search).toEqual([]);
      }
    };
    check();
    expect(await j.compact()).toBe(true);
    check();
    j.close();
  });
});
