/** Renders the whole renderer against a fake PaylinkApi and waits until it has loaded. */
import { render, screen, waitFor, type RenderResult } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { App } from '../../renderer/src/App';
import { useAppStore } from '../../renderer/src/store';
import { createFakePaylink, type FakeOptions, type FakePaylink } from './fake-paylink';

export interface Rendered extends RenderResult {
  fake: FakePaylink;
  user: ReturnType<typeof userEvent.setup>;
}

export async function renderApp(opts: FakeOptions | FakePaylink = {}): Promise<Rendered> {
  const fake = 'api' in opts ? opts : createFakePaylink(opts);
  const user = userEvent.setup();
  const result = render(<App api={fake.api} />);
  await waitFor(() => {
    if (useAppStore.getState().status === null || useAppStore.getState().settings === null) {
      throw new Error('not loaded');
    }
  });
  return { ...result, fake, user };
}

/** Clicks a navigation button by its exact name. */
export async function go(
  user: Rendered['user'],
  name: 'New order' | 'Orders' | 'Day close' | 'Settings' | 'Training',
): Promise<void> {
  const nav = screen.getByRole('navigation');
  const button = Array.from(nav.querySelectorAll('button')).find((b) => b.textContent === name);
  if (!button) throw new Error(`no nav button ${name}`);
  await user.click(button);
}
