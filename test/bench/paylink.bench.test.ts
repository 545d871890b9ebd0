/**
 * `npm run bench`: Paylink Desk's performance figures, each with a fair baseline measured in the
 * same run (the same work done the simplest honest way) or a budget it must stay within
 * (labelled "budget"), and the ratio to it. Prints a table at the end and writes test-artifacts/bench.json.
 * Benchmarks never assert timings; they assert only that the work was done correctly (every
 * order journaled, sent once, notified, listed).
 *
 * 1 createOrder → durably journaled (100,000 orders in the journal) vs a bare INSERT + COMMIT;
 *   1b the same as a caller sees it while the engine runs; 1c the first poll round after start
 *   (budget: the fast poll interval)
 * 2 draining 1,000 queued orders (simulator 50 ms) vs the ideal at the engine's concurrency
 * 3 Dintero calls per poll cycle with 500 live orders vs the floor ⌈500 / page size 100⌉
 * 4 payment → 'paid' notification (default timing); budget: the fast poll interval
 * 5 main-side start to ready with 100,000 orders vs bare open + count(*); 5b the board's boot
 *   query (all orders) vs the same SELECT bare
 * 5c one poll round with 1,000,000 orders, nothing due / a full batch due (budget: one frame);
 *   5d event-loop delay p99 during poll rounds vs the same loop without rounds
 * 6 the order board with 10,000 orders in Chromium vs a minimal virtualised list of the same
 *   rows; a search keystroke vs the same filter plus that list's render; 6d what one order
 *   event costs the renderer's store with 10,000 / 100,000 orders held vs 1,000
 * 7 the day close for 5,000 orders of a day in a journal of 1,000,000: opening it (with the
 *   check against Dintero) and exporting CSV and PDF, vs the bare SELECT of the day's rows
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { root as repoRoot } from '../e2e/harness';
import { benchAccept } from './cases/accept';
import { benchBoard } from './cases/board';
import { benchColdStart } from './cases/cold-start';
import { benchDayClose } from './cases/day-close';
import { benchDrain } from './cases/drain';
import { benchNotify } from './cases/notify';
import { benchPollCalls } from './cases/poll-calls';
import { benchPollRound } from './cases/poll-round';
import { benchStore } from './cases/store';
import { journalFile, prefillJournal } from './lib/fill';
import { machine, table, writeJson, type BenchRow } from './lib/report';
import { benchRoot, engineSettings, subDir } from './lib/setup';

const results: BenchRow[] = [];
const startedAt = performance.now();
const loadAtStart = machine().loadAverage as number;
let root = '';
let template = '';

describe('Paylink Desk benchmarks', () => {
  beforeAll(() => {
    root = benchRoot();
    const dir = subDir(root, 'template-100k');
    const fill = prefillJournal(dir, {
      count: 100_000,
      now: Date.now(),
      spanDays: 365,
      terminal: engineSettings(),
      phoneBase: 40_000_000,
      seed: 1,
    });
    template = journalFile(dir);
    console.log(
      `pre-filled ${fill.orders.toLocaleString('en')} orders (${fill.events.toLocaleString('en')}` +
        ` events) in ${fill.seconds.toFixed(1)} s: ${JSON.stringify(fill.byState)}`,
    );
  });

  afterAll(() => {
    const seconds = (performance.now() - startedAt) / 1000;
    const out = join(repoRoot, 'test-artifacts', 'bench.json');
    writeJson(out, results, seconds, loadAtStart);
    const m = machine();
    console.log(
      `\nPaylink Desk benchmarks — ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node},` +
        ` ${m.platform}; ${seconds.toFixed(0)} s; load average ${loadAtStart} at start,` +
        ` ${m.loadAverage} at end\n${table(results)}\n(written to ${out})`,
    );
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('1: createOrder → durably journaled, 100,000 orders in the journal', async () => {
    results.push(...(await benchAccept(root, template)));
  });

  it('2: draining 1,000 queued orders, simulator latency 50 ms', async () => {
    results.push(...(await benchDrain(root)));
  });

  it('3: Dintero calls per poll cycle, 500 live orders', async () => {
    results.push(...(await benchPollCalls(root)));
  });

  it("4: payment → 'paid' notification, fresh links, default timing", async () => {
    results.push(...(await benchNotify(root)));
  });

  it('5: main-side start to ready, 100,000 orders in the journal', async () => {
    results.push(...(await benchColdStart(root, template)));
  });

  it('5c: status poll rounds, 1,000,000 orders in the journal', async () => {
    results.push(...(await benchPollRound(root)));
  });

  it('6: order board with 10,000 orders in Chromium', async () => {
    const rows = await benchBoard(root);
    results.push(...rows);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('6d: renderer order store, one order event with 10,000 / 100,000 orders held', () => {
    results.push(...benchStore());
  });

  it('7: day close, 5,000 orders of a day in a journal of 1,000,000', async () => {
    results.push(...(await benchDayClose(root)));
  });
});
