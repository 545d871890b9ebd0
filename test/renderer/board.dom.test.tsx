import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ERASED_PHONE, ORDER_STATES, STATUS_WORDS, type OrderSummary } from '../../common/domain';
import { useAppStore } from '../../renderer/src/store';
import { makeOrder } from './fake-paylink';
import { go, renderApp } from './render-app';

/** `n` orders, one minute apart, newest = index 0. */
function manyOrders(n: number, start = Date.UTC(2026, 2, 1, 12, 0, 0)): OrderSummary[] {
  return Array.from({ length: n }, (_, i) => {
    const createdAt = new Date(start - i * 60_000).toISOString();
    return makeOrder({
      id: `o${i}`,
      merchantReference: `REF-${String(i).padStart(5, '0')}`,
      createdAt,
      updatedAt: createdAt,
      phone: `+47${String(90_000_000 + i)}`,
      amount: 10_000 + i * 100,
      state: ORDER_STATES[i % ORDER_STATES.length]!,
    });
  });
}

const grid = (): HTMLElement => screen.getByRole('grid');
const rows = (): HTMLElement[] => within(grid()).getAllByRole('row').slice(1); // minus the header
const refs = (): string[] => rows().map((r) => r.querySelector('.col--ref')!.textContent);

describe('Orders board', () => {
  it('lists every order newest first, each with its reference and exactly one status word', async () => {
    const orders = manyOrders(20);
    const { user } = await renderApp({ orders: [...orders].reverse() });
    await go(user, 'Orders');
    expect(screen.getByText('20 orders')).toBeTruthy();
    expect(refs().slice(0, 3)).toEqual(['REF-00000', 'REF-00001', 'REF-00002']);
    const words = Object.values(STATUS_WORDS) as string[];
    for (const row of rows()) {
      const order = orders.find((o) => o.id === row.dataset.orderId)!;
      const shown = words.filter((w) => within(row).queryByText(w, { exact: true }) !== null);
      expect(shown).toEqual([STATUS_WORDS[order.state]]);
    }
  });

  it('keeps 10,000 orders to a screenful of rows in the DOM', async () => {
    const { user } = await renderApp({ orders: manyOrders(10_000) });
    await go(user, 'Orders');
    expect(screen.getByText('10,000 orders')).toBeTruthy();
    expect(grid().getAttribute('aria-rowcount')).toBe('10001');
    const rendered = rows().length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40);
  });

  it('searches by phone, reference, name and amount', async () => {
    const orders = [
      makeOrder({
        merchantReference: 'SHOP-AAA',
        phone: '+4791112222',
        amount: 129950,
        customerName: 'Kari Nordmann',
      }),
      makeOrder({
        merchantReference: 'SHOP-BBB',
        phone: '+4798887777',
        amount: 50000,
        customerName: 'Ola Hansen',
      }),
      makeOrder({
        merchantReference: 'SHOP-CCC',
        phone: '+46701234567',
        amount: 7500,
        currency: 'SEK',
      }),
    ];
    const { user } = await renderApp({ orders });
    await go(user, 'Orders');
    const search = screen.getByRole('searchbox', { name: 'Search' });
    const expectRefs = async (expected: string[]): Promise<void> =>
      waitFor(() => expect(refs().sort()).toEqual(expected));

    await user.type(search, '98 88 77');
    await expectRefs(['SHOP-BBB']);
    await user.clear(search);
    await user.type(search, 'shop-c');
    await expectRefs(['SHOP-CCC']);
    await user.clear(search);
    await user.type(search, 'kari');
    await expectRefs(['SHOP-AAA']);
    await user.clear(search);
    await user.type(search, '1 299,50');
    await expectRefs(['SHOP-AAA']);
    await user.clear(search);
    await user.type(search, '75');
    await expectRefs(['SHOP-CCC']);
    expect(screen.getByText('1 of 3 orders')).toBeTruthy();
    await user.clear(search);
    await user.type(search, 'nobody');
    await waitFor(() =>
      expect(screen.getByText('No orders match the search and filters.')).toBeTruthy(),
    );
  });

  it('filters by status and by date', async () => {
    const orders = [
      makeOrder({
        merchantReference: 'PAID-1',
        state: 'authorized',
        createdAt: '2026-03-02T10:00:00.000Z',
      }),
      makeOrder({
        merchantReference: 'SENT-1',
        state: 'link_sent',
        createdAt: '2026-03-02T11:00:00.000Z',
      }),
      makeOrder({
        merchantReference: 'PAID-2',
        state: 'authorized',
        createdAt: '2026-02-20T10:00:00.000Z',
      }),
    ];
    const { user } = await renderApp({ orders });
    await go(user, 'Orders');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'authorized');
    await waitFor(() => expect(refs()).toEqual(['PAID-1', 'PAID-2']));
    const from = screen.getByLabelText('From date');
    await user.type(from, '2026-03-01');
    await waitFor(() => expect(refs()).toEqual(['PAID-1']));
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    await waitFor(() => expect(refs()).toEqual(['SENT-1', 'PAID-1', 'PAID-2']));
    await user.type(screen.getByLabelText('To date'), '2026-02-28');
    await waitFor(() => expect(refs()).toEqual(['PAID-2']));
  });

  it('is keyboard navigable: arrows move, Enter opens the detail', async () => {
    const orders = manyOrders(50);
    const { user } = await renderApp({ orders });
    await go(user, 'Orders');
    grid().focus();
    expect(document.activeElement).toBe(grid());
    const active = (): string =>
      document.getElementById(grid().getAttribute('aria-activedescendant')!)!.dataset.orderId!;
    expect(active()).toBe('o0');
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowUp}');
    expect(active()).toBe('o2');
    expect(
      document
        .getElementById(grid().getAttribute('aria-activedescendant')!)!
        .getAttribute('aria-selected'),
    ).toBe('true');
    await user.keyboard('{End}');
    await waitFor(() => expect(active()).toBe('o49'));
    await user.keyboard('{Home}{PageDown}');
    await waitFor(() => expect(active()).toBe('o10'));
    await user.keyboard('{Home}{ArrowDown}{ArrowDown}{Enter}');
    expect(useAppStore.getState().screen).toBe('detail');
    expect(await screen.findByRole('heading', { name: 'Order REF-00002' })).toBeTruthy();
  });

  it('shows live updates from order:changed', async () => {
    const orders = manyOrders(3);
    const { user, fake } = await renderApp({ orders });
    await go(user, 'Orders');
    const row = (): HTMLElement => rows().find((r) => r.dataset.orderId === 'o1')!;
    act(() => {
      fake.control.setState('o1', 'captured');
    });
    await waitFor(() => expect(within(row()).getByText('Captured')).toBeTruthy());
    // A brand-new order goes to the top.
    const fresh = makeOrder({
      id: 'brand-new',
      merchantReference: 'NEW-1',
      createdAt: '2026-03-09T00:00:00.000Z',
    });
    act(() => {
      fake.control.emit('order:changed', fresh);
    });
    await waitFor(() => expect(refs()[0]).toBe('NEW-1'));
  });

  it('masks phone numbers unless staff ask for the full number', async () => {
    const { user } = await renderApp({ orders: [makeOrder({ phone: '+4791234567' })] });
    await go(user, 'Orders');
    const phone = (): string => rows()[0]!.querySelector('.col--phone')!.textContent;
    expect(phone()).toBe('+47 •• •• •5 67');
    await user.click(screen.getByRole('checkbox', { name: 'Show full phone numbers' }));
    expect(phone()).toBe('+47 91 23 45 67');
  });

  it('shows an erased customer phone as a word, masked or not', async () => {
    const { user } = await renderApp({
      orders: [
        makeOrder({
          state: 'captured',
          phone: ERASED_PHONE,
          customerErasedAt: '2026-04-20T03:00:00.000Z',
        }),
      ],
    });
    await go(user, 'Orders');
    const phone = (): string => rows()[0]!.querySelector('.col--phone')!.textContent;
    expect(phone()).toBe('(erased)');
    await user.click(screen.getByRole('checkbox', { name: 'Show full phone numbers' }));
    expect(phone()).toBe('(erased)');
  });
});

