import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useAppStore, useOrdersStore } from '../../renderer/src/store';
import { HELD } from '../../renderer/src/store/orders';
import { makeOrder } from './fake-paylink';
import { renderApp } from './render-app';

describe('Orders store', () => {
  it('follows orders by their events, ignores stale updates, and holds a bounded number', () => {
    const s = useOrdersStore.getState();
    const a = makeOrder({
      id: 'a',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
    });
    s.upsert(a);
    s.upsert({ ...a, state: 'authorized', updatedAt: '2026-01-01T13:00:00.000Z' });
    s.upsert({ ...a, state: 'link_sent', updatedAt: '2026-01-01T10:30:00.000Z' }); // older: ignored
    expect(useOrdersStore.getState().byId.a!.state).toBe('authorized');

    // A long day of events: the oldest seen go, the recent list's orders stay.
    s.addRecent('a');
    s.upsertMany(Array.from({ length: HELD + 50 }, (_, i) => makeOrder({ id: `o${i}` })));
    const held = useOrdersStore.getState().byId;
    expect(Object.keys(held)).toHaveLength(HELD + 1);
    expect(held.a).toBeDefined();
    expect(held.o0).toBeUndefined();
    expect(held[`o${HELD + 49}`]).toBeDefined();
  });

  it('keeps the five most recent orders sent from this desk', () => {
    const s = useOrdersStore.getState();
    for (const id of ['1', '2', '3', '4', '5', '6', '3']) s.addRecent(id);
    expect(useOrdersStore.getState().recentIds).toEqual(['3', '6', '5', '4', '2']);
  });

  it('opens the order a notification points at (navigate:order)', async () => {
    const order = makeOrder({ state: 'authorized' });
    const { fake } = await renderApp({ orders: [order] });
    act(() => fake.control.emit('navigate:order', { id: order.id }));
    expect(useAppStore.getState().screen).toBe('detail');
    expect(
      await screen.findByRole('heading', { name: `Order ${order.merchantReference}` }),
    ).toBeTruthy();
  });
});
