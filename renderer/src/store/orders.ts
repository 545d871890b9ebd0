/**
 * Orders as the screens see them: a map keyed by id plus the ids sorted newest first.
 * Fed by orders.list at start and by 'order:changed' events afterwards; an update only
 * replaces one map entry (the sorted ids keep their identity unless a new order arrives).
 */
import { create } from 'zustand';
import type { OrderSummary } from '../../../common/domain';

export interface OrdersState {
  byId: Record<string, OrderSummary>;
  /** All known order ids, newest createdAt first (ties broken by id, descending). */
  ids: string[];
  loaded: boolean;
  loadError?: string;
  /** Orders sent from this window's entry screen, newest first (at most 5). */
  recentIds: string[];
  /** Replaces the list (keeps any entry an event already made newer). */
  setAll: (orders: OrderSummary[]) => void;
  /** Adds or updates one order; ignores an update older than what we hold. */
  upsert: (order: OrderSummary) => void;
  /** The same for many at once, in one store update (event bursts during a drain). */
  upsertMany: (orders: OrderSummary[]) => void;
  setLoadError: (message: string | undefined) => void;
  addRecent: (id: string) => void;
  reset: () => void;
}

/** Newest first: createdAt descending, then id descending. */
function newerFirst(a: OrderSummary, b: OrderSummary): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

function isStale(incoming: OrderSummary, held: OrderSummary | undefined): boolean {
  return held !== undefined && held.updatedAt > incoming.updatedAt;
}

/** Index at which `order` belongs in `ids` (binary search on the sort order). */
function insertionIndex(
  ids: string[],
  byId: Record<string, OrderSummary>,
  order: OrderSummary,
): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const other = byId[ids[mid]!]!;
    if (newerFirst(other, order) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const initial = { byId: {}, ids: [], loaded: false, loadError: undefined, recentIds: [] };

export const useOrdersStore = create<OrdersState>()((set) => ({
  ...initial,
  setAll: (orders) =>
    set((s) => {
      const byId: Record<string, OrderSummary> = {};
      for (const o of orders) byId[o.id] = isStale(o, s.byId[o.id]) ? s.byId[o.id]! : o;
      // Orders announced by events while the list was loading stay too.
      for (const [id, o] of Object.entries(s.byId)) if (!(id in byId)) byId[id] = o;
      const ids = Object.values(byId)
        .sort(newerFirst)
        .map((o) => o.id);
      return { byId, ids, loaded: true, loadError: undefined };
    }),
  upsert: (order) => useOrdersStore.getState().upsertMany([order]),
  upsertMany: (orders) =>
    set((s) => {
      let byId: Record<string, OrderSummary> | undefined;
      let ids: string[] | undefined;
      for (const order of orders) {
        const current = byId ?? s.byId;
        const held = current[order.id];
        if (isStale(order, held)) continue;
        byId ??= { ...s.byId };
        if (held === undefined) {
          ids ??= s.ids.slice();
          ids.splice(insertionIndex(ids, byId, order), 0, order.id);
        }
        byId[order.id] = order;
      }
      if (!byId) return s;
      return ids ? { byId, ids } : { byId };
    }),
  setLoadError: (message) => set({ loadError: message }),
  addRecent: (id) =>
    set((s) => ({ recentIds: [id, ...s.recentIds.filter((r) => r !== id)].slice(0, 5) })),
  reset: () => set({ ...initial }),
}));
