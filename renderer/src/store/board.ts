/**
 * The board's window on the journal. The screen never holds every order: it holds pages read
 * from main (`orders:page`: filters and search in main's SQL, a keyset cursor) around the rows
 * on screen, reads the next page as the list scrolls, and drops pages far from the rows shown
 * (their place and size stay, so scrolling back reads them again over the same range).
 *
 * Each page ("slot") is a range of the board: the orders after `after` (none: the top) up to
 * `end` inclusive (none: the end of the board), all of them when it holds its rows. So a live
 * change ('order:changed') lands in exactly one slot: it is updated, added (a new order at the
 * top when the top is held) or taken out (no longer matching), by the same rules main pages
 * with (common/order-search.ts).
 *
 * One read at a time: a new search asked for while one is under way is read as soon as that
 * one answers, and only the newest search is read (typing fast costs no extra reads).
 */
import { create } from 'zustand';
import type { OrderSummary } from '../../../common/domain';
import type { OrderPage, OrderPageInput, PaylinkApi } from '../../../common/ipc-contract';
import {
  BOARD_PAGE_MAX,
  boardKeyOf,
  boardMatcher,
  compareBoardKeys,
  type BoardFilter,
  type BoardKey,
} from '../../../common/order-search';
import { settle } from '../api';
import { errorText } from '../lib/text';

/** The first page of a board or a search: a screenful and some. */
export const FIRST_PAGE = 40;
/** Each further page. */
export const PAGE = 100;
/** Rows read ahead of the rows on screen, both ways. */
export const AHEAD = 40;
/** Pages wholly further than this many rows from the rows on screen are dropped. */
export const KEEP = 300;
/** Least time between two reads of the counts after live changes (ms). */
const COUNTS_EVERY_MS = 1000;

/** One page of the window (see the file's comment). */
export interface BoardSlot {
  /** Orders after this one; none: from the top. */
  after?: BoardKey;
  /** Up to this one, inclusive; none: to the end of the board. */
  end?: BoardKey;
  /** Newest first; null once dropped (read again when shown). */
  rows: OrderSummary[] | null;
  /** Rows it takes on the board (kept when dropped). */
  count: number;
}

export interface BoardState {
  /** The filter the slots were read for; undefined until the first page came. */
  filter: BoardFilter | undefined;
  slots: BoardSlot[];
  /** How many orders match, when main could say (and so far no change made it unsure). */
  total?: number;
  /** How many orders the journal holds. */
  all?: number;
  loadError?: string;
  /** A read for the board on screen is under way. */
  reading: boolean;
  reset: () => void;
}

const initial = {
  filter: undefined,
  slots: [],
  total: undefined,
  all: undefined,
  loadError: undefined,
  reading: false,
};

export const useBoardStore = create<BoardState>()((set) => ({
  ...initial,
  reset: () => {
    forget();
    wanted = undefined;
    view = [0, 0];
    set({ ...initial });
  },
}));

/** The window as the list sees it: how many rows, where each slot starts, and row i. */
export interface BoardWindow {
  /** Rows held or dropped, in board order (without the row that says more is coming). */
  length: number;
  /** The last slot reaches the end of the board. */
  complete: boolean;
  starts: number[];
  /** Row `i`; undefined for a row of a dropped slot (not read again yet). */
  rowAt: (i: number) => OrderSummary | undefined;
  /** Where the order with `id` is among the held rows, or -1. */
  indexOf: (id: string) => number;
}

