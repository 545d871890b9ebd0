/**
 * Bench 5: main-side start to ready with 1,000,000 orders in the journal (bench 7's two-year
 * journal): AppServices.create on a data folder (training mode, as a fresh install without
 * credentials starts; its journal is `<data>/training/journal.sqlite`) until the board's first
 * page (engine.pageOrders, what the Orders screen asks for first) has answered. Three runs (the
 * OS file cache is warm after the first: this is a process cold start, not a disk one).
 * Baseline: opening the same SQLite file bare and running SELECT count(*) (a read of the
 * smallest index of orders; the start itself reads no table whole).
 *
 * Printed on the way: Journal.open alone (header, schema, migrations: none due; a journal this
 * size is not checked as it opens), and how long the integrity check then takes on the
 * journal's helper thread while the desk already runs (sending waits for it).
 * (5c, the status-poll round, is in poll-round.ts.)
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { MemorySecretStore } from '../../../main/credentials/memory-secret-store';
import { Journal } from '../../../main/orders/journal';
import type { OrderEngineInternals } from '../../../main/orders/engine';
import { AppServices } from '../../../main/services';
import { copyJournal, journalFile } from '../lib/fill';
import { ms, percentile, type BenchRow } from '../lib/report';
import { logger, subDir } from '../lib/setup';
import { template1m } from './day-close';

const RUNS = 3;
const ORDERS = 1_000_000;
/** The board's first page (renderer/src/store/board.ts FIRST_PAGE). */
const FIRST_PAGE = 40;

export async function benchColdStart(root: string): Promise<BenchRow[]> {
  const dataDir = subDir(root, 'b5-cold');
  const trainingDir = join(dataDir, 'training');
  mkdirSync(trainingDir, { recursive: true });
  const path = journalFile(trainingDir);
  copyJournal(template1m(root).path, path);

  const bare: number[] = [];
  const journalOpen: number[] = [];
  const create: number[] = [];
  const ready: number[] = [];
  const check: number[] = [];

  for (let run = 0; run < RUNS; run++) {
    const b0 = performance.now();
    const db = new DatabaseSync(path, { timeout: 5000 });
    const row = db.prepare('SELECT count(*) AS n FROM orders').get() as { n: number };
    db.close();
    bare.push(performance.now() - b0);
    expect(Number(row.n)).toBeGreaterThanOrEqual(ORDERS);

    // Breakdown: opening the journal alone (header, schema, migrations, pragmas).
    const j0 = performance.now();
    const opened = Journal.open(trainingDir);
    journalOpen.push(performance.now() - j0);
    if (opened.ok) opened.journal.close();
    expect(opened.ok && opened.checkDeferred).toBe(true);

    const t0 = performance.now();
    const services = await AppServices.create({
      dataDir,
      secretStore: new MemorySecretStore(),
      logger,
      version: 'bench',
    });
    const t1 = performance.now();
    const first = services.engine.pageOrders({ limit: FIRST_PAGE });
    const t2 = performance.now();
    create.push(t1 - t0);
    ready.push(t2 - t0);
    expect(services.mode).toBe('training');
    expect(services.status().journalProblem).toBeUndefined();
    expect(first.orders).toHaveLength(FIRST_PAGE);
    expect(first.all).toBeGreaterThanOrEqual(ORDERS);
    // The integrity check runs on the journal's helper thread meanwhile: its time, and out of
    // the way before the next run.
    const engine = services.engine as typeof services.engine & OrderEngineInternals;
    expect(await engine.journalChecked()).toBe(true);
    check.push(performance.now() - t0);
    await services.close();
  }

  const bareP50 = percentile(bare, 50);
  const readyP50 = percentile(ready, 50);
  console.log(
    `[5] start to ready, ${ORDERS.toLocaleString('en')} orders in the journal, ${RUNS} runs:\n` +
      `    AppServices.create ${create.map((v) => ms(v, 0)).join(', ')}\n` +
      `    create + the board's first page (${FIRST_PAGE}) ${ready.map((v) => ms(v, 0)).join(', ')}` +
      `\n    Journal.open alone (header, schema, migrations) ${journalOpen.map((v) => ms(v, 0)).join(', ')}\n` +
      `    integrity check done on the helper thread, from start ${check.map((v) => ms(v, 0)).join(', ')}\n` +
      `    bare open + SELECT count(*) ${bare.map((v) => ms(v, 1)).join(', ')}`,
  );
  return [
    {
      id: '5',
      what: `main-side cold start to ready, 1,000,000 orders (AppServices.create + the board's first page), p50`,
      figure: ms(readyP50, 0),
      baseline: `bare open + count(*) ${ms(bareP50, 1)}`,
      ratio: readyP50 / bareP50,
      data: {
        create,
        ready,
        bare,
        journalOpenMs: journalOpen,
        integrityCheckMs: check,
        runs: RUNS,
      },
    },
  ];
}
