/**
 * Bench 3: Dintero calls per poll cycle with 500 live orders (all link_sent, young links, so
 * each is due every cycle), counted per route at the simulator over three cycles. The engine's
 * clocks (wall and monotonic) are shifted by pollFastMs between cycles (engine.pollNow() runs one real round), so the
 * bench does not wait 3 s per cycle. Also: one cycle right after 250 of them were paid.
 *
 * Baseline: the floor, the fewest calls any poller can make to read every live order once
 * through Dintero's list endpoints: ceil(live orders / page size), with Dintero's largest page
 * (`limit` 100 on GET /v1/sessions and GET /v1/transactions). After the payments, the paid
 * orders' transactions must be read too: the floor adds ceil(paid / page size) transaction pages.
 * A ratio of 1.0× means no call is wasted; the engine's own page size is not assumed.
 */
import { expect } from 'vitest';
import type { RouteName } from '../../../main/training/types';
import { createOrderEngine } from '../../../main/orders/engine';
import { DEFAULT_TIMING } from '../../../main/orders/engine-context';
import { startSimulator } from '../../../main/training/simulator';
import { type BenchRow } from '../lib/report';
import {
  engineSettings,
  logger,
  orderInput,
  simulatorClient,
  subDir,
  typedPhone,
} from '../lib/setup';

const LIVE = 500;
const CYCLES = 3;
/** Dintero's largest `limit` on its list endpoints (https://docs.dintero.com/checkout-api). */
const DINTERO_PAGE_LIMIT = 100;
const pages = (n: number): number => Math.ceil(n / DINTERO_PAGE_LIMIT);

type Counts = Partial<Record<RouteName, number>>;

function diff(after: Counts, before: Counts): Counts {
  const out: Counts = {};
  for (const [route, n] of Object.entries(after) as Array<[RouteName, number]>) {
    const d = n - (before[route] ?? 0);
    if (d > 0) out[route] = d;
  }
  return out;
}
const total = (c: Counts): number => Object.values(c).reduce((a, b) => a + (b ?? 0), 0);
const show = (c: Counts): string =>
  Object.entries(c)
    .map(([route, n]) => `${route} ${n}`)
    .join(', ') || 'none';

export async function benchPollCalls(root: string): Promise<BenchRow[]> {
  const sim = await startSimulator({ port: 0 });
  const { client } = simulatorClient(sim);
  let skew = 0;
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: subDir(root, 'b3-poll'),
    client,
    settings: engineSettings,
    logger,
    now: () => Date.now() + skew,
    // The poller schedules on the monotonic clock: it moves on with the wall clock.
    monotonic: () => performance.now() + skew,
  });
  try {
    for (let i = 0; i < LIVE; i++) {
      const r = await engine.createOrder(orderInput(typedPhone(9, i)), 'Desk 1');
      expect(r.created).toBe(true);
    }
    await engine.sendNow();
    const live = engine.listOrders({ states: ['link_sent'], limit: LIVE });
    expect(live.total).toBe(LIVE);

    const perCycle: Counts[] = [];
    for (let c = 0; c < CYCLES; c++) {
      skew += DEFAULT_TIMING.pollFastMs;
      const before = sim.stats().requests;
      const round = await engine.pollNow();
      expect(round.polled).toBe(LIVE);
      perCycle.push(diff(sim.stats().requests, before));
    }
    const calls = perCycle.map(total);
    const meanCalls = calls.reduce((a, b) => a + b, 0) / CYCLES;

    // Half of them pay; the next cycle also reads their transactions.
    for (const o of live.orders.slice(0, LIVE / 2)) sim.pay(o.sessionId!);
    skew += DEFAULT_TIMING.pollFastMs;
    const before = sim.stats().requests;
    await engine.pollNow();
    const paidCycle = diff(sim.stats().requests, before);
    expect(engine.listOrders({ states: ['authorized'], limit: 1 }).total).toBe(LIVE / 2);

    console.log(
      `[3] poll cycles with ${LIVE} live orders (pollFastMs ${DEFAULT_TIMING.pollFastMs}):\n` +
        perCycle.map((c, i) => `    cycle ${i + 1}: ${total(c)} calls (${show(c)})`).join('\n') +
        `\n    cycle after ${LIVE / 2} paid: ${total(paidCycle)} calls (${show(paidCycle)})`,
    );
    const floor = pages(LIVE);
    const paidFloor = pages(LIVE) + pages(LIVE / 2);
    return [
      {
        id: '3',
        what: `Dintero calls per poll cycle, ${LIVE} live orders`,
        figure: `${meanCalls.toFixed(1)} calls`,
        baseline: `floor ⌈${LIVE}/${DINTERO_PAGE_LIMIT}⌉ = ${floor} calls`,
        ratio: meanCalls / floor,
        data: { perCycle, paidCycle, floor, pageLimit: DINTERO_PAGE_LIMIT },
      },
      {
        id: '3',
        what: `… the cycle right after ${LIVE / 2} of them paid`,
        figure: `${total(paidCycle)} calls`,
        baseline: `floor ⌈${LIVE}/${DINTERO_PAGE_LIMIT}⌉ + ⌈${LIVE / 2}/${DINTERO_PAGE_LIMIT}⌉ = ${paidFloor} calls`,
        ratio: total(paidCycle) / paidFloor,
        data: { floor: paidFloor },
      },
    ];
  } finally {
    await engine.stop();
    await sim.close();
  }
}
