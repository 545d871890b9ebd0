/**
 * The simulator drops the connection after committing one create in three
 * (`{route: 'create', kind: 'drop_after_commit', every: 3}`): Dintero made the session and
 * texted the customer, but the desk never hears back. Over 1,000 orders the engine (real
 * client over HTTP, running on its own timers) must find every lost session by its merchant
 * reference instead of creating it again: exactly 1,000 sessions, one SMS each.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createDinteroClient } from '../../main/dintero/client';
import { createLogger } from '../../main/log';
import { createOrderEngine } from '../../main/orders/engine';
import { startSimulator, type Simulator } from '../../main/training/simulator';
import {
  e164No,
  engineSettings,
  orderInput,
  prng,
  secs,
  summary,
  tempRoot,
  waitFor,
  type TempRoot,
} from './support/env';
import { eventKindCounts, integrityCheck } from './support/journal-db';
import { phonesInLogs, scanForSecrets } from './support/scan';
import { capturedSecrets, needlesOf } from './support/secret-capture';

vi.mock('../../main/redact', async (importOriginal) =>
  (await import('./support/secret-capture')).wrapRedact(await importOriginal()),
);

const TOTAL = 1000;

describe('a create answer lost after commit, one in three, over 1,000 orders', () => {
  let root: TempRoot;
  let sim: Simulator;
  let engine: ReturnType<typeof createOrderEngine> | undefined;

  beforeAll(async () => {
    root = tempRoot('drop');
    sim = await startSimulator({ random: prng(3) });
  });

  afterAll(async () => {
    await engine?.stop();
    await sim?.close();
    await root?.cleanup();
  });

  it('exactly 1,000 sessions and one SMS each', async () => {
    const started = Date.now();
    const dataDir = root.dir('data');
    const logDir = root.dir('logs');
    const logger = createLogger({ dir: logDir, level: 'debug' });
    sim.faults.add({ route: 'create', kind: 'drop_after_commit', every: 3 });
    const client = createDinteroClient({
      apiUrl: sim.url,
      checkoutUrl: sim.url,
      credentials: () => Promise.resolve(sim.credentials),
      timeoutMs: 5000,
      logger,
      random: prng(4),
    });
    engine = createOrderEngine({
      accountId: 'P00000000',
      dataDir,
      client,
      settings: () => engineSettings('DROP'),
      logger,
      random: prng(5),
      timing: {
        pollFastMs: 2000,
        pollSlowMs: 5000,
        backoffBaseMs: 10,
        backoffMaxMs: 100,
        probeMs: 30,
        reconcileDelayMs: 50,
        absenceWindowMs: 600,
        absenceReads: 3,
        stopTimeoutMs: 3000,
      },
    });
    engine.start();
    const ids: string[] = [];
    for (let i = 0; i < TOTAL; i++) {
      const r = await engine.createOrder(orderInput(i), 'Desk');
      if (!r.created) throw new Error('not created');
      ids.push(r.order.id);
    }
    const e = engine;
    await waitFor(() => e.listOrders({ states: ['link_sent'], limit: 5000 }).total === TOTAL, {
      timeoutMs: 180_000,
      intervalMs: 50,
      what: 'all orders link_sent',
      describe: () => JSON.stringify(e.status()),
    });
    const orders = e.listOrders({ limit: 5000 }).orders;
    await e.stop();
    engine = undefined;

    const stats = sim.stats();
    const sessionCounts = Object.values(stats.sessionsCreated);
    const smsCounts = Object.values(stats.smsSent);
    const sessionOfRef = new Map(sim.sessions().map((s) => [s.merchantReference, s.sessionId]));
    const perOrder = orders.map((o) => {
      const ok =
        o.state === 'link_sent' &&
        stats.sessionsCreated[o.merchantReference] === 1 &&
        stats.smsSent[o.phone] === 1 &&
        sessionOfRef.get(o.merchantReference) === o.sessionId;
      return { ref: o.merchantReference, ok };
    });
    const passed = perOrder.filter((p) => p.ok).length;
    const kinds = eventKindCounts(dataDir);
    const secrets = needlesOf([...capturedSecrets(), sim.credentials.clientSecret]);
    const leaks = scanForSecrets([logDir, dataDir], secrets);
    const phones = phonesInLogs(
      [logDir],
      Array.from({ length: TOTAL }, (_, i) => ({ e164: e164No(i), cc: '47' })),
    );

    console.log(
      `drop-after-commit: ${TOTAL} orders, ${stats.requests.create ?? 0} create requests, ` +
        `${stats.faultsApplied.drop_after_commit ?? 0} answers dropped after commit; ` +
        `answers lost ${kinds.unknown ?? 0}, reconciled ${kinds.reconciled ?? 0}; ` +
        `sessions ${sim.sessions().length} (max ${Math.max(...sessionCounts)} per reference), ` +
        `SMS ${sim.sms().length} (max ${Math.max(...smsCounts)} per phone); ` +
        `leak hits ${leaks.leaks.length}, log lines with a full phone ${phones.hits.length}; ${secs(Date.now() - started)}`,
    );
    summary('drop-after-commit', passed, TOTAL - passed);

    expect(ids).toHaveLength(TOTAL);
    expect(orders).toHaveLength(TOTAL);
    expect(stats.faultsApplied.drop_after_commit ?? 0).toBeGreaterThanOrEqual(
      Math.floor(TOTAL / 3),
    );
    expect(perOrder.filter((p) => !p.ok).map((p) => p.ref)).toEqual([]);
    expect(sim.sessions()).toHaveLength(TOTAL);
    expect(sessionCounts).toHaveLength(TOTAL);
    expect(sessionCounts.every((n) => n === 1)).toBe(true);
    expect(smsCounts).toHaveLength(TOTAL);
    expect(smsCounts.every((n) => n === 1)).toBe(true);
    expect(sim.sms()).toHaveLength(TOTAL);
    expect(integrityCheck(dataDir)).toEqual(['ok']);
    expect(leaks.leaks).toEqual([]);
    expect(phones.hits).toEqual([]);
  });
});
