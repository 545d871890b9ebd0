/**
 * Orders the screens follow one by one: the ones sent from this window's entry screen (its
 * recent list) and the ones opened in the detail screen, kept up to date by 'order:changed'
 * events. Not the board's rows (store/board.ts holds its window): at most {@link HELD} orders,
 * the oldest seen dropped first (the recent ones stay), so a long day never piles up here.
 */
import { create } from 'zustand';
import type { OrderSummary } from '../../../common/domain';

/** Most orders held. */
export const HELD = 500;

export interface OrdersState {
  byId: Record<string, OrderSummary>;
  /** Orders sent from this window's entry screen, newest first (at most 5). */
  recentIds: string[];
  /** Adds or updates one order; ignores an update older than what we hold. */
  upsert: (order: OrderSummary) => void;
  /** The same for many at once, in one store update (event bursts during a drain). */
  upsertMany: (orders: OrderSummary[]) => void;
  addRecent: (id: string) => void;
  reset: () => void;
}

function isStale(incoming: OrderSummary, held: OrderSummary | undefined): boolean {
  return held !== undefined && held.updatedAt > incoming.updatedAt;
}

const initial = { byId: {}, recentIds: [] };

export const useOrdersStore = create<OrdersState>()((set) => ({
  ...initial,
  upsert: (order) => useOrdersStore.getState().upsertMany([order]),
  upsertMany: (orders) =>
    set((s) => {
      let byId: Record<string, OrderSummary> | undefined;
      for (const order of orders) {
        if (isStale(order, (byId ?? s.byId)[order.id])) continue;
        byId ??= { ...s.byId };
        byId[order.id] = order;
      }
      if (!byId) return s;
      const ids = Object.keys(byId);
      if (ids.length > HELD) {
        // Keys keep the order they were first added in: the oldest seen go first.
        const keep = new Set(s.recentIds);
        for (const id of ids.slice(0, ids.length - HELD)) if (!keep.has(id)) delete byId[id];
      }
      return { byId };
    }),
  addRecent: (id) =>
    set((s) => ({ recentIds: [id, ...s.recentIds.filter((r) => r !== id)].slice(0, 5) })),
  reset: () => set({ ...initial }),
}));
