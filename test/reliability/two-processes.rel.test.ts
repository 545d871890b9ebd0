/**
 * Two processes on one data folder: the real `npm run preview:browser` entry (main/preview/
 * cli.ts, built with vite and run with plain Node) started twice on one folder, as a developer
 * would start the preview beside a running desk.
 *
 * Checked:
 * - the second process exits with code 3, prints no URL, and says on stderr that the data
 *   folder is in use, naming it;
 * - every file in the folder (the training journal above all) has the same bytes and mtime
 *   after the second process as before it, and no file was created;
 * - the first process keeps working: an order created through its bridge reaches the training
 *   simulator and is link_sent;
 * - after the first process is killed with SIGKILL, a new one starts on the folder at once (no
 *   stale lock) and finds that order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IpcResult, OrderDetail } from '../../common/ipc-contract';
import { buildPreviewCli } from './support/build-runner';
import { orderInput, sleep, summary, tempRoot, waitFor, type TempRoot } from './support/env';
import { filesUnder } from './support/scan';

/** One run of the preview CLI. */
interface Run {
  child: ChildProcess;
  /** The URL line, or rejects if the process ends first. */
  url: Promise<string>;
  /** Exit code once the process is gone and its output read. */
  closed: Promise<number | null>;
  out(): string;
  err(): string;
}

const children = new Set<ChildProcess>();

function startCli(cli: string, dataDir: string): Run {
  const child = spawn(process.execPath, [cli], {
    env: {
      ...process.env,
      PAYLINK_PREVIEW_PORT: '0',
      PAYLINK_DATA_DIR: dataDir,
      // Never a live Dintero: a fresh folder has no credentials, so training mode.
      PAYLINK_DINTERO_API_URL: 'http://127.0.0.1:9/',
      PAYLINK_DINTERO_CHECKOUT_URL: 'http://127.0.0.1:9/',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  const closed = new Promise<number | null>((resolve) =>
    child.once('close', (code) => {
      children.delete(child);
      resolve(code);
    }),
  );
  const url = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', (l) => resolve(l.trim()));
    void closed.then((code) =>
      reject(new Error(`preview exited (${code}) before its URL: ${err}`)),
    );
  });
  url.catch(() => undefined);
  return { child, url, closed, out: () => out, err: () => err };
}

/** Calls one IPC channel through a running preview's bridge. */
async function bridge(url: string): Promise<<T>(channel: string, input?: unknown) => Promise<T>> {
  const html = await (await fetch(url)).text();
  const token = /data-token="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no bridge token in the page');
  return async <T>(channel: string, input?: unknown): Promise<T> => {
    const res = await fetch(new URL('/__paylink/invoke', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-paylink-token': token },
      body: JSON.stringify({ channel, input: input ?? null }),
    });
    const r = (await res.json()) as IpcResult<T>;
    if (!r.ok) throw new Error(`${channel}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
}

/** Every file under the folder: path, size, mtime and bytes. */
const snapshot = (dir: string): string[] =>
  filesUnder(dir)
    .map((f) => {
      const st = statSync(f);
      return `${relative(dir, f)} ${st.size} ${st.mtimeMs} ${readFileSync(f).toString('base64')}`;
    })
    .sort();

/** A snapshot once two taken 400 ms apart agree (the first process has settled). */
async function quietSnapshot(dir: string): Promise<string[]> {
  let last = snapshot(dir);
  for (let i = 0; i < 50; i++) {
    await sleep(400);
    const now = snapshot(dir);
    if (JSON.stringify(now) === JSON.stringify(last)) return now;
    last = now;
  }
  throw new Error('the first process never stopped writing to the data folder');
}

describe('two processes on one data folder', () => {
  let root: TempRoot;
  let cli: string;

  beforeAll(async () => {
    root = tempRoot('two-processes');
    cli = await buildPreviewCli(root.dir('cli'));
  });

  afterAll(async () => {
    for (const c of children) c.kill('SIGKILL');
    await root?.cleanup();
  });

  it('the second says the folder is in use and leaves it untouched; the first keeps sending', async () => {
    const checks: Array<[string, boolean]> = [];
    const check = (what: string, ok: boolean): void => {
      checks.push([what, ok]);
    };
    const dataDir = root.dir('data');
    const journal = join(dataDir, 'training', 'journal.sqlite');

    const first = startCli(cli, dataDir);
    const firstUrl = await first.url;
    const call = await bridge(firstUrl);
    expect(await call<{ mode: string }>('app:status')).toMatchObject({ mode: 'training' });
    const before = await quietSnapshot(dataDir);
    expect(before.some((l) => l.startsWith(`${join('training', 'journal.sqlite')} `))).toBe(true);
    const journalBefore = { bytes: readFileSync(journal), mtimeMs: statSync(journal).mtimeMs };

    const second = startCli(cli, dataDir);
    // Bounded: a second process that runs instead of leaving is a failure, not a hang.
    const code = await Promise.race([second.closed, sleep(20_000).then(() => 'still running')]);
    if (code === 'still running') {
      second.child.kill('SIGKILL');
      await second.closed;
    }
    check('second exits with code 3', code === 3);
    check('second prints no URL', second.out() === '');
    check(
      'second says the folder is in use, naming it',
      second.err().includes(`The data folder ${dataDir} is in use`),
    );
    check(
      'journal bytes and mtime untouched',
      readFileSync(journal).equals(journalBefore.bytes) &&
        statSync(journal).mtimeMs === journalBefore.mtimeMs,
    );
    const after = snapshot(dataDir);
    check(
      'no file in the folder created or changed',
      JSON.stringify(after) === JSON.stringify(before),
    );

    // The first still works: an order through its bridge reaches the simulator.
    const created = await call<{ created: boolean; order: { id: string } }>(
      'orders:create',
      orderInput(0, { customerName: 'two-processes' }),
    );
    check('first creates an order', created.created);
    let last: OrderDetail | undefined;
    const sent = await waitFor(
      async () => {
        last = await call<OrderDetail>('orders:get', { id: created.order.id });
        return last.order.state === 'link_sent' ? last : undefined;
      },
      {
        timeoutMs: 30_000,
        intervalMs: 100,
        what: 'the order to be link_sent',
        describe: () => JSON.stringify(last),
      },
    );
    check('first sends it (link_sent, with a session)', !!sent.order.sessionId);

    // kill -9 the first: no stale lock, the next start is at once and finds the order.
    first.child.kill('SIGKILL');
    await first.closed;
    const third = startCli(cli, dataDir);
    const thirdUrl = await third.url;
    const orders = await (await bridge(thirdUrl))<{ orders: Array<{ id: string }> }>('orders:list');
    check(
      'after kill -9 a new process starts and finds the order',
      orders.orders.some((o) => o.id === created.order.id),
    );
    third.child.kill('SIGTERM');
    check('it stops cleanly', (await third.closed) === 0);

    const failed = checks.filter(([, ok]) => !ok);
    summary('two-processes', checks.length - failed.length, failed.length);
    expect(
      failed.map(([what]) => what),
      second.err(),
    ).toEqual([]);
  });
});
