/**
 * Bench 6d: what one 'order:changed' event costs the renderer's order store
 * (renderer/src/store/orders.ts, the real module, run here in Node's V8) with many orders held:
 * upsert() of an order the store already has (a status change), with 10,000 and 100,000 orders
 * loaded. Every send and every status change of every order is one such event (a drain of
 * 1,000 orders is ~3,000). Baseline: the same upsert with 1,000 orders held.
 */
import { expect } from 'vitest';
import type { OrderSummary } from '../../../common/domain';
import { useOrdersStore } from '../../../renderer/src/store/orders';
import { ms, percentile, type BenchRow } from '../lib/report';

function order(i: number): OrderSummary {
  const at = new Date(Date.parse('2025-01-01T08:00:00Z') + i * 60_000).toISOString();
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    merchantReference: `DESK1-20250101-${i + 1}`,
    state: 'link_sent',
    statusWord: 'Link sent',
    phone: `+474${String(1_000_000 + i).padStart(7, '0')}`,
    amount: 24_900,
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
  };
}

/** ms per upsert of an existing order (p50 over `updates`) with `held` orders in the store. */
function upsertCost(held: number, updates: number): { p50: number; setAll: number } {
  const store = useOrdersStore.getState();
  store.reset();
  const all = Array.from({ length: held }, (_, i) => order(i));
  const s0 = performance.now();
  useOrdersStore.getState().setAll(all);
  const setAll = performance.now() - s0;
  const times: number[] = [];
  for (let k = 0; k < updates; k++) {
    const o = all[(k * 7919) % held]!;
    const changed: OrderSummary = {
      ...o,
      state: 'authorized',
      statusWord: 'Paid',
      updatedAt: new Date(Date.parse(o.updatedAt) + 1000 + k).toISOString(),
    };
    const t0 = performance.now();
    useOrdersStore.getState().upsert(changed);
    times.push(performance.now() - t0);
  }
  expect(useOrdersStore.getState().ids.length).toBe(held);
  useOrdersStore.getState().reset();
  return { p50: percentile(times, 50), setAll };
}

export function benchStore(): BenchRow[] {
  upsertCost(1000, 50); // warm-up
  const base = upsertCost(1000, 200);
  const ten = upsertCost(10_000, 100);
  const hundred = upsertCost(100_000, 20);
  console.log(
    `[6d] renderer order store, one order:changed (upsert of a held order), p50:\n` +
      `    1,000 held ${ms(base.p50, 3)}; 10,000 held ${ms(ten.p50, 2)}; 100,000 held ${ms(hundred.p50, 1)}` +
      ` (setAll: ${ms(base.setAll, 1)}, ${ms(ten.setAll, 0)}, ${ms(hundred.setAll, 0)})`,
  );
  return [
    {
      id: '6d',
      what: 'renderer store: one order:changed event, 10,000 orders held',
      figure: ms(ten.p50, 2),
      baseline: `same, 1,000 held ${ms(base.p50, 3)}`,
      ratio: ten.p50 / base.p50,
      data: { base, ten, hundred },
    },
    {
      id: '6d',
      what: 'renderer store: one order:changed event, 100,000 orders held',
      figure: ms(hundred.p50, 1),
      baseline: `same, 1,000 held ${ms(base.p50, 3)}`,
      ratio: hundred.p50 / base.p50,
    },
  ];
}