describe('Orders board after a switch between training and live', () => {
  const order = (id: string, ref: string, minute: number): OrderSummary => {
    const createdAt = new Date(Date.UTC(2026, 2, 1, 12, minute)).toISOString();
    return makeOrder({ id, merchantReference: ref, createdAt, updatedAt: createdAt });
  };

  it('shows only the orders of the journal now in use, both ways', async () => {
    const training = [order('t1', 'TRAIN-1', 1), order('t2', 'TRAIN-2', 2)];
    const live = [order('l1', 'LIVE-1', 3)];
    const { user, fake } = await renderApp({ mode: 'training', orders: training });
    await go(user, 'Orders');
    expect(refs()).toEqual(['TRAIN-2', 'TRAIN-1']);

    act(() => {
      // A training order's change still on its way when main switches to the live journal.
      fake.control.emit('order:changed', {
        ...training[0]!,
        state: 'authorized',
        statusWord: STATUS_WORDS.authorized,
        updatedAt: new Date(Date.UTC(2026, 2, 1, 12, 10)).toISOString(),
      });
      fake.control.switchMode('live', live);
    });
    await waitFor(() => expect(refs()).toEqual(['LIVE-1']));
    expect(screen.getByText('1 order')).toBeTruthy();
    // Well after the batched events would have been applied: nothing of training came back.
    await new Promise((r) => setTimeout(r, 50));
    expect(refs()).toEqual(['LIVE-1']);

    act(() => fake.control.switchMode('training', training));
    await waitFor(() => expect(refs()).toEqual(['TRAIN-2', 'TRAIN-1']));
  });

  it('leaves the detail of an order of the other journal for the board', async () => {
    const training = [order('t1', 'TRAIN-1', 1)];
    const { fake } = await renderApp({ mode: 'training', orders: training });
    act(() => useAppStore.getState().openOrder('t1'));
    await screen.findByRole('heading', { name: 'Order TRAIN-1' });
    act(() => fake.control.switchMode('live', [order('l1', 'LIVE-1', 3)]));
    await waitFor(() => expect(useAppStore.getState().screen).toBe('board'));
    await waitFor(() => expect(refs()).toEqual(['LIVE-1']));
  });
});
