/**
 * The engine with the REAL Dintero client against the training simulator over loopback HTTP:
 * the same code path as production, with the simulator's fault switches.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DinteroClient } from '../../../main/dintero/types';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { simClient } from '../training/sim-helpers';
import { engine, input, phone, settings, tempDir } from './helpers';

const sims: Simulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

async function setup(
  opts: { asyncOperations?: boolean; searchLagMs?: number } = {},
): Promise<{ sim: Simulator; client: DinteroClient }> {
  const sim = await startSimulator({ port: 0, ...opts });
  sims.push(sim);
  return { sim, client: simClient(sim) };
}

async function queue(e: ReturnType<typeof engine>, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = await e.createOrder(input({ phone: phone(i) }), 'Desk 2');
    if (!r.created) throw new Error('duplicate');
    ids.push(r.order.id);
  }
  return ids;
}

/** Exactly one session per order at the simulator, and every order linked to it. */
function expectExactlyOnce(e: ReturnType<typeof engine>, sim: Simulator, n: number): void {
  const { orders } = e.listOrders({ limit: 100_000 });
  expect(orders).toHaveLength(n);
  const created = sim.stats().sessionsCreated;
  for (const o of orders) {
    expect(created[o.merchantReference], o.merchantReference).toBe(1);
    expect(o.state).toBe('link_sent');
    expect(sim.getSession(o.sessionId!)?.order.merchant_reference).toBe(o.merchantReference);
  }
  expect(Object.keys(created)).toHaveLength(n);
}

