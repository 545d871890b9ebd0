import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeOrder } from './fake-paylink';
import { go, renderApp } from './render-app';

const SECRET = 'super-secret-value-9876';

describe('Settings', () => {
  it('never shows the client secret: write-only field, status "ending in 1234"', async () => {
    const { user, fake } = await renderApp({
      mode: 'live',
      settings: { accountId: 'P12345678', clientId: 'client-abc' },
      secret: { configured: true, last4: '1234' },
    });
    await go(user, 'Settings');
    const field = screen.getByLabelText<HTMLInputElement>('Client secret');
    expect(field.type).toBe('password');
    expect(field.value).toBe('');
    expect(field.getAttribute('autocomplete')).toBe('new-password');
    expect(screen.getByTestId('secret-status').textContent).toBe('Configured, ending in 1234');
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Account ID' }).value).toBe(
      'P12345678',
    );
    expect(screen.getByRole<HTMLInputElement>('textbox', { name: 'Client ID' }).value).toBe(
      'client-abc',
    );

    await user.type(field, SECRET);
    await user.click(screen.getByRole('button', { name: 'Replace secret' }));
    await waitFor(() => expect(fake.callsTo('settings:setSecret')).toEqual([{ secret: SECRET }]));
    // Cleared at once; the page only knows the last four characters.
    expect(field.value).toBe('');
    await waitFor(() =>
      expect(screen.getByTestId('secret-status').textContent).toBe('Configured, ending in 9876'),
    );
    expect(document.body.innerHTML).not.toContain(SECRET);
    for (const input of document.querySelectorAll('input'))
      expect(input.value).not.toContain(SECRET);
  });

  it('shows the desk identity its references carry, read-only', async () => {
    const { user } = await renderApp();
    await go(user, 'Settings');
    const id = screen.getByRole('status', { name: 'Desk identity' });
    expect(id.textContent).toBe('7KQ2MX');
    expect(
      screen.getByText(/^Made once for this installation\. It is part of every order reference/),
    ).toBeTruthy();
  });

  it('clears the secret', async () => {
    const { user, fake } = await renderApp({
      mode: 'live',
      secret: { configured: true, last4: '1234' },
    });
    await go(user, 'Settings');
    await user.click(screen.getByRole('button', { name: 'Clear secret' }));
    await waitFor(() =>
      expect(screen.getByTestId('secret-status').textContent).toBe('Not configured'),
    );
    expect(fake.callsTo('settings:clearSecret')).toHaveLength(1);
    expect(screen.getByText('Client secret cleared.')).toBeTruthy();
  });

  it('validates like settingsSchema before saving, then saves', async () => {
    const { user, fake } = await renderApp();
    await go(user, 'Settings');
    const account = screen.getByRole('textbox', { name: 'Account ID' });
    await user.type(account, 'X1234');
    const returnUrl = screen.getByRole('textbox', { name: 'Return URL' });
    await user.type(returnUrl, 'http://shop.example');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(fake.callsTo('settings:save')).toHaveLength(0);
    expect(
      screen.getByText('Account ID is P or T followed by 8 digits, for example P12345678.'),
    ).toBeTruthy();
    expect(screen.getByText('The return URL must be a full https:// address.')).toBeTruthy();
    expect(account.getAttribute('aria-invalid')).toBe('true');

    await user.clear(account);
    await user.type(account, 'T12345678');
    await user.clear(returnUrl);
    await user.type(returnUrl, 'https://shop.example/thanks');
    const profile = screen.getByRole('textbox', { name: 'Payment profile ID' });
    expect(profile).toHaveProperty('value', 'default');
    await user.clear(profile);
    await user.type(profile, 'P12345678.abc');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Default currency' }), 'EUR');
    // A fresh desk notifies on expiry (common/settings-defaults); staff turn it off here.
    const expired = screen.getByRole('checkbox', { name: 'When a link expires' });
    expect(expired).toHaveProperty('checked', true);
    await user.click(expired);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('settings:save')).toHaveLength(1));
    expect(fake.callsTo('settings:save')[0]).toMatchObject({
      accountId: 'T12345678',
      returnUrl: 'https://shop.example/thanks',
      profileId: 'P12345678.abc',
      defaultCurrency: 'EUR',
      notifications: { expired: false, lapseWarningDays: 5 },
    });
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    // A typed secret is saved with the rest.
  });

  it('keeps customer details for the days set (90 on a fresh desk), within 1 to 3650', async () => {
    const { user, fake } = await renderApp();
    await go(user, 'Settings');
    const days = screen.getByRole<HTMLInputElement>('spinbutton', {
      name: 'Keep customer details (days)',
    });
    expect(days.value).toBe('90');
    expect(days.getAttribute('aria-describedby')).toBeTruthy();
    expect(
      screen.getByText(/^Phone numbers, names, emails and notes of finished orders are erased/),
    ).toBeTruthy();

    for (const wrong of ['0', '3651', '']) {
      await user.clear(days);
      if (wrong !== '') await user.type(days, wrong);
      await user.click(screen.getByRole('button', { name: 'Save' }));
      expect(screen.getByText('Choose 1 to 3650 days.')).toBeTruthy();
      expect(days.getAttribute('aria-invalid')).toBe('true');
    }
    expect(fake.callsTo('settings:save')).toHaveLength(0);

    await user.clear(days);
    await user.type(days, '30');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(fake.callsTo('settings:save')).toHaveLength(1));
    expect(fake.callsTo('settings:save')[0]).toMatchObject({ customerDataDays: 30 });
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
  });

  it('refuses a terminal name with a hidden direction character, in the screen language', async () => {
    const { user, fake } = await renderApp({ settings: { language: 'nb' } });
    await user.click(
      within(screen.getByRole('navigation')).getByRole('button', { name: 'Innstillinger' }),
    );
    const terminal = screen.getByRole('textbox', { name: 'Kassenavn' });
    await user.clear(terminal);
    await user.type(terminal, 'Kasse\u202e2');
    await user.click(screen.getByRole('button', { name: 'Lagre' }));
    expect(fake.callsTo('settings:save')).toHaveLength(0);
    expect(
      screen.getByText(
        'Kassenavnet inneholder et skjult tegn som endrer tekstretningen (U+202E), så teksten kan vises annerledes enn det den sier. Skriv teksten inn på nytt i stedet for å lime den inn.',
      ),
    ).toBeTruthy();
    expect(terminal.getAttribute('aria-invalid')).toBe('true');
  });

  it('saves a typed secret together with the settings', async () => {
    const { user, fake } = await renderApp();
    await go(user, 'Settings');
    expect(screen.getByTestId('secret-status').textContent).toBe('Not configured');
    await user.type(screen.getByLabelText('Client secret'), 'short');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(screen.getByText('The client secret has at least 8 characters.')).toBeTruthy();
    expect(fake.callsTo('settings:save')).toHaveLength(0);
    await user.type(screen.getByLabelText('Client secret'), '-and-longer');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(fake.callsTo('settings:setSecret')).toEqual([{ secret: 'short-and-longer' }]),
    );
    expect(await screen.findByText('Configured, ending in nger')).toBeTruthy();
  });

  it('tests the connection and says the result plainly', async () => {
    const { user } = await renderApp();
    await go(user, 'Settings');
    await user.click(screen.getByRole('button', { name: 'Test connection' }));
    expect(
      await screen.findByText('Fill in the account ID, client ID and secret first.'),
    ).toBeTruthy();
  });

  it('switches language at once and keeps it', async () => {
    const { user, fake } = await renderApp();
    await go(user, 'Settings');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Language' }), 'nb');
    expect(await screen.findByRole('heading', { name: 'Innstillinger' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ny ordre' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Ordrer' })).toBeTruthy();
    expect(document.documentElement.lang).toBe('nb');
    await waitFor(() => expect(fake.callsTo('settings:save')).toEqual([{ language: 'nb' }]));
    expect(fake.settings.language).toBe('nb');
    await user.selectOptions(screen.getByRole('combobox', { name: 'Språk' }), 'en');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('storing a secret while the keychain is locked says so plainly', async () => {
    const { user, fake } = await renderApp({
      mode: 'live',
      settings: { accountId: 'P12345678', clientId: 'client-abc' },
      secret: { configured: false, unreadable: true },
      status: { keychainLocked: 'linux' },
    });
    await go(user, 'Settings');
    expect(screen.getByTestId('secret-status').textContent).toBe(
      'Cannot be read now: the system keychain is locked.',
    );
    // No training note: the desk is live, only the keychain is locked.
    expect(screen.queryByText(/runs in training mode/)).toBeNull();
    fake.control.failNext('settings:setSecret', {
      code: 'keychain_unavailable',
      message: 'The system keychain is not available.',
    });
    await user.type(screen.getByLabelText('Client secret'), SECRET);
    await user.click(screen.getByRole('button', { name: 'Store secret' }));
    expect(
      await screen.findByText(/The secret was not stored: the system keychain is locked/),
    ).toBeTruthy();
  });

  it('asks before changing the account while orders still need it, and lists them', async () => {
    const waiting = makeOrder({ state: 'link_sent', amount: 49_900 });
    const queued = makeOrder({ state: 'queued', amount: 10_000 });
    const done = makeOrder({ state: 'captured', amount: 77_700 });
    const { user, fake } = await renderApp({
      mode: 'live',
      hold: true,
      settings: { accountId: 'T12345678', clientId: 'client-abc' },
      orders: [waiting, queued, done],
    });
    await go(user, 'Settings');
    const account = screen.getByRole('textbox', { name: 'Account ID' });
    await user.clear(account);
    await user.type(account, 'P87654321');
    await user.click(screen.getByRole('button', { name: 'Save' }));

    const dialog = await screen.findByRole('alertdialog', {
      name: 'These orders still need account T12345678',
    });
    expect(
      within(dialog).getByText(
        'These orders belong to account T12345678 and will wait until you switch back:',
      ),
    ).toBeTruthy();
    const lines = within(dialog)
      .getAllByRole('listitem')
      .map((li) => (li.textContent ?? '').replace(/\s/g, ' '));
    expect(lines).toHaveLength(2);
    expect(lines).toContainEqual(`${waiting.merchantReference} · Link sent · NOK 499.00`);
    expect(lines).toContainEqual(`${queued.merchantReference} · Queued · NOK 100.00`);
    expect(dialog.textContent).not.toContain(done.merchantReference);
    expect(within(dialog).getByTestId('account-change-crossing').textContent).toBe(
      'T12345678 is a test account and P87654321 is a production account. Test and production orders never mix.',
    );
    expect(fake.settings.accountId).toBe('T12345678');

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(fake.settings.accountId).toBe('T12345678');
    expect(fake.callsTo('settings:save')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'Save' }));
    const again = await screen.findByRole('alertdialog');
    await user.click(within(again).getByRole('button', { name: 'Change account' }));
    await waitFor(() => expect(fake.settings.accountId).toBe('P87654321'));
    expect(fake.callsTo('settings:save')[2]).toMatchObject({
      accountId: 'P87654321',
      confirmAccountChange: true,
    });
    expect(fake.callsTo('settings:save')[0]).not.toHaveProperty('confirmAccountChange');
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
    expect(screen.queryByRole('alertdialog')).toBeNull();
  });
});
