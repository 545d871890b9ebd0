/**
 * Bench 5c/5d: the status poller with 1,000,000 orders in the journal (bench 7's journal, 200
 * days of 5,000 orders: most settled; the last 90 days' captures, late links and live ones
 * followed; the schedule as migration 8 sets it). Dintero is a stub that answers every list call at once
 * with nothing, so only the poller's own work on the main thread is measured.
 *
 * 5c: one round with nothing due (every followed order's next read a few minutes ahead), and
 * one round with a full batch due (the wall clock moved forward an hour: every followed order is
 * due, a round reads POLL_ROUND_LIMIT of them). Budget, not a baseline: one frame, 16 ms.
 * 5d: event-loop delay p99 (node:perf_hooks monitorEventLoopDelay) while rounds run back to
 * back for a few seconds, each with a full batch due; baseline: the same loop for the same time
 * without rounds (one 1 ms timer per turn), measured in the same run.
 */
import { copyFileSync } from 'node:fs';
import { monitorEventLoopDelay, type ELDHistogram } from 'node:perf_hooks';
import { DatabaseSync } from 'node:sqlite';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { DinteroClient } from '../../../main/dintero/types';
import { createOrderEngine } from '../../../main/orders/engine';
import { POLL_ROUND_LIMIT } from '../../../main/orders/status-poller';
import { journalFile } from '../lib/fill';
import { TEMPLATE_1M_NOW, template1m } from './day-close';
import { ms, percentile, type BenchRow } from '../lib/report';
import { engineSettings, logger, subDir } from '../lib/setup';

const ORDERS = 1_000_000;
const FRAME_MS = 16;
const LOOP_MS = 3000;
const ROUNDS = 5;

/** A Dintero that answers every list call, a tick later, with nothing. */
function emptyDintero(): DinteroClient {
  const later = <T>(value: T): Promise<T> =>
    new Promise((resolve) => setImmediate(() => resolve(value)));
  const refuse = (): Promise<never> => Promise.reject(new Error('bench: not expected'));
  const partial: Partial<DinteroClient> = {
    listSessions: () => later([]),
    listTransactions: () => later([]),
    getTransaction: refuse,
    getSession: refuse,
    createSession: refuse,
    capture: refuse,
    refund: refuse,
    void: refuse,
    cancelSession: refuse,
  };
  return partial as DinteroClient;
}

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
  copyFileSync(template.path, journalFile(dir));
  const fillSeconds = template.fillSeconds;
  // The engine's wall clock runs from the fill's "now" (the template is shared with bench 7).
  const clockStart = Date.now();
  const wall = (): number => TEMPLATE_1M_NOW + (Date.now() - clockStart);
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
    client: emptyDintero(),
    settings: engineSettings,
    logger,
    now: () => wall() + skew,
    monotonic: () => performance.now() + skew,
  });
  try {
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
    for (let i = 0; i < ROUNDS; i++) {
      const r0 = performance.now();
      const round = await engine.pollNow();
      full.push(performance.now() - r0);
      expect(round.polled).toBeLessThanOrEqual(POLL_ROUND_LIMIT);
    }
    let polled = 0;
    const busy = await underMonitor(LOOP_MS, async () => {
      polled += (await engine.pollNow()).polled;
      await sleep(1);
    });
    // Each round took one full batch off the due rows (read, rescheduled or dropped).
    const rounds = ROUNDS + busy.turns;
    expect(dueBefore - dueNow()).toBe(Math.min(dueBefore, rounds * POLL_ROUND_LIMIT));

    const idleP50 = percentile(idle, 50);
    const fullP50 = percentile(full, 50);
    const p99 = delayMs(busy.h, 99);
    const baseP99 = delayMs(base.h, 99);
    console.log(
      `[5c] status poller, ${ORDERS.toLocaleString('en')} orders, ${followed.toLocaleString('en')} followed` +
        (fillSeconds > 0 ? ` (filled in ${fillSeconds.toFixed(1)} s)` : '') +
        `:\n    rounds with nothing due ${idle.map((v) => ms(v, 2)).join(', ')}` +
        `\n    rounds with ${POLL_ROUND_LIMIT} due (clock +1 hour) ${full.map((v) => ms(v, 1)).join(', ')}` +
        `\n    event-loop delay over ${LOOP_MS / 1000} s: idle loop p99 ${ms(baseP99, 1)}, max ` +
        `${ms(base.h.max / 1e6, 1)}; nothing-due rounds (${quiet.turns}) p99 ` +
        `${ms(delayMs(quiet.h, 99), 1)}, max ${ms(quiet.h.max / 1e6, 1)}; full-batch rounds ` +
        `(${busy.turns}, ${polled.toLocaleString('en')} orders read) p99 ${ms(p99, 1)}, max ` +
        `${ms(busy.h.max / 1e6, 1)}`,
    );
    return [
      {
        id: '5c',
        what: 'one status-poll round, nothing due, 1,000,000 orders (blocks main)',
        figure: ms(idleP50, 2),
        baseline: `one frame ${FRAME_MS} ms`,
        kind: 'budget',
        ratio: idleP50 / FRAME_MS,
        data: { idle, followed, fillSeconds },
      },
      {
        id: '5c',
        what: `… a round with ${POLL_ROUND_LIMIT.toLocaleString('en')} due (clock set an hour forward), whole round`,
        figure: ms(fullP50, 1),
        baseline: `one frame ${FRAME_MS} ms`,
        kind: 'budget',
        ratio: fullP50 / FRAME_MS,
        data: { full },
      },
      {
        id: '5d',
        what: `event-loop delay p99 during poll rounds, ${POLL_ROUND_LIMIT.toLocaleString('en')} due each, 1,000,000 orders`,
        figure: ms(p99, 1),
        baseline: `same loop without rounds: p99 ${ms(baseP99, 1)}`,
        ratio: p99 / baseP99,
        data: {
          rounds: busy.turns,
          polled,
          p50: delayMs(busy.h, 50),
          p99,
          max: busy.h.max / 1e6,
          baseline: { p50: delayMs(base.h, 50), p99: baseP99, max: base.h.max / 1e6 },
          nothingDue: { rounds: quiet.turns, p99: delayMs(quiet.h, 99), max: quiet.h.max / 1e6 },
        },
      },
    ];
  } finally {
    await engine.stop();
  }
}
