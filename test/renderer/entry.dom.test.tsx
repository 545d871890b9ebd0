import { msg } from '../../common/i18n/messages';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeOrder } from './fake-paylink';
import { renderApp } from './render-app';

/** Intl puts no-break spaces in money; compare with plain spaces. */
const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ');
const phoneField = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Customer phone' });
const amountField = (): HTMLInputElement => screen.getByRole('textbox', { name: 'Amount' });

describe('New order', () => {
  it('sends with Ctrl+Enter, shows the live status, and is ready for the next call at once', async () => {
    const { user, fake } = await renderApp();
    expect(document.activeElement).toBe(phoneField());
    await user.type(phoneField(), '91234567');
    expect(phoneField().value).toBe('91 23 45 67');
    expect(screen.getByText(/Reads as \+47 91 23 45 67 \(Norway\)/)).toBeTruthy();
    await user.type(amountField(), '1 299,50');
    await user.keyboard('{Control>}{Enter}{/Control}');

    const [input] = fake.callsTo('orders:create') as Record<string, unknown>[];
    expect(input).toMatchObject({
      phone: '91 23 45 67',
      country: 'NO',
      amount: 129950,
      currency: 'NOK',
      delivery: 'sms',
      linkLifetimeHours: 24,
    });
    // Cleared and focused on the phone field for the next call.
    await waitFor(() => expect(phoneField().value).toBe(''));
    expect(amountField().value).toBe('');
    expect(document.activeElement).toBe(phoneField());
    // The order shows up with its live status, which moves on to "Link sent".
    const recent = screen.getByRole('region', { name: 'Sent from this desk' });
    const order = [...fake.orders.values()][0]!;
    expect(within(recent).getByText(order.merchantReference)).toBeTruthy();
    expect(await within(recent).findByText('Link sent')).toBeTruthy();
    expect(within(recent).getByText('+47 91 23 45 67')).toBeTruthy();
  });

  it('accepts the amount forms staff type: 1299.50, 1299, 1 299,50 (Cmd+Enter too)', async () => {
    const { user, fake } = await renderApp();
    const phones = ['91234567', '41234567', '98765432'];
    const amounts = ['1299.50', '1299', '1 299,50'];
    for (let i = 0; i < 3; i++) {
      await user.type(phoneField(), phones[i]!);
      await user.type(amountField(), amounts[i]!);
      await user.keyboard(i === 1 ? '{Meta>}{Enter}{/Meta}' : '{Control>}{Enter}{/Control}');
      await waitFor(() => expect(phoneField().value).toBe(''));
    }
    expect(fake.callsTo('orders:create').map((c) => (c as { amount: number }).amount)).toEqual([
      129950, 129900, 129950,
    ]);
  });

  it('a plain Enter in a field does not send', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '100{Enter}');
    expect(fake.callsTo('orders:create')).toHaveLength(0);
  });

  it('says clearly that a landline is not a mobile, and does not send it', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '22123456');
    await user.tab();
    const message = 'That is not a mobile number; the payment link needs a mobile number.';
    expect(screen.getByText(message)).toBeTruthy();
    expect(phoneField().getAttribute('aria-invalid')).toBe('true');
    expect(phoneField().getAttribute('aria-describedby')).toContain(screen.getByText(message).id);
    await user.type(amountField(), '100');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.callsTo('orders:create')).toHaveLength(0);
    expect(screen.getByText('Check the fields marked below.')).toBeTruthy();
  });

  it('uses the country chooser and the default from settings', async () => {
    const { user, fake } = await renderApp({
      settings: { defaultCountry: 'SE', defaultCurrency: 'SEK' },
    });
    const country = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Phone country' });
    const currency = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Currency' });
    expect(country.value).toBe('SE');
    expect(currency.value).toBe('SEK');
    await user.selectOptions(country, 'NO');
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '250');
    await user.click(screen.getByRole('button', { name: 'Send link' }));
    expect(fake.callsTo('orders:create')[0]).toMatchObject({
      country: 'NO',
      currency: 'SEK',
      amount: 25000,
    });
  });

  it('warns about an open link for the same number and amount, and resends only when confirmed', async () => {
    const earlier = makeOrder({ phone: '+4791234567', amount: 50000, state: 'link_sent' });
    const { user, fake } = await renderApp({ orders: [earlier] });
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '500');
    await user.keyboard('{Control>}{Enter}{/Control}');

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('An open link already exists for this number and amount');
    expect(alert.textContent).toContain(earlier.merchantReference);
    expect(alert.textContent).toContain('Link sent');
    expect(fake.orders.size).toBe(1);
    // The form keeps what was typed while staff decide.
    expect(phoneField().value).toBe('91 23 45 67');

    await user.click(screen.getByRole('button', { name: 'Send another link anyway' }));
    await waitFor(() => expect(fake.orders.size).toBe(2));
    const calls = fake.callsTo('orders:create') as { allowDuplicate?: boolean }[];
    expect(calls).toHaveLength(2);
    expect(calls[0]!.allowDuplicate).toBeUndefined();
    expect(calls[1]!.allowDuplicate).toBe(true);
    await waitFor(() => expect(phoneField().value).toBe(''));
    expect(screen.queryByText(/An open link already exists/)).toBeNull();
  });

  it('"Do not send" drops the duplicate and sends nothing', async () => {
    const earlier = makeOrder({ phone: '+4791234567', amount: 50000, state: 'opened' });
    const { user, fake } = await renderApp({ orders: [earlier] });
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '500');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await user.click(await screen.findByRole('button', { name: 'Do not send' }));
    expect(screen.queryByText(/An open link already exists/)).toBeNull();
    expect(fake.callsTo('orders:create')).toHaveLength(1);
    expect(document.activeElement).toBe(phoneField());
  });

  it('shows field errors from main next to their fields', async () => {
    const { user, fake } = await renderApp();
    fake.control.failNext('orders:create', {
      code: 'invalid_input',
      message: 'Some values are not valid.',
      fields: {
        amount: msg('orderInput.amountAboveMax', { amount: { money: 100_000, currency: 'NOK' } }),
      },
    });
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '5000');
    await user.keyboard('{Control>}{Enter}{/Control}');
    const error = await screen.findByText(
      'The most one order can be is NOK 1,000.00 (set in Settings).',
    );
    expect(amountField().getAttribute('aria-describedby')).toContain(error.id);
    expect(amountField().getAttribute('aria-invalid')).toBe('true');
    // Nothing was cleared.
    expect(phoneField().value).toBe('91 23 45 67');
  });

  it('prices line items and sends their total as the amount', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.click(screen.getByRole('button', { name: 'Add line item' }));
    const line = screen.getByRole('group', { name: 'Line 1' });
    await user.type(within(line).getByRole('textbox', { name: 'Description' }), 'Bouquet');
    const qty = within(line).getByRole('textbox', { name: 'Quantity' });
    await user.clear(qty);
    await user.type(qty, '2');
    await user.type(within(line).getByRole('textbox', { name: 'Unit price' }), '125');
    expect(plain(screen.getByTestId('line-total-1').textContent)).toBe(
      'Line total NOK 250.00, VAT NOK 50.00',
    );
    expect(plain(screen.getByTestId('items-total').textContent)).toBe(
      'Total NOK 250.00, of which VAT NOK 50.00',
    );
    expect(plain(amountField().value)).toBe('NOK 250.00');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.orders.size).toBe(1));
    expect(fake.callsTo('orders:create')[0]).toMatchObject({
      amount: 25000,
      items: [{ description: 'Bouquet', quantity: 2, unitPrice: 12500, vatPercent: 25 }],
    });
    expect([...fake.orders.values()][0]!.vatAmount).toBe(5000);
  });

  it('sends the optional details, lifetime and delivery choice', async () => {
    const { user, fake } = await renderApp({ settings: { defaultLinkLifetimeHours: 1 } });
    const lifetime = screen.getByRole<HTMLSelectElement>('combobox', { name: 'Link lifetime' });
    expect(lifetime.value).toBe('1');
    expect([...lifetime.options].map((o) => o.textContent)).toEqual([
      '1 hour',
      '24 hours',
      '7 days',
    ]);
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '99');
    await user.selectOptions(lifetime, '168');
    await user.click(screen.getByRole('radio', { name: 'Show link and QR only' }));
    await user.click(screen.getByText('Customer and message (optional)'));
    await user.type(screen.getByRole('textbox', { name: 'Customer name' }), 'Kari Nordmann');
    await user.type(screen.getByRole('textbox', { name: 'Customer email' }), 'kari@example.com');
    await user.type(screen.getByRole('textbox', { name: 'Note for the order' }), 'Pick up Friday');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.callsTo('orders:create')[0]).toMatchObject({
      linkLifetimeHours: 168,
      delivery: 'link_only',
      customerName: 'Kari Nordmann',
      email: 'kari@example.com',
      note: 'Pick up Friday',
    });
  });

  it('refuses hidden direction and invisible characters in the name and note, naming the field', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '99');
    await user.click(screen.getByText('Customer and message (optional)'));
    const name = screen.getByRole('textbox', { name: 'Customer name' });
    const note = screen.getByRole('textbox', { name: 'Note for the order' });
    await user.type(name, 'Kari\u202eNordmann');
    await user.type(note, 'Pick up\u200b Friday');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.callsTo('orders:create')).toHaveLength(0);
    expect(
      screen.getByText(
        'The customer name contains a hidden character that changes the direction of the text (U+202E), so it could show differently from what it says. Type the text again instead of pasting it.',
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        'The note contains an invisible character (U+200B). Type the text again instead of pasting it.',
      ),
    ).toBeTruthy();
    expect(name.getAttribute('aria-invalid')).toBe('true');

    await user.clear(name);
    await user.type(name, 'Kari Nordmann');
    await user.clear(note);
    await user.type(note, 'Pick up{Enter}Friday');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.callsTo('orders:create')).toHaveLength(1));
    expect(fake.callsTo('orders:create')[0]).toMatchObject({
      customerName: 'Kari Nordmann',
      note: 'Pick up\nFriday',
    });
  });

  it('refuses superscript and other-script digits in the amount with a plain message', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '1²99');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(fake.callsTo('orders:create')).toHaveLength(0);
    expect(screen.getByText(/^Use ordinary digits 0–9 \(not raised/)).toBeTruthy();
  });

  it('keeps showing what happens to the order after it is sent (paid)', async () => {
    const { user, fake } = await renderApp();
    await user.type(phoneField(), '91234567');
    await user.type(amountField(), '100');
    await user.keyboard('{Control>}{Enter}{/Control}');
    const recent = screen.getByRole('region', { name: 'Sent from this desk' });
    await within(recent).findByText('Link sent');
    const order = [...fake.orders.values()][0]!;
    act(() => {
      fake.control.setState(order.id, 'authorized');
    });
    expect(await within(recent).findByText('Paid')).toBeTruthy();
  });

  it('defaults to "Show link and QR only" on a test account (Dintero sends no SMS there)', async () => {
    await renderApp({ mode: 'live', testAccount: true });
    expect(
      screen.getByRole<HTMLInputElement>('radio', { name: 'Show link and QR only' }).checked,
    ).toBe(true);
  });
});
