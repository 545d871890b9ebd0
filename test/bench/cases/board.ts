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
 * Baselines in the same page (test/bench/lib/mini-list.ts): a minimal virtualised list in plain
 * DOM over the same 10,000 orders, with the board's row height, viewport, overscan, cells and
 * CSS, timed the same way (until a frame with its first row laid out):
 * - cold: the same orders read over the same window.paylink, then the list rendered (the
 *   board's figure also loads the page itself: the ratio shows what the app's start adds);
 * - board render: the list rendered from the orders in memory;
 * - search: the board's search rules over the 10,000 orders plus rendering the result (the
 *   counts are checked equal to the board's, so it is the same filter).
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
import { installMiniList, type MiniList } from '../lib/mini-list';
import { ms, percentile, type BenchRow } from '../lib/report';
import { engineSettings, sleep } from '../lib/setup';

const ORDERS = 10_000;
const REPEAT = 5;
const PHONE_BASE = 41_000_000;
/** The order whose phone number the search types (+47 4100 4242; 4100424x are 10 orders). */
const TARGET = 4242;
const QUERY = String(PHONE_BASE + TARGET);

const ROW = '[role="grid"] [role="row"][data-order-id]';
/** The board's overscan (OrderBoardScreen's useVirtualizer). */
const OVERSCAN = 8;

type MiniWindow = { benchMini: MiniList };

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
    // The baseline list gets the board's geometry, measured on the board itself.
    const geometry = await page.evaluate(() => {
      const grid = document.querySelector('[role="grid"]')!;
      const row = grid.querySelector('[role="row"][data-order-id]')!;
      return {
        rowHeight: row.getBoundingClientRect().height,
        viewportHeight: grid.clientHeight,
      };
    });
    await page.evaluate(installMiniList, { ...geometry, overscan: OVERSCAN });
    await page.getByRole('button', { name: 'New order' }).click();
    await sleep(200);
    const miniColds: number[] = [];
    const miniRenders: number[] = [];
    for (let i = 0; i < REPEAT; i++) {
      miniColds.push(
        await page.evaluate(
          (n) => (window as unknown as MiniWindow).benchMini.fetchAndRender(n),
          ORDERS,
        ),
      );
      await page.evaluate(() => (window as unknown as MiniWindow).benchMini.unmount());
      await sleep(200);
      miniRenders.push(
        await page.evaluate(() => (window as unknown as MiniWindow).benchMini.render()),
      );
      await page.evaluate(() => (window as unknown as MiniWindow).benchMini.unmount());
      await sleep(200);
    }
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
    let boardFirstCount = -1;
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
      boardFirstCount = Number(subset) - 1;
      await search.fill('');
      await waitRowCount(page, String(ORDERS + 1));
    }
    // The same keystrokes on the baseline list: the board's rules over the same orders + render.
    const miniSearch = (q: string): Promise<{ ms: number; count: number }> =>
      page.evaluate((query) => (window as unknown as MiniWindow).benchMini.search(query), q);
    const miniMatches: number[] = [];
    const miniFirsts: number[] = [];
    let miniMatchCount = 0;
    let miniFirstCount = 0;
    for (let i = 0; i < REPEAT; i++) {
      expect((await miniSearch(QUERY.slice(0, -1))).count).toBe(10);
      await sleep(200);
      const m = await miniSearch(QUERY);
      miniMatches.push(m.ms);
      miniMatchCount = m.count;
      await miniSearch('');
      await sleep(200);
      const f = await miniSearch('a');
      miniFirsts.push(f.ms);
      miniFirstCount = f.count;
    }
    await page.evaluate(() => (window as unknown as MiniWindow).benchMini.unmount());
    // Same filter: the baseline finds exactly what the board found.
    expect(miniMatchCount).toBe(1);
    expect(miniFirstCount).toBe(boardFirstCount);
    if (errors.length > 0) console.warn(`[6] page errors: ${errors.join(' | ')}`);

    const render = percentile(renders, 50);
    const match = percentile(matches, 50);
    const first = percentile(firsts, 50);
    const miniCold = percentile(miniColds, 50);
    const miniRender = percentile(miniRenders, 50);
    const miniMatch = percentile(miniMatches, 50);
    const miniFirst = percentile(miniFirsts, 50);
    const list = (v: number[]): string => v.map((x) => ms(x, 1)).join(', ');
    console.log(
      `[6] order board, ${ORDERS.toLocaleString('en')} orders, Chromium ${chromiumInfo.path}:\n` +
        `    (main side: a status-poll round on this journal takes ${ms(percentile(rounds, 50), 0)};` +
        ` the e2e harness polls every 150 ms)\n` +
        `    board geometry: rows ${geometry.rowHeight} px, viewport ${geometry.viewportHeight} px\n` +
        `    cold (page load → Orders → rows) ${ms(cold, 0)}; minimal list (read + render) ${list(miniColds)}\n` +
        `    board render ${list(renders)}; minimal list ${list(miniRenders)}\n` +
        `    keystroke → match ${list(matches)}; minimal list ${list(miniMatches)}\n` +
        `    first keystroke → subset (${boardFirstCount} rows) ${list(firsts)}; minimal list ${list(miniFirsts)}`,
    );
    return [
      {
        id: '6',
        what: what.cold,
        figure: ms(cold, 0),
        baseline: `same orders over window.paylink + minimal virtualised list ${ms(miniCold, 0)}`,
        ratio: cold / miniCold,
        data: { ms: cold, miniColds },
      },
      {
        id: '6a',
        what: what.render,
        figure: ms(render, 1),
        baseline: `minimal virtualised list, same rows ${ms(miniRender, 1)}`,
        ratio: render / miniRender,
        data: { renders, miniRenders, geometry },
      },
      {
        id: '6b',
        what: what.match,
        figure: ms(match, 1),
        baseline: `same filter + minimal list render ${ms(miniMatch, 1)}`,
        ratio: match / miniMatch,
        data: { matches, miniMatches },
      },
      {
        id: '6c',
        what: what.first,
        figure: ms(first, 1),
        baseline: `same filter + minimal list render ${ms(miniFirst, 1)}`,
        ratio: first / miniFirst,
        data: { firsts, miniFirsts, rows: boardFirstCount },
      },
    ];
  } finally {
    await context.close();
    await app.close();
  }
}
