import { msg } from '../../common/i18n/messages';
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderApp } from './render-app';

const bar = (): HTMLElement => screen.getByTestId('status-bar');

describe('Status bar', () => {
  it('says online/offline and how many orders are queued, in a polite live region', async () => {
    const { user, fake } = await renderApp({ mode: 'live' });
    expect(bar().getAttribute('role')).toBe('status');
    expect(bar().getAttribute('aria-live')).toBe('polite');
    expect(bar().textContent).toContain('Online');
    expect(bar().textContent).toContain('Nothing queued');

    act(() => fake.control.setOnline(false));
    await waitFor(() => expect(bar().textContent).toContain('Offline'));
    // Orders typed while offline stay queued, and the bar counts them.
    for (const phone of ['91234567', '41234567']) {
      await user.type(screen.getByRole('textbox', { name: 'Customer phone' }), phone);
      await user.type(screen.getByRole('textbox', { name: 'Amount' }), '100');
      await user.keyboard('{Control>}{Enter}{/Control}');
      await waitFor(() => expect(fake.callsTo('orders:create').length).toBeGreaterThan(0));
    }
    await waitFor(() => expect(bar().textContent).toContain('2 orders queued'));
    const recent = screen.getByRole('region', { name: 'Sent from this desk' });
    expect(recent.textContent).toContain('Queued');

    act(() => fake.control.setOnline(true));
    await waitFor(() => expect(bar().textContent).toContain('Nothing queued'));
    await waitFor(() => expect(recent.textContent).not.toContain('Queued'));
  });

  it('shows the training banner, and the test-account banner that offers link/QR instead of SMS', async () => {
    await renderApp({ mode: 'training' });
    expect(screen.getByText('Training mode — no real payments')).toBeTruthy();
    expect(screen.queryByText(/Dintero sends no SMS/)).toBeNull();
  });

  it('warns about test accounts, the journal, the settings file and the keychain', async () => {
    await renderApp({
      mode: 'live',
      testAccount: true,
      status: {
        journalProblem: msg('banner.journalKept', {
          path: 'journal.sqlite',
          why: { text: msg('banner.journalNotSqlite') },
        }),
        settingsWarning: msg('banner.settingsReset', {
          detail: 'not JSON',
          backup: 'settings.json.corrupt-1',
        }),
        keychainProblem: msg('error.keychainUnavailable'),
      },
    });
    expect(
      screen.getByText(/Test account T12345678: Dintero sends no SMS for test accounts/),
    ).toBeTruthy();
    expect(screen.getByText(/Show link and QR only/, { selector: '.banner' })).toBeTruthy();
    expect(
      screen.getByText(
        /^The order journal journal\.sqlite cannot be used: it is not a SQLite database\. Sending is stopped/,
      ),
    ).toBeTruthy();
    expect(
      screen.getByText(
        /^Settings: The settings file could not be read \(not JSON\).*kept as settings\.json\.corrupt-1/,
      ),
    ).toBeTruthy();
    expect(screen.getByText(/^Keychain: The system keychain is not available/)).toBeTruthy();
    expect(screen.queryByText('Training mode — no real payments')).toBeNull();
  });

  it('a locked keychain on a live desk: red banner with the fix, gone once it can be read', async () => {
    const { fake } = await renderApp({ mode: 'live', status: { keychainLocked: 'linux' } });
    const banner = document.querySelector('[data-banner="keychain"]')!;
    expect(banner.className).toContain('banner--danger');
    expect(banner.textContent).toContain('The system keychain cannot be read');
    expect(banner.textContent).toContain('new orders wait in the queue');
    expect(banner.textContent).toContain('unlock the login keyring');
    expect(screen.queryByText('Training mode — no real payments')).toBeNull();

    act(() => fake.control.setStatus({ keychainLocked: 'mac' }));
    await waitFor(() =>
      expect(document.querySelector('[data-banner="keychain"]')!.textContent).toContain(
        'Keychain Access',
      ),
    );
    act(() => fake.control.setStatus({ keychainLocked: undefined }));
    await waitFor(() => expect(document.querySelector('[data-banner="keychain"]')).toBeNull());
  });
});
