/**
 * The store's board (issue 14, part 2): two desks of one store (same store ID, their own
 * journals and desk identities) against ONE training simulator over loopback HTTP, with the
 * real Dintero client. Each desk reads the store's sessions and transactions and shows the
 * other desk's orders; an order sent from A is opened, followed and acted on from B, and A
 * sees what B did. Dintero's lists lag behind its writes here (search lag), and a desk never
 * takes its own sessions (even one whose create answer was lost) for another desk's.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dayOf } from '../../../common/day-time';
import type { CreateSessionRequest } from '../../../main/dintero/types';
import type { NotificationRequest } from '../../../main/orders/engine-types';
import { startSimulator, type Simulator } from '../../../main/training/simulator';
import { simClient } from '../training/sim-helpers';
import { engine, input, phone, settings, pollUntil, tempDir } from './helpers';

type Engine = ReturnType<typeof engine>;

const STORE = 'oslo-1';
const sims: Simulator[] = [];
afterEach(async () => {
  for (const s of sims.splice(0)) await s.close();
});

async function simulator(opts: { searchLagMs?: number } = {}): Promise<Simulator> {
  const sim = await startSimulator({ port: 0, ...opts });
  sims.push(sim);
  return sim;
}

/** A desk of the store: both named "Desk 2" (the desk identity tells them apart). */
function desk(sim: Simulator, deskId: string, notes: NotificationRequest[] = []): Engine {
  const e = engine(tempDir(), simClient(sim, 5000), {
    settings: () => settings({ deskId, storeId: STORE, terminalName: 'Desk 2' }),
    timeZone: 'UTC',
  });
  e.on('notify', (n) => notes.push(n));
  return e;
}

/** The order with `reference` on a desk, if it has one. */
function byReference(e: Engine, reference: string) {
  return e.listOrders().orders.find((o) => o.merchantReference === reference);
}

/** Sends one order from `e`; its row. */
async function sent(e: Engine, i: number, amount = 40_000) {
  const r = await e.createOrder(
    input({ phone: phone(i), amount, customerName: 'Kari Nordmann' }),
    'Anna',
  );
  if (!r.created) throw new Error('duplicate');
  await e.sendNow();
  const row = e.journal!.get(r.order.id)!;
  expect(row.state).toBe('link_sent');
  return row;
}

