/**
 * The day close end to end on the engine: a real journal, the in-memory Dintero (the training
 * simulator's own rules), the desk's time zone. Figures per currency and method, what needs
 * staff with the days left before an authorization lapses, the check against Dintero with work
 * done in Backoffice, the two scopes, a Dintero that cannot be read, and the calendar day.
 */
import { actorOf } from '../../../common/actor';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import type { DayCloseView, DayFigureKind } from '../../../common/day-close';
import { dayExportFile } from '../../../main/day-close/export';
import type { EngineSettings } from '../../../main/orders/engine-types';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, input, phone, sentOrders, settings, tempDir } from '../orders/helpers';

const ZONE = 'Europe/Oslo';
const DAY = '2025-03-01';

function setup(over: Partial<EngineSettings> = {}) {
  const c = clock();
  const fake = new MemoryDintero(c.now);
  const e = engine(tempDir(), fake, {
    now: c.now,
    timeZone: ZONE,
    settings: () => settings(over),
  });
  return { c, fake, e };
}

const figure = (v: DayCloseView, currency: string, kind: DayFigureKind) => {
  const f = v.currencies.find((x) => x.currency === currency)!.figures[kind];
  return [f.count, f.amount, [...f.orderIds].sort()];
};

describe('day close', () => {
  it('counts and sums the day per currency and method, takes Backoffice work from Dintero, lists what needs staff', async () => {
    const { c, fake, e } = setup();
    const [captured, backoffice, uncaptured, cancelled, open] = await sentOrders(e, 5, {
      amount: 129_950,
    });
    const [euro] = await sentOrders(e, 1, { amount: 5_000, currency: 'EUR' });
    const session = (id: string) => e.getOrder(id).order.sessionId!;
    const tx = new Map<string, string>();
    for (const id of [captured!, backoffice!, uncaptured!, euro!]) {
      tx.set(id, fake.pay(session(id)));
    }
    await e.pollNow();
    await e.capture(captured!, undefined, 'Desk 2');
    await e.capture(euro!, undefined, 'Desk 2');
    await e.refund(euro!, 2_000, 'Broken lid', 'Desk 2');
    await e.cancelLink(cancelled!, 'Desk 2');
    fake.captureElsewhere(tx.get(backoffice!)!, 100_000);
    c.advance(60_000);

    const view = await e.dayCloseView({ day: DAY, scope: 'desk' });
    expect(view.from).toBe('2025-03-01T00:00:00.000+01:00');
    expect(view.to).toBe('2025-03-01T23:59:59.999+01:00');
    expect(view.rowCount).toBe(6);
    expect(view.currencies.map((x) => x.currency)).toEqual(['EUR', 'NOK']);
    const paid = [captured!, backoffice!, uncaptured!].sort();
    expect(figure(view, 'NOK', 'sent')).toEqual([
      5,
      5 * 129_950,
      [captured!, backoffice!, uncaptured!, cancelled!, open!].sort(),
    ]);
    expect(figure(view, 'NOK', 'paid')).toEqual([3, 3 * 129_950, paid]);
    // The Backoffice capture is in the figures: Dintero is the truth.
    expect(figure(view, 'NOK', 'captured')).toEqual([
      2,
      129_950 + 100_000,
      [captured!, backoffice!].sort(),
    ]);
    expect(figure(view, 'NOK', 'cancelled')).toEqual([1, 129_950, [cancelled!]]);
    expect(figure(view, 'NOK', 'open')).toEqual([1, 129_950, [open!]]);
    expect(figure(view, 'NOK', 'refunded')).toEqual([0, 0, []]);
    expect(view.currencies.find((x) => x.currency === 'NOK')!.net).toBe(229_950);
    expect(figure(view, 'EUR', 'captured')).toEqual([1, 5_000, [euro!]]);
    expect(figure(view, 'EUR', 'refunded')).toEqual([1, 2_000, [euro!]]);
    expect(view.currencies.find((x) => x.currency === 'EUR')!.net).toBe(3_000);
    expect(view.methods.map((m) => [m.currency, m.method, m.count, m.paid, m.captured])).toEqual([
      ['EUR', 'vipps', 1, 5_000, 5_000],
      ['NOK', 'vipps', 3, 3 * 129_950, 229_950],
    ]);

    // The journal took the capture from Dintero, with a timeline line saying so.
    expect(e.getOrder(backoffice!).order.capturedAmount).toBe(100_000);
    expect(view.check.status).toBe('checked');
    if (view.check.status !== 'checked') return;
    expect(view.check.differences.map((d) => [d.kind, d.orderId])).toEqual([
      ['outside_capture', backoffice!],
    ]);

    // Still uncaptured: the one nobody captured, and the rest of the Backoffice partial capture.
    const needs = view.needs.uncaptured.map((u) => [u.orderId, u.uncaptured, u.method]);
    expect(needs.sort()).toEqual(
      [
        [uncaptured!, 129_950, 'vipps'],
        [backoffice!, 29_950, 'vipps'],
      ].sort(),
    );
    const lapse = view.needs.uncaptured.find((u) => u.orderId === uncaptured)!;
    // Vipps holds 7 days; a minute has passed since the payment was seen.
    expect(Date.parse(lapse.lapsesAt) - Date.parse('2025-03-01T10:00:00Z')).toBe(7 * 86_400_000);
    expect(lapse.daysLeft).toBe(6);
    expect(view.needs.queued).toEqual([]);
  });

  it('store scope adds payments no order of this desk made; desk scope leaves them to the store', async () => {
    const { fake, e } = setup({ storeId: 'oslo-1' });
    const [mine] = await sentOrders(e, 1);
    fake.pay(e.getOrder(mine!).order.sessionId!);
    const other = await fake.createSession({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      order: {
        amount: 7_700,
        currency: 'NOK',
        merchant_reference: 'DESK1-1001',
        store: { id: 'oslo-1' },
      },
    });
    const theirs = fake.pay(other.id);
    await e.pollNow();

    const desk = await e.dayCloseView({ day: DAY, scope: 'desk' });
    expect(desk.rowCount).toBe(1);
    expect(desk.check.status === 'checked' && desk.check.differences).toEqual([]);

    const store = await e.dayCloseView({ day: DAY, scope: 'store' });
    expect(store.rowCount).toBe(2);
    const amount = e.getOrder(mine!).order.amount;
    expect(figure(store, 'NOK', 'paid').slice(0, 2)).toEqual([2, amount + 7_700]);
    expect(store.check.status === 'checked' && store.check.differences.map((d) => d.kind)).toEqual([
      'unknown_payment',
    ]);
    const report = await e.dayReport({ day: DAY, scope: 'store' });
    const learned = report.rows.find((r) => r.source === 'dintero')!;
    expect(learned).toMatchObject({
      merchantReference: 'DESK1-1001',
      transactionId: theirs,
      amount: 7_700,
      state: 'authorized',
      desk: '',
    });
    expect(learned.orderId).toBeUndefined();
  });

  it('without a store ID the desk is the whole shop, and the store scope is refused with the reason', async () => {
    const { fake, e } = setup({ storeId: '' });
    const other = await fake.createSession({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      order: { amount: 4_200, currency: 'NOK', merchant_reference: 'WEB-7' },
    });
    fake.pay(other.id);
    const desk = await e.dayCloseView({ day: DAY, scope: 'desk' });
    expect(desk.rowCount).toBe(1);
    expect(desk.check.status === 'checked' && desk.check.differences.map((d) => d.kind)).toEqual([
      'unknown_payment',
    ]);
    await expect(e.dayCloseView({ day: DAY, scope: 'store' })).rejects.toMatchObject({
      code: 'not_allowed',
      text: { key: 'dayClose.scopeStoreMissing' },
    });
  });

  it('when Dintero cannot be read the figures are the journal’s, the check says why, nothing is lost', async () => {
    const { fake, e } = setup();
    const ids = await sentOrders(e, 3);
    fake.pay(e.getOrder(ids[0]!).order.sessionId!);
    await e.pollNow();
    fake.offline = true;
    const view = await e.dayCloseView({ day: DAY, scope: 'desk' });
    expect(view.check).toMatchObject({
      status: 'failed',
      error: { key: 'error.dintero.network' },
    });
    expect(view.payouts.status).toBe('failed');
    expect(figure(view, 'NOK', 'sent')[0]).toBe(3);
    expect(figure(view, 'NOK', 'paid')[0]).toBe(1);
    // The line comes back: the next look checks again.
    fake.offline = false;
    const again = await e.dayCloseView({ day: DAY, scope: 'desk' });
    expect(again.check.status).toBe('checked');
  });

  it('a day is the desk’s calendar day: 00:30 in Oslo belongs to the next day', async () => {
    const { c, e } = setup();
    c.set(Date.parse('2025-03-01T22:59:00Z')); // 23:59 in Oslo
    const late = await e.createOrder(input({ phone: phone(1) }), 'Desk 2');
    c.set(Date.parse('2025-03-01T23:30:00Z')); // 00:30 on 2 March in Oslo
    const next = await e.createOrder(input({ phone: phone(2) }), 'Desk 2');
    if (!late.created || !next.created) throw new Error('not created');
    const first = await e.dayReport({ day: '2025-03-01', scope: 'desk' });
    const second = await e.dayReport({ day: '2025-03-02', scope: 'desk' });
    expect(first.rows.map((r) => r.orderId)).toEqual([late.order.id]);
    expect(first.rows[0]!.createdAt).toBe('2025-03-01T23:59:00.000+01:00');
    expect(second.rows.map((r) => r.orderId)).toEqual([next.order.id]);
    expect(second.rows[0]!.createdAt).toBe('2025-03-02T00:30:00.000+01:00');
    // Both queued, offline from the start of the test's clock: they need staff on either day.
    expect(first.needs.queued.map((q) => q.orderId).sort()).toEqual(
      [late.order.id, next.order.id].sort(),
    );
  });

  it('the CSV read back by a standard parser gives the journal’s figures to the øre', async () => {
    // The desk's name is what staff typed: commas, quotes and Norwegian letters included.
    const desk = 'Kasse 2, "Ærlig" Øst';
    const { fake, e } = setup({ terminalName: desk, maxOrderAmount: 100_000_000 });
    // Staff chose their name at the desk: the CSV names the person and the desk apart.
    const person = 'Åse "Ø", Berg';
    const who = actorOf(desk, person);
    const amounts = [129_950, 1, 2_147_483_647, 45_000, 99_999];
    const ids: string[] = [];
    for (const [i, amount] of amounts.entries()) {
      // The first one comes from another system with its own order number.
      const external = i === 0 ? { externalReference: 'ERP-4711, "B"' } : {};
      const r = await e.createOrder(input({ phone: phone(i), amount, ...external }), who);
      if (!r.created) throw new Error('not created');
      ids.push(r.order.id);
    }
    await e.sendNow();
    for (const id of ids.slice(0, 4)) fake.pay(e.getOrder(id).order.sessionId!);
    await e.pollNow();
    await e.capture(ids[0]!, 100_000, desk);
    await e.capture(ids[1]!, undefined, desk);
    await e.capture(ids[2]!, undefined, desk);
    await e.refund(ids[2]!, 1_000_001, 'Sjekk ÆØÅ, "sitat"', desk);

    const report = await e.dayReport({ day: DAY, scope: 'desk' });
    for (const format of ['csv', 'csv_nordic'] as const) {
      const file = await dayExportFile(report, format, 'nb');
      const rows = parse<Record<string, string>>(Buffer.from(file.bytes), {
        bom: true,
        columns: true,
        delimiter: format === 'csv' ? ',' : ';',
      });
      expect(rows).toHaveLength(ids.length);
      const minor = (v: string) => Math.round(Number(v.replace(',', '.')) * 100);
      for (const id of ids) {
        const o = e.getOrder(id).order;
        const row = rows.find((r) => r.merchant_reference === o.merchantReference)!;
        expect(row.desk).toBe(desk);
        expect(row.staff).toBe(person);
        expect(row.status).toBe(o.state);
        expect(row.currency).toBe('NOK');
        expect([minor(row.amount!), minor(row.captured!), minor(row.refunded!)]).toEqual([
          o.amount,
          o.capturedAmount,
          o.refundedAmount,
        ]);
        expect(row.transaction_id).toBe(o.transactionId ?? '');
        expect(row.session_id).toBe(o.sessionId ?? '');
        expect(row.external_reference).toBe(o.externalReference ?? '');
        if (id === ids[0]) expect(row.external_reference).toBe('ERP-4711, "B"');
        expect(row.payment_method).toBe(o.transactionId ? 'vipps' : '');
      }
    }
    // What the books get, and Dintero's own figures, agree to the øre.
    const nok = report.currencies.find((c) => c.currency === 'NOK')!;
    const dintero = [...fake.transactions.values()].reduce(
      (sum, tx) => {
        for (const ev of tx.events ?? []) {
          if (ev.success && ev.event === 'CAPTURE') sum.captured += ev.amount ?? 0;
          if (ev.success && ev.event === 'REFUND') sum.refunded += ev.amount ?? 0;
        }
        return sum;
      },
      { captured: 0, refunded: 0 },
    );
    expect(nok.figures.captured.amount).toBe(dintero.captured);
    expect(nok.figures.refunded.amount).toBe(dintero.refunded);
    expect(nok.net).toBe(dintero.captured - dintero.refunded);
  });
});
