/**
 * What the restart gate reads: the order engine's unfinished work, counted from the journal
 * (queued orders, a capture whose answer was lost and is being checked, an operation in
 * flight), through a day of a real engine on the in-memory Dintero.
 */
import { describe, expect, it } from 'vitest';
import { mayRestart } from '../../../main/updates/restart-gate';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, rejection, sentOrders, tempDir } from '../orders/helpers';

describe('the engine counts what a restart waits for', () => {
  it('queued, checking with Dintero, in flight, then clear again', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    // Dintero-like: the first check of a lost answer comes 5 s later.
    const e = engine(tempDir(), fake, {
      now: c.now,
      timing: { reconcileDelayMs: 5_000, absenceWindowMs: 60_000, absenceReads: 3 },
    });
    expect(e.pendingWork()).toEqual({ queued: 0, outcomeUnknown: 0, operationsPending: 0 });
    expect(mayRestart(e.pendingWork())).toEqual({ allowed: true });

    // An order waits to be sent: the same count the status bar and the quit question use.
    const created = await e.createOrder(input(), 'Desk 2');
    if (!created.created) throw new Error('not created');
    expect(e.pendingWork().queued).toBe(1);
    expect(e.status().queueLength).toBe(1);
    expect(mayRestart(e.pendingWork())).toEqual({ allowed: false, waitsFor: ['queue'] });
    await e.sendNow();
    expect(e.pendingWork()).toEqual({ queued: 0, outcomeUnknown: 0, operationsPending: 0 });

    // Paid; the capture's answer is lost after Dintero did it: being checked with Dintero.
    const id = created.order.id;
    fake.pay(e.getOrder(id).order.sessionId!);
    await e.pollNow();
    c.advance(60_000);
    fake.lag.eventMs = 20_000;
    fake.fail('capture', 'drop_after_commit');
    expect(await rejection(e.capture(id, undefined, 'Desk 2'))).toMatchObject({
      kind: 'outcome_unknown',
    });
    expect(e.getOrder(id).order.outcomeUnknown).toBe(true);
    const checking = e.pendingWork();
    expect(checking.outcomeUnknown).toBe(1);
    expect(mayRestart(checking)).toMatchObject({
      allowed: false,
      waitsFor: expect.arrayContaining(['checking']),
    });
    fake.lag.eventMs = 0;
    c.advance(30_000);
    await e.resolveOperationsNow();
    expect(e.getOrder(id).order.outcomeUnknown).toBeUndefined();
    expect(e.pendingWork()).toEqual({ queued: 0, outcomeUnknown: 0, operationsPending: 0 });

    // A void on its way to Dintero (no answer yet): an operation in flight.
    const [other] = await sentOrders(e, 1, { amount: 12_000 });
    fake.pay(e.getOrder(other!).order.sessionId!);
    await e.pollNow();
    fake.fail('void', 'hang');
    void e.void(other!, 'Desk 2').catch(() => undefined);
    await expect.poll(() => e.pendingWork().operationsPending).toBe(1);
    expect(mayRestart(e.pendingWork())).toEqual({ allowed: false, waitsFor: ['operation'] });
  });
});
