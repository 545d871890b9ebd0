/**
 * Bench 6d: what one 'order:changed' event costs the renderer (its real stores, run here in
 * Node's V8): the board's window (renderer/src/store/board.ts) places the changed order in its
 * page by the board's rules, and the orders the screens follow (store/orders.ts, at most
 * HELD) take it too. The window is bounded whatever the journal holds (pages around the rows on
 * screen; far ones dropped), so this is the cost at 1,000,000 orders as at 1,000. Every send
 * and every status change of every order is one such event (a drain of 1,000 orders is
 * ~3,000). Baseline: the same event with one page held (the board just opened).
 */
import { expect } from 'vitest';
import type { OrderSummary } from '../../../common/domain';
import { boardChanges, KEEP, PAGE, useBoardStore } from '../../../renderer/src/store/board';
import { HELD, useOrdersStore } from '../../../renderer/src/store/orders';
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

/**
 * ms per event (p50 over `updates`): a status change of an order on screen, with the board's
 * window holding `rows` (in pages of PAGE) and the followed orders full.
 */
function eventCost(rows: number, updates: number): number {
  const all = Array.from({ length: rows }, (_, i) => order(rows - 1 - i));
  const slots = [];
  for (let i = 0; i < rows; i += PAGE) {
    const part = all.slice(i, i + PAGE);
    slots.push({
      ...(i > 0 ? { after: { createdAt: all[i - 1]!.createdAt, id: all[i - 1]!.id } } : {}),
      ...(i + PAGE < rows
        ? { end: { createdAt: part.at(-1)!.createdAt, id: part.at(-1)!.id } }
        : {}),
      rows: part,
      count: part.length,
    });
  }
  useBoardStore.getState().reset();
  useBoardStore.setState({ filter: {}, slots });
  useOrdersStore.getState().reset();
  useOrdersStore.getState().upsertMany(Array.from({ length: HELD }, (_, i) => order(i)));
  const times: number[] = [];
  for (let k = 0; k < updates; k++) {
    const o = all[(k * 7919) % rows]!;
    const changed: OrderSummary = {
      ...o,
      state: 'authorized',
      statusWord: 'Paid',
      updatedAt: new Date(Date.parse(o.updatedAt) + 1000 + k).toISOString(),
    };
    const t0 = performance.now();
    useOrdersStore.getState().upsertMany([changed]);
    boardChanges([changed]);
    times.push(performance.now() - t0);
  }
  const held = useBoardStore.getState().slots.reduce((n, s) => n + (s.rows?.length ?? 0), 0);
  expect(held).toBe(rows);
  useBoardStore.getState().reset();
  useOrdersStore.getState().reset();
  return percentile(times, 50);
}

export function benchStore(): BenchRow[] {
  const full = 2 * KEEP + 2 * PAGE;
  eventCost(PAGE, 50); // warm-up
  const base = eventCost(PAGE, 300);
  const windowed = eventCost(full, 300);
  console.log(
    `[6d] renderer, one order:changed (a held order's status), p50:\n` +
      `    board window of ${full} rows ${ms(windowed, 3)}; one page (${PAGE} rows) ${ms(base, 3)}` +
      ` (followed orders: ${HELD} held in both)`,
  );
  return [
    {
      id: '6d',
      what: `renderer: one order:changed event, board window full (${full} rows; any journal size)`,
      figure: ms(windowed, 3),
      baseline: `same, one page held ${ms(base, 3)}`,
      ratio: windowed / base,
      data: { windowed, base, full },
    },
  ];
}