describe('engine + real client + simulator', () => {
  it('happy path: the link is texted, paid, captured and partly refunded', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    const [id] = await queue(e, 1);
    await e.sendNow();
    const sent = e.getOrder(id!).order;
    expect(sent).toMatchObject({ state: 'link_sent', smsStatus: 'sent' });
    const sms = sim.sms();
    expect(sms).toHaveLength(1);
    expect(sms[0]).toMatchObject({ to: '+4741000000', sessionId: sent.sessionId });
    sim.open(sent.sessionId!);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('opened');
    sim.pay(sent.sessionId!);
    // Polls again once the order's (fast) interval has passed.
    await expect
      .poll(async () => {
        await e.pollNow();
        return e.getOrder(id!).order.state;
      })
      .toBe('authorized');
    expect(e.getOrder(id!).order.authorizedAmount).toBe(25_000);
    expect(await e.capture(id!, undefined, 'Desk 2')).toMatchObject({
      state: 'captured',
      capturedAmount: 25_000,
    });
    expect(await e.refund(id!, 5_000, 'Damaged', 'Desk 2')).toMatchObject({
      state: 'partially_refunded',
      refundedAmount: 5_000,
    });
    expect(sim.stats()).toMatchObject({ capturesApplied: 1, refundsApplied: 1 });
    const qr = await e.qr(id!);
    expect(qr.qrDataUrl).toMatch(/^data:image\/png;base64,/);
  });

  it('line down: orders queue, the desk goes offline, then each is sent exactly once', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    await sim.stop();
    await queue(e, 3);
    await e.sendNow();
    expect(e.status()).toEqual({ online: false, queueLength: 3 });
    expect(await e.probeNow()).toBe(false);
    await sim.restart();
    expect(await e.probeNow()).toBe(true);
    await e.sendNow();
    expectExactlyOnce(e, sim, 3);
  });

  it('a queue of 300 built offline is sent once each when the line returns (timers running)', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client, { concurrency: 6 });
    await sim.stop();
    e.start();
    await queue(e, 300);
    await expect.poll(() => e.status().online, { timeout: 5000 }).toBe(false);
    await sim.restart();
    await expect
      .poll(() => e.status(), { timeout: 19_000, interval: 50 })
      .toEqual({ online: true, queueLength: 0 });
    await e.stop();
    expect(Object.values(sim.stats().sessionsCreated).every((n) => n === 1)).toBe(true);
    expect(Object.keys(sim.stats().sessionsCreated)).toHaveLength(300);
  });

  it('drop_after_commit on create: unknown, reconciled, exactly one session per order', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client, { concurrency: 2 });
    sim.faults.add({ route: 'create', kind: 'drop_after_commit', every: 2 });
    await queue(e, 6);
    await e.sendNow();
    expectExactlyOnce(e, sim, 6);
    const reconciled = e
      .listOrders()
      .orders.filter((o) => e.getOrder(o.id).events.some((x) => x.kind === 'reconciled'));
    expect(reconciled.length).toBeGreaterThanOrEqual(3);
  });

  it('a create that hangs after commit, then a kill and a restart: taken, not resent', async () => {
    const { sim, client } = await setup();
    const dir = tempDir();
    const e1 = engine(dir, client);
    await queue(e1, 2);
    sim.faults.add({ route: 'create', kind: 'hang_after_commit', times: 1 });
    void e1.sendNow();
    await expect.poll(() => Object.keys(sim.stats().sessionsCreated).length).toBe(2);
    e1.closeNow();
    sim.faults.clear();
    const e2 = engine(dir, client);
    await e2.sendNow();
    expectExactlyOnce(e2, sim, 2);
  });

  it('polls 250 live orders in batches', async () => {
    const { sim, client } = await setup();
    // No store ID: the store's board would list sessions too.
    const e = engine(tempDir(), client, { settings: () => settings({ storeId: '' }) });
    await queue(e, 250);
    await e.sendNow();
    const before = sim.stats().requests.listSessions ?? 0;
    const round = await e.pollNow();
    expect(round).toMatchObject({ sessionCalls: 3, polled: 250 });
    expect((sim.stats().requests.listSessions ?? 0) - before).toBe(3);
    expect(sim.stats().requests.getSession ?? 0).toBe(0);
  });

  it('declined, expired and a refund made elsewhere are picked up', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    const [a, b] = await queue(e, 2);
    await e.sendNow();
    sim.decline(e.getOrder(a!).order.sessionId!);
    sim.expire(e.getOrder(b!).order.sessionId!);
    await e.pollNow();
    expect(e.getOrder(a!).order.state).toBe('declined');
    expect(e.getOrder(b!).order.state).toBe('expired');
  });

  it('202 operations: accepted, then settled from the correlated event', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    const [id] = await queue(e, 1);
    await e.sendNow();
    sim.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    sim.setAsyncOperations(true, 'manual');
    const accepted = await e.capture(id!, 10_000, 'Desk 2');
    expect(accepted.pendingOperation).toBe('capture');
    await expect(e.capture(id!, 1_000, 'Desk 2')).rejects.toMatchObject({ code: 'conflict' });
    expect(sim.settlePending()).toBe(1);
    await e.pollNow();
    expect(e.getOrder(id!).order).toMatchObject({
      state: 'partially_captured',
      capturedAmount: 10_000,
    });
    expect(e.getOrder(id!).order.pendingOperation).toBeUndefined();
    expect(sim.stats().capturesApplied).toBe(1);
  });

  it('a capture whose answer is lost after commit is found in the events, not repeated', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    const [id] = await queue(e, 1);
    await e.sendNow();
    sim.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    sim.faults.add({ route: 'capture', kind: 'drop_after_commit', times: 1 });
    const r = await e.capture(id!, undefined, 'Desk 2');
    expect(r).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(sim.stats().capturesApplied).toBe(1);
    expect(sim.stats().requests.capture).toBe(1);
  });

  it("expiry is Dintero's word: its clock, not the desk's, decides when a link has lapsed", async () => {
    const { sim, client } = await setup();
    const deskClock = { t: Date.now() };
    const e = engine(tempDir(), client, {
      now: () => deskClock.t,
      monotonic: () => performance.now(),
    });
    const tick = (): Promise<void> => new Promise((res) => setTimeout(res, 30));
    const [a] = await queue(e, 1);
    const r = await e.createOrder(input({ phone: phone(7), linkLifetimeHours: 1 }), 'Desk 2');
    if (!r.created) throw new Error('not created');
    await e.sendNow();
    // The desk's clock jumps three hours ahead: Dintero says the link is still open.
    deskClock.t += 3 * 3_600_000;
    await tick();
    await e.pollNow();
    expect(e.getOrder(r.order.id).order.state).toBe('link_sent');
    deskClock.t -= 3 * 3_600_000;
    // Dintero's clock is past the one-hour link's expiry: expired, by Dintero's time.
    sim.jumpClock(2 * 3_600_000);
    await tick();
    await e.pollNow();
    await tick();
    await e.pollNow();
    expect(e.getOrder(r.order.id).order.state).toBe('expired');
    expect(e.getOrder(a!).order.state).toBe('link_sent');
  });

  it('the reconciling search follows every page of a fuzzy search and filters exactly', async () => {
    const { sim, client } = await setup();
    const e = engine(tempDir(), client);
    const r = await e.createOrder(input(), 'Desk 2');
    if (!r.created) throw new Error('not created');
    const ref = r.order.merchantReference;
    // 520 other sessions whose references contain ours: Dintero's search returns them all.
    for (let i = 0; i < 520; i++) {
      await client.createSession({
        profile_id: 'P00000000.default',
        url: { return_url: 'https://shop.example/thanks' },
        customer: { phone_number: '+4791234567' },
        order: { amount: 25_000, currency: 'NOK', merchant_reference: `${ref}x${i}` },
        expires_at: new Date(Date.now() + 3_600_000).toISOString(),
      });
    }
    sim.faults.add({ route: 'create', kind: 'drop_after_commit', times: 1 });
    await e.sendNow();
    expect(e.getOrder(r.order.id).order.state).toBe('link_sent');
    expect(sim.stats().sessionsCreated[ref]).toBe(1);
    expect(sim.stats().requests.listSessions).toBeGreaterThanOrEqual(6);
  });

  it('search lagging behind creates over HTTP: a lost create is found, never sent twice', async () => {
    const { sim, client } = await setup({ searchLagMs: 300 });
    const e = engine(tempDir(), client, {
      timing: {
        reconcileDelayMs: 20,
        absenceWindowMs: 600,
        absenceReads: 3,
        pollFastMs: 50,
        backoffBaseMs: 10,
        backoffMaxMs: 50,
        probeMs: 20,
      },
    });
    const ids = await queue(e, 5);
    sim.faults.add({ route: 'create', kind: 'drop_after_commit', times: 5 });
    e.start();
    const until = Date.now() + 10_000;
    while (Date.now() < until) {
      if (ids.every((id) => e.getOrder(id).order.state === 'link_sent')) break;
      await new Promise((res) => setTimeout(res, 20));
    }
    for (const id of ids) expect(e.getOrder(id).order.state).toBe('link_sent');
    expect(Object.values(sim.stats().sessionsCreated)).toEqual([1, 1, 1, 1, 1]);
    expect(sim.sms()).toHaveLength(5);
  });
});
