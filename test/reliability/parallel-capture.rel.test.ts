/**
 * 100 parallel capture requests on one paid order — through the engine, and through the IPC
 * dispatch with the real handler table over a real AppServices (training mode) — make exactly
 * ONE capture at the simulator. Then waves of parallel refunds of random amounts (with one
 * refund answer in four dropped after Dintero applied it) never refund more than was captured,
 * at the simulator or in the journal, at any moment.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OrderSummary } from '../../common/domain';
import { IPC_ERROR_CODES, type IpcResult } from '../../common/ipc-contract';
import { MemorySecretStore } from '../../main/credentials/memory-secret-store';
import { createDinteroClient } from '../../main/dintero/client';
import { dispatch, toIpcError } from '../../main/ipc/dispatch';
import { createHandlerTable } from '../../main/ipc/handlers';
import { createLogger, type Logger } from '../../main/log';
import { createOrderEngine } from '../../main/orders/engine';
import { AppServices } from '../../main/services';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import {
  between,
  engineSettings,
  FAST_TIMING,
  orderInput,
  prng,
  sleep,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { scanForSecrets } from './support/scan';
import { capturedSecrets, needlesOf } from './support/secret-capture';

vi.mock('../../main/redact', async (importOriginal) =>
  (await import('./support/secret-capture')).wrapRedact(await importOriginal()),
);

const PARALLEL = 100;
const AMOUNT = 100_000;
const REFUND_WAVES = 12;
const REFUNDS_PER_WAVE = 25;

/** The two ways in: the engine directly, or the renderer's path through dispatch. */
interface Surface {
  name: string;
  sim: Simulator;
  /** The customer pays the link. */
  pay(sessionId: string): Promise<void>;
  get(id: string): OrderSummary;
  capture(id: string): Promise<{ ok: boolean; code?: string }>;
  refund(id: string, amount: number): Promise<{ ok: boolean; code?: string }>;
}

const simTotals = (sim: Simulator, txId: string): { captured: number; refunded: number } => {
  let captured = 0;
  let refunded = 0;
  for (const e of sim.getTransaction(txId)?.events ?? []) {
    if (!e.success) continue;
    if (e.event === 'CAPTURE') captured += e.amount ?? 0;
    if (e.event === 'REFUND') refunded += e.amount ?? 0;
  }
  return { captured, refunded };
};

