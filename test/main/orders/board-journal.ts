/**
 * Journals for the board's paging tests: orders written straight into a real journal (its
 * schema, triggers and indexes) in one transaction, fast enough for 200,000 orders, and the
 * board's answer worked out the plain way (every order through common/order-search.ts's rules,
 * sorted), to compare pages with.
 */
import { join } from 'node:path';
import { DatabaseSync, type SQLInputValue } from 'node:sqlite';
import { english } from '../../../common/i18n';
import {
  ERASED_PHONE,
  ORDER_STATES,
  STATUS_WORDS,
  type OrderSummary,
} from '../../../common/domain';
import { boardMatcher, compareBoardKeys, type BoardFilter } from '../../../common/order-search';
import { Journal } from '../../../main/orders/journal';
import type { BoardPageQuery } from '../../../main/orders/board-page';
import { COLUMNS, toColumnValue, type OrderRow } from '../../../main/orders/order-row';
import { prng } from '../../support/prng';

export const FIRST = ['Kari', 'Ola', 'Ingrid', 'Øyvind', 'Åse', 'Lars', 'Nora', 'Jonas'];
export const LAST = ['Nordmann', 'Hansen', 'Ødegård', 'Berg', 'Dahl', 'Æsøy', 'Olsen'];

/** An order row with everything the journal needs; `over` sets the rest. */
export function orderRow(i: number, over: Partial<OrderRow> = {}): OrderRow {
  const at = new Date(Date.parse('2025-01-01T08:00:00Z') + i * 60_000).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    merchantReference: `DESK1-ABC123-20250101-${i + 1}`,
    state: 'captured',
    phone: `+47${40_000_000 + i}`,
    amount: 10_000 + (i % 500) * 100,
    currency: 'NOK',
    vatAmount: 0,
    items: [],
    delivery: 'sms',
    linkLifetimeHours: 24,
    createdAt: at,
    updatedAt: at,
    createdBy: 'Desk 1',
    authorizedAmount: 0,
    capturedAmount: 0,
    refundedAmount: 0,
    nextAttemptAt: 0,
    attempts: 1,
    checkBeforeSend: false,
    lapseWarned: false,
    outcomeUnknown: false,
    duplicateWatchUntil: 0,
    version: 1,
    ...over,
  };
}

/** Opens (creates) the journal in `dir`. */
export function openJournal(dir: string): Journal {
  const r = Journal.open(dir);
  if (!r.ok) throw new Error(english(r.problem));
  return r.journal;
}

/**
 * Writes `rows` into the journal of `dir` in ONE transaction on a connection of its own (the
 * schema's triggers keep the search index and the counts, as for any write); fast enough for
 * hundreds of thousands. The journal must not be open elsewhere for writing meanwhile.
 */
export function bulkInsert(dir: string, rows: readonly OrderRow[]): void {
  openJournal(dir).close();
  const fields = Object.keys(COLUMNS) as Array<keyof OrderRow>;
  const cols = fields.map((f) => COLUMNS[f]);
  const db = new DatabaseSync(join(dir, 'journal.sqlite'));
  const BATCH = 50;
  const one = `(${cols.map(() => '?').join(', ')})`;
  const insert = (n: number) =>
    db.prepare(`INSERT INTO orders (${cols.join(', ')}) VALUES ${Array(n).fill(one).join(', ')}`);
  const batch = insert(BATCH);
  try {
    // A test's journal: no fsync while filling, and room for the search index's pending data.
    db.exec('PRAGMA synchronous = OFF');
    db.exec('PRAGMA cache_size = -262144');
    db.exec('BEGIN IMMEDIATE');
    for (let i = 0; i < rows.length; i += BATCH) {
      const part = rows.slice(i, i + BATCH);
      const values = part.flatMap((r) =>
        fields.map((f) => toColumnValue(f, r[f]) as SQLInputValue),
      );
      (part.length === BATCH ? batch : insert(part.length)).run(...values);
    }
    db.exec('COMMIT');
  } finally {
    db.close();
  }
}

