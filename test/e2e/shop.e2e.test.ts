/**
 * The preview serves a shop: one simulator started on its own (`npm run simulator`, the shop's
 * Dintero) and two `npm run preview:browser` processes (the built CLI) with their own data
 * folders, ports and terminal names, live against it, both open in one Chromium. Each desk is
 * set up through its Settings screen as staff would (the secret goes to the OS keychain), and
 * sends an order from New order. The simulator's own records then show exactly one session
 * per order, with distinct merchant references that carry each desk's identity (as Settings
 * shows it) and the same store; the store's sessions and, once paid, its transactions are
 * one list for either desk (`store_id`). Once with two terminal names (and a restart of the
 * simulator from its state file in between), once with one name for both desks.
 *
 * Needs Chromium and a keychain (on Linux a Secret Service: `npm test` inside the private
 * gnome-keyring .ci/run starts). The previews use the app's own keychain service under a
 * random test account ID, which is deleted afterwards.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeytarSecretStore } from '../../main/credentials/keytar-secret-store';
import { ORDER_ID_METADATA } from '../../main/orders/session-request';
import {
  browserForFile,
  chromiumInfo,
  enterOrder,
  nav,
  root,
  rowStatus,
  watchErrors,
} from './harness';

const hasKeychain = !!process.env.DBUS_SESSION_BUS_ADDRESS || process.platform !== 'linux';
if (chromiumInfo.path && !hasKeychain)
  console.warn('shop e2e skipped: no D-Bus session for the keychain (see .ci/run)');

const cli = join(root, 'out/preview/cli.mjs');
/** A test account of its own, so no real keychain entry is ever touched. */
const account = `T${String(randomInt(1e8)).padStart(8, '0')}`;
const keychain = new KeytarSecretStore();

interface Credentials {
  accountId: string;
  clientId: string;
  clientSecret: string;
}

/** A child process this file started; stopped (and waited for) in afterAll. */
interface Proc {
  child: ChildProcess;
  /** The first stdout line. */
  firstLine: Promise<string>;
  stop(): Promise<void>;
}

const procs: Proc[] = [];
let tempRoot = '';

function start(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const firstLine = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (l) => resolve(l.trim()));
    void exited.then(() => reject(new Error(`${args[0]} exited early: ${err}`)));
  });
  firstLine.catch(() => undefined);
  const proc: Proc = {
    child,
    firstLine,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      // A clean stop closes the journal and the lock; a stuck one is killed after a while.
      const hard = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(hard);
    },
  };
  procs.push(proc);
  return proc;
}

/** The simulator, as `npm run simulator` runs it, keeping its state in the temp folder. */
let sim: { url: string; credentials: Credentials };
let simProc: Proc | undefined;

/** Starts the simulator process (again), with the state file and these options. */
async function startSim(options: string[]): Promise<void> {
  simProc = start([
    'main/training/run-simulator.ts',
    ...options,
    '--state',
    join(tempRoot, 'simulator.json'),
  ]);
  sim = JSON.parse(await simProc.firstLine) as typeof sim;
}

/** The simulator's records (its control API; loopback only). */
async function simState(): Promise<{
  sessions: Array<{
    id: string;
    order: { merchant_reference: string; store?: { id: string } };
    metadata: Record<string, string>;
  }>;
  transactions: Array<{
    session_id?: string;
    events: Array<{ event: string; success: boolean }>;
  }>;
}> {
  const res = await fetch(`${sim.url}/__sim/state`);
  expect(res.status).toBe(200);
  return (await res.json()) as Awaited<ReturnType<typeof simState>>;
}