describe('parallel captures and refunds on one paid order', () => {
  let root: TempRoot;
  let logger: Logger;
  let logDir: string;
  const stops: Array<() => Promise<void>> = [];
  let passed = 0;
  const failures: string[] = [];
  const figures: string[] = [];

  beforeAll(() => {
    root = tempRoot('parallel');
    logDir = root.dir('logs');
    logger = createLogger({ dir: logDir, level: 'debug' });
  });

  afterAll(async () => {
    for (const s of stops.splice(0).reverse()) await s().catch(() => undefined);
    summary('parallel-capture', passed, failures.length);
    await root?.cleanup();
  });

  function record(ok: boolean, what: string): void {
    if (ok) passed++;
    else failures.push(what);
  }

  /** Pays the order, fires the captures and the refund waves; asserts as it goes. */
  async function scenario(s: Surface, id: string, seed: number): Promise<void> {
    const rand = prng(seed);
    const { sim } = s;
    await waitFor(() => s.get(id).sessionId !== undefined && s.get(id).state === 'link_sent', {
      timeoutMs: 20_000,
      what: 'link sent',
    });
    await s.pay(s.get(id).sessionId!);
    await waitFor(() => s.get(id).state === 'authorized', { timeoutMs: 20_000, what: 'paid' });
    const txId = s.get(id).transactionId!;

    // ---- 100 parallel captures (capture answers slowed so they overlap) --------------
    const latency = sim.faults.add({ route: 'capture', kind: 'latency', delayMs: 50 });
    const before = sim.stats().capturesApplied;
    const results = await Promise.all(Array.from({ length: PARALLEL }, () => s.capture(id)));
    // A second volley once the first has settled: all must be refused.
    const late = await Promise.all(Array.from({ length: PARALLEL }, () => s.capture(id)));
    sim.faults.remove(latency);
    const oks = results.filter((r) => r.ok).length;
    const lateOks = late.filter((r) => r.ok).length;
    const codes = [...results, ...late].filter((r) => !r.ok).map((r) => r.code);
    const applied = sim.stats().capturesApplied - before;
    const captureEvents = (sim.getTransaction(txId)?.events ?? []).filter(
      (e) => e.event === 'CAPTURE' && e.success,
    ).length;
    const o = s.get(id);
    figures.push(
      `${s.name}: ${PARALLEL} parallel captures -> ${oks} accepted, then ${PARALLEL} more -> ${lateOks}; ` +
        `captures at the simulator ${applied} (events ${captureEvents}); refusals ${countBy(codes)}`,
    );
    const captureOk =
      oks === 1 &&
      lateOks === 0 &&
      applied === 1 &&
      captureEvents === 1 &&
      o.state === 'captured' &&
      o.capturedAmount === AMOUNT &&
      codes.every((c) => c === 'conflict' || c === 'not_allowed');
    record(captureOk, `${s.name}: parallel captures`);
    expect(oks, `${s.name}: accepted captures`).toBe(1);
    expect(lateOks).toBe(0);
    expect(applied, `${s.name}: captures applied at the simulator`).toBe(1);
    expect(captureEvents).toBe(1);
    expect(o.state).toBe('captured');
    expect(o.capturedAmount).toBe(AMOUNT);
    expect(
      codes.every((c) => c === 'conflict' || c === 'not_allowed'),
      countBy(codes),
    ).toBe(true);

    // ---- waves of parallel refunds; watch the totals the whole time -----------------
    const drop = sim.faults.add({ route: 'refund', kind: 'drop_after_commit', every: 4 });
    const slow = sim.faults.add({ route: 'refund', kind: 'latency', delayMs: 20 });
    let worstSim = 0;
    let worstJournal = 0;
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        const t = simTotals(sim, txId);
        const j = s.get(id);
        worstSim = Math.max(worstSim, t.refunded - t.captured);
        worstJournal = Math.max(worstJournal, j.refundedAmount - j.capturedAmount);
        await sleep(2);
      }
    })();
    let acceptedRefunds = 0;
    for (let w = 0; w < REFUND_WAVES; w++) {
      const left = AMOUNT - s.get(id).refundedAmount;
      if (left <= 0) break;
      const wave = await Promise.all(
        Array.from({ length: REFUNDS_PER_WAVE }, () =>
          s.refund(id, between(rand, 1, Math.max(1, Math.ceil(left / 3)))),
        ),
      );
      acceptedRefunds += wave.filter((r) => r.ok).length;
      await waitFor(() => s.get(id).pendingOperation === undefined, {
        timeoutMs: 20_000,
        what: 'the refund to settle',
      });
      const t = simTotals(sim, txId);
      const j = s.get(id);
      const ok =
        t.refunded <= t.captured &&
        j.refundedAmount <= j.capturedAmount &&
        j.refundedAmount === t.refunded &&
        wave.every((r) => r.ok || (IPC_ERROR_CODES as readonly string[]).includes(r.code ?? ''));
      record(
        ok,
        `${s.name}: refund wave ${w + 1} (sim ${t.refunded}/${t.captured}, journal ${j.refundedAmount}/${j.capturedAmount})`,
      );
      expect(t.refunded, `${s.name}: wave ${w + 1} refunded at the simulator`).toBeLessThanOrEqual(
        t.captured,
      );
      expect(j.refundedAmount).toBeLessThanOrEqual(j.capturedAmount);
      expect(j.refundedAmount).toBe(t.refunded);
    }
    // Finally everything that is left, in one go, 50 times in parallel.
    const left = AMOUNT - s.get(id).refundedAmount;
    if (left > 0) {
      const rest = await Promise.all(Array.from({ length: 50 }, () => s.refund(id, left)));
      acceptedRefunds += rest.filter((r) => r.ok).length;
      await waitFor(() => s.get(id).pendingOperation === undefined, {
        timeoutMs: 20_000,
        what: 'the last refund to settle',
      });
    }
    watching = false;
    await watcher;
    sim.faults.remove(drop);
    sim.faults.remove(slow);
    const t = simTotals(sim, txId);
    const j = s.get(id);
    figures.push(
      `${s.name}: refunds accepted ${acceptedRefunds}, applied at the simulator ${(sim.getTransaction(txId)?.events ?? []).filter((e) => e.event === 'REFUND' && e.success).length}, ` +
        `answers dropped ${sim.stats().faultsApplied.drop_after_commit ?? 0}; refunded ${t.refunded} of ${t.captured} captured ` +
        `(journal ${j.refundedAmount}, state ${j.state}); most ever over captured: simulator ${worstSim}, journal ${worstJournal}`,
    );
    record(worstSim <= 0 && worstJournal <= 0, `${s.name}: refunded exceeded captured`);
    expect(worstSim).toBeLessThanOrEqual(0);
    expect(worstJournal).toBeLessThanOrEqual(0);
    expect(t.refunded).toBeLessThanOrEqual(t.captured);
    expect(j.refundedAmount).toBe(t.refunded);
  }

  it('through the engine', async () => {
    const sim = await startSimulator({ random: prng(11) });
    const client = createDinteroClient({
      apiUrl: sim.url,
      checkoutUrl: sim.url,
      credentials: () => Promise.resolve(sim.credentials),
      timeoutMs: 5000,
      logger,
    });
    const engine = createOrderEngine({
      accountId: 'P00000000',
      dataDir: root.dir('engine'),
      client,
      settings: () => engineSettings('PAR'),
      logger,
      random: prng(12),
      timing: FAST_TIMING,
    });
    engine.start();
    stops.push(async () => {
      await engine.stop();
      await sim.close();
    });
    const r = await engine.createOrder(orderInput(1, { amount: AMOUNT }), 'Desk');
    if (!r.created) throw new Error('not created');
    const outcome = async (p: Promise<unknown>): Promise<{ ok: boolean; code?: string }> => {
      try {
        await p;
        return { ok: true };
      } catch (e) {
        // The code the renderer would get for this error.
        return { ok: false, code: toIpcError(e).code };
      }
    };
    const surface: Surface = {
      name: 'engine',
      sim,
      pay: (sessionId) => {
        sim.pay(sessionId);
        return Promise.resolve();
      },
      get: (id) => engine.getOrder(id).order,
      capture: (id) => outcome(engine.capture(id, undefined, 'Desk')),
      refund: (id, amount) => outcome(engine.refund(id, amount, 'Goodwill', 'Desk')),
    };
    await scenario(surface, r.order.id, 13);
  });

  it('through IPC dispatch with the real handler table', async () => {
    const svc = await AppServices.create({
      dataDir: root.dir('app'),
      secretStore: new MemorySecretStore(),
      logger,
      version: 'rel',
      engineTiming: FAST_TIMING,
    });
    stops.push(() => svc.close());
    const sim = svc.simulator!;
    const table = createHandlerTable(svc);
    const call = <T>(channel: string, input: unknown): Promise<IpcResult<T>> =>
      dispatch(table, channel, input, { actor: 'Desk' }, logger) as Promise<IpcResult<T>>;
    const created = await call<{ created: boolean; order: OrderSummary }>(
      'orders:create',
      orderInput(2, { amount: AMOUNT }),
    );
    if (!created.ok || !created.value.created) throw new Error('not created');
    const id = created.value.order.id;
    const get = (orderId: string): OrderSummary => svc.engine.getOrder(orderId).order;
    const result = (r: IpcResult<unknown>): { ok: boolean; code?: string } =>
      r.ok ? { ok: true } : { ok: false, code: r.error.code };
    const surface: Surface = {
      name: 'IPC',
      sim,
      // The customer pays through the training panel's channel, as staff would in training.
      pay: async (sessionId) => {
        const r = await call('training:customer', { sessionId, action: 'pay' });
        if (!r.ok) throw new Error(`pay refused: ${r.error.code}`);
      },
      get,
      capture: async (orderId) => result(await call('orders:capture', { id: orderId })),
      refund: async (orderId, amount) =>
        result(await call('orders:refund', { id: orderId, amount, reason: 'Goodwill' })),
    };
    await scenario(surface, id, 14);

    const secrets = needlesOf([...capturedSecrets(), sim.credentials.clientSecret]);
    const leaks = scanForSecrets([root.path], secrets);
    figures.push(`leak scan: ${leaks.files} files, ${leaks.leaks.length} hits`);
    console.log(`parallel-capture:\n  ${figures.join('\n  ')}`);
    expect(leaks.leaks).toEqual([]);
    expect(failures).toEqual([]);
  });
});

function countBy(codes: Array<string | undefined>): string {
  const m = new Map<string, number>();
  for (const c of codes) m.set(String(c), (m.get(String(c)) ?? 0) + 1);
  return [...m].map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
}
