/**
 * `npm run preview:browser -- 'paylink://new?…'` end to end: the built CLI started with a
 * paylink: link, the page in Chromium shows New order filled in, nothing reaches "Dintero"
 * (the training simulator) until staff press Send link, and then the session carries the
 * other system's order number as merchant_reference_2. A hostile link fills in nothing and
 * says why.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import {
  browserForFile,
  chromiumInfo,
  root,
  screenshot,
  tempDataDir,
  watchErrors,
} from './harness';

const cli = join(root, 'out/preview/cli.mjs');
const { browser, closers } = browserForFile();

/** Starts the built preview CLI with `args`; resolves with its URL and data folder. */
async function startCli(args: string[]): Promise<{ url: string; dataDir: string }> {
  expect(existsSync(cli), 'run `npm run build:preview` (npm test does) before the e2e suite').toBe(
    true,
  );
  const dataDir = tempDataDir();
  const child: ChildProcess = spawn(process.execPath, [cli, ...args], {
    env: { ...process.env, PAYLINK_PREVIEW_PORT: '0', PAYLINK_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  closers.push(async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('preview did not print its URL')), 30_000);
    lines.once('line', (l) => {
      clearTimeout(timer);
      resolve(l.trim());
    });
  });
  return { url, dataDir };
}

/** What the training simulator ("Dintero") holds, read over its control route. */
async function simulatorState(
  dataDir: string,
): Promise<{ sessions: Array<{ order: Record<string, unknown> }> }> {
  const port = readFileSync(join(dataDir, 'training', 'simulator.port'), 'utf8').trim();
  const res = await fetch(`http://127.0.0.1:${port}/__sim/state`);
  return (await res.json()) as { sessions: Array<{ order: Record<string, unknown> }> };
}

async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser().newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByRole('navigation').getByRole('button', { name: 'New order' }).waitFor();
  return { page, errors };
}

describe.skipIf(!chromiumInfo.path)('a paylink: link on the preview’s command line', () => {
  it('opens New order filled in; Send link gives a session with merchant_reference_2', async () => {
    const link =
      'paylink://new?phone=%2B4791234567&amount=1299.50&currency=NOK' +
      '&reference=ERP-4711&name=Kari%20Nordmann&note=Leave%20it%20at%20the%20door';
    const { url, dataDir } = await startCli([link]);
    const { page, errors } = await open(url);

    await expect.poll(() => page.getByLabel('Customer phone').inputValue()).toBe('+47 91 23 45 67');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('1299.50');
    expect(await page.getByLabel('Currency', { exact: true }).inputValue()).toBe('NOK');
    expect(await page.getByLabel('Order number in your system').inputValue()).toBe('ERP-4711');
    expect(await page.getByLabel('Customer name').inputValue()).toBe('Kari Nordmann');
    expect(await page.getByLabel('Note for the order').inputValue()).toBe('Leave it at the door');
    await expect
      .poll(() => page.getByText('Filled in from a link in another program').isVisible())
      .toBe(true);
    await screenshot(page, '11-new-order-from-link');

    // Nothing has gone to Dintero: staff have not pressed Send link.
    expect((await simulatorState(dataDir)).sessions).toEqual([]);

    await page.getByRole('button', { name: 'Send link' }).click();
    await expect.poll(() => page.getByLabel('Customer phone').inputValue()).toBe('');
    await expect
      .poll(async () => (await simulatorState(dataDir)).sessions.length, { timeout: 15_000 })
      .toBe(1);
    const [session] = (await simulatorState(dataDir)).sessions;
    expect(session!.order).toMatchObject({
      amount: 129_950,
      currency: 'NOK',
      merchant_reference_2: 'ERP-4711',
    });

    // The order shows the number, and the board finds it by it.
    await page.getByRole('navigation').getByRole('button', { name: 'Orders' }).click();
    await page.getByRole('searchbox', { name: 'Search' }).fill('erp-4711');
    const row = page.locator('[role="row"][data-order-id]');
    await expect.poll(() => row.count()).toBe(1);
    await row.first().click();
    await expect.poll(() => page.getByText('ERP-4711').first().isVisible()).toBe(true);
    expect(errors).toEqual([]);
  });

  it('a hostile link fills in nothing and says why', async () => {
    const { url, dataDir } = await startCli([
      'paylink://new?phone=%2B4791234567&amount=-100&name=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
    ]);
    const { page, errors } = await open(url);
    const alert = page.getByRole('alert').filter({ hasText: 'could not be used' });
    await alert.waitFor();
    expect(await alert.innerText()).toContain('nothing from it was filled in');
    expect(await page.getByLabel('Customer phone').inputValue()).toBe('');
    expect(await page.getByLabel('Amount', { exact: true }).inputValue()).toBe('');
    expect((await simulatorState(dataDir)).sessions).toEqual([]);
    expect(errors).toEqual([]);
  });
});
