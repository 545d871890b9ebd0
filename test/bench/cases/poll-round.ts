/**
 * Bench 5c/5d: the status poller with 1,000,000 orders in the journal (bench 7's journal: two
 * years of a desk and its store's other desks, most orders settled; the last 90 days'
 * captures, late links and live ones followed; the schedule as migration 8 sets it). Dintero
 * is the mirror (test/bench/lib/mirror-dintero.ts): every read is answered, a tick later, with
 * the order as the journal holds it, and one captured order in 100 was partly refunded in
 * Backoffice meanwhile, so a round does all of its work on the main thread: claiming its
 * orders, mapping and comparing every answer, journaling what changed.
 *
 * 5c: one round with nothing due (every followed order's next read a few minutes ahead): all
 * of it holds main; and rounds with a full batch due (the wall clock moved forward an hour:
 * every followed order is due, a round reads POLL_ROUND_LIMIT of them): the longest stretch
 * such a round holds main (event-loop delay max while it runs, 1 ms resolution), and the
 * whole round's time. Budget, not a baseline: one frame, 16 ms.
 * 5d: event-loop delay p99 (node:perf_hooks monitorEventLoopDelay) while full rounds run back
 * to back for a few seconds; baseline: the same loop for the same time without rounds (one
 * 1 ms timer per turn), measured in the same run.
 */
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { createOrderEngine } from '../../../main/orders/engine';
import { POLL_ROUND_LIMIT } from '../../../main/orders/status-poller';
import { copyJournal, journalFile } from '../lib/fill';
import { mirrorDintero } from '../lib/mirror-dintero';
import { TEMPLATE_1M_NOW, template1m } from './day-close';
import { ms, percentile, type BenchRow } from '../lib/report';
import { engineSettings, logger, subDir } from '../lib/setup';

const ORDERS = 1_000_000;
const FRAME_MS = 16;
const LOOP_MS = 3000;
const ROUNDS = 5;

/** Runs `turn` again and again for `durationMs` under an event-loop delay monitor. */
async function underMonitor(
  durationMs: number,
  turn: () => Promise<unknown>,
): Promise<{ h: ELDHistogram; turns: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  const end = performance.now() + durationMs;
  let turns = 0;
  while (performance.now() < end) {
    await turn();
    turns++;
  }
  h.disable();
  return { h, turns };
}

const delayMs = (h: ELDHistogram, p: number): number => h.percentile(p) / 1e6;

