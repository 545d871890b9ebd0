/**
 * A paylink: link on New order: the link that started the desk (taken when the page loads) or
 * one heard later fills the form in, with a note saying so; nothing is sent until staff press
 * Send link. A refused link says why in an alert and leaves the form as it was. The order
 * number in the shop's other system can be typed too, and shows on the order and in search.
 */
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CATALOGS, msg } from '../../common/i18n';
import type { NewOrderLink } from '../../common/paylink-link';
import { useAppStore } from '../../renderer/src/store';
import { makeOrder } from './fake-paylink';
import { go, renderApp } from './render-app';

const field = (name: string): HTMLInputElement => screen.getByRole('textbox', { name });
const phoneField = (): HTMLInputElement => field('Customer phone');
const amountField = (): HTMLInputElement => field('Amount');
const currencyField = (): HTMLSelectElement => screen.getByRole('combobox', { name: 'Currency' });

/** The polite note (role=status) saying the form was filled in from a link. */
const filledNote = (words: string): HTMLElement | undefined =>
  screen.getAllByRole('status').find((el) => el.textContent?.includes(words));

const FILLED: NewOrderLink = {
  seq: 1,
  prefill: {
    phone: '+4791234567',
    amount: 129_950,
    currency: 'SEK',
    externalReference: 'SO-2025-000123',
    customerName: 'Kari Nordmann',
    email: 'kari@example.com',
    note: 'Two pizzas\nextra cheese',
  },
};

const REFUSED: NewOrderLink = {
  seq: 7,
  problem: msg('paylinkLink.refusedField', {
    field: { text: msg('entry.amount') },
    why: { text: msg('amountReason.negative') },
  }),
};

describe('New order from a paylink: link', () => {
  it('the link that started the desk fills the form in; nothing is sent until Send link', async () => {
    const { user, fake } = await renderApp({ link: FILLED });
    await waitFor(() => expect(phoneField().value).toBe('+47 91 23 45 67'));
    expect(amountField().value).toBe('1299.50');
    expect(currencyField().value).toBe('SEK');
    expect(field('Order number in your system').value).toBe('SO-2025-000123');
    expect(field('Customer name').value).toBe('Kari Nordmann');
    expect(field('Customer email').value).toBe('kari@example.com');
    expect(field('Note for the order').value).toBe('Two pizzas\nextra cheese');
    expect(filledNote(CATALOGS.en.paylinkLink.filled)).toBeTruthy();
    // The page took the link once, and asked for nothing else.
    expect(fake.callsTo('app:takeLink')).toHaveLength(1);
    expect(fake.callsTo('orders:create')).toEqual([]);
    expect(fake.orders.size).toBe(0);

    await user.click(screen.getByRole('button', { name: 'Send link' }));
    await waitFor(() => expect(fake.callsTo('orders:create')).toHaveLength(1));
    expect(fake.callsTo('orders:create')[0]).toMatchObject({
      phone: '+47 91 23 45 67',
      amount: 129_950,
      currency: 'SEK',
      externalReference: 'SO-2025-000123',
      customerName: 'Kari Nordmann',
      email: 'kari@example.com',
      note: 'Two pizzas\nextra cheese',
    });
    // Sent: the form is ready for the next call and the note has gone.
    await waitFor(() => expect(phoneField().value).toBe(''));
    expect(screen.queryByText(CATALOGS.en.paylinkLink.filled)).toBeNull();
    const order = [...fake.orders.values()][0]!;
    expect(order.externalReference).toBe('SO-2025-000123');
  });

  it('a link heard later opens New order from another screen, replaces the form, and is used once', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '41234567');
    await go(user, 'Orders');
    act(() => fake.control.emit('navigate:newOrder', FILLED));
    await waitFor(() => expect(useAppStore.getState().screen).toBe('entry'));
    await waitFor(() => expect(phoneField().value).toBe('+47 91 23 45 67'));
    // Taking it too (as the page does) hands back the same link: filled in once.
    await waitFor(() => expect(fake.callsTo('app:takeLink').length).toBeGreaterThanOrEqual(2));
    await user.clear(amountField());
    await user.type(amountField(), '10');
    act(() => fake.control.emit('navigate:newOrder', FILLED));
    expect(amountField().value).toBe('10');
    expect(fake.callsTo('orders:create')).toEqual([]);
  });

  it('a refused link says why in an alert and fills in nothing', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '41234567');
    await user.type(amountField(), '99');
    act(() => fake.control.emit('navigate:newOrder', REFUSED));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(
      'A link from another program could not be used, so nothing from it was filled in. Amount: The amount must be more than zero.',
    );
    expect(phoneField().value).toBe('41 23 45 67');
    expect(amountField().value).toBe('99');
    expect(fake.callsTo('orders:create')).toEqual([]);
    await user.click(within(alert).getByRole('button', { name: 'Close this message' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it.each(['nb', 'sv', 'da'] as const)('speaks %s', async (language) => {
    const c = CATALOGS[language];
    const { fake } = await renderApp({ settings: { language }, link: FILLED });
    await waitFor(() => expect(filledNote(c.paylinkLink.filled)).toBeTruthy());
    expect(field(c.entry.externalReference).value).toBe('SO-2025-000123');
    act(() => fake.control.emit('navigate:newOrder', REFUSED));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain(c.paylinkLink.refusedField.split('{{')[0]!.trim());
    expect(alert.textContent).toContain(c.amountReason.negative);
    expect(alert.textContent).not.toContain('could not be used');
  });
});

describe("the other system's order number", () => {
  it('is typed on New order (hidden characters refused) and sent with the order', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '99');
    await user.click(screen.getByText('Customer and message (optional)'));
    const reference = field('Order number in your system');
    await user.type(reference, 'ERP\u200B-1');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(
      await screen.findByText(/The order number in your system contains an invisible/),
    ).toBeTruthy();
    expect(fake.callsTo('orders:create')).toEqual([]);
    await user.clear(reference);
    await user.type(reference, 'ERP-1');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() =>
      expect(fake.callsTo('orders:create')[0]).toMatchObject({ externalReference: 'ERP-1' }),
    );
  });

  it('shows on the order and finds it on the board', async () => {
    const a = makeOrder({ externalReference: 'SO-2025-000123', customerName: 'Kari' });
    const b = makeOrder({ customerName: 'Ola' });
    const { user } = await renderApp({ orders: [a, b] });
    await go(user, 'Orders');
    await user.type(screen.getByRole('searchbox', { name: 'Search' }), 'so-2025');
    await waitFor(() => expect(screen.queryByText(b.merchantReference)).toBeNull());
    expect(screen.getByText(a.merchantReference)).toBeTruthy();
    act(() => useAppStore.getState().openOrder(a.id));
    const facts = await screen.findByRole('region', { name: `Order ${a.merchantReference}` });
    expect(within(facts).getByText('Order number in your system')).toBeTruthy();
    expect(within(facts).getByText('SO-2025-000123')).toBeTruthy();
  });
});
