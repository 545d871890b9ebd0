/**
 * Who is at the desk, as staff use it: choosing a name at the top of the window (with a PIN
 * when the person has one), leaving, and Settings' staff list, manager PIN and refund rules.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { go, renderApp } from './render-app';

const deskStaff = (): HTMLElement => screen.getByRole('form', { name: 'Who is at the desk' });

describe('who is at the desk', () => {
  it('shows nothing while Settings lists no staff', async () => {
    await renderApp();
    expect(screen.queryByRole('form', { name: 'Who is at the desk' })).toBeNull();
    expect(screen.queryByRole('group', { name: 'Who is at the desk' })).toBeNull();
  });

  it('a person without a PIN chooses their name and leaves; one with a PIN needs the right one', async () => {
    const { user, fake } = await renderApp({
      settings: { staff: ['Anna', 'Bo'] },
      access: { staffPins: { Anna: '1357' } },
    });
    const who = within(deskStaff()).getByRole('combobox', { name: 'Who is at the desk' });
    expect(within(deskStaff()).queryByLabelText('PIN')).toBeNull();
    await user.click(within(deskStaff()).getByRole('button', { name: 'Start' }));
    expect(within(deskStaff()).getByRole('alert').textContent).toBe('Choose your name first.');
    await user.selectOptions(who, 'Bo');
    await user.click(within(deskStaff()).getByRole('button', { name: 'Start' }));
    const group = await screen.findByRole('group', { name: 'Who is at the desk' });
    expect(within(group).getByText('At the desk: Bo')).toBeTruthy();
    await user.click(within(group).getByRole('button', { name: 'Leave the desk' }));

    await user.selectOptions(
      within(deskStaff()).getByRole('combobox', { name: 'Who is at the desk' }),
      'Anna',
    );
    await user.type(within(deskStaff()).getByLabelText('PIN'), '0000');
    await user.click(within(deskStaff()).getByRole('button', { name: 'Start' }));
    await waitFor(() =>
      expect(within(deskStaff()).getByRole('alert').textContent).toBe(
        'That is not the PIN for Anna.',
      ),
    );
    await user.type(within(deskStaff()).getByLabelText('PIN'), '1357');
    await user.click(within(deskStaff()).getByRole('button', { name: 'Start' }));
    await screen.findByText('At the desk: Anna');
    expect(fake.callsTo('staff:choose')).toEqual([
      { name: 'Bo' },
      { name: 'Anna', pin: '0000' },
      { name: 'Anna', pin: '1357' },
    ]);
  });
});

describe('Settings: staff and refunds', () => {
  it('adds staff, sets the manager PIN, and saves refund rules with it', async () => {
    const { user, fake } = await renderApp();
    await go(user, 'Settings');
    const section = screen.getByRole('region', { name: 'Staff and refunds' });
    await user.type(within(section).getByRole('textbox', { name: 'Name' }), 'Anna');
    await user.click(within(section).getByRole('button', { name: 'Add' }));
    await within(section).findByText('Anna');
    expect(fake.settings.staff).toEqual(['Anna']);
    // The desk now asks who is at it.
    expect(screen.getByRole('form', { name: 'Who is at the desk' })).toBeTruthy();

    await user.type(within(section).getByLabelText('New manager PIN'), '24');
    await user.click(within(section).getByRole('button', { name: 'Save manager PIN' }));
    expect(within(section).getByRole('status').textContent).toBe('A PIN is four to eight digits.');
    await user.type(within(section).getByLabelText('New manager PIN'), '68');
    await user.click(within(section).getByRole('button', { name: 'Save manager PIN' }));
    await within(section).findByText('A manager PIN is set.');

    await user.type(within(section).getByLabelText('Refund approval above'), '1000');
    await user.type(within(section).getByLabelText('Refund reasons'), 'Late delivery');
    await user.click(within(section).getByRole('button', { name: 'Save refund rules' }));
    await waitFor(() =>
      expect(within(section).getByRole('status').textContent).toBe('This needs the manager PIN.'),
    );
    expect(fake.settings.refundApprovalAbove).toBeNull();
    await user.type(within(section).getAllByLabelText('Manager PIN')[0]!, '2468');
    await user.click(within(section).getByRole('button', { name: 'Save refund rules' }));
    await waitFor(() =>
      expect(within(section).getByRole('status').textContent).toBe('Refund rules saved.'),
    );
    expect(fake.settings.refundApprovalAbove).toBe(1000);
    expect(fake.settings.refundReasons).toEqual(['Late delivery']);
    // The PIN went to main once and is never shown back.
    expect(document.body.innerHTML).not.toContain('2468');
  });
});
