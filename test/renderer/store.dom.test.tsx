import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useAppStore, useOrdersStore } from '../../renderer/src/store';
import { makeOrder } from './fake-paylink';
import { renderApp } from './render-app';

describe('Orders store', () => {
  it('keeps ids newest first, inserts new orders in place, and ignores stale updates', () => {
    const s = useOrdersStore.getState();
    const a = makeOrder({
      id: 'a',
      createdAt: '2026-01-01T10:00:00.000Z',
      updatedAt: '2026-01-01T10:00:00.000Z',
    });
    const c = makeOrder({
      id: 'c',
      createdAt: '2026-01-01T12:00:00.000Z',
      updatedAt: '2026-01-01T12:00:00.000Z',
    });
    s.setAll([a, c]);
    expect(useOrdersStore.getState().ids).toEqual(['c', 'a']);
    const b = makeOrder({ id: 'b', createdAt: '2026-01-01T11:00:00.000Z' });
    s.upsert(b);
    expect(useOrdersStore.getState().ids).toEqual(['c', 'b', 'a']);

    const idsBefore = useOrdersStore.getState().ids;
    s.upsert({ ...a, state: 'authorized', updatedAt: '2026-01-01T13:00:00.000Z' });
    expect(useOrdersStore.getState().ids).toBe(idsBefore); // a status change does not re-sort
    s.upsert({ ...a, state: 'link_sent', updatedAt: '2026-01-01T10:30:00.000Z' }); // older: ignored
    expect(useOrdersStore.getState().byId.a!.state).toBe('authorized');

    // A list that arrives after a newer event keeps the event's version.
    s.setAll([{ ...a, state: 'link_sent' }, c]);
    expect(useOrdersStore.getState().byId.a!.state).toBe('authorized');
    expect(useOrdersStore.getState().ids).toEqual(['c', 'b', 'a']);
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
