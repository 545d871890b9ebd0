/**
 * Bench 5e: erasing customer data with 1,000,000 orders in the journal (bench 7's journal,
 * whose orders older than 90 days are erased already, as the default setting leaves them).
 * Staff lower "keep customer data" from 90 to 30 days: the next run erases two months of
 * orders at once (tens of thousands), merges the customer search index and empties the WAL
 * on the helper thread. Figures: the longest stretch it holds main (event-loop delay max
 * while it runs, 1 ms resolution) against one frame (16 ms, a budget), the orders erased and
 * the whole run's time. Checked: every order old enough lost its customer, the rest kept it.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { expect } from 'vitest';
import { CUSTOMER_DONE_STATES } from '../../../common/order-state';
import { createOrderEngine } from '../../../main/orders/engine';
import { copyJournal, journalFile } from '../lib/fill';
import { mirrorDintero } from '../lib/mirror-dintero';
import { ms, type BenchRow } from '../lib/report';
import { engineSettings, logger, subDir } from '../lib/setup';
import { TEMPLATE_1M_NOW, template1m } from './day-close';

const FRAME_MS = 16;
const DAY_MS = 24 * 60 * 60 * 1000;
const KEEP_DAYS = 30;

/** Finished orders of `dir`'s journal last changed before `before`, with their customer. */
function erasable(dir: string, before: string): number {
  const db = new DatabaseSync(journalFile(dir), { readOnly: true });
  const states = CUSTOMER_DONE_STATES.map(() => '?').join(', ');
  const row = db
    .prepare(
      `SELECT count(*) AS n FROM orders WHERE customer_erased_at IS NULL
         AND state IN (${states}) AND updated_at < ? AND pending_op IS NULL`,
    )
    .get(...CUSTOMER_DONE_STATES, before) as { n: number };
  db.close();
  return Number(row.n);
}

export async function benchErase(root: string): Promise<BenchRow[]> {
  const dir = subDir(root, 'b5e-erase');
  copyJournal(template1m(root).path, journalFile(dir));
  const before = new Date(TEMPLATE_1M_NOW - KEEP_DAYS * DAY_MS).toISOString();
  const due = erasable(dir, before);
  expect(due).toBeGreaterThan(10_000);

  let days = 90;
  const clockStart = Date.now();
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: dir,
    client: mirrorDintero(journalFile(dir)).client,
    settings: () => ({ ...engineSettings(), customerDataDays: days }),
    logger,
    now: () => TEMPLATE_1M_NOW + (Date.now() - clockStart),
  });
  try {
    // The engine runs its journal's helper thread, as in the app; nothing else is started.
    // With 90 days nothing is due: the fill erased those already.
    expect(await engine.eraseCustomerDataNow()).toBe(0);
    days = KEEP_DAYS;
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    const t0 = performance.now();
    const erased = await engine.eraseCustomerDataNow();
    const total = performance.now() - t0;
    h.disable();
    expect(erased).toBeGreaterThanOrEqual(due);
    expect(erasable(dir, before)).toBe(0);
    expect(engine.journal!.compactDue).toBe(false);
    const longest = h.max / 1e6;
    console.log(
      `[5e] customer data erased: ${erased.toLocaleString('en')} orders (setting 90 → ${KEEP_DAYS} days)` +
        ` in ${(total / 1000).toFixed(1)} s; longest stretch holding main ${ms(longest)}` +
        ` (event-loop delay max; p99 ${ms(h.percentile(99) / 1e6)}); budget one frame, ${FRAME_MS} ms`,
    );
    return [
      {
        id: '5e',
        what: `erasing customer data, 1,000,000 orders: ${erased.toLocaleString('en')} at once (setting 90 → ${KEEP_DAYS} days); longest stretch holding main`,
        figure: `${ms(longest)} (whole run ${(total / 1000).toFixed(1)} s)`,
        baseline: `one frame: ${FRAME_MS} ms`,
        kind: 'budget',
        ratio: longest / FRAME_MS,
        data: { erased, totalMs: total, longestMs: longest, p99Ms: h.percentile(99) / 1e6 },
      },
    ];
  } finally {
    await engine.stop();
  }
}
