/**
 * Bench 8: resident memory of main and the page together, 1,000,000 orders in the journal
 * (bench 7's two-year journal as the training journal) against an empty journal, both in the
 * same run, the same way:
 *
 * - main: the app's main-side services in their own Node process (`out/preview/cli.mjs`, the
 *   browser preview: the same AppServices as Electron's main, plus the loopback bridge; Electron
 *   adds its own fixed baseline on top, the same at any journal size), its resident set
 *   (/proc/PID/status VmRSS) once a few poll rounds have run (and the journal's integrity check
 *   on its helper thread), and again after the board's first page;
 * - the page: Debian's Chromium (playwright-core, as the e2e harness) on the preview's URL,
 *   Orders opened and its first page shown: the resident set of the page's renderer process
 *   (the one the page brought: CDP SystemInfo.getProcessInfo before and after, not the
 *   browser's own UI; no spare renderer), and its JS heap (Performance.getMetrics).
 * Printed with each resident set: the proportional one (PSS: pages shared with other processes,
 * such as the executable's, counted in part).
 *
 * Linux only (/proc); skipped elsewhere or without Chromium. Figures, not assertions: the
 * checks are that both started and the board showed orders.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium, type Browser } from 'playwright-core';
import { expect } from 'vitest';
import { chromiumInfo, root as repoRoot } from '../../e2e/harness';
import { copyJournal, journalFile } from '../lib/fill';
import type { BenchRow } from '../lib/report';
import { subDir } from '../lib/setup';
import { template1m } from './day-close';

const ROW = '[role="grid"] [role="row"][data-order-id]';
/** How long main runs before it is measured: the first poll rounds (every 3 s) are over. */
const SETTLE_MS = 7000;
const MB = 2 ** 20;
/** The goal: main and the page together. */
const BUDGET_MB = 300;

/** Resident set of a process (bytes), from /proc. */
function rss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
  if (kb === undefined) throw new Error(`bench: no VmRSS for ${pid}`);
  return Number(kb) * 1024;
}

/** Proportional set size of a process (bytes), from /proc: shared pages counted in part. */
function pss(pid: number): number {
  const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const kb = /^Pss:\s+(\d+)\s+kB/m.exec(rollup)?.[1];
  return kb === undefined ? Number.NaN : Number(kb) * 1024;
}

/** Starts the preview CLI on `dataDir`; resolves with the process and its URL. */
async function startMain(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(repoRoot, 'out/preview/cli.mjs')], {
    cwd: repoRoot,
    env: {
      ...process.env,
      PAYLINK_DATA_DIR: dataDir,
      PAYLINK_PREVIEW_PORT: '0',
      // No keychain here: training mode, as a fresh install.
      DBUS_SESSION_BUS_ADDRESS: '',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /http:\/\/\S+/.exec(out);
      if (m) resolve(m[0]);
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => reject(new Error(`bench: preview exited ${code}: ${err}`)));
    setTimeout(() => reject(new Error('bench: preview did not start')), 60_000).unref();
  });
  return { child, url };
}

async function stopMain(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null) child.kill('SIGKILL');
}

interface Memory {
  /** main after the poll rounds, and after the board's first page (bytes). */
  mainIdle: number;
  mainBoard: number;
  /** Proportional set sizes (shared pages divided among the processes sharing them). */
  mainPss: number;
  rendererPss: number;
  /** The page: renderer process resident set and JS heap used (bytes). */
  renderer: number;
  jsHeap: number;
  rows: number;
}

