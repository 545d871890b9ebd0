/**
 * Exactly-once against Dintero as it really behaves: reads lag behind writes, answers get lost
 * after the work is done, clocks jump, links expire while a payment is held, a declined link
 * is paid later, the account changes while orders wait. Each test failed on the engine before
 * issue 11 and passes now. Money invariants are asserted from the app's own records and the
 * requests it sent, never from the double's refusals.
 */
import { english, type Message } from '../../../common/i18n';
import { describe, expect, it } from 'vitest';
import type { NotificationRequest } from '../../../main/orders/engine-types';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, rejection, sentOrders, settings, tempDir } from './helpers';

/** Dintero-like timing: 5 s before the first check, absence believed after 3 reads over 60 s. */
const REAL_WINDOW = {
  reconcileDelayMs: 5_000,
  absenceWindowMs: 60_000,
  absenceReads: 3,
  pollFastMs: 3_000,
  pollSlowMs: 30_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
};

function setup(over: Parameters<typeof engine>[2] = {}) {
  const c = clock();
  const fake = new MemoryDintero(c.now);
  const dir = tempDir();
  const e = engine(dir, fake, { now: c.now, timing: REAL_WINDOW, ...over });
  const notes: NotificationRequest[] = [];
  e.on('notify', (n) => notes.push(n));
  return { c, fake, dir, e, notes };
}

/** Advances the clock in `step` ms slices, running the outbox each time. */
async function runFor(
  c: ReturnType<typeof clock>,
  e: ReturnType<typeof engine>,
  ms: number,
  step = 1_000,
): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    c.advance(step);
    await e.sendNow();
  }
}

describe('absence is never concluded from one read', () => {
  it('a lost create answer under 20 s of search lag: found, not sent twice', async () => {
    const { c, fake, e } = setup();
    fake.lag.searchMs = 20_000;
    const r = await e.createOrder(input(), 'Desk 2');
    if (!r.created) throw new Error('not created');
    fake.fail('create', 'drop_after_commit');
    await e.sendNow();
    expect(e.getOrder(r.order.id).order).toMatchObject({ state: 'unknown', statusWord: 'Unknown' });
    expect(english(e.getOrder(r.order.id).order.lastError!)).toContain('Checking with Dintero');
    await runFor(c, e, 90_000);
    expect(fake.count('create')).toBe(1);
    expect(fake.sessionsFor(r.order.merchantReference)).toHaveLength(1);
    expect(e.getOrder(r.order.id).order.state).toBe('link_sent');
    expect(fake.count('listSessions')).toBeGreaterThanOrEqual(2);
  });

  it('a 5xx to a create that Dintero carried out, under search lag: one session', async () => {
    const { c, fake, e } = setup();
    fake.lag.searchMs = 40_000;
    const [id] = await sentOrdersQueued(e);
    fake.fail('create', 'unavailable_after_commit');
    await e.sendNow();
    expect(e.getOrder(id).order.state).toBe('unknown');
    await runFor(c, e, 120_000);
    expect(fake.count('create')).toBe(1);
    expect(e.getOrder(id).order.state).toBe('link_sent');
  });

  it('absence is believed after reads over the window, then the order is sent once more', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrdersQueued(e);
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    await runFor(c, e, 50_000);
    expect(e.getOrder(id).order.state).toBe('unknown');
    expect(fake.count('create')).toBe(1);
    await runFor(c, e, 30_000);
    expect(fake.count('create')).toBe(2);
    expect(fake.sessions.size).toBe(1);
    expect(e.getOrder(id).order.state).toBe('link_sent');
  });

  it('a wall clock that jumps forward does not shorten the wait (monotonic)', async () => {
    const wall = clock();
    const mono = clock(0);
    const fake = new MemoryDintero(wall.now);
    const e = engine(tempDir(), fake, { now: wall.now, monotonic: mono.now, timing: REAL_WINDOW });
    const [id] = await sentOrdersQueued(e);
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    for (let i = 0; i < 10; i++) {
      wall.advance(2 * 60 * 60 * 1000); // two hours on the wall clock
      mono.advance(1_000); // one second really passed
      await e.sendNow();
    }
    expect(fake.count('listSessions')).toBeGreaterThanOrEqual(3);
    expect(e.getOrder(id).order.state).toBe('unknown');
    expect(fake.count('create')).toBe(1);
    mono.advance(60_000);
    wall.advance(60_000);
    await e.sendNow();
    expect(fake.count('create')).toBe(2);
  });

  it('a wall clock that jumps back does not park an order for hours', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrdersQueued(e);
    fake.fail('create', 'drop_before_commit');
    await e.sendNow();
    c.advance(-24 * 60 * 60 * 1000);
    await e.sendNow();
    expect(fake.count('listSessions')).toBe(1);
    expect(e.getOrder(id).order.state).toBe('unknown');
  });

  it('the reconciling search asks for our own reference within a created-at window', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrdersQueued(e);
    const order = e.getOrder(id).order;
    const queries: Array<{ q: Record<string, unknown>; max: number | undefined }> = [];
    const listAll = fake.listAllSessions.bind(fake);
    fake.listAllSessions = (q, max) => {
      queries.push({ q: { ...q }, max });
      return listAll(q, max);
    };
    fake.fail('create', 'drop_after_commit');
    await e.sendNow();
    await runFor(c, e, 10_000);
    expect(e.getOrder(id).order.state).toBe('link_sent');
    expect(queries[0]!.q).toMatchObject({ search: order.merchantReference });
    expect(Date.parse(queries[0]!.q.createdGte as string)).toBeLessThan(
      Date.parse(order.createdAt),
    );
    expect(Date.parse(queries[0]!.q.createdLte as string)).toBeGreaterThan(c.now());
    expect(queries[0]!.max).toBeGreaterThanOrEqual(10_000);
  });
});

