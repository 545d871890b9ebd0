/**
 * The phone-order desk end to end, in a real Chromium against the real main-side services
 * (journal, client, simulator) through the loopback bridge — what staff see and press.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { PreviewServer } from '../../main/preview/server';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import {
  chromiumInfo,
  enterOrder,
  browserForFile,
  nav,
  rowStatus,
  screenshot,
  startApp,
  tempDataDir,
  testSecretStore,
  watchErrors,
} from './harness';

const axeSource = readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

const { browser, closers } = browserForFile();

async function open(app: PreviewServer): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  await page.goto(app.url);
  await page.getByRole('navigation').getByRole('button', { name: 'New order' }).waitFor();
  return { page, errors };
}

/** Runs axe-core in the page; returns serious and critical violations. */
async function axe(page: Page): Promise<string[]> {
  // The CSP forbids inline scripts (as it should), so the test evaluates axe in the page
  // through the DevTools protocol instead of adding a script tag.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const w = window as unknown as {
      axe: {
        run: (
          ctx: Document,
        ) => Promise<{ violations: Array<{ id: string; impact: string; nodes: unknown[] }> }>;
      };
    };
    return w.axe.run(document);
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}, ${v.nodes.length} nodes)`);
}

describe.skipIf(!chromiumInfo.path)('the desk in Chromium', () => {
  it('training: order, SMS in the training panel, customer pays, capture, refund part, refund the rest', async () => {
    const app = await startApp({ dataDir: tempDataDir(), secretStore: testSecretStore() });
    closers.push(() => app.close());
    const { page, errors } = await open(app);
    await expect
      .poll(() => page.getByText('Training mode — no real payments').first().isVisible())
      .toBe(true);
    await screenshot(page, '01-new-order-empty');
    expect(await axe(page), 'axe: New order').toEqual([]);

    // The shop lists its staff and puts refunds above NOK 600 under the manager's PIN.
    await nav(page, 'Settings');
    const access = page.getByRole('region', { name: 'Staff and refunds' });
    await access.getByLabel('Name', { exact: true }).fill('Anna');
    await access.getByRole('button', { name: 'Add' }).click();
    await access.getByLabel('New manager PIN').fill('2468');
    await access.getByRole('button', { name: 'Save manager PIN' }).click();
    await access.getByText('A manager PIN is set.').waitFor();
    await access.getByLabel('Manager PIN', { exact: true }).fill('2468');
    await access.getByLabel('Refund approval above').fill('600');
    await access.getByRole('button', { name: 'Save refund rules' }).click();
    await access.getByText('Refund rules saved.').waitFor();
    // Anna takes the desk: everything she does carries her name.
    const desk = page.getByRole('form', { name: 'Who is at the desk' });
    await desk.getByLabel('Who is at the desk').selectOption('Anna');
    await desk.getByRole('button', { name: 'Start' }).click();
    await page.getByText('At the desk: Anna').waitFor();

    const id = await enterOrder(page, '912 34 567', '1 299,50');
    await screenshot(page, '02-new-order-sent');

    await nav(page, 'Training');
    await expect
      .poll(
        () =>
          page.getByText('+47 91 23 45 67').or(page.getByText('+4791234567')).first().isVisible(),
        { timeout: 15_000 },
      )
      .toBe(true);
    const sessionRow = page.locator('li.session').first();
    await sessionRow.getByRole('button', { name: 'Open link' }).click();
    await expect.poll(() => sessionRow.getByRole('button', { name: 'Pay' }).isEnabled()).toBe(true);
    await sessionRow.getByRole('button', { name: 'Pay' }).click();
    await screenshot(page, '03-training-paid');
    expect(await axe(page), 'axe: Training').toEqual([]);

    await nav(page, 'Orders');
    await expect.poll(() => rowStatus(page, id), { timeout: 15_000 }).toMatch(/Paid/);
    const ref = (await page.locator(`[data-order-id="${id}"] .col--ref`).innerText()).trim();
    expect(ref).toMatch(/\d{8}/);
    await screenshot(page, '04-orders-paid');
    expect(await axe(page), 'axe: Orders').toEqual([]);

    await page.locator(`[role="row"][data-order-id="${id}"]`).click();
    await page.getByRole('button', { name: 'Capture', exact: true }).waitFor();
    await screenshot(page, '05-detail-paid');
    expect(await axe(page), 'axe: Order detail').toEqual([]);
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm capture' }).click();
    await expect
      .poll(() => page.getByText('Captured', { exact: true }).first().isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);

    await page.getByLabel('Refund amount').fill('500');
    await page.getByLabel('Refund reason').selectOption({ label: 'Damaged or faulty goods' });
    await page.getByLabel('Details (optional)').fill('in transport');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm refund' }).click();
    await expect
      .poll(() => page.getByText('Partially refunded', { exact: true }).first().isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);

    await expect
      .poll(async () => page.getByLabel('Refund amount').inputValue(), { timeout: 10_000 })
      .toMatch(/799[.,]50/);
    // 799.50 is above the limit: the manager PIN is asked; a wrong one sends nothing.
    await page.getByLabel('Refund reason').selectOption({ label: 'Goods returned' });
    await page.getByLabel('Manager PIN').fill('1111');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm refund' }).click();
    await page.getByText(/^Wrong manager PIN/).waitFor();
    expect(app.services.simulator!.stats().requests.refund).toBe(1);
    await page.getByLabel('Manager PIN').fill('2468');
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm refund' }).click();
    await expect
      .poll(() => page.getByText('Refunded', { exact: true }).first().isVisible(), {
        timeout: 15_000,
      })
      .toBe(true);
    // The timeline and actions follow: no operation left in progress, nothing more to refund.
    await expect
      .poll(() => page.getByText(/already in progress/).count(), { timeout: 10_000 })
      .toBe(0);
    await expect
      .poll(() => page.getByText('Refunded', { exact: true }).count())
      .toBeGreaterThanOrEqual(2);
    // The timeline names Anna and the desk, and the manager's approval.
    await page.getByText('Refund approved').first().waitFor();
    expect(await page.getByText('by Anna · Desk 1').count()).toBeGreaterThanOrEqual(3);
    await screenshot(page, '06-detail-refunded');

    // Norsk bokmål chosen in Settings: the whole desk, this order's timeline included (written
    // by main as codes), reads in Norwegian at once, money in Norwegian format.
    await nav(page, 'Settings');
    await page.getByLabel('Language').selectOption('nb');
    await page.getByRole('navigation').getByRole('button', { name: 'Ordrer' }).waitFor();
    await nav(page, 'Ordrer');
    await page.locator(`[role="row"][data-order-id="${id}"]`).click();
    await expect
      .poll(
        () =>
          page
            .getByText(/Kunden betalte 1\s?299,50\s?kr/)
            .first()
            .isVisible(),
        {
          timeout: 10_000,
        },
      )
      .toBe(true);
    await expect
      .poll(() =>
        page
          .getByText(/^Refunderte /)
          .first()
          .isVisible(),
      )
      .toBe(true);
    expect(await page.getByText(/The customer paid|Refunded NOK/).count()).toBe(0);
    await screenshot(page, '06b-detail-norwegian');
    await nav(page, 'Innstillinger');
    await page.getByLabel('Språk').selectOption('en');
    await page.getByRole('navigation').getByRole('button', { name: 'Orders' }).waitFor();

    const sim = app.services.simulator!;
    const tx = sim.transactions()[0]!;
    expect(tx.status).toBe('REFUNDED');
    expect(sim.stats().capturesApplied).toBe(1);
    expect(sim.stats().refundsApplied).toBe(2);
    expect(errors).toEqual([]);
  });

  it('live: credentials entered in Settings against the simulator, an outage, and settings surviving a restart', async () => {
    const dintero: Simulator = await startSimulator({
      port: 0,
      credentials: { accountId: 'P87654321' },
    });
    closers.push(() => dintero.close());
    const env = { PAYLINK_DINTERO_API_URL: dintero.url, PAYLINK_DINTERO_CHECKOUT_URL: dintero.url };
    const dataDir = tempDataDir();
    const secrets = testSecretStore();
    let app = await startApp({ dataDir, secretStore: secrets, env });
    let { page, errors } = await open(app);

    // The desk starts in training, with its own journal: a practice order there first.
    const practice = await enterOrder(page, '+47 912 34 567', '100');
    await nav(page, 'Orders');
    await expect.poll(() => rowStatus(page, practice), { timeout: 15_000 }).toMatch(/Link sent/);

    await nav(page, 'Settings');
    await page.getByLabel('Account ID').fill('P87654321');
    await page.getByLabel('Client ID').fill(dintero.credentials.clientId);
    await page.getByLabel('Payment profile ID').fill('default');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => page.getByText('Settings saved.').isVisible()).toBe(true);
    await page.getByLabel('Client secret').fill(dintero.credentials.clientSecret);
    await page.getByRole('button', { name: 'Store secret' }).click();
    const last4 = dintero.credentials.clientSecret.slice(-4);
    await expect
      .poll(() => page.getByTestId('secret-status').innerText())
      .toBe(`Configured, ending in ${last4}`);
    await expect
      .poll(() => page.getByText('Training mode — no real payments').first().isVisible())
      .toBe(false);
    await page.getByRole('button', { name: 'Test connection' }).click();
    await expect.poll(() => page.getByText('The connection works.').isVisible()).toBe(true);
    expect(await page.content()).not.toContain(dintero.credentials.clientSecret);
    await screenshot(page, '07-settings-live');
    expect(await axe(page), 'axe: Settings').toEqual([]);

    // A normal live order.
    const first = await enterOrder(page, '+47 912 34 567', '250');
    await nav(page, 'Orders');
    await expect.poll(() => rowStatus(page, first), { timeout: 15_000 }).toMatch(/Link sent/);
    // Live now: the board shows the live journal only, not the practice order.
    expect(await rowStatus(page, practice)).toBe('');
    await expect.poll(() => page.getByText('1 order', { exact: true }).isVisible()).toBe(true);

    // Outage: Dintero unreachable. Orders queue, the status bar says offline.
    await dintero.stop();
    const queued = [];
    for (const phone of ['41 23 45 67', '93 45 67 89', '47 11 22 33'])
      queued.push(await enterOrder(page, phone, '99'));
    await expect
      .poll(
        () =>
          page
            .getByText(/Offline/)
            .first()
            .isVisible(),
        { timeout: 15_000 },
      )
      .toBe(true);
    await nav(page, 'Orders');
    for (const id of queued) await expect.poll(() => rowStatus(page, id)).toMatch(/Queued|Sending/);
    await screenshot(page, '08-orders-offline');

    // The line returns: each queued order is sent exactly once.
    await dintero.restart();
    for (const id of queued)
      await expect.poll(() => rowStatus(page, id), { timeout: 20_000 }).toMatch(/Link sent/);
    await expect
      .poll(() => page.getByText('Online', { exact: true }).first().isVisible())
      .toBe(true);
    const sessions = dintero.stats().sessionsCreated;
    expect(Object.values(sessions)).toEqual([1, 1, 1, 1]);
    expect(errors).toEqual([]);

    // Restart: settings and the secret (keychain) survive; still live.
    await page.close();
    await app.close();
    app = await startApp({ dataDir, secretStore: secrets, env });
    closers.push(() => app.close());
    ({ page, errors } = await open(app));
    await nav(page, 'Settings');
    await expect.poll(() => page.getByLabel('Account ID').inputValue()).toBe('P87654321');
    expect(await page.getByLabel('Client ID').inputValue()).toBe(dintero.credentials.clientId);
    expect(await page.getByLabel('Client secret').inputValue()).toBe('');
    await expect
      .poll(() => page.getByTestId('secret-status').innerText())
      .toBe(`Configured, ending in ${last4}`);
    await nav(page, 'Orders');
    await expect.poll(() => rowStatus(page, first)).toMatch(/Link sent/);

    // A journal belongs to one account: changing it while orders are followed asks first.
    await nav(page, 'Settings');
    await page.getByLabel('Account ID').fill('T87654321');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const ask = page.getByRole('alertdialog');
    await expect.poll(() => ask.isVisible()).toBe(true);
    expect(await ask.innerText()).toMatch(/belong to account P87654321/);
    expect(await ask.innerText()).toMatch(/test and production orders never mix/i);
    await ask.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => ask.count()).toBe(0);
    expect(app.services.settings.get().accountId).toBe('P87654321');
    await secrets.delete('P87654321');
    expect(errors).toEqual([]);
  });
});
