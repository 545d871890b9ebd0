/**
 * One page of the board from the journal: newest first by (created_at, id), a keyset cursor,
 * the filters and the search in SQL, never the whole table, and never more than a bounded
 * amount of work per call (node:sqlite is synchronous: a long query would stall the poller,
 * the outbox and every other IPC call).
 *
 * Two ways to a page, chosen per call:
 * - few candidates: when the orders asked for are a small set found through an index (the
 *   search's trigram index and the amount index, the orders in the states asked for, a day
 *   close's set of orders), read just those, keep the ones every filter and the search accept
 *   (common/order-search.ts decides), sort them and take the page. A phone number, a reference
 *   or a name typed in full is this way at any size of journal.
 * - walk: otherwise the orders are common enough to be met soon when walking the created_at
 *   index from the cursor newest first, testing each order, until the page is full or
 *   {@link WALK_BUDGET} orders were looked at; then the page says where it stopped (`resume`)
 *   and the next call goes on from there. A first letter or a common state is this way.
 * Either way the rules are the same (the walk tests each order with the search's rules; the
 * candidates are checked with them too), so a page never depends on which way it was read.
 * (One caveat: the trigram index folds case with SQLite's Unicode tables, the rules with
 * JavaScript's; a letter the two fold differently, rare outside Latin, Greek and Cyrillic
 * text, may be found by the walk and not through the index.)
 *
 * Why a trigram index (FTS5, contentless): staff search for part of a reference, a name or a
 * phone number, and `LIKE '%…%'` reads every row (about 0.45 s at 1,000,000 orders); the
 * index answers a rare substring in about 2 ms and costs about 100 MB and 2 s of `optimize`
 * per compaction at that size. Prefix indexes would not find a number typed from its middle.
 */
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import type { OrderState } from '../../common/domain';
import {
  compareBoardKeys,
  parseBoardSearch,
  type BoardFilter,
  type BoardKey,
  type BoardSearch,
} from '../../common/order-search';
import { fromDbRow, type OrderRow } from './order-row';

/** Most candidates read through an index before walking is cheaper (per ~1,000,000 orders). */
export const CANDIDATES_MAX = 4000;
/** A day close's set of orders is read by id up to this many (a busy day's figure). */
export const ID_CANDIDATES_MAX = 20_000;
/** Most orders one call looks at when walking (a few tens of milliseconds). */
export const WALK_BUDGET = 10_000;

/** What {@link readBoardPage} reads. */
export interface BoardPageQuery extends BoardFilter {
  /** Only orders after this one on the board (older); none: from the top. */
  after?: BoardKey | undefined;
  /** Only orders up to this one, inclusive (a page read again: its range); none: to the end. */
  until?: BoardKey | undefined;
  /** Most orders to return. */
  limit: number;
}

/** One page: the orders, and where to go on when the range was not covered to its end. */
export interface BoardPageRows {
  orders: OrderRow[];
  /**
   * Present when more of the range is left: the board key of the last order this page covers
   * (the page holds every matching order between `after` and it); the next page starts after
   * it. Absent: the page reaches `until`, or the end of the board.
   */
  resume?: BoardKey;
  /** How many orders match the filter in all, when that was cheap to know (first page only). */
  total?: number;
  /** How many orders the journal holds. */
  all: number;
}

/** The SQL function the search's text is tested with (see {@link searchFunction}). */
export const TEXT_FUNCTION = 'board_text';

/**
 * Registers {@link TEXT_FUNCTION} on a connection: `board_text(text, fields)` is 1 when `fields`
 * (the searched fields joined by a control character, which a search never holds) contains the
 * search's text, compared in lower case as common/order-search.ts does.
 */
export function searchFunction(db: DatabaseSync): void {
  db.function(TEXT_FUNCTION, { deterministic: true }, (text, fields) =>
    typeof fields === 'string' && fields.toLowerCase().includes(String(text)) ? 1 : 0,
  );
}

/** The searched text fields of `o`, joined (see {@link TEXT_FUNCTION}). */
const SEARCHED_TEXT = `o.merchant_reference || char(31) || coalesce(o.external_reference, '')
  || char(31) || coalesce(o.customer_name, '') || char(31) || coalesce(o.email, '')`;

type Sql = (text: string) => StatementSync;

interface Condition {
  sql: string;
  params: SQLInputValue[];
}

const list = (n: number): string => Array.from({ length: n }, () => '?').join(', ');
const iso = (at: string): string => new Date(at).toISOString();

