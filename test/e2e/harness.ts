/**
 * End-to-end harness: the app's main-side services served to a real Chromium through the
 * loopback bridge (the same path as `npm run preview:browser`), with fast engine timings.
 * Chromium is Debian's (playwright-core never downloads a browser here); without one, the
 * e2e suites are skipped and say why.
 */
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { findChromium } from '../../scripts/find-chromium.mjs';
import { KeytarSecretStore } from '../../main/credentials/keytar-secret-store';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import type { SecretStore } from '../../main/credentials/secret-store';
import { createLogger, logDir } from '../../main/log';
import { startPreview, type PreviewServer } from '../../main/preview/server';

export const root = resolve(import.meta.dirname, '..', '..');
export const chromiumInfo = findChromium();
export const artifactsDir = join(root, 'test-artifacts', 'screenshots');
if (!chromiumInfo.path) console.warn(`e2e skipped: ${chromiumInfo.reason}`);

/** Real keychain when a Secret Service is there (CI), else memory shared across restarts. */
export function testSecretStore(): SecretStore {
  return process.env.DBUS_SESSION_BUS_ADDRESS
    ? new KeytarSecretStore('no.paylink.desk.e2e')
    : new MemorySecretStore();
}

export const tempDataDir = (): string => mkdtempSync(join(tmpdir(), 'paylink-e2e-'));

/** Starts the app's services + bridge on a random loopback port. */
export function startApp(opts: {
  dataDir: string;
  secretStore: SecretStore;
  env?: NodeJS.ProcessEnv;
}): Promise<PreviewServer> {
  return startPreview({
    dataDir: opts.dataDir,
    port: 0,
    rendererDir: join(root, 'out/renderer'),
    bridgeScriptPath: join(root, 'out/preview/bridge.js'),
    secretStore: opts.secretStore,
    logger: createLogger({ dir: logDir(opts.dataDir), level: 'debug' }),
    version: 'e2e',
    env: opts.env ?? {},
    engineTiming: {
      pollFastMs: 150,
      pollSlowMs: 400,
      backoffBaseMs: 100,
      backoffMaxMs: 800,
      probeMs: 200,
    },
  });
}

/** A fresh headless Chromium profile. */
export async function launchBrowser(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-')), {
    executablePath: chromiumInfo.path!,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * One Chromium for a test file: launched before its tests, closed after them, together with
 * whatever the tests pushed to `closers` (apps, simulators), newest first.
 */
export function browserForFile(): {
  browser: () => BrowserContext;
  closers: Array<() => Promise<unknown>>;
} {
  let browser: BrowserContext | undefined;
  const closers: Array<() => Promise<unknown>> = [];
  beforeAll(async () => {
    if (chromiumInfo.path) browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    await browser?.close();
  });
  return {
    browser: () => {
      if (!browser) throw new Error('no Chromium launched');
      return browser;
    },
    closers,
  };
}

/** Collects page errors so a test can assert there were none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/** Saves a screenshot as a test artifact (test-artifacts/screenshots/NAME.png). */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(artifactsDir, { recursive: true });
  const path = join(artifactsDir, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Clicks a navigation entry by its exact name. */
export const nav = (page: Page, name: string): Promise<void> =>
  page.getByRole('navigation').getByRole('button', { name, exact: true }).click();

/** The board row of an order: its reference and status word ('' while it is not there). */
export async function rowStatus(page: Page, id: string): Promise<string> {
  const row = page.locator(`[role="row"][data-order-id="${id}"]`);
  if ((await row.count()) === 0) return '';
  return (await row.innerText()).replace(/\s+/g, ' ');
}

/** Enters and sends an order on New order; returns its id once the screen is ready again. */
export async function enterOrder(page: Page, phone: string, amount: string): Promise<string> {
  await nav(page, 'New order');
  await page.getByLabel('Customer phone').fill(phone);
  await page.getByLabel('Amount', { exact: true }).fill(amount);
  await page.getByLabel('Customer phone').press('Control+Enter');
  // The entry screen shows what happened to the order and is ready for the next call.
  await expect.poll(() => page.getByLabel('Customer phone').inputValue()).toBe('');
  const recent = page.locator('[data-order-id]').first();
  await recent.waitFor();
  return (await recent.getAttribute('data-order-id'))!;
}
