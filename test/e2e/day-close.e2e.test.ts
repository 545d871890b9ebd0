/**
 * The day close in Chromium, in training mode: two orders paid, one captured at the desk and
 * one captured outside the app (another API client, as Backoffice would), the Day close screen
 * showing the figures and the difference, and both exports arriving as browser downloads whose
 * figures match Dintero's (the simulator's) to the øre.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Download, Page } from 'playwright-core';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import { simClient } from '../main/training/sim-helpers';
import {
  chromiumInfo,
  enterOrder,
  browserForFile,
  nav,
  screenshot,
  startApp,
  tempDataDir,
  testSecretStore,
  watchErrors,
} from './harness';

const { browser, closers } = browserForFile();

async function downloaded(page: Page, button: string): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([
    page.waitForEvent('download', { timeout: 15_000 }),
    page.getByRole('button', { name: button, exact: true }).click(),
  ])) as [Download, unknown];
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path) };
}

describe.skipIf(!chromiumInfo.path)('day close in Chromium', () => {
  it('closes a training day with a capture made outside the app, and exports CSV and PDF', async () => {
    const app = await startApp({ dataDir: tempDataDir(), secretStore: testSecretStore() });
    closers.push(() => app.close());
    const page = await browser().newPage();
    const errors = watchErrors(page);
    await page.goto(app.url);
    await page.getByRole('navigation').getByRole('button', { name: 'New order' }).waitFor();

    const atDesk = await enterOrder(page, '912 34 567', '1 299,50');
    const outside = await enterOrder(page, '913 45 678', '450');
    const engine = app.services.engine;
    const sim = app.services.simulator!;
    await expect
      .poll(() => [atDesk, outside].map((id) => engine.getOrder(id).order.sessionId ?? ''), {
        timeout: 15_000,
      })
      .not.toContain('');
    for (const id of [atDesk, outside]) sim.pay(engine.getOrder(id).order.sessionId!);
    await expect
      .poll(() => [atDesk, outside].map((id) => engine.getOrder(id).order.state), {
        timeout: 15_000,
      })
      .toEqual(['authorized', 'authorized']);

    // Captured at the desk, through the screen.
    await nav(page, 'Orders');
    await page.locator(`[role="row"][data-order-id="${atDesk}"]`).click();
    await page.getByRole('button', { name: 'Capture', exact: true }).click();
    await page.getByRole('button', { name: 'Confirm capture' }).click();
    await expect
      .poll(() => engine.getOrder(atDesk).order.state, { timeout: 15_000 })
      .toBe('captured');
    // Captured outside the app: another API client of the account, as Backoffice would.
    const txId = engine.getOrder(outside).order.transactionId!;
    await simClient(sim, 5_000).capture(txId, { amount: 45_000, capture_reference: 'BO-77' });

    await nav(page, 'Day close');
    const differences = page.getByTestId('differences');
    await differences.waitFor({ timeout: 15_000 });
    const reference = engine.getOrder(outside).order.merchantReference;
    expect(await differences.innerText()).toMatch(
      new RegExp(`NOK\\s450\\.00 of ${reference} was captured outside Paylink Desk`),
    );
    // Dintero is the truth: the journal now has the outside capture.
    expect(engine.getOrder(outside).order.capturedAmount).toBe(45_000);
    const captured = page.locator('tr[data-figure="NOK-captured"]');
    expect((await captured.innerText()).replace(/\s+/g, ' ')).toMatch(/Captured 2 NOK 1,749\.50/);
    await screenshot(page, '10-day-close');

    // The figure opens its two orders on the board.
    await captured.getByRole('button').click();
    await expect.poll(() => page.locator('[role="row"][data-order-id]').count()).toBe(2);
    await nav(page, 'Day close');
    await page.getByTestId('differences').waitFor({ timeout: 15_000 });

    const csv = await downloaded(page, 'Export CSV');
    expect(csv.name).toMatch(/^paylink-day-\d{4}-\d{2}-\d{2}-desk\.csv$/);
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parse<Record<string, string>>(csv.bytes, { bom: true, columns: true });
    const byRef = new Map(rows.map((r) => [r.merchant_reference, r]));
    for (const id of [atDesk, outside]) {
      const o = engine.getOrder(id).order;
      const tx = sim.getTransaction(o.transactionId!)!;
      const row = byRef.get(o.merchantReference)!;
      // To the øre: the file's figures are the journal's, and the journal's are Dintero's.
      expect(row.amount).toBe((o.amount / 100).toFixed(2));
      expect(row.captured).toBe((o.capturedAmount / 100).toFixed(2));
      expect(Math.round(Number(row.captured) * 100)).toBe(
        (tx.events ?? [])
          .filter((e) => e.event === 'CAPTURE' && e.success)
          .reduce((n, e) => n + (e.amount ?? 0), 0),
      );
      expect(row.transaction_id).toBe(o.transactionId);
      expect(row.created_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2}$/);
    }
    expect(page.getByText(/paylink-day-.*\.csv was downloaded\./)).toBeTruthy();

    const nordic = await downloaded(page, 'Excel (Nordic)');
    const nordicRows = parse<Record<string, string>>(nordic.bytes, {
      bom: true,
      columns: true,
      delimiter: ';',
    });
    expect(nordicRows.find((r) => r.merchant_reference === reference)!.captured).toBe('450,00');

    const pdf = await downloaded(page, 'Day report (PDF)');
    expect(pdf.name).toMatch(/\.pdf$/);
    const doc = await getDocumentProxy(new Uint8Array(pdf.bytes));
    const { text } = await extractText(doc, { mergePages: true });
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain('Paylink Desk: day report');
    expect(flat).toMatch(/NOK 1,749\.50/);
    expect(flat).toContain(reference);
    expect(flat).toContain('captured outside Paylink Desk');
    expect(errors).toEqual([]);
  });
});
