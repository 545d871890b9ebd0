import { english } from '../../../common/i18n';
import { describe, expect, it } from 'vitest';
import { DinteroError } from '../../../main/dintero/errors';
import { DeskError } from '../../../main/desk-error';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, rejection, sentOrders, tempDir } from './helpers';

async function paidOrder(over: Parameters<typeof engine>[2] = {}): Promise<{
  c: ReturnType<typeof clock>;
  fake: MemoryDintero;
  e: ReturnType<typeof engine>;
  id: string;
  tx: string;
  dir: string;
}> {
  const c = clock();
  const fake = new MemoryDintero(c.now);
  const dir = tempDir();
  const e = engine(dir, fake, { now: c.now, ...over });
  const [id] = await sentOrders(e, 1);
  const tx = fake.pay(e.getOrder(id!).order.sessionId!);
  await e.pollNow();
  expect(e.getOrder(id!).order.state).toBe('authorized');
  return { c, fake, e, id: id!, tx, dir };
}

describe('money operations', () => {
  it('partial captures and refunds stay within what was authorized and captured', async () => {
    const { fake, e, id, tx } = await paidOrder();
    const partly = await e.capture(id, 10_000, 'Desk 2');
    expect(partly).toMatchObject({ state: 'partially_captured', capturedAmount: 10_000 });
    expect(e.getOrder(id).actions.capture).toEqual({ allowed: true, max: 15_000 });
    const tooMuch = await rejection(e.capture(id, 20_000, 'Desk 2'));
    expect(tooMuch).toBeInstanceOf(DeskError);
    expect(tooMuch).toMatchObject({
      code: 'not_allowed',
      message: expect.stringContaining('150.00'),
    });
    const rest = await e.capture(id, undefined, 'Desk 2');
    expect(rest).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(await rejection(e.capture(id, 1, 'Desk 2'))).toMatchObject({
      code: 'not_allowed',
      message: 'Everything has been captured.',
    });
    expect(await rejection(e.void(id, 'Desk 2'))).toMatchObject({ code: 'not_allowed' });
    expect(await rejection(e.refund(id, 30_000, 'Too much', 'Desk 2'))).toMatchObject({
      code: 'not_allowed',
    });
    expect(await rejection(e.refund(id, 100, '  ', 'Desk 2'))).toMatchObject({
      code: 'invalid_input',
    });
    expect(await e.refund(id, 5_000, 'Damaged box', 'Desk 2')).toMatchObject({
      state: 'partially_refunded',
      refundedAmount: 5_000,
    });
    expect(await e.refund(id, undefined, 'Returned', 'Desk 2')).toMatchObject({
      state: 'refunded',
      refundedAmount: 25_000,
    });
    expect(await rejection(e.refund(id, 1, 'Again', 'Desk 2'))).toMatchObject({
      code: 'not_allowed',
    });
    // Dintero saw exactly two captures and two refunds, with our unique references.
    const refs = fake.transactions
      .get(tx)!
      .events.filter((x) => x.event_reference)
      .map((x) => x.event_reference);
    const ref = e.getOrder(id).order.merchantReference;
    // Each reference names this desk too (settings().deskId), so another desk's differ.
    const desk = `${ref}-TEST02`;
    expect(refs).toEqual([`${desk}-C1`, `${desk}-C2`, `${desk}-F1`, `${desk}-F2`]);
    const kinds = e.getOrder(id).events.map((x) => `${x.kind}:${x.actor}`);
    expect(kinds).toContain('capture_requested:Desk 2');
    expect(kinds).toContain('refunded:Desk 2');
  });

  it('a double click (100 parallel captures) makes exactly one capture call', async () => {
    const { fake, e, id } = await paidOrder();
    const results = await Promise.allSettled(
      Array.from({ length: 100 }, () => e.capture(id, undefined, 'Desk 2')),
    );
    expect(fake.count('capture')).toBe(1);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused).toHaveLength(99);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(DeskError);
      expect(r.reason).toMatchObject({ code: expect.stringMatching(/conflict|not_allowed/) });
    }
    expect(
      refused.some((r) =>
        (r.reason as DeskError).message.startsWith('A capture is already in progress'),
      ),
    ).toBe(true);
    expect(e.getOrder(id).order).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
  });

  it('void releases an authorization', async () => {
    const { fake, e, id, tx } = await paidOrder();
    expect(e.getOrder(id).actions.void).toEqual({ allowed: true });
    expect(await e.void(id, 'Desk 2')).toMatchObject({ state: 'voided', statusWord: 'Voided' });
    expect(fake.transactions.get(tx)!.status).toBe('AUTHORIZATION_VOIDED');
    expect(e.getOrder(id).actions.capture.allowed).toBe(false);
  });

  it('202: accepted, one operation at a time, settled when the correlated event appears', async () => {
    const { c, fake, e, id } = await paidOrder();
    fake.asyncOperations = true;
    const accepted = await e.capture(id, 10_000, 'Desk 2');
    expect(accepted).toMatchObject({
      state: 'authorized',
      pendingOperation: 'capture',
      capturedAmount: 0,
    });
    expect(await rejection(e.capture(id, 1_000, 'Desk 2'))).toMatchObject({ code: 'conflict' });
    expect(await rejection(e.refund(id, 1_000, 'x', 'Desk 2'))).toMatchObject({ code: 'conflict' });
    await e.pollNow();
    expect(e.getOrder(id).order.pendingOperation).toBe('capture');
    fake.settleAsync();
    c.advance(1);
    await e.pollNow();
    const { order, events } = e.getOrder(id);
    expect(order).toMatchObject({ state: 'partially_captured', capturedAmount: 10_000 });
    expect(order.pendingOperation).toBeUndefined();
    expect(events.map((x) => x.kind).slice(-3)).toEqual([
      'capture_requested',
      'capture_accepted',
      'captured',
    ]);
    expect(events.at(-1)!.actor).toBe('Desk 2');
    expect(fake.count('capture')).toBe(1);
  });

  it('lost answer after Dintero captured: the events are read, nothing is captured twice', async () => {
    const { fake, e, id } = await paidOrder();
    fake.fail('capture', 'drop_after_commit');
    const r = await e.capture(id, undefined, 'Desk 2');
    expect(r).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(fake.count('capture')).toBe(1);
    // One fresh read before the capture, one to resolve the lost answer.
    expect(fake.count('getTransaction')).toBe(2);
    expect(e.getOrder(id).events.map((x) => x.kind)).toContain('capture_unknown');
  });

  it('lost answer before Dintero captured: proven not done, then a retry captures once', async () => {
    const { fake, e, id, tx } = await paidOrder();
    fake.fail('capture', 'drop_before_commit');
    const err = await rejection(e.capture(id, undefined, 'Desk 2'));
    expect(err).toBeInstanceOf(DinteroError);
    expect((err as DinteroError).message).toContain('no record of the capture');
    // One fresh read before the capture, one to resolve the lost answer.
    expect(fake.count('getTransaction')).toBe(2);
    expect(e.getOrder(id).order.pendingOperation).toBeUndefined();
    await e.capture(id, undefined, 'Desk 2');
    expect(fake.transactions.get(tx)!.events.filter((x) => x.event === 'CAPTURE')).toHaveLength(1);
  });

  it('an unresolved lost answer blocks further operations until the transaction says what happened', async () => {
    const { c, fake, e, id } = await paidOrder({
      timing: { absenceWindowMs: 10_000, absenceReads: 2 },
    });
    fake.fail('capture', 'drop_before_commit');
    const err = await rejection(e.capture(id, undefined, 'Desk 2'));
    expect(err).toMatchObject({ kind: 'outcome_unknown' });
    expect(e.getOrder(id).order).toMatchObject({
      pendingOperation: 'capture',
      outcomeUnknown: true,
      statusWord: 'Unknown',
    });
    const refused = await rejection(e.refund(id, 100, 'Goodwill', 'Desk 2'));
    expect(refused).toMatchObject({ code: 'conflict' });
    expect((refused as Error).message).toContain('checking with Dintero');
    expect(e.getOrder(id).actions.void).toMatchObject({ allowed: false });
    expect(await rejection(e.capture(id, undefined, 'Desk 2'))).toMatchObject({ code: 'conflict' });
    await e.resolveOperationsNow();
    expect(e.getOrder(id).order.pendingOperation).toBe('capture');
    c.advance(10_000);
    await e.resolveOperationsNow();
    expect(e.getOrder(id).order.pendingOperation).toBeUndefined();
    expect(e.getOrder(id).order.outcomeUnknown).toBeUndefined();
    expect(fake.count('capture')).toBe(1);
  });

  it('a crash in the middle of a capture is settled from the transaction after restart', async () => {
    const { fake, e, id, dir, c } = await paidOrder();
    fake.fail('capture', 'hang_after_commit');
    void e.capture(id, undefined, 'Desk 2').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 5));
    e.closeNow();
    const e2 = engine(dir, fake, { now: c.now });
    expect(e2.getOrder(id).order.pendingOperation).toBe('capture');
    await e2.pollNow();
    expect(e2.getOrder(id).order).toMatchObject({ state: 'captured', capturedAmount: 25_000 });
    expect(e2.getOrder(id).order.pendingOperation).toBeUndefined();
    expect(fake.count('capture')).toBe(1);
  });

  it('Dintero refusing shows its own message; the order is free again', async () => {
    const { fake, e, id } = await paidOrder();
    fake.fail('capture', 'invalid_request', { message: 'Transaction authorization has expired' });
    const err = await rejection(e.capture(id, undefined, 'Desk 2'));
    expect(err).toBeInstanceOf(DinteroError);
    expect((err as Error).message).toBe(
      'Dintero refused the capture: Transaction authorization has expired',
    );
    const o = e.getOrder(id).order;
    expect(o.pendingOperation).toBeUndefined();
    expect(english(o.lastError!)).toContain('authorization has expired');
  });

  it('offline: nothing is done, the desk goes offline, the order is free again', async () => {
    const { fake, e, id } = await paidOrder();
    fake.offline = true;
    const err = await rejection(e.capture(id, undefined, 'Desk 2'));
    expect(err).toMatchObject({ kind: 'network' });
    expect(e.status().online).toBe(false);
    expect(e.getOrder(id).order.pendingOperation).toBeUndefined();
  });

  it('cancelLink: cancels the session; a queued order is withdrawn without calling Dintero', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await sentOrders(e, 1);
    const cancelled = await e.cancelLink(id!, 'Desk 2');
    expect(cancelled.state).toBe('cancelled');
    expect(fake.sessions.get(cancelled.sessionId!)!.cancelled_at).toBeDefined();
    const q = await e.createOrder(
      {
        phone: '91234567',
        country: 'NO',
        amount: 100,
        currency: 'NOK',
        linkLifetimeHours: 1,
        delivery: 'sms',
      },
      'Desk 2',
    );
    if (!q.created) throw new Error('no');
    const calls = fake.count('cancel');
    expect((await e.cancelLink(q.order.id, 'Desk 2')).state).toBe('cancelled');
    expect(fake.count('cancel')).toBe(calls);
    await e.sendNow();
    expect(fake.sessionsFor(q.order.merchantReference)).toHaveLength(0);
  });

  it('cancelLink is refused once captured', async () => {
    const { e, id } = await paidOrder();
    await e.capture(id, undefined, 'Desk 2');
    expect(await rejection(e.cancelLink(id, 'Desk 2'))).toMatchObject({ code: 'not_allowed' });
  });

  it('resendLink: cancels the old session and queues a new order -R1, linked both ways', async () => {
    const c = clock();
    const fake = new MemoryDintero(c.now);
    const e = engine(tempDir(), fake, { now: c.now });
    const [id] = await sentOrders(e, 1, {
      items: [{ description: 'Cake', quantity: 1, unitPrice: 25_000, vatPercent: 15 }],
    });
    const old = e.getOrder(id!).order;
    const created = await e.resendLink(id!, 'link_only', 'Desk 2');
    expect(created).toMatchObject({
      state: 'queued',
      merchantReference: `${old.merchantReference}-R1-TEST02`,
      replacesOrderId: id,
      amount: old.amount,
      phone: old.phone,
      items: old.items,
      delivery: 'link_only',
    });
    const after = e.getOrder(id!);
    expect(after.order).toMatchObject({ state: 'cancelled', replacedByOrderId: created.id });
    expect(after.events.map((x) => x.kind).slice(-3)).toEqual([
      'resend_requested',
      'cancelled',
      'replaced',
    ]);
    expect(fake.sessions.get(old.sessionId!)!.cancelled_at).toBeDefined();
    await e.sendNow();
    expect(e.getOrder(created.id).order.state).toBe('link_sent');
    expect(await rejection(e.resendLink(id!, 'sms', 'Desk 2'))).toMatchObject({
      code: 'not_allowed',
    });
    const again = await e.resendLink(created.id, 'sms', 'Desk 2');
    expect(again.merchantReference).toBe(`${old.merchantReference}-R2-TEST02`);
  });

  it('qr: Dintero draws it; without Dintero it is drawn locally from the link', async () => {
    const { fake, e, id } = await paidOrder();
    expect((await e.qr(id)).qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(fake.count('qr')).toBe(1);
    fake.offline = true;
    const local = await e.qr(id);
    expect(local.qrDataUrl).toMatch(/^data:image\/png;base64,/);
    expect(local.url).toContain('/view/');
  });

  it('getOrder actions say what is allowed, with the maximum, or why not', async () => {
    const { e, id } = await paidOrder();
    expect(english({ key: 'reason.alreadyPaid' })).toBe('The customer has already paid.');
    expect(e.getOrder(id).actions).toEqual({
      capture: { allowed: true, max: 25_000 },
      refund: { allowed: false, reason: { key: 'reason.nothingCapturedVoidInstead' } },
      void: { allowed: true },
      cancelLink: { allowed: false, reason: { key: 'reason.paidVoidInstead' } },
      resendLink: { allowed: false, reason: { key: 'reason.alreadyPaid' } },
    });
  });
});