/** `text` as an FTS5 phrase (a substring, for the trigram tokenizer). */
const phrase = (text: string): string => `"${text.replace(/"/g, '""')}"`;
/** Characters, not UTF-16 units: the trigram tokenizer counts characters. */
const length = (text: string): number => [...text].length;

/**
 * The search's trigram queries, one per index (order_search: the references; customer_search:
 * the customer's name, e-mail and phone digits; an order matches when either does), or
 * undefined when the indexes cannot answer it: text shorter than three characters (or digits)
 * matches in the walk only.
 */
export function searchIndexQuery(
  s: BoardSearch,
): { references: string; customer: string } | undefined {
  if (s.text === '' || length(s.text) < 3) return undefined;
  if (s.phoneDigits !== '' && s.phoneDigits.length < 3) return undefined;
  const text = phrase(s.text);
  const customer = `{name email} : ${text}`;
  return {
    references: `{reference external} : ${text}`,
    customer: s.phoneDigits === '' ? customer : `${customer} OR phone : ${phrase(s.phoneDigits)}`,
  };
}

/** The created_at range and the cursor as one SQL condition on `o` (the walk's index range). */
function keyRange(q: BoardPageQuery): Condition {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (q.from) {
    parts.push('o.created_at >= ?');
    params.push(iso(q.from));
  }
  if (q.to) {
    parts.push('o.created_at <= ?');
    params.push(iso(q.to));
  }
  if (q.after) {
    parts.push('(o.created_at, o.id) < (?, ?)');
    params.push(q.after.createdAt, q.after.id);
  }
  if (q.until) {
    parts.push('(o.created_at, o.id) >= (?, ?)');
    params.push(q.until.createdAt, q.until.id);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/** The states, the set of orders and the search as one SQL condition on `o`. */
function filters(q: BoardPageQuery, search: BoardSearch): Condition {
  const parts: string[] = [];
  const params: SQLInputValue[] = [];
  if (q.states && q.states.length > 0) {
    parts.push(`o.state IN (${list(q.states.length)})`);
    params.push(...q.states);
  }
  if (q.ids) {
    parts.push('o.id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(q.ids));
  }
  if (search.text !== '') {
    // matchesBoardSearch in SQL: the phone's digits, an amount, then the text (the cheap first).
    const any: string[] = [];
    if (search.phoneDigits !== '') {
      any.push('instr(o.phone, ?) > 0');
      params.push(search.phoneDigits);
    }
    for (const a of search.amounts) {
      any.push('(o.amount = ? AND o.currency = ?)');
      params.push(a.minor, a.currency);
    }
    any.push(`${TEXT_FUNCTION}(?, ${SEARCHED_TEXT})`);
    params.push(search.text);
    parts.push(`(${any.join(' OR ')})`);
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1', params };
}

/** How many orders are in `states` (every order when none), from order_counts. */
export function countInStates(sql: Sql, states: readonly OrderState[] | undefined): number {
  const row =
    states && states.length > 0
      ? sql(
          `SELECT coalesce(sum(n), 0) AS n FROM order_counts WHERE state IN (${list(states.length)})`,
        ).get(...states)
      : sql('SELECT coalesce(sum(n), 0) AS n FROM order_counts').get();
  return Number((row as { n: number }).n);
}

const rowids = (rows: readonly Record<string, unknown>[]): number[] => rows.map((r) => Number(r.r));

/**
 * The smallest set of orders an index gives for this query, as rowids, when it is small
 * enough to read them all; undefined when none is (then the walk reads the page).
 */
function candidates(sql: Sql, q: BoardPageQuery, search: BoardSearch): number[] | undefined {
  const found: number[][] = [];
  if (q.ids && q.ids.length <= ID_CANDIDATES_MAX) {
    found.push(
      rowids(
        sql('SELECT rowid AS r FROM orders WHERE id IN (SELECT value FROM json_each(?))').all(
          JSON.stringify(q.ids),
        ),
      ),
    );
  }
  if (q.states && q.states.length > 0 && countInStates(sql, q.states) <= CANDIDATES_MAX) {
    found.push(
      rowids(
        sql(`SELECT rowid AS r FROM orders WHERE state IN (${list(q.states.length)})`).all(
          ...q.states,
        ),
      ),
    );
  }
  const match = searchIndexQuery(search);
  if (match !== undefined) {
    const limit = CANDIDATES_MAX + 1;
    const hits = new Set(
      rowids(
        sql(
          `SELECT rowid AS r FROM order_search WHERE order_search MATCH ?
           UNION SELECT rowid AS r FROM customer_search WHERE customer_search MATCH ? LIMIT ?`,
        ).all(match.references, match.customer, limit),
      ),
    );
    for (const a of search.amounts) {
      if (hits.size > CANDIDATES_MAX) break;
      const byAmount = sql(
        'SELECT rowid AS r FROM orders WHERE amount = ? AND currency = ? LIMIT ?',
      ).all(a.minor, a.currency, limit);
      for (const r of rowids(byAmount)) hits.add(r);
    }
    if (hits.size <= CANDIDATES_MAX) found.push([...hits]);
  }
  if (found.length === 0) return undefined;
  return found.reduce((a, b) => (b.length < a.length ? b : a));
}

interface Key extends BoardKey {
  r: number;
}

const keyOf = (row: Record<string, unknown>): Key => ({
  r: Number(row.r),
  createdAt: String(row.c),
  id: String(row.i),
});

/** The full rows of `keys`, in their order. */
function rowsOf(sql: Sql, keys: readonly Key[]): OrderRow[] {
  if (keys.length === 0) return [];
  const byRowid = new Map<number, OrderRow>();
  const raw = sql(
    'SELECT rowid AS r, * FROM orders WHERE rowid IN (SELECT value FROM json_each(?))',
  )
    .all(JSON.stringify(keys.map((k) => k.r)))
    .map((r) => [Number(r.r), fromDbRow(r)] as const);
  for (const [r, row] of raw) byRowid.set(r, row);
  return keys.map((k) => byRowid.get(k.r)).filter((r): r is OrderRow => r !== undefined);
}

const boardKey = (k: Key): BoardKey => ({ createdAt: k.createdAt, id: k.id });

/** Reads one page of the board (see the file's comment). */
export function readBoardPage(sql: Sql, q: BoardPageQuery): BoardPageRows {
  const search = parseBoardSearch(q.search ?? '');
  const range = keyRange(q);
  const test = filters(q, search);
  const all = countInStates(sql, undefined);
  const first = q.after === undefined && q.until === undefined;

  const few = candidates(sql, q, search);
  if (few !== undefined) {
    const keys = sql(
      `SELECT o.rowid AS r, o.created_at AS c, o.id AS i
         FROM json_each(?) AS cand CROSS JOIN orders o ON o.rowid = cand.value
         WHERE ${range.sql} AND ${test.sql}`,
    )
      .all(JSON.stringify(few), ...range.params, ...test.params)
      .map(keyOf)
      .sort(compareBoardKeys);
    const page = keys.slice(0, q.limit);
    return {
      orders: rowsOf(sql, page),
      ...(keys.length > q.limit ? { resume: boardKey(page.at(-1)!) } : {}),
      ...(first ? { total: keys.length } : {}),
      all,
    };
  }

  // The walk: orders_board newest first from the cursor, each order tested, at most
  // WALK_BUDGET of them; only the matches come back to JS.
  const matches = sql(
    `SELECT r, c, i FROM (
       SELECT o.rowid AS r, o.created_at AS c, o.id AS i, (${test.sql}) AS ok
         FROM orders o INDEXED BY orders_board WHERE ${range.sql}
         ORDER BY o.created_at DESC, o.id DESC LIMIT ?)
     WHERE ok LIMIT ?`,
  )
    .all(...test.params, ...range.params, WALK_BUDGET, q.limit + 1)
    .map(keyOf);
  const page = matches.slice(0, q.limit);
  let resume: BoardKey | undefined;
  if (matches.length > q.limit) resume = boardKey(page.at(-1)!);
  else {
    // Fewer matches than asked for: the range ended, or the budget did (then go on from the
    // last order looked at; its key comes from the index alone).
    const last = sql(
      `SELECT o.rowid AS r, o.created_at AS c, o.id AS i FROM orders o INDEXED BY orders_board
         WHERE ${range.sql} ORDER BY o.created_at DESC, o.id DESC LIMIT 1 OFFSET ?`,
    ).get(...range.params, WALK_BUDGET - 1);
    if (last) resume = boardKey(keyOf(last));
  }
  const plain = search.text === '' && !q.from && !q.to && q.ids === undefined;
  const total =
    first && resume === undefined
      ? { total: page.length }
      : first && plain
        ? { total: countInStates(sql, q.states) }
        : {};
  return {
    orders: rowsOf(sql, page),
    ...(resume ? { resume } : {}),
    ...total,
    all,
  };
}