describe("the store's board", () => {
  it('an order sent from A appears on B, is captured from B, and shows captured on A', async () => {
    const sim = await simulator();
    const notesA: NotificationRequest[] = [];
    const notesB: NotificationRequest[] = [];
    const a = desk(sim, 'DESKAA', notesA);
    const b = desk(sim, 'DESKBB', notesB);
    const row = await sent(a, 1);

    await pollUntil([b], () => byReference(b, row.merchantReference) !== undefined, 'on B');
    const onB = byReference(b, row.merchantReference)!;
    expect(onB).toMatchObject({
      originDesk: 'DESKAA',
      createdBy: 'Desk 2',
      state: 'link_sent',
      amount: 40_000,
      currency: 'NOK',
      phone: row.phone,
      customerName: 'Kari Nordmann',
      sessionId: row.sessionId,
    });
    expect(b.getOrder(onB.id).events[0]?.message?.key).toBe('line.fromOtherDesk');
    // A reads the same store and never takes its own order for another desk's.
    await a.pollNow();
    expect(
      a.listOrders().orders.filter((o) => o.merchantReference === row.merchantReference),
    ).toHaveLength(1);
    expect(a.getOrder(row.id).order.originDesk).toBeUndefined();

    const tx = sim.pay(row.sessionId!).id;
    await pollUntil(
      [a, b],
      () =>
        a.getOrder(row.id).order.state === 'authorized' &&
        b.getOrder(onB.id).order.state === 'authorized',
      'paid on both',
    );
    await b.capture(onB.id, undefined, 'Bjørn');
    await pollUntil([a], () => a.getOrder(row.id).order.state === 'captured', 'captured on A');
    expect(a.getOrder(row.id).order.capturedAmount).toBe(40_000);

    // Money moved once, by B, with B's identity in the reference.
    const captures = sim.getTransaction(tx)!.events.filter((e) => e.event === 'CAPTURE');
    expect(captures).toHaveLength(1);
    expect(captures[0]?.event_reference).toBe(`${row.merchantReference}-DESKBB-C1`);
    // The desk that sent it tells its staff it was paid; the other desk's board shows it.
    expect(notesA.filter((n) => n.kind === 'paid')).toHaveLength(1);
    expect(notesB).toEqual([]);
  });

  it("finds a paid order through the store's transactions while the session list still lags", async () => {
    // Sessions show in Dintero's lists only a minute after they are made: B's reads of the
    // store's sessions do not show A's order; its payment does, and the session is read by id.
    const sim = await simulator({ searchLagMs: 60_000 });
    const a = desk(sim, 'DESKAA');
    const b = desk(sim, 'DESKBB');
    const row = await sent(a, 2);
    for (let i = 0; i < 5; i++) await b.pollNow();
    expect(byReference(b, row.merchantReference)).toBeUndefined();

    sim.pay(row.sessionId!);
    await pollUntil(
      [b],
      () => byReference(b, row.merchantReference)?.state === 'authorized',
      'the paid order on B',
    );
    expect(byReference(b, row.merchantReference)?.originDesk).toBe('DESKAA');
    expect(b.listOrders().orders).toHaveLength(1);
  });

  it('leaves out sessions of another store, of software that is not a desk, and ones that cannot be orders', async () => {
    const sim = await simulator();
    const b = desk(sim, 'DESKBB');
    const client = simClient(sim, 5000);
    const base = (over: Partial<CreateSessionRequest['order']>, meta: Record<string, string>) =>
      client.createSession({
        profile_id: 'P00000000.profile1',
        url: { return_url: 'https://shop.example/thanks' },
        customer: { phone_number: '+4791234567' },
        order: {
          amount: 1000,
          currency: 'NOK',
          merchant_reference: 'X',
          store: { id: STORE },
          ...over,
        },
        metadata: meta,
      });
    // Another store's desk; the web shop of this store (no desk identity); a desk's session
    // in a currency no desk sends.
    await base(
      { merchant_reference: 'DESK9-DESKCC-20250301-1', store: { id: 'bergen' } },
      {
        ext_desk_id: 'DESKCC',
      },
    );
    await base({ merchant_reference: 'WEB-1001' }, {});
    await base(
      { merchant_reference: 'DESK9-DESKCC-20250301-2', currency: 'GBP' },
      {
        ext_desk_id: 'DESKCC',
      },
    );
    // The one that is an order of this store's desk DESKCC (identity from the reference).
    await base({ merchant_reference: 'DESK9-DESKCC-20250301-3' }, {});
    for (let i = 0; i < 3; i++) await b.pollNow();
    const refs = b.listOrders().orders.map((o) => [o.merchantReference, o.originDesk]);
    expect(refs).toEqual([['DESK9-DESKCC-20250301-3', 'DESKCC']]);
  });

  it("never takes its own session for another desk's, even when the create answer was lost", async () => {
    const sim = await simulator();
    const a = desk(sim, 'DESKAA');
    sim.faults.add({ route: 'create', kind: 'drop_after_commit', times: 1 });
    const r = await a.createOrder(input({ phone: phone(6) }), 'Anna');
    if (!r.created) throw new Error('duplicate');
    await a.sendNow();
    for (let i = 0; i < 5; i++) {
      await a.pollNow();
      await a.sendNow();
    }
    const mine = a.listOrders().orders;
    expect(mine.map((o) => [o.merchantReference, o.originDesk])).toEqual([
      [r.order.merchantReference, undefined],
    ]);
    expect(sim.stats().sessionsCreated[r.order.merchantReference]).toBe(1);
  });

  it("B resends A's order under its own identity; A sees its link replaced", async () => {
    const sim = await simulator();
    const a = desk(sim, 'DESKAA');
    const b = desk(sim, 'DESKBB');
    const row = await sent(a, 3);
    await pollUntil([b], () => byReference(b, row.merchantReference) !== undefined, 'on B');
    const onB = byReference(b, row.merchantReference)!;

    const resent = await b.resendLink(onB.id, 'sms', 'Bjørn');
    await b.sendNow();
    expect(resent.merchantReference).toBe(`${row.merchantReference}-R1-DESKBB`);
    expect(resent.originDesk).toBeUndefined();
    await pollUntil(
      [a],
      () =>
        a.getOrder(row.id).order.state === 'cancelled' &&
        byReference(a, resent.merchantReference)?.originDesk === 'DESKBB',
      'A sees the old link cancelled and the new one from B',
    );
    // One session per reference at Dintero.
    expect(sim.stats().sessionsCreated[row.merchantReference]).toBe(1);
    expect(sim.stats().sessionsCreated[resent.merchantReference]).toBe(1);
  });

  it("counts each order once in the store's close, and only its own in a desk's close", async () => {
    const sim = await simulator();
    const a = desk(sim, 'DESKAA');
    const b = desk(sim, 'DESKBB');
    const fromA = await sent(a, 4, 10_000);
    const fromB = await sent(b, 5, 20_000);
    sim.pay(fromA.sessionId!);
    sim.pay(fromB.sessionId!);
    await pollUntil(
      [a, b],
      () =>
        byReference(b, fromA.merchantReference)?.state === 'authorized' &&
        byReference(a, fromB.merchantReference)?.state === 'authorized' &&
        b.getOrder(fromB.id).order.state === 'authorized',
      'both orders paid on both desks',
    );
    // A captures its own order: on B's store close that is a desk's work, not Backoffice's.
    await a.capture(fromA.id, undefined, 'Anna');
    await pollUntil(
      [b],
      () => byReference(b, fromA.merchantReference)?.state === 'captured',
      'captured on B',
    );
    const day = dayOf(Date.now(), 'UTC');
    const rows = async (e: Engine, scope: 'desk' | 'store') =>
      (await e.dayReport({ day, scope })).rows.map((r) => [r.merchantReference, r.amount]);
    expect((await rows(b, 'store')).sort()).toEqual(
      [
        [fromA.merchantReference, 10_000],
        [fromB.merchantReference, 20_000],
      ].sort(),
    );
    expect(await rows(b, 'desk')).toEqual([[fromB.merchantReference, 20_000]]);
    for (const scope of ['desk', 'store'] as const) {
      const view = await b.dayCloseView({ day, scope });
      expect(view.check.status === 'checked' && view.check.differences).toEqual([]);
    }
  });
});