/** Writes `rows` in one transaction through the journal's own insert (triggers and all). */
export function insertRows(j: Journal, rows: readonly OrderRow[]): void {
  j.transaction(() => {
    for (const row of rows) j.insertOrder(row, []);
  });
}

/**
 * `count` varied orders (states, names with Nordic letters, e-mails, other systems' numbers,
 * amounts in NOK and SEK, a few erased phones), created `stepMs` apart from `start` and
 * `ties` at a time sharing one createdAt; deterministic for a seed.
 */
export function variedRows(
  count: number,
  opts: { seed?: number; ties?: number; stepMs?: number; start?: number; from?: number } = {},
): OrderRow[] {
  const rand = prng(opts.seed ?? 1);
  const ties = opts.ties ?? 1;
  const step = opts.stepMs ?? 60_000;
  const start = opts.start ?? Date.parse('2024-01-01T08:00:00Z');
  const first = opts.from ?? 0;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rows: OrderRow[] = [];
  for (let k = 0; k < count; k++) {
    const i = first + k;
    const at = new Date(start + Math.floor(i / ties) * step).toISOString();
    const named = rand() < 0.6;
    const name = named ? `${pick(FIRST)} ${pick(LAST)}` : undefined;
    const roll = rand();
    rows.push(
      orderRow(i, {
        // Random ids, so ties on createdAt are not also in insertion order.
        id: `${Math.floor(rand() * 0xffffffff)
          .toString(16)
          .padStart(8, '0')}-0000-4000-8000-${String(i).padStart(12, '0')}`,
        merchantReference: `DESK${1 + (i % 3)}-K7Q2MX-${at.slice(0, 10).replace(/-/g, '')}-${i + 1}`,
        state: pick(ORDER_STATES),
        phone: roll < 0.05 ? ERASED_PHONE : `+47${90_000_000 + i}`,
        amount: (100 + Math.floor(rand() * 900)) * 100,
        currency: rand() < 0.8 ? 'NOK' : 'SEK',
        createdAt: at,
        updatedAt: at,
        ...(name !== undefined ? { customerName: name } : {}),
        ...(named && rand() < 0.3 ? { email: `kunde${i}@Example.no` } : {}),
        ...(rand() < 0.1 ? { externalReference: `ERP-${(i * 7919) % 100_000}` } : {}),
      }),
    );
  }
  return rows;
}

/** The row as the screens see it (what the filter rules read). */
export function summaryOf(r: OrderRow): OrderSummary {
  return {
    ...r,
    statusWord: STATUS_WORDS[r.state],
    ...(r.outcomeUnknown ? { outcomeUnknown: true as const } : { outcomeUnknown: undefined }),
  };
}

/** The rows as summaries in board order, worked out once per array of rows. */
const sorted = new WeakMap<readonly OrderRow[], OrderSummary[]>();

/** The board's answer worked out the plain way: every order tested, in board order; ids. */
export function expectedIds(rows: readonly OrderRow[], filter: BoardFilter): string[] {
  let all = sorted.get(rows);
  if (all === undefined) {
    all = rows.map(summaryOf).sort(compareBoardKeys);
    sorted.set(rows, all);
  }
  const match = boardMatcher(filter);
  return all.filter(match).map((o) => o.id);
}

/** Every page of a query, read one after the other; the ids and the number of calls. */
export function readAll(
  j: Journal,
  q: Omit<BoardPageQuery, 'after'>,
  maxCalls = 10_000,
): { ids: string[]; calls: number; totals: Array<number | undefined> } {
  const ids: string[] = [];
  const totals: Array<number | undefined> = [];
  let after: BoardPageQuery['after'];
  let calls = 0;
  for (;;) {
    const page = j.page({ ...q, ...(after ? { after } : {}) });
    calls++;
    totals.push(page.total);
    ids.push(...page.orders.map((o) => o.id));
    if (!page.resume) break;
    after = page.resume;
    if (calls >= maxCalls) throw new Error('readAll: too many pages');
  }
  return { ids, calls, totals };
}
