/**
 * Paging and search at scale: 200,000 orders in a real journal (written in one transaction),
 * where a search takes every way main has to a page: few candidates through the trigram or
 * amount index, the walk over the created_at order for common words, and the walk that stops
 * after its budget and goes on from there for rare ones the index cannot answer (two letters).
 * Each answer is compared with the plain way (every order through common/order-search.ts's
 * rules). Correctness only: no timings here (the benchmarks measure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardFilter } from '../../../common/order-search';
import { CANDIDATES_MAX, WALK_BUDGET } from '../../../main/orders/board-page';
import type { Journal } from '../../../main/orders/journal';
import type { OrderRow } from '../../../main/orders/order-row';
import { bulkInsert, expectedIds, openJournal, readAll, variedRows } from './board-journal';
import { tempDir } from './helpers';

const COUNT = 200_000;

let j: Journal;
let rows: OrderRow[];

beforeAll(() => {
  const dir = tempDir();
  rows = variedRows(COUNT, { ties: 3, seed: 21, stepMs: 60_000 }).map((r, i) => ({
    ...r,
    // A rare state (one order in 400) and a rare name, for the index's side of the plan.
    state: r.state === 'sending' && i % 20 !== 0 ? 'captured' : r.state,
    ...(i % 997 === 0 ? { customerName: `Quintus Zørn ${i}` } : {}),
  }));
  bulkInsert(dir, rows);
  j = openJournal(dir);
}, 120_000);

afterAll(() => j?.close());

/** Reads every page of `filter` and compares with the plain way; returns the pages read. */
function same(filter: BoardFilter, limit = 100): number {
  const got = readAll(j, { ...filter, limit });
  expect(got.ids).toEqual(expectedIds(rows, filter));
  return got.calls;
}

/** Reads the first `pages` pages of a filter with many matches and compares them. */
function sameStart(filter: BoardFilter, pages: number, limit = 100): void {
  const want = expectedIds(rows, filter);
  expect(want.length).toBeGreaterThan(pages * limit);
  const ids: string[] = [];
  let after;
  for (let p = 0; p < pages; p++) {
    const page = j.page({ ...filter, limit, ...(after ? { after } : {}) });
    ids.push(...page.orders.map((o) => o.id));
    after = page.resume;
    expect(after).toBeDefined();
  }
  // A walk may stop short of a full page; what it returned is the start of the answer.
  expect(ids).toEqual(want.slice(0, ids.length));
  expect(ids.length).toBeGreaterThan(0);
}

describe('paging and search at 200,000 orders', () => {
  it('holds them all, and reads the top without a filter', () => {
    const first = j.page({ limit: 50 });
    expect(first).toMatchObject({ all: COUNT, total: COUNT });
    expect(first.orders.map((o) => o.id)).toEqual(expectedIds(rows, {}).slice(0, 50));
  });

  it('finds one order by its whole phone number, typed in any common form', () => {
    const target = rows.find((r, i) => i > 150_000 && r.phone.startsWith('+47'))!;
    const national = target.phone.slice(3);
    for (const typed of [
      national,
      `${national.slice(0, 3)} ${national.slice(3, 5)} ${national.slice(5)}`,
      `+47 ${national}`,
      `0047${national}`,
    ]) {
      expect(same({ search: typed })).toBe(1);
      expect(expectedIds(rows, { search: typed })).toContain(target.id);
    }
  });

  it('finds a reference, another system’s number and a rare name through the index', () => {
    const r = rows[123_456]!;
    same({ search: r.merchantReference.toLowerCase() });
    same({ search: r.merchantReference.slice(-9) });
    same({ search: 'ERP-4242' });
    same({ search: 'quintus zØrn' }, 37);
    same({ search: 'zørn 19' });
  });

  it('lists an amount typed as staff type it, in every currency it reads as', () => {
    same({ search: '450,00' });
    same({ search: '1 000' });
    same({ search: 'kr 450' });
  });

  it('pages through common words and digits in board order', () => {
    sameStart({ search: 'a' }, 3);
    sameStart({ search: 'kari' }, 3);
    sameStart({ search: 'ødegård' }, 3);
    sameStart({ search: '9001' }, 3);
    sameStart({ search: 'desk2' }, 3, 200);
    // Partial phone numbers with more matches than the index is used for.
    expect(expectedIds(rows, { search: '90001' }).length).toBeLessThanOrEqual(CANDIDATES_MAX);
    same({ search: '90001' });
  });

  it('walks the whole journal in bounded steps for a rare search the index cannot answer', () => {
    const calls = same({ search: 'qz' });
    expect(calls).toBeGreaterThanOrEqual(COUNT / WALK_BUDGET);
    same({ search: 'zø' });
  });

  it('combines states, dates, a day close’s set of orders and the search', () => {
    same({ states: ['sending'] });
    sameStart({ states: ['captured', 'refunded'] }, 2);
    const day = { from: '2024-02-10T00:00:00+01:00', to: '2024-02-10T23:59:59.999+01:00' };
    same(day);
    same({ ...day, search: 'kari' });
    same({ ...day, states: ['voided'], search: 'a' });
    const ids = rows.filter((_, i) => i % 37 === 0).map((r) => r.id);
    same({ ids, states: ['captured', 'voided', 'expired'] }, 200);
    same({ ids: ids.slice(0, 500), search: 'olsen' });
    same({ ids: ids.slice(0, 3000), from: day.from });
  });
});