export async function benchPollRound(root: string): Promise<BenchRow[]> {
  const dir = subDir(root, 'b5c-poll');
  const template = template1m(root);
  copyJournal(template.path, journalFile(dir));
  const fillSeconds = template.fillSeconds;
  // The engine's wall clock runs from the fill's "now" (the template is shared with bench 7).
  const clockStart = Date.now();
  const wall = (): number => TEMPLATE_1M_NOW + (Date.now() - clockStart);
  const dintero = mirrorDintero(journalFile(dir));
  // Nothing due: every followed order's next read four minutes ahead (within the longest
  // interval, so not taken for a clock set back).
  const db = new DatabaseSync(journalFile(dir));
  const followed = Number(
    (
      db.prepare('SELECT count(*) AS n FROM orders WHERE next_poll_at IS NOT NULL').get() as {
        n: number;
      }
    ).n,
  );
  db.prepare('UPDATE orders SET next_poll_at = ? WHERE next_poll_at IS NOT NULL').run(
    wall() + 4 * 60_000,
  );
  db.close();
  expect(followed).toBeGreaterThan(3 * POLL_ROUND_LIMIT);

  let skew = 0;
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: dir,
    client: dintero.client,
    settings: engineSettings,
    logger,
    now: () => wall() + skew,
    monotonic: () => performance.now() + skew,
  });
  try {
    // The first round warns the week's stale authorizations (once): out of the way first.
    await engine.pollNow();
    const idle: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const r0 = performance.now();
      const round = await engine.pollNow();
      idle.push(performance.now() - r0);
      expect(round.polled).toBe(0);
    }

    // Baseline: the loop alone, then the same loop with nothing-due rounds.
    const base = await underMonitor(LOOP_MS, () => sleep(1));
    const quiet = await underMonitor(LOOP_MS, async () => {
      await engine.pollNow();
      await sleep(1);
    });

    // The wall clock moves forward an hour: every followed order is due, one batch per round.
    skew += 60 * 60_000;
    const dueNow = (): number => {
      const bare = new DatabaseSync(journalFile(dir), { readOnly: true });
      const n = bare
        .prepare('SELECT count(*) AS n FROM orders WHERE next_poll_at <= ?')
        .get(wall() + skew) as { n: number };
      bare.close();
      return Number(n.n);
    };
    const dueBefore = dueNow();
    const full: number[] = [];
    const stretch: number[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const h = monitorEventLoopDelay({ resolution: 1 });
      h.enable();
      const r0 = performance.now();
      const round = await engine.pollNow();
      full.push(performance.now() - r0);
      h.disable();
      stretch.push(h.max / 1e6);
      // A full batch claimed; the few no longer followed at the new time are dropped.
      expect(round.polled).toBeGreaterThan(POLL_ROUND_LIMIT / 2);
      expect(round.polled).toBeLessThanOrEqual(POLL_ROUND_LIMIT);
    }
    let polled = 0;
    const answeredBefore = { ...dintero.answered };
    const busy = await underMonitor(LOOP_MS, async () => {
      polled += (await engine.pollNow()).polled;
      await sleep(1);
    });
    // Each round took one full batch off the due rows (read, rescheduled or dropped).
    const rounds = ROUNDS + busy.turns;
    expect(dueBefore - dueNow()).toBe(Math.min(dueBefore, rounds * POLL_ROUND_LIMIT));
    const answers =
      dintero.answered.sessions +
      dintero.answered.transactions -
      answeredBefore.sessions -
      answeredBefore.transactions;
    const refunds = dintero.answered.refunds - answeredBefore.refunds;
    expect(answers).toBeGreaterThan(0.9 * polled);

    const idleP50 = percentile(idle, 50);
    const fullP50 = percentile(full, 50);
    const stretchP50 = percentile(stretch, 50);
    const p99 = delayMs(busy.h, 99);
    const baseP99 = delayMs(base.h, 99);
    console.log(
      `[5c] status poller, ${ORDERS.toLocaleString('en')} orders, ${followed.toLocaleString('en')} followed` +
        (fillSeconds > 0 ? ` (filled in ${fillSeconds.toFixed(1)} s)` : '') +
        `:\n    rounds with nothing due ${idle.map((v) => ms(v, 2)).join(', ')}` +
        `\n    rounds with ${POLL_ROUND_LIMIT} due and answered (clock +1 hour): whole round ` +
        `${full.map((v) => ms(v, 1)).join(', ')}; longest stretch holding main ` +
        `${stretch.map((v) => ms(v, 1)).join(', ')}` +
        `\n    event-loop delay over ${LOOP_MS / 1000} s: idle loop p99 ${ms(baseP99, 1)}, max ` +
        `${ms(base.h.max / 1e6, 1)}; nothing-due rounds (${quiet.turns}) p99 ` +
        `${ms(delayMs(quiet.h, 99), 1)}, max ${ms(quiet.h.max / 1e6, 1)}; full-batch rounds ` +
        `(${busy.turns}, ${polled.toLocaleString('en')} orders read, ${answers.toLocaleString('en')}` +
        ` answers, ${refunds} changed) p99 ${ms(p99, 1)}, max ${ms(busy.h.max / 1e6, 1)}`,
    );
    return [
      {
        id: '5c',
        what: `one status-poll round, nothing due, 1,000,000 orders (${followed.toLocaleString('en')} followed; holds main)`,
        figure: ms(idleP50, 2),
        baseline: `one frame ${FRAME_MS} ms`,
        kind: 'budget',
        ratio: idleP50 / FRAME_MS,
        data: { idle, followed, fillSeconds },
      },
      {
        id: '5c',
        what: `… a round with ${POLL_ROUND_LIMIT.toLocaleString('en')} due and answered (clock an hour forward): longest stretch holding main (whole round ${ms(fullP50, 0)})`,
        figure: ms(stretchP50, 1),
        baseline: `one frame ${FRAME_MS} ms`,
        kind: 'budget',
        ratio: stretchP50 / FRAME_MS,
        data: { full, stretch },
      },
      {
        id: '5d',
        what: `event-loop delay p99 during back-to-back poll rounds, ${POLL_ROUND_LIMIT.toLocaleString('en')} due and answered each, 1,000,000 orders`,
        figure: ms(p99, 1),
        baseline: `same loop without rounds: p99 ${ms(baseP99, 1)}`,
        ratio: p99 / baseP99,
        data: {
          rounds: busy.turns,
          polled,
          answers,
          refunds,
          p50: delayMs(busy.h, 50),
          p99,
          max: busy.h.max / 1e6,
          budgetMs: FRAME_MS,
          baseline: { p50: delayMs(base.h, 50), p99: baseP99, max: base.h.max / 1e6 },
          nothingDue: { rounds: quiet.turns, p99: delayMs(quiet.h, 99), max: quiet.h.max / 1e6 },
        },
      },
    ];
  } finally {
    await engine.stop();
    dintero.close();
  }
}