/** One scenario: main on `dataDir`, then the board in a fresh page. */
async function measure(browser: Browser, dataDir: string, expectRows: boolean): Promise<Memory> {
  const { child, url } = await startMain(dataDir);
  try {
    await sleep(SETTLE_MS);
    const mainIdle = rss(child.pid!);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    try {
      // The renderer processes there before the page (the browser's own UI): not the page's.
      const system = await browser.newBrowserCDPSession();
      const processes = async (): Promise<Array<{ type: string; id: number }>> =>
        (
          (await system.send('SystemInfo.getProcessInfo')) as {
            processInfo: Array<{ type: string; id: number }>;
          }
        ).processInfo;
      const before = new Set((await processes()).map((p) => p.id));
      const page = await context.newPage();
      await page.goto(url);
      await page.getByRole('button', { name: 'Orders' }).click();
      if (expectRows) {
        await page.locator(ROW).first().waitFor({ state: 'visible', timeout: 60_000 });
      } else {
        await page.locator('[role="grid"], main').first().waitFor({ timeout: 60_000 });
      }
      await sleep(1500);
      const rows = await page.locator(ROW).count();
      const mainBoard = rss(child.pid!);
      const mainPss = pss(child.pid!);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = (await cdp.send('Performance.getMetrics')).metrics;
      const jsHeap = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? Number.NaN;
      const info = { processInfo: await processes() };
      const renderers = info.processInfo.filter(
        (p) =>
          p.type === 'renderer' &&
          !before.has(p.id) &&
          !readFileSync(`/proc/${p.id}/cmdline`, 'utf8').includes('--top-chrome-webui'),
      );
      expect(renderers.length).toBeGreaterThan(0);
      const renderer = renderers.reduce((sum, p) => sum + rss(p.id), 0);
      const rendererPss = renderers.reduce((sum, p) => sum + pss(p.id), 0);
      return { mainIdle, mainBoard, mainPss, renderer, rendererPss, jsHeap, rows };
    } finally {
      await context.close();
    }
  } finally {
    await stopMain(child);
  }
}

const mb = (bytes: number): string => `${(bytes / MB).toFixed(0)} MB`;

export async function benchMemory(root: string): Promise<BenchRow[]> {
  const what = 'resident memory, main + the page, 1,000,000 orders (goal ≤ 300 MB)';
  const skip = (why: string): BenchRow[] => [
    { id: '8', what, figure: '', baseline: '', ratio: Number.NaN, skipped: why },
  ];
  if (process.platform !== 'linux') return skip('needs /proc (Linux)');
  if (!chromiumInfo.path) return skip(`no Chromium: ${chromiumInfo.reason}`);
  if (
    !existsSync(join(repoRoot, 'out/preview/cli.mjs')) ||
    !existsSync(join(repoRoot, 'out/renderer/index.html'))
  ) {
    const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: repoRoot, stdio: 'inherit' });
    const p = spawnSync(process.execPath, ['scripts/build-preview.mjs'], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    if (r.status !== 0 || p.status !== 0) return skip('building the app and the preview failed');
  }

  const emptyDir = subDir(root, 'b8-empty');
  const fullDir = subDir(root, 'b8-million');
  const trainingDir = join(fullDir, 'training');
  mkdirSync(trainingDir, { recursive: true });
  copyJournal(template1m(root).path, journalFile(trainingDir));

  const browser = await chromium.launch({
    executablePath: chromiumInfo.path,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      // No renderer kept ready for the next page: the page's own is the only new one.
      '--disable-features=SpareRendererForSitePerProcess',
    ],
  });
  let empty: Memory;
  let full: Memory;
  try {
    empty = await measure(browser, emptyDir, false);
    full = await measure(browser, fullDir, true);
  } finally {
    await browser.close();
  }
  expect(full.rows).toBeGreaterThan(0);
  const total = full.mainBoard + full.renderer;
  const base = empty.mainBoard + empty.renderer;
  const totalPss = full.mainPss + full.rendererPss;
  const basePss = empty.mainPss + empty.rendererPss;
  console.log(
    `[8] resident memory (main: the preview's Node process; page: Chromium's renderer):\n` +
      `    1,000,000 orders: main ${mb(full.mainIdle)} after the poll rounds, ${mb(full.mainBoard)} with the` +
      ` board open; renderer ${mb(full.renderer)} (JS heap ${mb(full.jsHeap)}, ${full.rows} rows in the DOM)\n` +
      `    empty journal:    main ${mb(empty.mainIdle)}, ${mb(empty.mainBoard)}; renderer ${mb(empty.renderer)}` +
      ` (JS heap ${mb(empty.jsHeap)})\n` +
      `    together ${mb(total)} vs ${mb(base)} (goal ≤ ${BUDGET_MB} MB); PSS ${mb(totalPss)}` +
      ` (main ${mb(full.mainPss)} + page ${mb(full.rendererPss)}) vs ${mb(basePss)}`,
  );
  return [
    {
      id: '8',
      what,
      figure: `${mb(total)} (main ${mb(full.mainBoard)} + page ${mb(full.renderer)}; PSS ${mb(totalPss)})`,
      baseline: `empty journal: ${mb(base)} (main ${mb(empty.mainBoard)} + page ${mb(empty.renderer)}; PSS ${mb(basePss)})`,
      ratio: total / base,
      data: { full, empty, budgetMB: BUDGET_MB },
    },
  ];
}
