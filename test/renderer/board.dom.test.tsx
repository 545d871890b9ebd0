import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ERASED_PHONE, ORDER_STATES, STATUS_WORDS, type OrderSummary } from '../../common/domain';
import type { OrderPageInput } from '../../common/ipc-contract';
import { msg } from '../../common/i18n/messages';
import { BOARD_PAGE_MAX } from '../../common/order-search';
import { ROW_HEIGHT } from '../../renderer/src/screens/OrderBoardScreen';
import { useAppStore, useBoardStore } from '../../renderer/src/store';
import { boardWindow, FIRST_PAGE, KEEP, PAGE } from '../../renderer/src/store/board';
import { makeOrder, type FakePaylink } from './fake-paylink';
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

  it('says which desk of the store sent each order', async () => {
    const own = makeOrder({ createdAt: '2025-03-01T10:00:00.000Z' });
    const other = makeOrder({
      createdAt: '2025-03-01T11:00:00.000Z',
      originDesk: 'DESKAA',
      createdBy: 'Desk 2',
    });
    const { user } = await renderApp({ orders: [own, other] });
    await go(user, 'Orders');
    expect(screen.getByRole('columnheader', { name: 'Desk' })).toBeTruthy();
    expect(rows().map((r) => r.querySelector('.col--desk')!.textContent)).toEqual([
      'Desk 2 (DESKAA)',
      'This desk',
    ]);
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

describe('Orders board: a window on the journal', () => {
  const held = (): number =>
    useBoardStore.getState().slots.reduce((n, s) => n + (s.rows?.length ?? 0), 0);
  const pageCalls = (fake: FakePaylink): OrderPageInput[] =>
    fake.callsTo('orders:page') as OrderPageInput[];
  /** Scrolls the list to its last row (the one that says more is coming). */
  const scrollToEnd = (): void => {
    const rowsHeld = boardWindow(useBoardStore.getState().slots).length;
    act(() => grid().scrollTo({ top: Math.max(0, (rowsHeld + 1) * ROW_HEIGHT - 600) }));
  };

  it('reads pages as the list scrolls, drops those far away and reads them again coming back', async () => {
    const { user, fake } = await renderApp({ orders: manyOrders(3000) });
    await go(user, 'Orders');
    await waitFor(() => expect(refs()[0]).toBe('REF-00000'));
    expect(screen.getByText('3,000 orders')).toBeTruthy();
    expect(held()).toBeLessThanOrEqual(FIRST_PAGE + PAGE);
    for (let i = 0; i < 12; i++) {
      const before = boardWindow(useBoardStore.getState().slots).length;
      scrollToEnd();
      await waitFor(() =>
        expect(boardWindow(useBoardStore.getState().slots).length).toBeGreaterThan(before),
      );
    }
    const w = boardWindow(useBoardStore.getState().slots);
    expect(w.length).toBeGreaterThan(1000);
    // Far pages are dropped (their place kept); what is held stays a window.
    await waitFor(() => expect(useBoardStore.getState().slots[0]!.rows).toBeNull());
    expect(held()).toBeLessThan(2 * KEEP + 2 * PAGE);
    expect(refs().length).toBeLessThan(40);
    // Every read was one page, never more than main allows.
    for (const q of pageCalls(fake)) expect(q.limit).toBeLessThanOrEqual(BOARD_PAGE_MAX);
    const reads = pageCalls(fake).length;
    act(() => grid().scrollTo({ top: 0 }));
    await waitFor(() => expect(refs()[0]).toBe('REF-00000'));
    // The top page was read again over its own range.
    const again = pageCalls(fake).slice(reads);
    expect(again.some((q) => q.after === undefined && q.until !== undefined)).toBe(true);
  });

  it('asks main for the search as typed; while one is read, only the newest keystroke is read next', async () => {
    const { user, fake } = await renderApp({ orders: manyOrders(500) });
    await go(user, 'Orders');
    await waitFor(() => expect(refs()[0]).toBe('REF-00000'));
    // Main takes its time to answer: keystrokes meanwhile are not each read.
    const page = fake.api.orders.page;
    fake.api.orders.page = (q) => new Promise((resolve) => setTimeout(() => resolve(page(q)), 40));
    const before = pageCalls(fake).length;
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'REF-0042');
    await waitFor(() =>
      expect(refs()).toEqual(Array.from({ length: 10 }, (_, i) => `REF-0042${i}`)),
    );
    const searches = pageCalls(fake)
      .slice(before)
      .map((q) => q.search);
    expect(searches.at(-1)).toBe('REF-0042');
    expect(searches.length).toBeLessThan('REF-0042'.length);
    expect(screen.getByText('10 of 500 orders')).toBeTruthy();
  });

  it('moves a changed order in or out of a filtered board, by the board’s own rules', async () => {
    const orders = manyOrders(12).map((o) => ({ ...o, state: 'link_sent' as const }));
    const { user, fake } = await renderApp({ orders });
    await go(user, 'Orders');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Status' }), 'link_sent');
    await waitFor(() => expect(refs()).toHaveLength(12));
    act(() => {
      fake.control.setState('o3', 'authorized');
    });
    await waitFor(() => expect(refs()).not.toContain('REF-00003'));
    expect(screen.getByText('11 of 12 orders')).toBeTruthy();
    act(() => {
      fake.control.setState('o3', 'link_sent');
    });
    await waitFor(() =>
      expect(refs().slice(0, 5)).toEqual([
        'REF-00000',
        'REF-00001',
        'REF-00002',
        'REF-00003',
        'REF-00004',
      ]),
    );
  });

  it('keeps the rows on screen still when a new order arrives while scrolled down', async () => {
    const { user, fake } = await renderApp({ orders: manyOrders(300) });
    await go(user, 'Orders');
    await waitFor(() => expect(refs()[0]).toBe('REF-00000'));
    act(() => grid().scrollTo({ top: 20 * ROW_HEIGHT }));
    await waitFor(() => expect(refs()).toContain('REF-00025'));
    const top = grid().scrollTop;
    act(() => {
      fake.control.emit(
        'order:changed',
        makeOrder({
          id: 'fresh',
          merchantReference: 'NEW-2',
          createdAt: '2026-03-09T00:00:00.000Z',
        }),
      );
    });
    await waitFor(() => expect(grid().scrollTop).toBe(top + ROW_HEIGHT));
    act(() => grid().scrollTo({ top: 0 }));
    await waitFor(() => expect(refs()[0]).toBe('NEW-2'));
  });

  it('shows a day close’s orders alone: main is asked for exactly those, within their day', async () => {
    const orders = manyOrders(200);
    const picked = [orders[5]!, orders[17]!, orders[150]!];
    const { user, fake } = await renderApp({ orders });
    await go(user, 'Orders');
    await waitFor(() => expect(refs()[0]).toBe('REF-00000'));
    act(() =>
      useAppStore.getState().showOnBoard({
        label: msg('line.legacy', { text: 'Paid, 1 March' }),
        orderIds: picked.map((o) => o.id),
        from: '2026-02-01T00:00:00.000+01:00',
        to: '2026-03-01T23:59:59.999+01:00',
      }),
    );
    await waitFor(() => expect(refs()).toEqual(['REF-00005', 'REF-00017', 'REF-00150']));
    const q = pageCalls(fake).at(-1)!;
    expect(q.ids).toEqual(picked.map((o) => o.id));
    expect(q.from).toBe('2026-01-31T23:00:00.000Z');
    expect(q.to).toBe('2026-03-01T22:59:59.999Z');
    expect(screen.getByText('3 of 200 orders')).toBeTruthy();
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
