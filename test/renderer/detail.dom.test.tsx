import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ERASED_PHONE, type OrderSummary } from '../../common/domain';
import { useAppStore } from '../../renderer/src/store';
import { makeOrder, TINY_PNG, type FakeOptions } from './fake-paylink';
import { renderApp } from './render-app';

const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ');

async function openDetail(order: OrderSummary, opts: FakeOptions = {}) {
  const r = await renderApp({ ...opts, orders: [order] });
  useAppStore.getState().openOrder(order.id);
  await screen.findByRole('heading', { name: `Order ${order.merchantReference}` });
  await screen.findByRole('heading', { name: 'Timeline' });
  return r;
}

const actionsRegion = (): HTMLElement => screen.getByRole('region', { name: 'Actions' });

describe('Order detail', () => {
  it('shows the link, its QR code and the timeline with times and actors', async () => {
    const order = makeOrder({ state: 'link_sent', customerName: 'Kari Nordmann' });
    await openDetail(order);
    const img = await screen.findByRole<HTMLImageElement>('img', {
      name: 'QR code for the payment link',
    });
    expect(img.getAttribute('src')).toBe(TINY_PNG);
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Link' }).value).toBe(
      order.linkUrl,
    );
    const timeline = screen.getByRole('region', { name: 'Timeline' });
    const items = within(timeline).getAllByRole('listitem');
    expect(items.map((li) => li.querySelector('.timeline__kind')!.textContent)).toEqual([
      'Order created',
      'Link sent',
    ]);
    expect(items[0]!.textContent).toContain('by Desk 1');
    expect(items[1]!.querySelector('time')!.getAttribute('dateTime')).toBe(order.updatedAt);
    expect(screen.getByText('+47 91 23 45 67')).toBeTruthy();
    expect(screen.getByText('Kari Nordmann')).toBeTruthy();
  });

  it('says when another desk of the store sent the order, and still offers its actions', async () => {
    const order = makeOrder({
      state: 'authorized',
      authorizedAmount: 25_000,
      originDesk: 'DESKAA',
      createdBy: 'Desk 2',
    });
    await openDetail(order);
    const facts = screen.getByText('Sent from').parentElement!;
    expect(plain(facts.textContent)).toContain('Another desk of the store (DESKAA)');
    expect(actionsRegion().querySelector('[data-action="capture"]')).toBeTruthy();
  });

  it('a lost operation answer shows "Unknown" and that Dintero is being asked', async () => {
    const order = makeOrder({
      state: 'captured',
      capturedAmount: 25_000,
      authorizedAmount: 25_000,
      pendingOperation: 'refund',
      outcomeUnknown: true,
    });
    await openDetail(order);
    const title = screen.getByRole('heading', { name: `Order ${order.merchantReference}` });
    expect(title.parentElement!.querySelector('.status__word')!.textContent).toBe('Unknown');
    const notices = screen.getAllByText(
      /Paylink Desk is checking with Dintero whether it went through/,
    );
    expect(notices[0]!.getAttribute('role')).toBe('status');
    // Every money action says why it waits: the app's own reason (common/order-actions).
    expect(actionsRegion().querySelector('[data-action="capture"]')!.textContent).toBe(
      'Capture: The answer to the refund was lost. Paylink Desk is checking with Dintero whether it went through; no other money operation can start until that is known.',
    );
  });

  it('captures the full amount after a confirmation step', async () => {
    const order = makeOrder({ state: 'authorized', amount: 129950 });
    const { user, fake } = await openDetail(order);
    const amount = within(actionsRegion()).getByRole<HTMLInputElement>('textbox', {
      name: 'Capture amount',
    });
    expect(amount.value).toBe('1299.50');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    // Nothing happens before staff confirm.
    expect(fake.callsTo('orders:capture')).toHaveLength(0);
    expect(plain(screen.getByText(/Capture .* from the customer’s payment\?/).textContent)).toBe(
      'Capture NOK 1,299.50 from the customer’s payment?',
    );
    const confirm = screen.getByRole('button', { name: 'Confirm capture' });
    expect(document.activeElement).toBe(confirm);
    await user.click(confirm);
    expect(fake.callsTo('orders:capture')).toEqual([{ id: order.id, amount: 129950 }]);
    await waitFor(() => expect(screen.getByText('Capture requested.')).toBeTruthy());
    const title = screen.getByRole('heading', {
      name: `Order ${order.merchantReference}`,
    }).parentElement!;
    expect(within(title).getByText('Captured')).toBeTruthy();
  });

  it('captures the rest after a partial refund, as the engine allows, and stays partially refunded', async () => {
    // 400.00 of 1000.00 captured, 100.00 of that refunded: 600.00 is still capturable.
    const order = makeOrder({
      state: 'partially_refunded',
      amount: 100000,
      authorizedAmount: 100000,
      capturedAmount: 40000,
      refundedAmount: 10000,
    });
    const { user, fake } = await openDetail(order);
    const amount = within(actionsRegion()).getByRole<HTMLInputElement>('textbox', {
      name: 'Capture amount',
    });
    expect(amount.value).toBe('600.00');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    await user.click(screen.getByRole('button', { name: 'Confirm capture' }));
    expect(fake.callsTo('orders:capture')).toEqual([{ id: order.id, amount: 60000 }]);
    await waitFor(() => expect(fake.orders.get(order.id)!.capturedAmount).toBe(100000));
    const title = screen.getByRole('heading', {
      name: `Order ${order.merchantReference}`,
    }).parentElement!;
    await waitFor(() => expect(within(title).getByText('Partially refunded')).toBeTruthy());
  });

  it('captures part of the amount, and "Not now" sends nothing', async () => {
    const order = makeOrder({ state: 'authorized', amount: 100000 });
    const { user, fake } = await openDetail(order);
    const amount = within(actionsRegion()).getByRole('textbox', { name: 'Capture amount' });
    await user.clear(amount);
    await user.type(amount, '400');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(fake.callsTo('orders:capture')).toHaveLength(0);
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    await user.click(screen.getByRole('button', { name: 'Confirm capture' }));
    expect(fake.callsTo('orders:capture')).toEqual([{ id: order.id, amount: 40000 }]);
    const title = screen.getByRole('heading', {
      name: `Order ${order.merchantReference}`,
    }).parentElement!;
    await waitFor(() => expect(within(title).getByText('Partially captured')).toBeTruthy());
    // The rest can still be captured, and the field offers exactly that.
    await waitFor(() =>
      expect(
        within(actionsRegion()).getByRole<HTMLInputElement>('textbox', { name: 'Capture amount' })
          .value,
      ).toBe('600.00'),
    );
  });

  it('refuses to capture more than was paid, before asking main', async () => {
    const order = makeOrder({ state: 'authorized', amount: 10000 });
    const { user, fake } = await openDetail(order);
    const amount = within(actionsRegion()).getByRole('textbox', { name: 'Capture amount' });
    await user.clear(amount);
    await user.type(amount, '150');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    expect(
      plain(screen.getByText(/^Up to NOK 100\.00$/, { selector: '.field__error' }).textContent),
    ).toBe('Up to NOK 100.00');
    expect(screen.queryByRole('button', { name: 'Confirm capture' })).toBeNull();
    expect(fake.callsTo('orders:capture')).toHaveLength(0);
  });

  it('refunds with a reason and a confirmation', async () => {
    const order = makeOrder({ state: 'captured', amount: 50000 });
    const { user, fake } = await openDetail(order);
    const refund = within(actionsRegion()).getByRole('button', { name: 'Refund' });
    await user.click(refund);
    expect(screen.getByText('Give a reason for the refund.')).toBeTruthy();
    await user.selectOptions(
      within(actionsRegion()).getByRole('combobox', { name: 'Refund reason' }),
      'Damaged or faulty goods',
    );
    await user.type(
      within(actionsRegion()).getByRole('textbox', { name: 'Details (optional)' }),
      'in transit',
    );
    // No approval limit is set: no manager PIN is asked.
    expect(within(actionsRegion()).queryByLabelText('Manager PIN')).toBeNull();
    const amount = within(actionsRegion()).getByRole('textbox', { name: 'Refund amount' });
    expect((amount as HTMLInputElement).value).toBe('500.00');
    await user.clear(amount);
    await user.type(amount, '120,50');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Refund' }));
    expect(plain(screen.getByText(/^Refund NOK/).textContent)).toBe(
      'Refund NOK 120.50 to the customer? Reason: Damaged or faulty goods: in transit',
    );
    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    expect(fake.callsTo('orders:refund')).toEqual([
      { id: order.id, amount: 12050, reason: { code: 'damaged' }, reasonText: 'in transit' },
    ]);
    await waitFor(() => expect(screen.getByText('Refund requested.')).toBeTruthy());
  });

  it('refuses a refund reason with a hidden direction character before asking to confirm', async () => {
    const order = makeOrder({ state: 'captured', amount: 50000 });
    const { user, fake } = await openDetail(order);
    await user.selectOptions(
      within(actionsRegion()).getByRole('combobox', { name: 'Refund reason' }),
      'Other',
    );
    await user.type(
      within(actionsRegion()).getByRole('textbox', { name: 'Details (optional)' }),
      'Damaged \u202e05 KON',
    );
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Refund' }));
    expect(
      screen.getByText(/^The refund reason contains a hidden character that changes the direction/),
    ).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Confirm refund' })).toBeNull();
    expect(fake.callsTo('orders:refund')).toHaveLength(0);
  });

  it('a refund above the approval limit asks for the manager PIN; a wrong one sends nothing', async () => {
    const order = makeOrder({ state: 'captured', amount: 50000 });
    const { user, fake } = await openDetail(order, {
      settings: { refundApprovalAbove: 200, refundReasons: ['Late delivery', 'Returned in store'] },
      access: { managerPin: '2468' },
    });
    const region = actionsRegion();
    await user.click(within(region).getByRole('button', { name: 'Refund' }));
    // The shop's own reasons replace the built-in list.
    const reason = within(region).getByRole('combobox', { name: 'Refund reason' });
    expect(
      within(reason)
        .getAllByRole('option')
        .map((o) => o.textContent),
    ).toEqual(['Choose a reason', 'Late delivery', 'Returned in store']);
    await user.selectOptions(reason, 'Late delivery');
    // 500.00 is above 200: the PIN field shows, saying why.
    const pin = within(region).getByLabelText('Manager PIN');
    expect(screen.getByText('Refunds above NOK 200.00 need the manager PIN.')).toBeTruthy();
    await user.type(pin, '1111');
    await user.click(within(region).getByRole('button', { name: 'Refund' }));
    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    await waitFor(() => expect(screen.getByText(/^Wrong manager PIN/)).toBeTruthy());
    expect(fake.orders.get(order.id)!.refundedAmount).toBe(0);
    await user.type(within(actionsRegion()).getByLabelText('Manager PIN'), '2468');
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Refund' }));
    await user.click(screen.getByRole('button', { name: 'Confirm refund' }));
    await waitFor(() => expect(screen.getByText('Refund requested.')).toBeTruthy());
    expect(fake.callsTo('orders:refund')).toEqual([
      { id: order.id, amount: 50000, reason: { label: 'Late delivery' }, managerPin: '1111' },
      { id: order.id, amount: 50000, reason: { label: 'Late delivery' }, managerPin: '2468' },
    ]);
    expect(fake.orders.get(order.id)!.refundedAmount).toBe(50000);
  });

  it('shows why an action is not possible instead of a dead button', async () => {
    const order = makeOrder({ state: 'link_sent' });
    await openDetail(order);
    const region = actionsRegion();
    expect(within(region).queryByRole('button', { name: 'Capture' })).toBeNull();
    expect(within(region).queryByRole('button', { name: 'Refund' })).toBeNull();
    expect(within(region).queryByRole('button', { name: 'Void' })).toBeNull();
    expect(region.querySelector('[data-action="capture"]')!.textContent).toBe(
      'Capture: The customer has not paid yet.',
    );
    expect(region.querySelector('[data-action="void"]')!.textContent).toBe(
      'Void: The customer has not paid yet; cancel the link instead.',
    );
    expect(within(region).getByRole('button', { name: 'Cancel link' })).toBeTruthy();
    expect(within(region).getByRole('button', { name: 'Resend link' })).toBeTruthy();
  });

  it('an order whose customer data was erased says so and offers no new link', async () => {
    const order = makeOrder({
      state: 'expired',
      phone: ERASED_PHONE,
      customerErasedAt: '2026-04-20T03:00:00.000Z',
    });
    await openDetail(order);
    const facts = document.querySelector('.facts')!;
    expect(plain(facts.textContent)).toContain('Phone(erased)');
    expect(plain(facts.textContent)).toContain('Customer details erased');
    expect(facts.textContent).not.toContain(ERASED_PHONE);
    const region = actionsRegion();
    expect(within(region).queryByRole('button', { name: 'Resend link' })).toBeNull();
    expect(region.querySelector('[data-action="resendLink"]')!.textContent).toBe(
      "Resend link: The customer's details have been erased, so no new link can be sent. Take a new order instead.",
    );
  });

  it('voids, cancels and resends with confirmation', async () => {
    const paid = makeOrder({ state: 'authorized' });
    const { user, fake } = await openDetail(paid);
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Void' }));
    expect(plain(screen.getByText(/^Void the payment/).textContent)).toBe(
      'Void the payment of NOK 1,299.50? The customer is not charged.',
    );
    await user.click(screen.getByRole('button', { name: 'Confirm void' }));
    expect(fake.callsTo('orders:void')).toEqual([{ id: paid.id }]);
    await waitFor(() => expect(screen.getByText('Void requested.')).toBeTruthy());

    const open = makeOrder({ state: 'opened' });
    fake.control.seed([open]);
    useAppStore.getState().openOrder(open.id);
    await screen.findByRole('heading', { name: `Order ${open.merchantReference}` });
    await user.click(await within(actionsRegion()).findByRole('button', { name: 'Resend link' }));
    await user.click(screen.getByRole('button', { name: 'Confirm resend link' }));
    expect(fake.callsTo('orders:resendLink')).toEqual([{ id: open.id, delivery: 'sms' }]);
  });

  it('shows errors from main plainly', async () => {
    const order = makeOrder({ state: 'authorized' });
    const { user, fake } = await openDetail(order);
    fake.control.failNext('orders:capture', {
      code: 'dintero_unavailable',
      message: 'Dintero is not answering. Nothing was captured; try again in a minute.',
    });
    await user.click(within(actionsRegion()).getByRole('button', { name: 'Capture' }));
    await user.click(screen.getByRole('button', { name: 'Confirm capture' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'Dintero is not answering. Nothing was captured; try again in a minute.',
    );
  });

  it('"Back to list" returns to the board', async () => {
    const { user } = await openDetail(makeOrder());
    await user.click(screen.getByRole('button', { name: 'Back to list' }));
    expect(await screen.findByRole('grid')).toBeTruthy();
  });

  it("a notification's Capture opens the order with the confirmation ready; nothing is captured until Confirm", async () => {
    const other = makeOrder({ state: 'link_sent' });
    const order = makeOrder({ state: 'authorized', amount: 250_000 });
    const { user, fake } = await renderApp({ mode: 'live', orders: [other, order] });
    expect(screen.queryByRole('heading', { name: `Order ${order.merchantReference}` })).toBeNull();

    act(() => fake.control.emit('navigate:order', { id: order.id, intent: 'capture' }));
    await screen.findByRole('heading', { name: `Order ${order.merchantReference}` });
    const confirm = await screen.findByRole('button', { name: 'Confirm capture' });
    expect(plain(screen.getByText(/Capture .* from the customer’s payment\?/).textContent)).toBe(
      'Capture NOK 2,500.00 from the customer’s payment?',
    );
    expect(
      within(actionsRegion()).getByRole<HTMLInputElement>('textbox', { name: 'Capture amount' })
        .value,
    ).toBe('2500.00');
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.callsTo('orders:capture')).toHaveLength(0);
    expect(fake.orders.get(order.id)!.capturedAmount).toBe(0);

    await user.click(confirm);
    expect(fake.callsTo('orders:capture')).toEqual([{ id: order.id, amount: 250_000 }]);
    await waitFor(() => expect(screen.getByText('Capture requested.')).toBeTruthy());
    // The intent is spent: reopening the order plainly shows no confirmation.
    act(() => fake.control.emit('navigate:order', { id: other.id }));
    await screen.findByRole('heading', { name: `Order ${other.merchantReference}` });
    expect(screen.queryByRole('button', { name: 'Confirm capture' })).toBeNull();
  });

  it('a plain notification click opens the order without a confirmation', async () => {
    const order = makeOrder({ state: 'authorized' });
    const { fake } = await renderApp({ mode: 'live', orders: [order] });
    act(() => fake.control.emit('navigate:order', { id: order.id }));
    await screen.findByRole('heading', { name: 'Timeline' });
    expect(within(actionsRegion()).getByRole('button', { name: 'Capture' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Confirm capture' })).toBeNull();
  });
});
