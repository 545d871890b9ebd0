/**
 * The status bar's update offer: "Update ready (version X)" with "Restart to update" once main
 * has a verified update; while the restart must wait the button waits and says why; a press
 * main refuses shows main's reason; nothing shows without an update.
 */
import { act, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { msg } from '../../common/i18n/messages';
import { renderApp } from './render-app';

const offer = (): HTMLElement | null => document.querySelector('[data-banner="update"]');
const restartButton = (): HTMLButtonElement =>
  screen.getByRole('button', { name: 'Restart to update' });

describe('Update offer in the status bar', () => {
  it('shows nothing until main has an update ready, then the version and the button', async () => {
    const { fake, user } = await renderApp({ mode: 'live' });
    expect(offer()).toBeNull();
    expect(screen.queryByRole('button', { name: 'Restart to update' })).toBeNull();

    act(() => fake.control.setStatus({ update: { state: 'ready', version: '1.5.0' } }));
    await waitFor(() => expect(offer()).not.toBeNull());
    expect(offer()!.textContent).toContain('Update ready (version 1.5.0)');
    expect(screen.getByRole('group', { name: 'Update ready (version 1.5.0)' })).toBe(offer());
    expect(restartButton().disabled).toBe(false);

    await user.click(restartButton());
    expect(fake.callsTo('app:restartToUpdate')).toHaveLength(1);
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Restarting…' }).hasAttribute('disabled')).toBe(
        true,
      ),
    );
  });

  it('while orders are queued or a payment is checked, the button waits and says why', async () => {
    const { fake } = await renderApp({
      mode: 'live',
      status: { update: { state: 'ready', version: '1.5.0', waitsFor: ['queue', 'checking'] } },
    });
    const button = restartButton();
    expect(button.disabled).toBe(true);
    const why = document.getElementById(button.getAttribute('aria-describedby')!);
    expect(why?.textContent).toBe(
      'Restarts when the queue is empty and no payment is being checked or action is in progress.',
    );
    expect(offer()!.contains(why)).toBe(true);

    // The queue empties: main says so, and the button is there to press.
    act(() => fake.control.setStatus({ update: { state: 'ready', version: '1.5.0' } }));
    await waitFor(() => expect(restartButton().disabled).toBe(false));
    expect(restartButton().hasAttribute('aria-describedby')).toBe(false);
    expect(offer()!.textContent).not.toContain('Restarts when');
  });

  it("a press main refuses shows main's reason and leaves the button to press again", async () => {
    const { fake, user } = await renderApp({
      mode: 'live',
      status: { update: { state: 'ready', version: '1.5.0' } },
    });
    fake.control.failNext('app:restartToUpdate', {
      code: 'not_allowed',
      message: 'busy',
      text: msg('update.busy'),
    });
    await user.click(restartButton());
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Not restarted: orders are queued/);
    expect(offer()!.contains(alert)).toBe(true);
    expect(restartButton().disabled).toBe(false);
  });

  it("speaks the desk's language", async () => {
    await renderApp({
      mode: 'live',
      settings: { language: 'nb' },
      status: { update: { state: 'ready', version: '1.5.0', waitsFor: ['operation'] } },
    });
    await waitFor(() => expect(offer()!.textContent).toContain('Oppdatering klar (versjon 1.5.0)'));
    const button = screen.getByRole('button', { name: 'Start på nytt for å oppdatere' });
    expect(document.getElementById(button.getAttribute('aria-describedby')!)?.textContent).toBe(
      'Starter på nytt når køen er tom og ingen betaling sjekkes eller handling pågår.',
    );
  });
});
