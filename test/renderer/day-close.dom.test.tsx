/**
 * The Day close screen against the fake PaylinkApi: figures per currency with their sums,
 * each count opening exactly its orders on the board (and the board's way back to all), what
 * needs staff, the differences from Dintero, payouts that cannot be read, and the export's
 * outcome.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { OrderSummary } from '../../common/domain';
import { msg } from '../../common/i18n/messages';
import { makeOrder } from './fake-paylink';
import { go, renderApp } from './render-app';

const NOW = Date.UTC(2026, 0, 15, 15, 0, 0);
const at = (h: number) => new Date(Date.UTC(2026, 0, 15, h, 0, 0)).toISOString();

function dayOrders(): OrderSummary[] {
  return [
    makeOrder({
      id: 'cap',
      merchantReference: 'PD-CAP',
      state: 'captured',
      amount: 129_950,
      authorizedAmount: 129_950,
      capturedAmount: 129_950,
      paymentMethod: 'vipps',
      createdAt: at(9),
    }),
    makeOrder({
      id: 'paid',
      merchantReference: 'PD-PAID',
      state: 'authorized',
      amount: 50_000,
      authorizedAmount: 50_000,
      paymentMethod: 'dintero_psp.creditcard',
      createdAt: at(10),
    }),
    makeOrder({
      id: 'open',
      merchantReference: 'PD-OPEN',
      state: 'link_sent',
      amount: 20_000,
      createdAt: at(11),
    }),
    makeOrder({
      id: 'old',
      merchantReference: 'PD-OLD',
      state: 'captured',
      amount: 99_900,
      authorizedAmount: 99_900,
      capturedAmount: 99_900,
      createdAt: new Date(Date.UTC(2026, 0, 10, 9)).toISOString(),
    }),
  ];
}

const row = (figure: string): HTMLElement =>
  document.querySelector<HTMLElement>(`tr[data-figure="${figure}"]`)!;

describe('Day close screen', () => {
  it('shows the day’s figures and opens the orders behind a figure on the board', async () => {
    const { user } = await renderApp({ orders: dayOrders(), now: () => NOW });
    await go(user, 'Day close');
    await waitFor(() => expect(row('NOK-paid')).toBeTruthy());
    // Paid: the captured and the authorized order of the 15th (not the one of the 10th).
    expect(within(row('NOK-paid')).getByRole('button').textContent).toBe('2');
    expect(row('NOK-paid').textContent).toContain('1,799.50');
    expect(row('NOK-captured').textContent).toContain('1,299.50');
    expect(row('NOK-open').textContent).toContain('200.00');
    expect(screen.getByTestId('net-NOK').textContent).toContain('1,299.50');
    expect(screen.getByText('Card (NOK)')).toBeTruthy();
    expect(screen.getByText('Vipps (NOK)')).toBeTruthy();
    // Still needs staff: the authorized card payment, with its days left.
    const uncaptured = screen.getByTestId('uncaptured');
    expect(uncaptured.textContent).toContain('PD-PAID');
    expect(uncaptured.textContent).toMatch(/\d+ days? left|lapses today/);
    expect(screen.getByTestId('no-differences').textContent).toContain('3 transactions read');
    expect(screen.getByTestId('waiting-payout').textContent).toMatch(/PD-CAP: NOK\s1,299\.50/);

    await user.click(
      within(row('NOK-paid')).getByRole('button', { name: 'Show these 2 orders on the board' }),
    );
    const grid = await screen.findByRole('grid');
    const refs = within(grid)
      .getAllByRole('row')
      .slice(1)
      .map((r) => r.querySelector('.col--ref')!.textContent)
      .sort();
    expect(refs).toEqual(['PD-CAP', 'PD-PAID']);
    expect(screen.getByText('Day close 2026-01-15: Paid (NOK)')).toBeTruthy();
    // The board's Clear shows every order again.
    await user.click(screen.getAllByRole('button', { name: 'Clear filters' })[0]!);
    await waitFor(() => expect(within(grid).getAllByRole('row')).toHaveLength(5));
  });

  it('lists the differences from Dintero, says plainly when payouts are not granted, and exports', async () => {
    const { user, fake } = await renderApp({
      orders: dayOrders(),
      now: () => NOW,
      dayCheck: {
        status: 'checked',
        at: at(15),
        read: 3,
        differences: [
          {
            kind: 'outside_capture',
            merchantReference: 'PD-PAID',
            orderId: 'paid',
            amount: 10_000,
            currency: 'NOK',
            message: msg('dayClose.diff.outsideCapture', {
              reference: 'PD-PAID',
              amount: { money: 10_000, currency: 'NOK' },
            }),
          },
        ],
      },
      payouts: { status: 'not_granted', grant: 'read:settlements' },
    });
    await go(user, 'Day close');
    const list = await screen.findByTestId('differences');
    expect(list.textContent).toMatch(/NOK\s100\.00 of PD-PAID was captured outside Paylink Desk/);
    expect(screen.getByTestId('payouts-not-granted').textContent).toContain('read:settlements');

    await user.click(screen.getByRole('button', { name: 'Export CSV' }));
    expect(await screen.findByText('Saved as paylink-day-2026-01-15.csv.')).toBeTruthy();
    expect(fake.calls.filter((c) => c.channel === 'dayClose:export').map((c) => c.input)).toEqual([
      { day: '2026-01-15', scope: 'desk', format: 'csv' },
    ]);

    // A difference opens its order.
    await user.click(within(list).getByRole('button'));
    expect(await screen.findByRole('heading', { name: /PD-PAID/ })).toBeTruthy();
  });
});
