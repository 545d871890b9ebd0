/**
 * Refund approval on the whole main side, as the app builds it: training mode (the real
 * client over loopback HTTP against the simulator), the handler table with the caller named
 * as main names it (the person at the desk and the desk). No refund request reaches Dintero
 * before the right manager PIN; the audit trail records the approval and who asked; money
 * refunded, by the desk's own records and by the requests the simulator received, never
 * exceeds what was captured.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { actorOf } from '../../../common/actor';
import type { OrderEvent, OrderSummary } from '../../../common/domain';
import { bootApp, PHONE_ORDER } from '../../support/app-services';

const closers: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of closers.reverse()) await c();
});

async function boot() {
  const app = await bootApp();
  closers.push(app.close);
  const refundsAtDintero = (): number => app.svc.simulator!.stats().requests.refund ?? 0;
  return { ...app, refundsAtDintero };
}

async function until<T>(fn: () => Promise<T | undefined>, what: string): Promise<T> {
  const end = Date.now() + 10_000;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A captured order of 2,999.00 NOK taken by whoever is at the desk. */
async function capturedOrder(app: Awaited<ReturnType<typeof boot>>): Promise<OrderSummary> {
  const created = await app.ok<{ order: OrderSummary }>('orders:create', {
    ...PHONE_ORDER,
    amount: 299_900,
  });
  const id = created.order.id;
  const get = async () => (await app.ok<{ order: OrderSummary }>('orders:get', { id })).order;
  const sent = await until(async () => {
    const o = await get();
    return o.sessionId !== undefined && o.state === 'link_sent' ? o : undefined;
  }, 'link sent');
  await app.ok('training:customer', { sessionId: sent.sessionId, action: 'pay' });
  await until(async () => ((await get()).state === 'authorized' ? true : undefined), 'paid');
  await app.ok('orders:capture', { id });
  return until(async () => {
    const o = await get();
    return o.state === 'captured' ? o : undefined;
  }, 'captured');
}

