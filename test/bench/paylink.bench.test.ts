/**
 * `npm run bench`: Paylink Desk's performance figures, each with a fair baseline measured in the
 * same run (the same work done the simplest honest way) or a budget it must stay within
 * (labelled "budget"), and the ratio to it. Prints a table at the end and writes test-artifacts/bench.json.
 * Benchmarks never assert timings; they assert only that the work was done correctly (every
 * order journaled, sent once, notified, listed).
 *
 * 1 createOrder → durably journaled (1,000,000 orders in the journal) vs a bare INSERT + COMMIT;
 *   1b the same as a caller sees it while the engine runs, poll rounds going; 1c the first poll
 *   round after start (budget: the fast poll interval)
 * 2 draining 1,000 queued orders (simulator 50 ms) vs the ideal at the engine's concurrency
 * 3 Dintero calls per poll cycle with 500 live orders vs the floor ⌈500 / page size 100⌉
 * 4 payment → 'paid' notification (default timing); budget: the fast poll interval
 * 5 main-side start to ready with 1,000,000 orders (the board's first page answered) vs bare
 *   open + count(*)
 * 5c one poll round with 1,000,000 orders, nothing due / a full batch due and answered (budget:
 *   one frame, for the longest stretch it holds main); 5d event-loop delay p99 during poll
 *   rounds vs the same loop without rounds; 5e erasing two months of customer data at once
 *   (budget: one frame, for the longest stretch it holds main)
 * 6 the order board with 1,000,000 orders in Chromium (pages read from the journal) vs a
 *   minimal virtualised list of the same first page over the same API; a search keystroke vs
 *   the same search's page plus that list's render; 6d what one order event costs the
 *   renderer with its board window full vs one page held
 * 7 the day close for 5,000 orders of a day in a journal of 1,000,000: opening it (with the
 *   check against Dintero) and exporting CSV and PDF, vs the bare SELECT of the day's rows
 * 8 resident memory of main and the page together with 1,000,000 orders vs an empty journal
 *
 * The million-order journal (test/bench/lib/fill.ts, made once per run): two years of a desk
 * and its store's other desks, every state, 5,000 orders on the day bench 7 closes.
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
import { benchErase } from './cases/erase';
import { benchNotify } from './cases/notify';
import { benchPollCalls } from './cases/poll-calls';
import { benchPollRound } from './cases/poll-round';
import { benchStore } from './cases/store';
import { benchMemory } from './cases/memory';
import { machine, table, writeJson, type BenchRow } from './lib/report';
import { benchRoot } from './lib/setup';

const results: BenchRow[] = [];
const startedAt = performance.now();
const loadAtStart = machine().loadAverage as number;
let root = '';

describe('Paylink Desk benchmarks', () => {
  beforeAll(() => {
    root = benchRoot();
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

  it('1: createOrder → durably journaled, 1,000,000 orders in the journal', async () => {
    results.push(...(await benchAccept(root)));
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

  it('5: main-side start to ready, 1,000,000 orders in the journal', async () => {
    results.push(...(await benchColdStart(root)));
  });

  it('5c: status poll rounds, 1,000,000 orders in the journal', async () => {
    results.push(...(await benchPollRound(root)));
  });

  it('5e: erasing customer data, 1,000,000 orders in the journal', async () => {
    results.push(...(await benchErase(root)));
  });

  it('6: order board with 1,000,000 orders in Chromium', async () => {
    const rows = await benchBoard(root);
    results.push(...rows);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('6d: renderer, one order event with the board window full', () => {
    results.push(...benchStore());
  });

  it('7: day close, 5,000 orders of a day in a journal of 1,000,000', async () => {
    results.push(...(await benchDayClose(root)));
  });

  it('8: resident memory of main and the page, 1,000,000 orders', async () => {
    results.push(...(await benchMemory(root)));
  });
});
