/**
 * Bench 6: the order board in Debian's Chromium with 10,000 orders (the training journal,
 * `<data>/training/journal.sqlite`, pre-filled), served by the e2e harness (startApp: the
 * app's services + the loopback bridge + the built renderer).
 *
 * - cold: page load → click "Orders" → first row visible (includes loading the 10,000 orders
 *   over the bridge);
 * - board render: on a loaded app, click "Orders" (from "New order") → first row visible and
 *   laid out, timed inside the page (performance.now, checked every animation frame);
 * - search: one keystroke in the "Search" field → the list shows the result, timed inside the
 *   page from the keydown; (a) the last digit of a phone number narrowing 10 rows to the one
 *   match, (b) a first letter on the full list (10,000 → a subset).
 * Baselines in the same page: rendering 10,000 plain <li> rows into a fresh element (timed the
 * same way: until a frame with the last row laid out), and a plain Array.filter over 10,000
 * items.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { MemorySecretStore } from '../../../main/credentials/memory-secret-store';
import type { OrderEngineInternals } from '../../../main/orders/engine';
import {
  chromiumInfo,
  launchBrowser,
  root as repoRoot,
  startApp,
  watchErrors,
} from '../../e2e/harness';
import { prefillJournal } from '../lib/fill';
import { ms, percentile, type BenchRow } from '../lib/report';
import { engineSettings, sleep } from '../lib/setup';

const ORDERS = 10_000;
const REPEAT = 5;
const PHONE_BASE = 41_000_000;
/** The order whose phone number the search types (+47 4100 4242; 4100424x are 10 orders). */
const TARGET = 4242;
const QUERY = String(PHONE_BASE + TARGET);

const ROW = '[role="grid"] [role="row"][data-order-id]';

/** In the page: click, then resolve with the ms until a frame where a board row is laid out. */
function clickUntilRow(button: Element): Promise<number> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    (button as HTMLElement).click();
    const check = (): void => {
      const row = document.querySelector('[role="grid"] [role="row"][data-order-id]');
      if (row !== null && row.getBoundingClientRect().height > 0) resolve(performance.now() - t0);
      else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  });
}

/**
 * In the page: on the next keydown in `input`, start the clock; resolve (via a promise kept on
 * window) at the first frame where the grid shows `rowCount` rows (aria-rowcount counts the
 * header too) — or any count but `notRowCount` — and `rowId` (if given) is laid out.
 */
function armKeystroke({
  input,
  want,
}: {
  input: Element;
  want: { rowCount?: string; notRowCount?: string; rowId?: string };
}): void {
  (window as unknown as { benchKey: Promise<number> }).benchKey = new Promise((resolve) => {
    input.addEventListener(
      'keydown',
      () => {
        const t0 = performance.now();
        const check = (): void => {
          const grid = document.querySelector('[role="grid"]');
          const count = grid?.getAttribute('aria-rowcount') ?? '';
          const countOk =
            (want.rowCount === undefined || count === want.rowCount) &&
            (want.notRowCount === undefined || count !== want.notRowCount);
          const row = want.rowId ? document.querySelector(`[data-order-id="${want.rowId}"]`) : null;
          const rowOk =
            want.rowId === undefined || (row !== null && row.getBoundingClientRect().height > 0);
          if (countOk && rowOk) resolve(performance.now() - t0);
          else requestAnimationFrame(check);
        };
        requestAnimationFrame(check);
      },
      { once: true, capture: true },
    );
  });
}

/** In the page: 10,000 plain <li> into a fresh element, until a frame with the last laid out. */
function plainList(n: number): Promise<number> {
  return new Promise((resolve) => {
    const host = document.createElement('div');
    document.body.appendChild(host);
    const t0 = performance.now();
    const ul = document.createElement('ul');
    for (let i = 0; i < n; i++) {
      const li = document.createElement('li');
      li.textContent = `DESK1-20250301-${i} · Captured · NOK 249.00 · +47 ••• •• ${i % 1000} · Kari Nordmann`;
      ul.appendChild(li);
    }
    host.appendChild(ul);
    requestAnimationFrame(() => {
      ul.lastElementChild?.getBoundingClientRect();
      const dt = performance.now() - t0;
      host.remove();
      resolve(dt);
    });
  });
}