describe('refund approval with the manager PIN', () => {
  it('above the limit: no PIN and a wrong PIN send nothing; the right one sends once, on the record', async () => {
    const app = await boot();
    await app.ok('settings:save', { staff: ['Anna', 'Bo'] });
    await app.ok('access:setManagerPin', { next: '2468' });
    // The limit is a refund rule: the manager PIN guards it.
    expect(await app.call('settings:save', { refundApprovalAbove: 1000 })).toMatchObject({
      ok: false,
      error: { code: 'approval_required' },
    });
    await app.ok('settings:save', { refundApprovalAbove: 1000, managerPin: '2468' });

    // Nobody has chosen their name: nothing is sent in nobody's name.
    const nobody = await app.call('orders:create', PHONE_ORDER);
    expect(nobody).toMatchObject({ ok: false, error: { code: 'not_allowed' } });
    await app.ok('staff:choose', { name: 'Anna' });
    const order = await capturedOrder(app);
    expect(order.createdBy).toBe(actorOf('Desk 1', 'Anna'));

    // Below the limit (1,000.00 NOK): no PIN asked.
    await app.ok('orders:refund', { id: order.id, amount: 50_000, reason: { code: 'price' } });
    expect(app.refundsAtDintero()).toBe(1);

    // Above it: refused without a PIN, with a wrong one; nothing reaches Dintero.
    const big = { id: order.id, amount: 200_000, reason: { code: 'returned' }, reasonText: 'Box' };
    expect(await app.call('orders:refund', big)).toMatchObject({
      ok: false,
      error: { code: 'approval_required', text: { key: 'access.refundNeedsApproval' } },
    });
    expect(await app.call('orders:refund', { ...big, managerPin: '1111' })).toMatchObject({
      ok: false,
      error: { code: 'wrong_pin', text: { key: 'access.wrongManagerPin', params: { count: 4 } } },
    });
    expect(app.refundsAtDintero()).toBe(1);
    const before = await app.ok<{ events: OrderEvent[] }>('orders:get', { id: order.id });
    expect(before.events.filter((e) => e.kind === 'refund_requested')).toHaveLength(1);

    // Bo takes over the desk and the manager approves.
    await app.ok('staff:choose', { name: 'Bo' });
    const done = await app.ok<OrderSummary>('orders:refund', { ...big, managerPin: '2468' });
    expect(app.refundsAtDintero()).toBe(2);
    const after = await app.ok<{ order: OrderSummary; events: OrderEvent[] }>('orders:get', {
      id: order.id,
    });
    const bo = actorOf('Desk 1', 'Bo');
    const requested = after.events.filter((e) => e.kind === 'refund_requested');
    expect(requested.map((e) => [e.actor, e.amount])).toEqual([
      [actorOf('Desk 1', 'Anna'), 50_000],
      [bo, 200_000],
    ]);
    const approved = after.events.filter((e) => e.kind === 'refund_approved');
    expect(approved).toHaveLength(1);
    expect(approved[0]).toMatchObject({
      actor: bo,
      amount: 200_000,
      message: { key: 'op.refund.approved' },
    });
    expect(requested[1]!.message).toMatchObject({
      key: 'op.refund.requested',
      params: {
        reason: {
          text: {
            key: 'refundReason.withText',
            params: { reason: { text: { key: 'refundReason.returned' } }, text: 'Box' },
          },
        },
      },
    });
    // Money: what the desk recorded and what Dintero was asked for, never above the capture.
    expect(done.refundedAmount).toBe(250_000);
    const tx = app.svc.simulator!.getTransaction(order.transactionId!)!;
    const refundedAtDintero = tx.events
      .filter((e) => e.event === 'REFUND' && e.success)
      .reduce((sum, e) => sum + (e.amount ?? 0), 0);
    expect(refundedAtDintero).toBe(250_000);
    expect(refundedAtDintero).toBeLessThanOrEqual(after.order.capturedAmount);
  });

  it('five wrong PINs lock refunds for five minutes: even the right PIN and small refunds wait', async () => {
    const app = await boot();
    await app.ok('access:setManagerPin', { next: '2468' });
    await app.ok('settings:save', { refundApprovalAbove: 0, managerPin: '2468' });
    const order = await capturedOrder(app);
    const ask = (pin: string) =>
      app.call('orders:refund', {
        id: order.id,
        amount: 1000,
        reason: { code: 'other' },
        managerPin: pin,
      });
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await ask('0000');
      codes.push(r.ok ? 'ok' : r.error.code);
    }
    expect(codes).toEqual(['wrong_pin', 'wrong_pin', 'wrong_pin', 'wrong_pin', 'locked']);
    expect(await ask('2468')).toMatchObject({ ok: false, error: { code: 'locked' } });
    const access = await app.ok<{ lockedUntil?: string }>('staff:get');
    expect(access.lockedUntil).toBeDefined();
    // Protected settings wait too; the rest of Settings does not.
    expect(await app.call('settings:save', { storeId: 'S1', managerPin: '2468' })).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    await app.ok('settings:save', { language: 'nb' });
    expect(app.refundsAtDintero()).toBe(0);
  });

  it('a reason must be on the desk’s list; a limit without a manager PIN refuses the refund', async () => {
    const app = await boot();
    const order = await capturedOrder(app);
    expect(
      await app.call('orders:refund', { id: order.id, reason: { label: 'Made up' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await app.ok('access:setManagerPin', { next: '2468' });
    await app.ok('settings:save', {
      refundReasons: ['Returned in store', 'Late delivery'],
      refundApprovalAbove: 10,
      managerPin: '2468',
    });
    expect(
      await app.call('orders:refund', { id: order.id, amount: 500, reason: { code: 'returned' } }),
    ).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    await app.ok('orders:refund', {
      id: order.id,
      amount: 500,
      reason: { label: 'Late delivery' },
    });
    expect(app.refundsAtDintero()).toBe(1);
    // The limit cannot stay without a PIN: removing the PIN is refused while it is set.
    expect(await app.call('access:setManagerPin', { current: '2468', next: null })).toMatchObject({
      ok: false,
      error: { code: 'not_allowed' },
    });
  });
});