describe('lost money-operation answers under event lag', () => {
  async function paid(over: Parameters<typeof engine>[2] = {}) {
    const s = setup(over);
    const [id] = await sentOrders(s.e, 1);
    const tx = s.fake.pay(s.e.getOrder(id!).order.sessionId!);
    await s.e.pollNow();
    // The payment is a minute old: a read lag set later hides only what happens next.
    s.c.advance(60_000);
    return { ...s, id: id!, tx };
  }

  it('a refund whose answer is lost and whose event shows 20 s later is refunded once', async () => {
    const { c, fake, e, id } = await paid();
    await e.capture(id, undefined, 'Desk 2');
    fake.lag.eventMs = 20_000;
    fake.fail('refund', 'drop_after_commit');
    const err = await rejection(e.refund(id, 10_000, 'Goodwill', 'Desk 2'));
    expect(err).toMatchObject({ kind: 'outcome_unknown' });
    const o = e.getOrder(id);
    expect(o.order).toMatchObject({ statusWord: 'Unknown', outcomeUnknown: true });
    expect(o.actions.refund).toMatchObject({ allowed: false });
    expect(english((o.actions.refund as { reason: Message }).reason)).toContain(
      'checking with Dintero',
    );
    // Staff try again at once, and again a few seconds later: refused, nothing sent.
    expect(await rejection(e.refund(id, 10_000, 'Goodwill', 'Desk 2'))).toMatchObject({
      code: 'conflict',
    });
    c.advance(5_000);
    await e.resolveOperationsNow();
    expect(e.getOrder(id).order.outcomeUnknown).toBe(true);
    c.advance(20_000);
    await e.resolveOperationsNow();
    const after = e.getOrder(id).order;
    expect(after.outcomeUnknown).toBeUndefined();
    expect(after).toMatchObject({ state: 'partially_refunded', refundedAmount: 10_000 });
    // From the app's own records: one refund request, refunded never above captured.
    expect(fake.count('refund')).toBe(1);
    expect(after.refundedAmount).toBeLessThanOrEqual(after.capturedAmount);
  });

  it('the poll that first shows a lost refund settles it: never "refunded" while still checking', async () => {
    const { c, fake, e, id } = await paid();
    await e.capture(id, undefined, 'Desk 2');
    fake.lag.eventMs = 20_000;
    fake.fail('refund', 'drop_after_commit');
    await rejection(e.refund(id, 10_000, 'Goodwill', 'Desk 2'));
    c.advance(25_000);
    // The round's own check of the operation gets no answer; the poll's list read shows the
    // refund. That one step must settle the operation, not only move the amounts.
    fake.fail('getTransaction', 'network');
    await e.pollNow();
    const after = e.getOrder(id).order;
    expect(after).toMatchObject({ state: 'partially_refunded', refundedAmount: 10_000 });
    expect(after.outcomeUnknown).toBeUndefined();
    expect(e.journal!.operations(id).map((o) => `${o.kind} ${o.state}`)).toEqual([
      'capture done',
      'refund done',
    ]);
    expect(fake.count('refund')).toBe(1);
  });

  it('a capture whose answer is lost under event lag is not captured twice', async () => {
    const { c, fake, e, id } = await paid();
    fake.lag.eventMs = 30_000;
    fake.fail('capture', 'drop_after_commit');
    await rejection(e.capture(id, 10_000, 'Desk 2'));
    for (let i = 0; i < 10; i++) {
      c.advance(5_000);
      await e.pollNow();
      // Staff press again while the order does not show the capture.
      if (e.getOrder(id).order.capturedAmount < 10_000) {
        await rejection(e.capture(id, 10_000, 'Desk 2'));
      }
    }
    // Staff meant one capture of 10,000: one request, one done operation, 10,000 captured.
    expect(fake.count('capture')).toBe(1);
    expect(e.getOrder(id).order.capturedAmount).toBe(10_000);
    expect(e.journal!.operations(id).filter((x) => x.state === 'done')).toHaveLength(1);
  });
});