/** In the page: the median time of a plain Array.filter over n items (50 repetitions). */
function plainFilter(args: { n: number; query: string }): number {
  const names = ['Kari Nordmann', 'Ola Hansen', 'Ingrid Berg', 'Lars Dahl'];
  const items = Array.from({ length: args.n }, (_, i) => ({
    reference: `DESK1-20250301-${i}`,
    name: names[i % names.length]!,
    phone: `+47${41_000_000 + i}`,
    amount: 24_900 + i,
  }));
  const q = args.query.toLowerCase();
  const times: number[] = [];
  let found = 0;
  for (let r = 0; r < 50; r++) {
    const t0 = performance.now();
    found = items.filter(
      (o) =>
        o.reference.toLowerCase().includes(q) ||
        o.name.toLowerCase().includes(q) ||
        o.phone.includes(q),
    ).length;
    times.push(performance.now() - t0);
  }
  if (found !== 1) throw new Error(`plain filter found ${found}`);
  times.sort((a, b) => a - b);
  return times[25]!;
}

async function rowCount(page: Page): Promise<string | null> {
  return page.getByRole('grid').getAttribute('aria-rowcount');
}

async function waitRowCount(page: Page, want: string): Promise<void> {
  const until = Date.now() + 20_000;
  while ((await rowCount(page)) !== want) {
    if (Date.now() > until) throw new Error(`bench: board never showed ${want} rows`);
    await sleep(20);
  }
}

