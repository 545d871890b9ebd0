import { english } from '../../../common/i18n';
import { describe, expect, it } from 'vitest';
import type { NotificationRequest } from '../../../main/orders/engine-types';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, sentOrders, tempDir } from './helpers';

function setup(): {
  c: ReturnType<typeof clock>;
  fake: MemoryDintero;
  e: ReturnType<typeof engine>;
  notes: NotificationRequest[];
} {
  const c = clock();
  const fake = new MemoryDintero(c.now);
  const e = engine(tempDir(), fake, { now: c.now });
  const notes: NotificationRequest[] = [];
  e.on('notify', (n) => notes.push(n));
  return { c, fake, e, notes };
}

describe('status poller', () => {
  it('reads 500 live orders in batches of 100: a handful of list calls, not 500', async () => {
    const { c, fake, e } = setup();
    const ids = await sentOrders(e, 500);
    const round1 = await e.pollNow();
    expect(round1).toEqual({ sessionCalls: 5, transactionCalls: 0, polled: 500 });
    expect(fake.count('getSession')).toBe(0);
    // Half of them pay: the same round reads their new transactions in batches too.
    for (const id of ids.slice(0, 250)) fake.pay(e.getOrder(id).order.sessionId!);
    c.advance(3000);
    const round2 = await e.pollNow();
    expect(round2).toEqual({ sessionCalls: 5, transactionCalls: 3, polled: 500 });
    expect(fake.count('getTransaction')).toBe(0);
    expect(e.listOrders({ states: ['authorized'] }).total).toBe(250);
    c.advance(3000);
    expect(await e.pollNow()).toEqual({ sessionCalls: 3, transactionCalls: 3, polled: 500 });
  });

  it('polls young links fast, older ones slowly, and final states never', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrders(e, 1);
    expect((await e.pollNow()).polled).toBe(1);
    expect((await e.pollNow()).polled).toBe(0);
    c.advance(20); // pollFastMs in the test timing
    expect((await e.pollNow()).polled).toBe(1);
    c.advance(11 * 60_000);
    expect((await e.pollNow()).polled).toBe(1);
    c.advance(20);
    expect((await e.pollNow()).polled).toBe(0);
    c.advance(50); // pollSlowMs
    expect((await e.pollNow()).polled).toBe(1);
    fake.sessions.get(e.getOrder(id!).order.sessionId!)!.cancelled_at = new Date(
      c.now(),
    ).toISOString();
    c.advance(50);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('cancelled');
    c.advance(60_000);
    expect((await e.pollNow()).polled).toBe(0);
  });

  it('follows a payment: opened, then paid (amount, method, notification)', async () => {
    const { c, fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1);
    const sid = e.getOrder(id!).order.sessionId!;
    fake.open(sid);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('opened');
    fake.pay(sid);
    c.advance(20);
    await e.pollNow();
    const { order, events, actions } = e.getOrder(id!);
    expect(order).toMatchObject({
      state: 'authorized',
      statusWord: 'Paid',
      authorizedAmount: 25_000,
      capturedAmount: 0,
      paymentMethod: 'vipps',
      transactionId: expect.any(String),
    });
    expect(events.map((x) => x.kind)).toEqual([
      'created',
      'sending',
      'link_sent',
      'opened',
      'authorized',
    ]);
    expect(actions.capture).toEqual({ allowed: true, max: 25_000 });
    expect(notes).toEqual([
      expect.objectContaining({ orderId: id, kind: 'paid', actions: ['capture', 'open'] }),
    ]);
    expect(notes[0]!.body).not.toContain('41000000');
  });

  it('a declined payment becomes declined', async () => {
    const { fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1);
    fake.pay(e.getOrder(id!).order.sessionId!, 'DECLINED');
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('declined');
    expect(notes.map((n) => n.kind)).toEqual(['declined']);
  });

  it('a link past its expiry is read once more, then marked expired (unless paid)', async () => {
    const { c, fake, e, notes } = setup();
    const [unpaid, paid] = await sentOrders(e, 2, { linkLifetimeHours: 1 });
    // The customer starts paying before the link lapses; the review ends after it.
    const sid = e.getOrder(paid!).order.sessionId!;
    fake.hold(sid);
    c.advance(3600_000 + 1);
    fake.release(sid);
    await e.pollNow();
    expect(e.getOrder(unpaid!).order.state).toBe('expired');
    expect(e.getOrder(paid!).order.state).toBe('authorized');
    // Paid after the link's expiry time: the notification says it came late.
    expect(notes.map((n) => n.kind).sort()).toEqual(['expired', 'paid_late']);
  });

  it('a payment still in progress when the link lapses is followed to its end, never Expired', async () => {
    const { c, fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1, { linkLifetimeHours: 1 });
    const txId = fake.pay(e.getOrder(id!).order.sessionId!, 'ON_HOLD');
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('opened');
    c.advance(3600_000 + 60_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('opened');
    fake.transactions.get(txId)!.status = 'AUTHORIZED';
    c.advance(60_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('authorized');
    expect(notes.map((n) => n.kind)).toEqual(['paid_late']);
    expect(english(notes[0]!.title)).toBe('Paid after the link expired');
  });

  it('does not mark anything expired while offline, and pauses polling', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrders(e, 1, { linkLifetimeHours: 1 });
    c.advance(3600_000 + 1);
    fake.offline = true;
    await e.pollNow();
    expect(e.status().online).toBe(false);
    const calls = fake.count('listSessions');
    c.advance(60_000);
    expect(await e.pollNow()).toEqual({ sessionCalls: 0, transactionCalls: 0, polled: 0 });
    expect(fake.count('listSessions')).toBe(calls);
    expect(e.getOrder(id!).order.state).toBe('link_sent');
    fake.offline = false;
    await e.probeNow();
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('expired');
  });

  it('picks up a refund (and a capture) made directly in Dintero', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrders(e, 1);
    const tx = fake.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    fake.captureElsewhere(tx, 25_000);
    c.advance(100);
    await e.pollNow();
    expect(e.getOrder(id!).order).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    fake.refundElsewhere(tx, 5_000);
    c.advance(500);
    await e.pollNow();
    const { order, events } = e.getOrder(id!);
    expect(order).toMatchObject({ state: 'partially_refunded', refundedAmount: 5_000 });
    expect(events.at(-1)).toMatchObject({ kind: 'refunded', actor: 'dintero', amount: 5_000 });
    expect(english(events.at(-1)!.message!)).toContain('seen in Dintero');
  });

  it('ignores an answer older than what the journal knows', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrders(e, 1);
    const tx = fake.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    await e.capture(id!, undefined, 'Desk 2');
    // A stale read: the transaction as it was before the capture.
    const t = fake.transactions.get(tx)!;
    t.events = t.events.filter((x) => x.event !== 'CAPTURE');
    t.status = 'AUTHORIZED';
    const before = e.getOrder(id!);
    c.advance(60_000);
    await e.pollNow();
    const after = e.getOrder(id!);
    expect(after.order).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(after.events).toHaveLength(before.events.length);
  });

  it('reminds once when an authorization is about to lapse uncaptured', async () => {
    const { c, fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1);
    fake.pay(e.getOrder(id!).order.sessionId!);
    await e.pollNow();
    c.advance(5 * 24 * 3600_000 - 1);
    await e.pollNow();
    expect(notes.map((n) => n.kind)).toEqual(['paid']);
    c.advance(1);
    await e.pollNow();
    c.advance(3600_000);
    await e.pollNow();
    expect(notes.map((n) => n.kind)).toEqual(['paid', 'authorization_lapsing']);
    expect(notes[1]!.actions).toEqual(['capture', 'open']);
    const line = e.getOrder(id!).events.at(-1)!;
    expect(line.kind).toBe('lapse_warning');
    // The line is a catalog message (shown in the desk's language), not English text.
    expect(line.detail).toBeUndefined();
    expect(line.message).toEqual({ key: 'line.lapseWarning', params: { count: 5 } });
    expect(english(line.message!)).toBe(
      'Paid 5 days ago and not captured: capture before the authorization lapses.',
    );
  });
});