/** The list's view of the slots (see {@link BoardWindow}). */
export function boardWindow(slots: readonly BoardSlot[]): BoardWindow {
  const starts: number[] = [];
  let length = 0;
  for (const s of slots) {
    starts.push(length);
    length += s.count;
  }
  const slotOf = (i: number): number => {
    let lo = 0;
    let hi = slots.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (starts[mid]! <= i) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  return {
    length,
    complete: slots.length > 0 && slots.at(-1)!.end === undefined,
    starts,
    rowAt: (i) => {
      if (i < 0 || i >= length) return undefined;
      const k = slotOf(i);
      return slots[k]!.rows?.[i - starts[k]!];
    },
    indexOf: (id) => {
      for (let k = 0; k < slots.length; k++) {
        const at = slots[k]!.rows?.findIndex((o) => o.id === id) ?? -1;
        if (at >= 0) return starts[k]! + at;
      }
      return -1;
    },
  };
}

// ----- the reader ------------------------------------------------------------------------

let api: PaylinkApi | undefined;
/** What the screen shows (kept when it closes, so coming back finds the rows held). */
let wanted: BoardFilter | undefined;
/** Rows on screen, first and last. */
let view: [number, number] = [0, 0];
let inFlight = false;
/** Bumped by reset (another journal): an answer to an older read is dropped. */
let generation = 0;
/** Changes that came while a read was under way: applied again over its answer. */
let arrived: OrderSummary[] | undefined;
let countsDue = false;
let countsAt = 0;
/** The last read failed: nothing more is read until the screen asks again (no retry loop). */
let stalled = false;
let countsTimer: ReturnType<typeof setTimeout> | undefined;

/** Connects the reader to main; returns the disconnect. */
export function connectBoard(a: PaylinkApi): () => void {
  api = a;
  pump();
  return () => {
    if (api === a) api = undefined;
    if (countsTimer) clearTimeout(countsTimer);
    countsTimer = undefined;
  };
}

/** The board shows `filter` now: its first page is read unless the window already holds it. */
export function showBoard(filter: BoardFilter): void {
  wanted = filter;
  stalled = false;
  pump();
}

/** The rows on screen are `first`…`last`: read what is missing nearby, drop what is far. */
export function viewBoard(first: number, last: number): void {
  if (view[0] === first && view[1] === last) return;
  view = [first, last];
  stalled = false;
  dropFar();
  pump();
}

/** Drops whatever is under way: an answer to a read asked for before is ignored. */
function forget(): void {
  generation++;
  inFlight = false;
  arrived = undefined;
  countsDue = false;
  stalled = false;
  if (countsTimer) clearTimeout(countsTimer);
  countsTimer = undefined;
}

/** Forgets the rows (main switched journals): the board on screen is read again. */
export function resetBoard(): void {
  forget();
  useBoardStore.setState({ ...initial });
  pump();
}

/** Same filter: same states, bounds and search, and the same set of orders. */
export function sameFilter(a: BoardFilter | undefined, b: BoardFilter | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  const states = (f: BoardFilter) => [...(f.states ?? [])].sort().join(',');
  return (
    states(a) === states(b) &&
    (a.from ?? '') === (b.from ?? '') &&
    (a.to ?? '') === (b.to ?? '') &&
    (a.search ?? '') === (b.search ?? '') &&
    a.ids === b.ids
  );
}

const input = (f: BoardFilter, more: Omit<OrderPageInput, keyof BoardFilter>): OrderPageInput => ({
  ...(f.states && f.states.length > 0 ? { states: [...f.states] } : {}),
  ...(f.from ? { from: f.from } : {}),
  ...(f.to ? { to: f.to } : {}),
  ...(f.ids ? { ids: [...f.ids] } : {}),
  ...(f.search ? { search: f.search } : {}),
  ...more,
});

interface Job {
  input: OrderPageInput;
  apply: (page: OrderPage) => void;
}

/** What to read next, if anything: a new filter's first page, a dropped page, the next page. */
function nextJob(): Job | undefined {
  const s = useBoardStore.getState();
  const f = wanted;
  if (f === undefined || stalled) return undefined;
  if (!sameFilter(f, s.filter)) {
    return {
      input: input(f, { limit: FIRST_PAGE }),
      apply: (page) =>
        useBoardStore.setState({
          filter: f,
          slots: [
            {
              rows: page.orders,
              count: page.orders.length,
              ...(page.resume ? { end: page.resume } : {}),
            },
          ],
          total: page.total,
          all: page.all,
          loadError: undefined,
        }),
    };
  }
  const w = boardWindow(s.slots);
  const lo = view[0] - AHEAD;
  const hi = view[1] + AHEAD;
  for (let k = 0; k < s.slots.length; k++) {
    const slot = s.slots[k]!;
    const from = w.starts[k]!;
    const to = from + Math.max(slot.count, 1) - 1;
    if (slot.rows !== null || to < lo || from > hi) continue;
    return {
      input: input(f, {
        limit: BOARD_PAGE_MAX,
        ...(slot.after ? { after: slot.after } : {}),
        ...(slot.end ? { until: slot.end } : {}),
      }),
      apply: (page) => refill(slot, page),
    };
  }
  const last = s.slots.at(-1);
  if (last?.end !== undefined && w.length <= hi) {
    const after = last.end;
    return {
      input: input(f, { limit: PAGE, after }),
      apply: (page) =>
        useBoardStore.setState((st) => ({
          slots: [
            ...st.slots,
            {
              after,
              rows: page.orders,
              count: page.orders.length,
              ...(page.resume ? { end: page.resume } : {}),
            },
          ],
        })),
    };
  }
  if (countsDue) {
    const wait = countsAt + COUNTS_EVERY_MS - Date.now();
    if (wait > 0) {
      countsTimer ??= setTimeout(() => {
        countsTimer = undefined;
        pump();
      }, wait);
      return undefined;
    }
    countsDue = false;
    countsAt = Date.now();
    return {
      input: input(f, { limit: 1 }),
      apply: (page) =>
        useBoardStore.setState((st) => ({
          all: page.all,
          ...(st.total !== undefined && page.total !== undefined ? { total: page.total } : {}),
        })),
    };
  }
  return undefined;
}

/** A dropped slot read again: its rows, and a new slot for what its range still holds. */
function refill(slot: BoardSlot, page: OrderPage): void {
  useBoardStore.setState((st) => {
    const k = st.slots.indexOf(slot);
    if (k < 0) return {};
    const read: BoardSlot = {
      ...slot,
      rows: page.orders,
      count: page.orders.length,
      ...(page.resume ? { end: page.resume } : {}),
    };
    // More orders in its range than one read gives (many arrived): the rest is a slot of its own.
    const rest: BoardSlot[] = page.resume
      ? [{ after: page.resume, rows: null, count: 0, ...(slot.end ? { end: slot.end } : {}) }]
      : [];
    return { slots: [...st.slots.slice(0, k), read, ...rest, ...st.slots.slice(k + 1)] };
  });
}

/** Reads the next thing needed, one read at a time; goes on until nothing is needed. */
function pump(): void {
  const a = api;
  if (a === undefined || inFlight) return;
  const job = nextJob();
  if (job === undefined) {
    if (useBoardStore.getState().reading) useBoardStore.setState({ reading: false });
    return;
  }
  inFlight = true;
  arrived = [];
  const asked = generation;
  const answer = settle(a.orders.page(job.input));
  if (!useBoardStore.getState().reading) useBoardStore.setState({ reading: true });
  void answer.then((r) => {
    // After a reset the reader has moved on (and is already reading again, if needed).
    if (asked !== generation) return;
    inFlight = false;
    const late = arrived ?? [];
    arrived = undefined;
    if (r.ok) {
      if (useBoardStore.getState().loadError !== undefined) {
        useBoardStore.setState({ loadError: undefined });
      }
      job.apply(r.value);
      if (late.length > 0) applyChanges(late);
      dropFar();
    } else {
      stalled = true;
      useBoardStore.setState({ loadError: errorText(r.error) });
    }
    pump();
  });
}

/** Drops the rows of slots wholly far from the rows on screen (their place stays). */
function dropFar(): void {
  const s = useBoardStore.getState();
  const w = boardWindow(s.slots);
  const lo = view[0] - KEEP;
  const hi = view[1] + KEEP;
  let changed = false;
  const slots = s.slots.map((slot, k) => {
    const from = w.starts[k]!;
    if (slot.rows === null || slot.count === 0 || (from + slot.count > lo && from <= hi)) {
      return slot;
    }
    changed = true;
    return { ...slot, rows: null };
  });
  if (changed) useBoardStore.setState({ slots });
}

/** The index of the slot whose range holds `key`, or -1 (beyond what was read). */
function slotFor(slots: readonly BoardSlot[], key: BoardKey): number {
  return slots.findIndex((s) => s.end === undefined || compareBoardKeys(key, s.end) <= 0);
}

let matcherOf: { filter: BoardFilter; match: (o: OrderSummary) => boolean } | undefined;

/** Applies live changes to the window (see the file's comment). */
function applyChanges(orders: readonly OrderSummary[]): void {
  const s = useBoardStore.getState();
  if (s.filter === undefined || s.slots.length === 0) return;
  if (matcherOf?.filter !== s.filter)
    matcherOf = { filter: s.filter, match: boardMatcher(s.filter) };
  const match = matcherOf.match;
  let slots: BoardSlot[] | undefined;
  let unsure = false;
  for (const o of orders) {
    const current = slots ?? s.slots;
    const k = slotFor(current, boardKeyOf(o));
    if (k < 0) continue;
    const slot = current[k]!;
    if (slot.rows === null) {
      unsure = true;
      continue;
    }
    const at = slot.rows.findIndex((r) => r.id === o.id);
    const held = at >= 0 ? slot.rows[at] : undefined;
    if (held !== undefined && held.updatedAt > o.updatedAt) continue;
    const keep = match(o);
    if (held === undefined && !keep) continue;
    const rows = slot.rows.slice();
    if (held !== undefined) rows.splice(at, 1);
    if (keep) {
      let i = 0;
      while (i < rows.length && compareBoardKeys(rows[i]!, o) < 0) i++;
      rows.splice(i, 0, o);
    }
    if (rows.length !== slot.rows.length) unsure = true;
    slots ??= s.slots.slice();
    slots[k] = { ...slot, rows, count: rows.length };
  }
  if (slots) useBoardStore.setState({ slots });
  if (unsure || slots) {
    countsDue = true;
    pump();
  }
}

/** Live changes from main ('order:changed', batched): into the window, and counted again. */
export function boardChanges(orders: readonly OrderSummary[]): void {
  if (orders.length === 0) return;
  arrived?.push(...orders);
  applyChanges(orders);
}
