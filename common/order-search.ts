/**
 * The board's one set of rules: which orders a search and the filters show, and the order they
 * are listed in. Main pages the journal with them (its indexes only narrow the rows down; these
 * rules decide), the screen places a live-updated order with them, and the screens' test double
 * answers with them, so all three always agree.
 */
import { CURRENCIES, type Currency, type OrderState, type OrderSummary } from './domain';
import { parseAmount } from './money';

/** Most orders one page of the board may ask for. */
export const BOARD_PAGE_MAX = 200;
/** Most orders a set the board is limited to may hold (a day close's figure; its row limit). */
export const BOARD_IDS_MAX = 100_000;
/** Longest search the board sends. */
export const BOARD_SEARCH_MAX = 200;

/**
 * Where an order sits on the board: newest `createdAt` first, ties by `id`, descending. Both
 * are on every order the screen holds, so a live-updated order is placed without asking main.
 */
export interface BoardKey {
  createdAt: string;
  id: string;
}

/** The board key of an order. */
export function boardKeyOf(o: BoardKey): BoardKey {
  return { createdAt: o.createdAt, id: o.id };
}

/** Negative when `a` is listed before `b` (newer), positive after, 0 for the same order. */
export function compareBoardKeys(a: BoardKey, b: BoardKey): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * A search as staff typed it, read once: the text (trimmed, lower case) looked for in the
 * reference, the other system's order number, the name and the e-mail; the digits looked for
 * in the phone number (only when the text has no letter and three digits or more; leading zeros
 * dropped, so `0047 912…` and `912 34 567` find +47 912 34 567); and the amount it reads as in
 * each currency (exactly that amount in that currency).
 */
export interface BoardSearch {
  text: string;
  phoneDigits: string;
  amounts: ReadonlyArray<{ currency: Currency; minor: number }>;
}

/** Reads a typed search (see {@link BoardSearch}). */
export function parseBoardSearch(typed: string): BoardSearch {
  // Control and invisible characters (a pasted number's direction marks) are not searched for.
  const text = typed
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .toLowerCase();
  const digits = text.replace(/\D/g, '');
  const phoneDigits = /\p{L}/u.test(text) || digits.length < 3 ? '' : digits.replace(/^0+/, '');
  const amounts: Array<{ currency: Currency; minor: number }> = [];
  if (text !== '') {
    for (const currency of CURRENCIES) {
      const a = parseAmount(text, currency);
      if (a.ok) amounts.push({ currency, minor: a.minor });
    }
  }
  return { text, phoneDigits, amounts };
}

/** What of an order a search looks at. */
export type SearchableOrder = Pick<
  OrderSummary,
  'merchantReference' | 'externalReference' | 'customerName' | 'email' | 'phone' | 'amount'
> & { currency: string };

/** True when `o` matches the search (an empty search matches every order). */
export function matchesBoardSearch(o: SearchableOrder, s: BoardSearch): boolean {
  const q = s.text;
  if (q === '') return true;
  if (o.merchantReference.toLowerCase().includes(q)) return true;
  if (o.externalReference?.toLowerCase().includes(q)) return true;
  if (o.customerName?.toLowerCase().includes(q)) return true;
  if (o.email?.toLowerCase().includes(q)) return true;
  if (s.phoneDigits !== '' && o.phone.includes(s.phoneDigits)) return true;
  return s.amounts.some((a) => a.currency === o.currency && a.minor === o.amount);
}

/**
 * What the board shows: orders in `states` (all when absent), created between `from` and `to`
 * (ISO date-times, inclusive, any offset), among `ids` when given (a day close's figure), and
 * matching `search`.
 */
export interface BoardFilter {
  states?: readonly OrderState[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  ids?: readonly string[] | undefined;
  search?: string | undefined;
}

/** The filter as one predicate over orders the screen holds (live updates, the test double). */
export function boardMatcher(f: BoardFilter): (o: OrderSummary) => boolean {
  const states = f.states && f.states.length > 0 ? new Set(f.states) : undefined;
  const from = f.from ? new Date(f.from).toISOString() : undefined;
  const to = f.to ? new Date(f.to).toISOString() : undefined;
  const ids = f.ids ? new Set(f.ids) : undefined;
  const search = parseBoardSearch(f.search ?? '');
  return (o) =>
    (states === undefined || states.has(o.state)) &&
    (from === undefined || o.createdAt >= from) &&
    (to === undefined || o.createdAt <= to) &&
    (ids === undefined || ids.has(o.id)) &&
    matchesBoardSearch(o, search);
}
