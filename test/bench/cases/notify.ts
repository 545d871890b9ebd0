/**
 * Bench 4: payment → 'paid' notification for fresh links, with the engine's real default
 * timing (a fresh link is read every pollFastMs). 50 orders are sent; then each is paid at the
 * simulator at its own moment, spread uniformly (seeded) over two poll intervals, so the
 * payments land at every phase of the poll cycle; the figure is the time from simulator.pay()
 * to the engine's 'notify' {kind: 'paid'} for that order. The simulator answers after 50 ms.
 * Budget (not a baseline): the configured fast poll interval, the longest a payment should wait
 * to be seen (a uniform phase means a mean wait of half of it, plus one round: so a healthy
 * p50 ratio is about 0.5).
 */
import { expect } from 'vitest';
import { createOrderEngine } from '../../../main/orders/engine';
import { DEFAULT_TIMING } from '../../../main/orders/engine-context';
import { startSimulator } from '../../../main/training/simulator';
import { prng } from '../../support/prng';
import { ms, summary, type BenchRow } from '../lib/report';
import {
  engineSettings,
  logger,
  orderInput,
  simulatorClient,
  subDir,
  typedPhone,
} from '../lib/setup';

const ORDERS = 50;
const LATENCY_MS = 50;

export async function benchNotify(root: string): Promise<BenchRow[]> {
  const sim = await startSimulator({ port: 0, latencyMs: LATENCY_MS });
  const { client } = simulatorClient(sim);
  const engine = createOrderEngine({
    accountId: 'P00000000',
    dataDir: subDir(root, 'b4-notify'),
    client,
    settings: engineSettings,
    logger,
  });
  const pollFastMs = DEFAULT_TIMING.pollFastMs;
  const timers: NodeJS.Timeout[] = [];
  try {
    const sessions = new Map<string, string>();
    const linksSent = new Promise<void>((resolve) => {
      engine.on('orderChanged', (o) => {
        if (o.state === 'link_sent' && o.sessionId) sessions.set(o.id, o.sessionId);
        if (sessions.size === ORDERS) resolve();
      });
    });
    engine.start();
    for (let i = 0; i < ORDERS; i++) {
      const r = await engine.createOrder(orderInput(typedPhone(9, i)), 'Desk 1');
      expect(r.created).toBe(true);
    }
    await linksSent;

    const paidAt = new Map<string, number>();
    const latencies = new Map<string, number>();
    const allNotified = new Promise<void>((resolve) => {
      engine.on('notify', (n) => {
        const at = paidAt.get(n.orderId);
        if (n.kind !== 'paid' || at === undefined || latencies.has(n.orderId)) return;
        latencies.set(n.orderId, performance.now() - at);
        if (latencies.size === ORDERS) resolve();
      });
    });
    const rand = prng(4);
    for (const [orderId, sessionId] of sessions) {
      const offset = rand() * 2 * pollFastMs;
      timers.push(
        setTimeout(() => {
          paidAt.set(orderId, performance.now());
          sim.pay(sessionId);
        }, offset),
      );
    }
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      allNotified,
      new Promise<never>((_, reject) => {
        timeout = setTimeout(
          () => reject(new Error(`bench: only ${latencies.size}/${ORDERS} paid notifications`)),
          2 * pollFastMs + 30_000,
        );
      }),
    ]);
    clearTimeout(timeout);
    expect(engine.listOrders({ states: ['authorized'], limit: 1 }).total).toBe(ORDERS);

    const l = summary([...latencies.values()]);
    console.log(
      `[4] pay → 'paid' notification, ${ORDERS} fresh links, pollFastMs ${pollFastMs}, ` +
        `simulator latency ${LATENCY_MS} ms:\n` +
        `    p50 ${ms(l.p50, 0)}  p95 ${ms(l.p95, 0)}  max ${ms(l.max, 0)}  mean ${ms(l.mean, 0)}` +
        ` (expected mean ≈ ${pollFastMs / 2} ms + one round)`,
    );
    return [
      {
        id: '4',
        what: `pay → 'paid' notification, p50 (${ORDERS} fresh links, default timing)`,
        figure: ms(l.p50, 0),
        baseline: `fast poll interval ${pollFastMs} ms`,
        kind: 'budget',
        ratio: l.p50 / pollFastMs,
        data: { latency: l, pollFastMs, simulatorLatencyMs: LATENCY_MS },
      },
      {
        id: '4',
        what: `pay → 'paid' notification, p95`,
        figure: ms(l.p95, 0),
        baseline: `fast poll interval ${pollFastMs} ms`,
        kind: 'budget',
        ratio: l.p95 / pollFastMs,
      },
    ];
  } finally {
    for (const t of timers) clearTimeout(t);
    await engine.stop();
    await sim.close();
  }
}