export async function benchBoard(root: string): Promise<BenchRow[]> {
  const what = {
    cold: 'board cold: page load → Orders → first row (10k orders)',
    render: 'board render: click Orders → first row visible (10k orders)',
    match: 'search keystroke → list shows the match (10 → 1 of 10k)',
    first: 'search first keystroke → list updated (10k → subset)',
  };
  const ids = { cold: '6', render: '6a', match: '6b', first: '6c' };
  if (!chromiumInfo.path) {
    const reason = `no Chromium: ${chromiumInfo.reason}`;
    console.log(`[6] skipped: ${reason}`);
    return (Object.keys(what) as Array<keyof typeof what>).map((k) => ({
      id: ids[k],
      what: what[k],
      figure: '',
      baseline: '',
      ratio: Number.NaN,
      skipped: reason,
    }));
  }
  if (!existsSync(join(repoRoot, 'out/renderer/index.html'))) {
    throw new Error('bench: out/renderer is missing; run `npm run bench` (it builds first)');
  }
  if (!existsSync(join(repoRoot, 'out/preview/bridge.js'))) {
    // `npm run bench` builds the app but not the preview bridge the harness serves.
    const r = spawnSync(process.execPath, ['scripts/build-preview.mjs'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (r.status !== 0) throw new Error('bench: building the preview bridge failed');
  }

  const dataDir = join(root, 'b6-board');
  const trainingDir = join(dataDir, 'training');
  mkdirSync(trainingDir, { recursive: true });
  const fill = prefillJournal(trainingDir, {
    count: ORDERS,
    now: Date.now(),
    spanDays: 30,
    terminal: engineSettings(),
    phoneBase: PHONE_BASE,
    seed: 6,
  });
  const targetId = fill.ids[TARGET]!;

  const app = await startApp({ dataDir, secretStore: new MemorySecretStore() });
  const context = await launchBrowser();
  try {
    // The harness polls every 150 ms (e2e timing); what a round costs on this journal.
    const engine = app.services.engine as typeof app.services.engine & OrderEngineInternals;
    await engine.pollNow();
    const rounds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r0 = performance.now();
      await engine.pollNow();
      rounds.push(performance.now() - r0);
    }

    const page = await context.newPage();
    const errors = watchErrors(page);

    // Cold: load, go to Orders as soon as the button is there, wait for rows.
    const c0 = performance.now();
    await page.goto(app.url);
    await page.getByRole('button', { name: 'Orders' }).click();
    await page.locator(ROW).first().waitFor({ state: 'visible', timeout: 60_000 });
    const cold = performance.now() - c0;
    await waitRowCount(page, String(ORDERS + 1));

    // Warm render of the board, from the entry screen.
    const renders: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      await page.getByRole('button', { name: 'New order' }).click();
      await page.locator(ROW).first().waitFor({ state: 'detached' });
      await sleep(200);
      const button = await page.getByRole('button', { name: 'Orders' }).elementHandle();
      renders.push(await page.evaluate(clickUntilRow, button));
    }
    const lists: number[] = [];
    await page.getByRole('button', { name: 'New order' }).click();
    await sleep(200);
    for (let i = 0; i < REPEAT; i++) lists.push(await page.evaluate(plainList, ORDERS));
    await page.getByRole('button', { name: 'Orders' }).click();
    await waitRowCount(page, String(ORDERS + 1));

    // Search: the last digit of the phone number (10 rows → the one match).
    const search = page.getByRole('searchbox', { name: 'Search' });
    const input = await search.elementHandle();
    const matches: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      await search.fill(QUERY.slice(0, -1));
      await waitRowCount(page, '11');
      await sleep(200);
      await page.evaluate(armKeystroke, {
        input,
        want: { rowCount: '2', rowId: targetId },
      });
      await search.press(QUERY.slice(-1));
      matches.push(
        await page.evaluate(() => (window as unknown as { benchKey: Promise<number> }).benchKey),
      );
      await search.fill('');
      await waitRowCount(page, String(ORDERS + 1));
    }
    // Search: a first letter on the full list.
    const firsts: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      await sleep(200);
      await page.evaluate(armKeystroke, {
        input,
        want: { notRowCount: String(ORDERS + 1) },
      });
      await search.press('a');
      firsts.push(
        await page.evaluate(() => (window as unknown as { benchKey: Promise<number> }).benchKey),
      );
      const subset = await rowCount(page);
      expect(Number(subset)).toBeLessThan(ORDERS + 1);
      await search.fill('');
      await waitRowCount(page, String(ORDERS + 1));
    }
    const filter = await page.evaluate(plainFilter, { n: ORDERS, query: QUERY });
    if (errors.length > 0) console.warn(`[6] page errors: ${errors.join(' | ')}`);

    const render = percentile(renders, 50);
    const list = percentile(lists, 50);
    const match = percentile(matches, 50);
    const first = percentile(firsts, 50);
    const filterShown = Math.max(filter, 0.005);
    console.log(
      `[6] order board, ${ORDERS.toLocaleString('en')} orders, Chromium ${chromiumInfo.path}:\n` +
        `    (main side: a status-poll round on this journal takes ${ms(percentile(rounds, 50), 0)};` +
        ` the e2e harness polls every 150 ms)\n` +
        `    cold (page load → Orders → rows) ${ms(cold, 0)}\n` +
        `    board render ${renders.map((v) => ms(v, 1)).join(', ')}\n` +
        `    plain 10,000 <li> ${lists.map((v) => ms(v, 1)).join(', ')}\n` +
        `    keystroke → match ${matches.map((v) => ms(v, 1)).join(', ')}\n` +
        `    first keystroke → subset ${firsts.map((v) => ms(v, 1)).join(', ')}\n` +
        `    plain Array.filter over 10,000: ${ms(filter, 3)}`,
    );
    return [
      {
        id: '6',
        what: what.cold,
        figure: ms(cold, 0),
        baseline: `10,000 plain <li> ${ms(list, 1)}`,
        ratio: cold / list,
        data: { ms: cold },
      },
      {
        id: '6a',
        what: what.render,
        figure: ms(render, 1),
        baseline: `10,000 plain <li> ${ms(list, 1)}`,
        ratio: render / list,
        data: { renders, plainList: lists },
      },
      {
        id: '6b',
        what: what.match,
        figure: ms(match, 1),
        baseline: `Array.filter 10,000 ${ms(filter, 3)}`,
        ratio: match / filterShown,
        data: { matches, plainFilterMs: filter },
      },
      {
        id: '6c',
        what: what.first,
        figure: ms(first, 1),
        baseline: `Array.filter 10,000 ${ms(filter, 3)}`,
        ratio: first / filterShown,
        data: { firsts },
      },
    ];
  } finally {
    await context.close();
    await app.close();
  }
}
