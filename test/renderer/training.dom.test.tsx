import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { go, renderApp } from './render-app';

describe('Training panel', () => {
  it('is offered only in training mode', async () => {
    await renderApp({ mode: 'live' });
    expect(screen.queryByRole('button', { name: 'Training' })).toBeNull();
  });

  it('shows the SMS the simulator sent and lets staff play the customer', async () => {
    const { user, fake } = await renderApp({ mode: 'training' });
    await user.type(screen.getByRole('textbox', { name: 'Customer phone' }), '91234567');
    await user.type(screen.getByRole('textbox', { name: 'Amount' }), '450');
    await user.keyboard('{Control>}{Enter}{/Control}');
    await waitFor(() => expect(fake.sms).toHaveLength(1));
    await go(user, 'Training');
    expect(await screen.findByRole('heading', { name: 'Training' })).toBeTruthy();

    const smsRegion = screen.getByRole('region', { name: 'Text messages the simulator sent' });
    expect(within(smsRegion).getByText(fake.sms[0]!.text)).toBeTruthy();
    expect(within(smsRegion).getByText(/To \+47 91 23 45 67 at/)).toBeTruthy();

    const order = [...fake.orders.values()][0]!;
    const session = await screen.findByRole('group', { name: order.merchantReference });
    expect(within(session.parentElement!).getByText('Waiting')).toBeTruthy();
    await user.click(within(session).getByRole('button', { name: 'Open link' }));
    await waitFor(() => expect(within(session.parentElement!).getByText('Opened')).toBeTruthy());
    await user.click(within(session).getByRole('button', { name: 'Pay' }));
    await waitFor(() => expect(fake.orders.get(order.id)!.state).toBe('authorized'));
    expect(fake.callsTo('training:customer')).toEqual([
      { sessionId: order.sessionId, action: 'open' },
      { sessionId: order.sessionId, action: 'pay' },
    ]);
    await waitFor(() => expect(within(session.parentElement!).getByText('Paid')).toBeTruthy());
    // Closed sessions offer nothing more.
    expect(
      within(session).getByRole<HTMLButtonElement>('button', { name: 'Decline' }).disabled,
    ).toBe(true);
  });

  it('declines and lets a link expire', async () => {
    const { user, fake } = await renderApp({ mode: 'training' });
    for (const amount of ['100', '200']) {
      await user.type(screen.getByRole('textbox', { name: 'Customer phone' }), '91234567');
      await user.type(screen.getByRole('textbox', { name: 'Amount' }), amount);
      await user.keyboard('{Control>}{Enter}{/Control}');
      await waitFor(() =>
        expect(screen.getByRole('textbox', { name: 'Customer phone' })).toHaveProperty('value', ''),
      );
    }
    await waitFor(() => expect(fake.sms).toHaveLength(2));
    await go(user, 'Training');
    const [first, second] = [...fake.orders.values()];
    const g1 = await screen.findByRole('group', { name: first!.merchantReference });
    const g2 = await screen.findByRole('group', { name: second!.merchantReference });
    await user.click(within(g1).getByRole('button', { name: 'Decline' }));
    await user.click(within(g2).getByRole('button', { name: 'Let expire' }));
    await waitFor(() => expect(fake.orders.get(first!.id)!.state).toBe('declined'));
    await waitFor(() => expect(fake.orders.get(second!.id)!.state).toBe('expired'));
  });

  it('adds SMS as training:sms events arrive', async () => {
    const { user, fake } = await renderApp({ mode: 'training' });
    await go(user, 'Training');
    expect(screen.getByText('No messages yet.')).toBeTruthy();
    act(() => {
      fake.control.emit('training:sms', {
        id: 'x1',
        at: new Date().toISOString(),
        to: '+4798765432',
        text: 'Betal her: https://example.test/pay',
        url: 'https://example.test/pay',
        sessionId: 'S1',
      });
    });
    expect(await screen.findByText('Betal her: https://example.test/pay')).toBeTruthy();
  });
});
