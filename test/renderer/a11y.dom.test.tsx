/**
 * axe-core on every screen, in both DOMs. Only `color-contrast` is switched off: it needs real
 * layout and colours, which happy-dom/jsdom do not compute (the e2e suite runs axe in Chromium
 * with every rule on).
 */
import { msg } from '../../common/i18n/messages';
import { screen, waitFor, within } from '@testing-library/react';
import axe from 'axe-core';
import { describe, expect, it } from 'vitest';
import { useAppStore } from '../../renderer/src/store';
import { makeOrder } from './fake-paylink';
import { go, renderApp } from './render-app';

async function seriousViolations(root: Element): Promise<string[]> {
  const result = await axe.run(root, {
    rules: { 'color-contrast': { enabled: false } },
    resultTypes: ['violations'],
  });
  if (process.env.AXE_VERBOSE)
    console.log(
      result.violations.map(
        (v) => `${v.impact} ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      ),
    );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

const orders = [
  makeOrder({ state: 'authorized', customerName: 'Kari Nordmann' }),
  makeOrder({ state: 'link_sent' }),
  makeOrder({ state: 'captured' }),
  makeOrder({
    state: 'failed',
    lastError: msg('line.refusedByDintero', { why: 'customer.phone_number is invalid' }),
  }),
];

describe('Accessibility (axe-core)', () => {
  it('axe really runs here: an unlabelled input is caught', async () => {
    const root = document.createElement('main');
    root.innerHTML = '<input type="text"><button></button>';
    document.body.append(root);
    const found = await seriousViolations(root);
    root.remove();
    expect(found.map((v) => v.split(':')[0])).toEqual(
      expect.arrayContaining(['label', 'button-name']),
    );
  });

  it('names the navigation exactly', async () => {
    await renderApp({ mode: 'training' });
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(
      within(nav)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['New order', 'Orders', 'Day close', 'Settings', 'Training']);
    expect(
      within(nav).getByRole('button', { name: 'New order' }).getAttribute('aria-current'),
    ).toBe('page');
  });

  it('New order: no serious or critical violations, with errors and a duplicate warning showing', async () => {
    const { container, user } = await renderApp({
      testAccount: true,
      orders: [makeOrder({ phone: '+4791234567', amount: 10000 })],
    });
    expect(await seriousViolations(container)).toEqual([]);
    await user.type(screen.getByRole('textbox', { name: 'Customer phone' }), '22123456');
    await user.click(screen.getByRole('button', { name: 'Add line item' }));
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await seriousViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Remove line 1' }));
    const phone = screen.getByRole('textbox', { name: 'Customer phone' });
    await user.clear(phone);
    await user.type(phone, '91234567');
    await user.type(screen.getByRole('textbox', { name: 'Amount' }), '100');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await screen.findByText(/An open link already exists/);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('Orders: no serious or critical violations', async () => {
    const { container, user } = await renderApp({ orders });
    await go(user, 'Orders');
    await screen.findAllByRole('row');
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('Day close: no serious or critical violations', async () => {
    const { container, user } = await renderApp({ orders });
    await go(user, 'Day close');
    await screen.findByRole('heading', { name: 'Differences from Dintero' });
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('Order detail: no serious or critical violations, with a confirmation open', async () => {
    const { container, user } = await renderApp({ orders });
    useAppStore.getState().openOrder(orders[0]!.id);
    await screen.findByRole('img', { name: 'QR code for the payment link' });
    await screen.findByRole('heading', { name: 'Timeline' });
    expect(await seriousViolations(container)).toEqual([]);
    await user.click(screen.getByRole('button', { name: 'Capture' }));
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('Settings: no serious or critical violations', async () => {
    const { container, user } = await renderApp({ secret: { configured: true, last4: '1234' } });
    await go(user, 'Settings');
    await user.type(screen.getByRole('textbox', { name: 'Account ID' }), 'bad');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText(/Account ID is P or T/);
    expect(await seriousViolations(container)).toEqual([]);
  });

  it('Training: no serious or critical violations', async () => {
    const { container, user, fake } = await renderApp({ mode: 'training' });
    await user.type(screen.getByRole('textbox', { name: 'Customer phone' }), '91234567');
    await user.type(screen.getByRole('textbox', { name: 'Amount' }), '100');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.sms).toHaveLength(1));
    await go(user, 'Training');
    await screen.findByRole('button', { name: 'Pay' });
    expect(await seriousViolations(container)).toEqual([]);
  });
});
