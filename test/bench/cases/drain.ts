/**
 * Bench 2: draining 1,000 queued orders to the simulator answering after 50 ms. The orders are
 * journaled before engine.start(); the clock runs from start() until the 1,000th order is
 * link_sent. The engine runs as the app runs it: default timing, default concurrency (services.ts
 * passes none, so 4), the poller running alongside.
 *
 * Baseline: the ideal time at that concurrency, ceil(1000 / concurrency) × (50 ms latency + the
 * bare request overhead), the overhead measured in the same run as the mean round trip of a
 * createSession through the same client with the simulator's latency at 0.
 */
import { performance as nodePerformance } from 'node:perf_hooks';
import { expect } from 'vitest';
import { createOrderEngine } from '../../../main/orders/engine';
import { buildCreateSessionRequest } from '../../../main/orders/session-request';
import { startSimulator } from '../../../main/training/simulator';
import { mean, ms, s, summary, type BenchRow } from '../lib/report';
import {
  engineSettings,
  logger,
  orderInput,
  simulatorClient,
  subDir,
  typedPhone,
} from '../lib/setup';
import { queuedRow } from './accept';

const ORDERS = 1000;
const LATENCY_MS = 50;
/** The engine's default outbox concurrency (engine.ts), which the app uses (services.ts). */
const APP_CONCURRENCY = 4;

export async function benchDrain(root: string): Promise<BenchRow[]> {
  const sim = await startSimulator({ port: 0 });
  const { client, meter } = simulatorClient(sim);
  try {
    // Bare request overhead: sequential creates through the same client, latency 0.
    const settings = engineSettings();
    let n = 0;
    const create = async (): Promise<number> => {
      const req = buildCreateSessionRequest(
        queuedRow(n++, Date.now(), 'RTT'),
        settings,
        Date.now(),
      );
      const t0 = performance.now();
      await client.createSession(req);
      return performance.now() - t0;
    };
    for (let i = 0; i < 20; i++) await create();
    const bare: number[] = [];
    for (let i = 0; i < 100; i++) bare.push(await create());
    const overhead = summary(bare);
    sim.faults.setLatency(LATENCY_MS);
    const at50: number[] = [];
    for (let i = 0; i < 20; i++) at50.push(await create());
    meter.maxInFlight = {};

    const engine = createOrderEngine({
      accountId: 'P00000000',
      dataDir: subDir(root, 'b2-drain'),
      client,
      settings: engineSettings,
      logger,
    });
    for (let i = 0; i < ORDERS; i++) {
      const r = await engine.createOrder(orderInput(typedPhone(9, i)), 'Desk 1');
      expect(r.created).toBe(true);
    }
    expect(engine.status().queueLength).toBe(ORDERS);

    const sent = new Set<string>();
    let finishedAt = 0;
    // Diagnostics: how long each order is in `sending` (journal → POST → journal), and how many
    // are in `sending` on average (time-weighted), i.e. how full the concurrency slots are.
    const sendingSince = new Map<string, number>();
    const inSending: number[] = [];
    let sendingNow = 0;
    let lastChange = 0;
    let weighted = 0;
    const track = (delta: number): void => {
      const t = performance.now();
      if (lastChange > 0) weighted += sendingNow * (t - lastChange);
      lastChange = t;
      sendingNow += delta;
    };
    const allSent = new Promise<void>((resolve) => {
      engine.on('orderChanged', (o) => {
        if (o.state === 'sending' && !sendingSince.has(o.id)) {
          sendingSince.set(o.id, performance.now());
          track(1);
        }
        if (o.state !== 'link_sent' || sent.has(o.id)) return;
        sent.add(o.id);
        const since = sendingSince.get(o.id);
        if (since !== undefined) {
          inSending.push(performance.now() - since);
          track(-1);
        }
        if (sent.size === ORDERS) {
          finishedAt = performance.now();
          resolve();
        }
      });
    });
    const elu0 = nodePerformance.eventLoopUtilization();
    const startedAt = performance.now();
    engine.start();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      allSent,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('bench: drain took over 180 s')), 180_000);
      }),
    ]);
    clearTimeout(timer);
    const elapsed = finishedAt - startedAt;
    const busy = nodePerformance.eventLoopUtilization(elu0).utilization;
    const slotsFull = weighted / elapsed;
    const sending = summary(inSending);

    // Correctness: every order sent exactly once (no customer texted twice), queue empty.
    expect(engine.listOrders({ states: ['link_sent'], limit: 1 }).total).toBe(ORDERS);
    expect(engine.status().queueLength).toBe(0);
    const created = Object.entries(sim.stats().sessionsCreated).filter(([ref]) =>
      ref.startsWith('DESK1-'),
    );
    expect(created.length).toBe(ORDERS);
    expect(created.every(([, count]) => count === 1)).toBe(true);
    const observed = meter.maxInFlight.createSession ?? 0;
    await engine.stop();

    const perCreate = LATENCY_MS + overhead.mean;
    const ideal = Math.ceil(ORDERS / APP_CONCURRENCY) * perCreate;
    const perOrder = elapsed / ORDERS;
    console.log(
      `[2] drain ${ORDERS} queued orders, simulator latency ${LATENCY_MS} ms, concurrency ` +
        `${APP_CONCURRENCY} (observed max createSession in flight: ${observed}):\n` +
        `    bare request overhead (latency 0): mean ${ms(overhead.mean)} p50 ${ms(overhead.p50)} p99 ${ms(overhead.p99)}\n` +
        `    measured round trip at ${LATENCY_MS} ms latency: mean ${ms(mean(at50))}\n` +
        `    drain ${s(elapsed)} (${ms(perOrder)} per order, ${(ORDERS / (elapsed / 1000)).toFixed(1)} orders/s);` +
        ` ideal ceil(${ORDERS}/${APP_CONCURRENCY}) × ${ms(perCreate)} = ${s(ideal)}\n` +
        `    event loop busy ${(busy * 100).toFixed(0)} % of the drain (engine, client and simulator share it)\n` +
        `    per order sending → link_sent p50 ${ms(sending.p50, 1)} p99 ${ms(sending.p99, 1)};` +
        ` orders in sending on average ${slotsFull.toFixed(2)} of ${APP_CONCURRENCY}`,
    );
    return [
      {
        id: '2',
        what: `drain ${ORDERS} queued orders → link_sent (sim 50 ms, concurrency ${APP_CONCURRENCY})`,
        figure: s(elapsed),
        baseline: `ideal ${s(ideal)} (${Math.ceil(ORDERS / APP_CONCURRENCY)} × ${ms(perCreate, 1)})`,
        ratio: elapsed / ideal,
        data: {
          elapsedMs: elapsed,
          idealMs: ideal,
          concurrency: APP_CONCURRENCY,
          observedMaxInFlight: observed,
          bareOverheadMs: overhead,
          roundTripAt50MsMean: mean(at50),
          eventLoopUtilization: busy,
          sendingToLinkSentMs: sending,
          meanInSending: slotsFull,
        },
      },
    ];
  } finally {
    await sim.close();
  }
}