/** A Dintero API read with a token of the shop's client (what a desk's client does). */
async function dintero(path: string): Promise<unknown[]> {
  const { accountId, clientId, clientSecret } = sim.credentials;
  const tokenRes = await fetch(`${sim.url}/v1/accounts/${accountId}/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      audience: `https://api.dintero.com/v1/accounts/${accountId}`,
    }),
  });
  const { access_token } = (await tokenRes.json()) as { access_token: string };
  const res = await fetch(`${sim.url}${path}`, {
    headers: { authorization: `Bearer ${access_token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as unknown[];
}

const { browser } = browserForFile();

beforeAll(async () => {
  if (!chromiumInfo.path || !hasKeychain) return;
  expect(existsSync(cli), 'run `npm run build:preview` (npm test does) before the e2e suite').toBe(
    true,
  );
  tempRoot = mkdtempSync(join(tmpdir(), 'paylink-shop-'));
  await startSim(['--port', '0', '--account', account]);
});

afterAll(async () => {
  // Every process this file started is gone before its folders are removed.
  for (const p of procs.reverse()) await p.stop();
  if (tempRoot) rmSync(tempRoot, { recursive: true, force: true });
  // The test account's keychain entry, which the desks wrote (only when they ran).
  if (tempRoot) await keychain.delete(account).catch(() => false);
});

/** One desk: a preview process with its own data folder and port, and its page. */
interface Desk {
  page: Page;
  errors: string[];
  deskId: string;
}

/** Starts a desk and sets it up through its Settings screen, live against the simulator. */
async function openDesk(name: string, store: string, terminal: string): Promise<Desk> {
  const dataDir = join(tempRoot, name);
  mkdirSync(dataDir);
  const preview = start([cli], {
    PAYLINK_PREVIEW_PORT: '0',
    PAYLINK_DATA_DIR: dataDir,
    PAYLINK_DINTERO_API_URL: sim.url,
    PAYLINK_DINTERO_CHECKOUT_URL: sim.url,
    // The screens' words as the test reads them.
    LANGUAGE: 'en',
    LC_ALL: 'en_GB.UTF-8',
    LANG: 'en_GB.UTF-8',
  });
  const url = await preview.firstLine;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  const page = await browser().newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  await page.getByRole('navigation').getByRole('button', { name: 'New order' }).waitFor();
  // A fresh folder has no credentials: training mode until Settings say otherwise.
  await expect
    .poll(() => page.getByText('Training mode — no real payments').first().isVisible())
    .toBe(true);

  await nav(page, 'Settings');
  await page.getByLabel('Account ID').fill(sim.credentials.accountId);
  await page.getByLabel('Client ID').fill(sim.credentials.clientId);
  await page.getByLabel('Client secret').fill(sim.credentials.clientSecret);
  await page.getByLabel('Payment profile ID').fill('default');
  await page.getByLabel('Store ID').fill(store);
  await page.getByLabel('Terminal name').fill(terminal);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect.poll(() => page.getByText('Settings saved.').isVisible()).toBe(true);
  const last4 = sim.credentials.clientSecret.slice(-4);
  await expect
    .poll(() => page.getByTestId('secret-status').innerText())
    .toBe(`Configured, ending in ${last4}`);
  // Live now: the training banner is gone.
  await expect
    .poll(() => page.getByText('Training mode — no real payments').first().isVisible())
    .toBe(false);
  const deskId = (await page.getByTestId('desk-id').innerText()).trim();
  expect(deskId).toMatch(/^[0-9A-Z]{6}$/);
  return { page, errors, deskId };
}

/** Sends one order from each desk and checks the simulator's records of both; their sessions. */
async function twoOrders(
  desks: Array<{ desk: Desk; terminal: string }>,
  store: string,
): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, { desk }] of desks.entries())
    ids.push(await enterOrder(desk.page, `912 34 56${i}`, `${150 + i}`));

  // The simulator holds exactly one session per order (the desk's order id in its metadata).
  const sessionsOf = async (id: string) =>
    (await simState()).sessions.filter((s) => s.metadata[ORDER_ID_METADATA] === id);
  for (const id of ids) await expect.poll(async () => (await sessionsOf(id)).length).toBe(1);
  // Each desk says the link went out (so nothing is left to retry), and still one session each.
  for (const [i, { desk }] of desks.entries()) {
    await nav(desk.page, 'Orders');
    await expect
      .poll(() => rowStatus(desk.page, ids[i]!), { timeout: 20_000 })
      .toMatch(/Link sent/);
  }
  const sessions = await Promise.all(ids.map(sessionsOf));
  expect(sessions.map((s) => s.length)).toEqual([1, 1]);
  const [a, b] = sessions.map((s) => s[0]!);
  const refA = a!.order.merchant_reference;
  const refB = b!.order.merchant_reference;
  expect(refA).not.toBe(refB);
  // PREFIX-DESKID-YYYYMMDD-N: the terminal name's prefix, then that desk's own identity.
  for (const [i, ref] of [refA, refB].entries()) {
    const { desk, terminal } = desks[i]!;
    expect(ref).toMatch(new RegExp(`^${terminal}-${desk.deskId}-\\d{8}-\\d+$`));
  }
  expect([a!.order.store?.id, b!.order.store?.id]).toEqual([store, store]);

  // Either desk can read the store's sessions: both, and nothing else.
  const storeSessions = (await dintero(`/v1/sessions?store_id=${store}&limit=100`)) as Array<{
    id: string;
  }>;
  expect(storeSessions.map((s) => s.id).sort()).toEqual([a!.id, b!.id].sort());

  // Both customers pay on the simulator's checkout; the store's transactions are both orders,
  // and each desk sees its own order paid (live polling, no training code involved).
  for (const s of [a!, b!]) {
    const paid = await fetch(`${sim.url}/__sim/customer/${s.id}/pay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(paid.status).toBe(200);
  }
  const txs = (await dintero(`/v1/transactions?store_id=${store}&limit=100`)) as Array<{
    merchant_reference: string;
  }>;
  expect(txs.map((t) => t.merchant_reference).sort()).toEqual([refA, refB].sort());
  for (const [i, { desk }] of desks.entries())
    await expect.poll(() => rowStatus(desk.page, ids[i]!), { timeout: 30_000 }).toMatch(/Paid/);

  // The store's board: each desk shows the other desk's order too (read from Dintero, under
  // the same order id), paid.
  for (const [i, { desk }] of desks.entries()) {
    const other = ids[1 - i]!;
    await expect.poll(() => rowStatus(desk.page, other), { timeout: 40_000 }).toMatch(/Paid/);
  }
  // The second desk captures the first desk's order; the first desk shows it captured.
  const [first, second] = desks.map((d) => d.desk.page);
  await second!.locator(`[role="row"][data-order-id="${ids[0]!}"]`).click();
  await expect
    .poll(() => second!.getByText('Another desk of the store', { exact: false }).isVisible())
    .toBe(true);
  await second!.getByRole('button', { name: 'Capture', exact: true }).click();
  await second!.getByRole('button', { name: 'Confirm capture' }).click();
  await expect
    .poll(() => second!.getByText('Captured', { exact: true }).first().isVisible(), {
      timeout: 20_000,
    })
    .toBe(true);
  await expect.poll(() => rowStatus(first!, ids[0]!), { timeout: 30_000 }).toMatch(/Captured/);
  const captured = (await simState()).transactions.find((t) => t.session_id === a!.id);
  expect(captured?.events.filter((e) => e.event === 'CAPTURE' && e.success)).toHaveLength(1);
  await nav(second!, 'Orders');
  for (const { desk } of desks) expect(desk.errors).toEqual([]);
  return [a!.id, b!.id];
}

describe.skipIf(!chromiumInfo.path || !hasKeychain)('two desks of one shop', () => {
  it('two terminal names, one store: one session per order, each reference its desk’s', async () => {
    const store = `OSLO${randomInt(1e6)}`;
    const desk1 = await openDesk('desk1', store, 'KASSE1');
    const desk2 = await openDesk('desk2', store, 'KASSE2');
    expect(desk1.deskId).not.toBe(desk2.deskId);
    // The secret went to the keychain, one entry for the account both desks use.
    expect(await keychain.get(account)).toBe(sim.credentials.clientSecret);
    const before = await twoOrders(
      [
        { desk: desk1, terminal: 'KASSE1' },
        { desk: desk2, terminal: 'KASSE2' },
      ],
      store,
    );

    // The simulator restarts on its port with its state file alone: same credentials, the
    // shop's orders still there, and the desks carry on with the secret they stored.
    const { port } = new URL(sim.url);
    const credentials = sim.credentials;
    await simProc!.stop();
    await startSim(['--port', port]);
    expect(sim.credentials).toEqual(credentials);
    const ids = (await simState()).sessions.map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(before));
    const after = await enterOrder(desk2.page, '912 34 569', '175');
    await nav(desk2.page, 'Orders');
    await expect.poll(() => rowStatus(desk2.page, after), { timeout: 20_000 }).toMatch(/Link sent/);
    const sessions = (await simState()).sessions.filter(
      (s) => s.metadata[ORDER_ID_METADATA] === after,
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.order.merchant_reference).toContain(`KASSE2-${desk2.deskId}-`);
    expect(desk2.errors).toEqual([]);
    await desk1.page.close();
    await desk2.page.close();
  });

  it('one terminal name on both desks: the desk identities keep the references apart', async () => {
    const store = `BERGEN${randomInt(1e6)}`;
    const desk3 = await openDesk('desk3', store, 'KASSE');
    const desk4 = await openDesk('desk4', store, 'KASSE');
    expect(desk3.deskId).not.toBe(desk4.deskId);
    await twoOrders(
      [
        { desk: desk3, terminal: 'KASSE' },
        { desk: desk4, terminal: 'KASSE' },
      ],
      store,
    );
  });
});
