/**
 * Bench 5: main-side start to ready with 100,000 orders in the journal: AppServices.create on
 * a data folder (training mode, as a fresh install without credentials starts; its journal is
 * `<data>/training/journal.sqlite`) until the first engine.listOrders() answers. Three runs
 * (the OS file cache is warm after the first: this is a process cold start, not a disk one).
 * Baseline: opening the same SQLite file bare and running SELECT count(*).
 *
 * 5b: the board's boot query (listOrders with limit 100,000, what the renderer asks for) and
 * its JSON size (what crosses IPC); baseline: the same SELECT, bare.
 * (5c, the status-poll round, is in poll-round.ts, at 1,000,000 orders.)
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { MemorySecretStore } from '../../../main/credentials/memory-secret-store';
import { Journal } from '../../../main/orders/journal';
import { AppServices } from '../../../main/services';
import { journalFile } from '../lib/fill';
import { ms, percentile, type BenchRow } from '../lib/report';
import { logger, subDir } from '../lib/setup';

const RUNS = 3;
const ORDERS = 100_000;

export async function benchColdStart(root: string, template: string): Promise<BenchRow[]> {
  const dataDir = subDir(root, 'b5-cold');
  const trainingDir = join(dataDir, 'training');
  mkdirSync(trainingDir, { recursive: true });
  const path = journalFile(trainingDir);
  copyFileSync(template, path);

  const bare: number[] = [];
  const journalOpen: number[] = [];
  const create: number[] = [];
  const ready: number[] = [];
  let bootList = 0;
  let bootListBytes = 0;
  let bareList = 0;

  for (let run = 0; run < RUNS; run++) {
    const b0 = performance.now();
    const db = new DatabaseSync(path, { timeout: 5000 });
    const row = db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    db.close();
    bare.push(performance.now() - b0);
    expect(Number(row.n)).toBe(ORDERS);

    // Breakdown: opening the journal alone (header check, quick_check, migrations, pragmas).
    const j0 = performance.now();
    const opened = Journal.open(trainingDir);
    journalOpen.push(performance.now() - j0);
    if (opened.ok) opened.journal.close();
    expect(opened.ok).toBe(true);

    const t0 = performance.now();
    const services = await AppServices.create({
      dataDir,
      secretStore: new MemorySecretStore(),
      logger,
      version: 'bench',
    });
    const t1 = performance.now();
    const first = services.engine.listOrders();
    const t2 = performance.now();
    create.push(t1 - t0);
    ready.push(t2 - t0);
    expect(services.mode).toBe('training');
    expect(services.status().journalProblem).toBeUndefined();
    expect(first.total).toBe(ORDERS);

    if (run === RUNS - 1) {
      const bareDb = new DatabaseSync(path, { readOnly: true });
      const q0 = performance.now();
      const rows = bareDb
        .prepare('SELECT * FROM orders ORDER BY created_at DESC, rowid DESC LIMIT ?')
        .all(100_000);
      bareList = performance.now() - q0;
      bareDb.close();
      expect(rows.length).toBe(ORDERS);

      const l0 = performance.now();
      const all = services.engine.listOrders({ limit: 100_000 });
      bootList = performance.now() - l0;
      bootListBytes = Buffer.byteLength(JSON.stringify(all));
      expect(all.orders.length).toBe(ORDERS);
    }
    await services.close();
  }

  const bareP50 = percentile(bare, 50);
  const readyP50 = percentile(ready, 50);
  console.log(
    `[5] start to ready, ${ORDERS.toLocaleString('en')} orders in the journal, ${RUNS} runs:\n` +
      `    AppServices.create ${create.map((v) => ms(v, 0)).join(', ')}\n` +
      `    create + first listOrders ${ready.map((v) => ms(v, 0)).join(', ')}` +
      `\n    Journal.open alone (header, quick_check, migrations) ${journalOpen.map((v) => ms(v, 0)).join(', ')}\n` +
      `    bare open + SELECT count(*) ${bare.map((v) => ms(v, 1)).join(', ')}\n` +
      `    board boot query listOrders({limit: 100000}) ${ms(bootList, 0)}, ` +
      `${(bootListBytes / 2 ** 20).toFixed(1)} MiB of JSON; the same SELECT bare ${ms(bareList, 0)}`,
  );
  return [
    {
      id: '5',
      what: 'start to ready, 100k orders (AppServices.create + first listOrders), p50',
      figure: ms(readyP50, 0),
      baseline: `bare open + count(*) ${ms(bareP50, 1)}`,
      ratio: readyP50 / bareP50,
      data: { create, ready, bare, journalOpenMs: journalOpen, runs: RUNS },
    },
    {
      id: '5b',
      what: 'board boot query listOrders({limit: 100000}), 100k orders',
      figure: ms(bootList, 0),
      baseline: `same SELECT bare ${ms(bareList, 0)}`,
      ratio: bootList / bareList,
      data: { ms: bootList, jsonBytes: bootListBytes, bareSelectMs: bareList },
    },
  ];
}
