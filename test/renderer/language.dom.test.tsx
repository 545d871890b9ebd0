import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeOrder } from './fake-paylink';
import { renderApp } from './render-app';

const plain = (s: string | null | undefined): string => (s ?? '').replace(/\s/g, ' ');

describe('Language', () => {
  it('starts in the language from settings, with Norwegian money, numbers and status words', async () => {
    const orders = Array.from({ length: 1234 }, (_, i) =>
      makeOrder({
        id: `n${i}`,
        state: 'authorized',
        amount: 129950,
        createdAt: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
      }),
    );
    const { user } = await renderApp({ settings: { language: 'nb' }, orders });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Ordrer' })).toBeTruthy());
    await user.click(screen.getByRole('button', { name: 'Ordrer' }));
    expect(plain(screen.getByText(/ordrer$/, { selector: '.board__count' }).textContent)).toBe(
      '1 234 ordrer',
    );
    const row = within(screen.getByRole('grid')).getAllByRole('row')[1]!;
    expect(within(row).getByText('Betalt')).toBeTruthy();
    expect(plain(row.querySelector('.col--amount')!.textContent)).toBe('1 299,50 kr');
  });

  it('translates the phone message by reason', async () => {
    const { user } = await renderApp({ settings: { language: 'nb' } });
    const phone = await screen.findByRole('textbox', { name: 'Kundens telefon' });
    await user.type(phone, '22123456');
    await user.tab();
    expect(
      screen.getByText('Det er ikke et mobilnummer; betalingslenken trenger et mobilnummer.'),
    ).toBeTruthy();
  });
});