describe('a payment in progress is followed to its end', () => {
  it('an expired link paid within the grace period ends Paid, with a notification saying so', async () => {
    const { c, fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1, { linkLifetimeHours: 1 });
    // Paid a moment before the link lapsed, but Dintero's reads show it only later.
    fake.lag = { searchMs: 0, eventMs: 20_000 };
    c.advance(3_600_000 - 1_000);
    fake.pay(e.getOrder(id!).order.sessionId!);
    c.advance(2_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('expired');
    c.advance(30_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('authorized');
    expect(notes.map((n) => n.kind)).toEqual(['expired', 'paid_late']);
    expect(english(notes[1]!.title)).toBe('Paid after the link expired');
  });

  it('a decline followed by a payment on the same link ends Paid', async () => {
    const { c, fake, e, notes } = setup();
    const [id] = await sentOrders(e, 1);
    const sid = e.getOrder(id!).order.sessionId!;
    fake.decline(sid);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('declined');
    const tx = fake.pay(sid);
    c.advance(30_000);
    await e.pollNow();
    expect(e.getOrder(id!).order).toMatchObject({ state: 'authorized', transactionId: tx });
    expect(notes.map((n) => n.kind)).toEqual(['declined', 'paid_late']);
  });

  it('a payment held past the link lifetime is never Expired and ends Paid on release', async () => {
    const { c, fake, e } = setup();
    const [id] = await sentOrders(e, 1, { linkLifetimeHours: 1 });
    const sid = e.getOrder(id!).order.sessionId!;
    fake.hold(sid);
    await e.pollNow();
    c.advance(5 * 3_600_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('opened');
    fake.release(sid);
    c.advance(30_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('authorized');
  });

  it('after the grace period an expired link is no longer read', async () => {
    // No store ID: the store's board would list sessions too.
    const { c, fake, e } = setup({
      timing: { ...REAL_WINDOW, lateGraceMs: 3_600_000 },
      settings: () => settings({ storeId: '' }),
    });
    const [id] = await sentOrders(e, 1, { linkLifetimeHours: 1 });
    c.advance(3_600_000 + 1_000);
    await e.pollNow();
    expect(e.getOrder(id!).order.state).toBe('expired');
    c.advance(2 * 3_600_000);
    const before = fake.count('listSessions');
    await e.pollNow();
    expect(fake.count('listSessions')).toBe(before);
  });
});

describe('duplicates the poller catches (defence in depth)', () => {
  /** An order whose create was lost and whose session only showed after the window. */
  async function doubled(searchLagMs: number) {
    const s = setup({ timing: { ...REAL_WINDOW, duplicateWatchMs: 3_600_000 } });
    s.fake.lag.searchMs = searchLagMs;
    const [id] = await sentOrdersQueued(s.e);
    s.fake.fail('create', 'drop_after_commit');
    await s.e.sendNow();
    await runFor(s.c, s.e, 80_000);
    return { ...s, id };
  }

  it('two live sessions for one reference: the unpaid extra one is cancelled, staff told', async () => {
    const { c, fake, e, id, notes } = await doubled(200_000);
    const ref = e.getOrder(id).order.merchantReference;
    expect(fake.sessionsFor(ref)).toHaveLength(2); // lag beyond the window: sent twice
    c.advance(200_000);
    await e.pollNow();
    const live = fake.sessionsFor(ref).filter((s) => !s.cancelled_at);
    expect(live).toHaveLength(1);
    expect(live[0]!.id).toBe(e.getOrder(id).order.sessionId);
    expect(e.getOrder(id).events.map((x) => x.kind)).toContain('duplicate_cancelled');
    expect(notes.map((n) => n.kind)).toContain('duplicate_cancelled');
  });

  it('both paid: staff are told which to refund, nothing is refunded automatically', async () => {
    const { c, fake, e, id, notes } = await doubled(200_000);
    const ref = e.getOrder(id).order.merchantReference;
    const [a, b] = fake.sessionsFor(ref);
    fake.pay(a!.id);
    const second = fake.pay(b!.id);
    c.advance(200_000);
    await e.pollNow();
    await e.pollNow();
    const paidTwice = e.getOrder(id).events.filter((x) => x.kind === 'duplicate_paid');
    expect(paidTwice).toHaveLength(1);
    const kept = e.getOrder(id).order.transactionId;
    const other = kept === second ? fake.sessions.get(a!.id)!.transaction_id : second;
    expect(english(paidTwice[0]!.message!)).toContain(other);
    expect(notes.filter((n) => n.kind === 'duplicate_paid')).toHaveLength(1);
    expect(fake.count('refund')).toBe(0);
    expect(fake.count('cancel')).toBe(0);
  });
});

describe('a journal belongs to one Dintero account', () => {
  it('what still needs the account: paid and not captured, lapsed links in their grace, not captured ones', async () => {
    const { c, fake, e } = setup();
    const [paid, captured, lapsed] = await sentOrders(e, 3, { linkLifetimeHours: 1 });
    fake.pay(e.getOrder(paid!).order.sessionId!);
    fake.pay(e.getOrder(captured!).order.sessionId!);
    await e.pollNow();
    await e.capture(captured!, undefined, 'Desk 2');
    c.advance(3_600_000 + 1_000);
    await e.pollNow();
    expect(e.getOrder(lapsed!).order.state).toBe('expired');
    const needing = (): string[] => e.ordersNeedingAccount().map((o) => o.id);
    expect(new Set(needing())).toEqual(new Set([paid, lapsed]));
    c.advance(49 * 3_600_000);
    await e.pollNow();
    // Past the grace period nothing more can arrive on the lapsed links.
    expect(needing()).toEqual([paid]);
  });

  it('orders wait for their own account; another account neither sends nor acts on them', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    fake.offline = true;
    const e1 = engine(dir, fake, { accountId: 'P11111111' });
    const r = await e1.createOrder(input(), 'Desk 2');
    if (!r.created) throw new Error('not created');
    expect(r.order.accountId).toBe('P11111111');
    await e1.sendNow();
    e1.closeNow();
    fake.offline = false;
    const triedOffline = fake.count('create');

    const e2 = engine(dir, fake, { accountId: 'T22222222' });
    await e2.sendNow();
    await e2.pollNow();
    expect(fake.count('create')).toBe(triedOffline);
    expect(e2.status().queueLength).toBe(0);
    expect(e2.ordersNeedingAccount()).toEqual([]);
    expect(e2.getOrder(r.order.id).actions.cancelLink).toMatchObject({ allowed: false });
    expect(await rejection(e2.cancelLink(r.order.id, 'Desk 2'))).toMatchObject({
      code: 'not_allowed',
    });
    e2.closeNow();

    const e3 = engine(dir, fake, { accountId: 'P11111111' });
    expect(e3.ordersNeedingAccount().map((o) => o.id)).toEqual([r.order.id]);
    await e3.sendNow();
    expect(fake.count('create')).toBe(triedOffline + 1);
    expect(fake.sessions.size).toBe(1);
    expect(e3.getOrder(r.order.id).order.state).toBe('link_sent');
  });
});

describe('resend link survives a crash', () => {
  it('a crash after the old link was cancelled still ends with exactly one new link', async () => {
    const dir = tempDir();
    const fake = new MemoryDintero();
    const e1 = engine(dir, fake);
    const [id] = await sentOrders(e1, 1);
    fake.fail('cancel', 'hang_after_commit');
    void e1.resendLink(id!, 'sms', 'Desk 2').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    e1.closeNow();

    const e2 = engine(dir, fake);
    await e2.resolveOperationsNow();
    await e2.sendNow();
    const old = e2.getOrder(id!).order;
    expect(old.state).toBe('cancelled');
    expect(old.replacedByOrderId).toBeDefined();
    const fresh = e2.getOrder(old.replacedByOrderId!).order;
    expect(fresh.merchantReference).toBe(`${old.merchantReference}-R1-TEST02`);
    expect(fresh.state).toBe('link_sent');
    expect(fake.count('create')).toBe(2);
    expect(fake.count('cancel')).toBe(1);
    // A second restart changes nothing.
    e2.closeNow();
    const e3 = engine(dir, fake);
    await e3.resolveOperationsNow();
    await e3.sendNow();
    expect(fake.count('create')).toBe(2);
    expect(e3.listOrders().total).toBe(2);
  });
});

/** One queued order (nothing sent yet); returns its id in a one-element list. */
async function sentOrdersQueued(e: ReturnType<typeof engine>): Promise<[string]> {
  const r = await e.createOrder(input(), 'Desk 2');
  if (!r.created) throw new Error('not created');
  return [r.order.id];
}
