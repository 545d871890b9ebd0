/**
 * The day close's check against Dintero: every kind of difference, found from Dintero's list
 * of the day's transactions (every page, store filter), the journal updated from Dintero with
 * timeline lines that say so, and nothing sent to Dintero by the check.
 */
import { describe, expect, it } from 'vitest';
import { english } from '../../../common/i18n';
import { MemoryDintero } from '../../support/memory-dintero';
import { clock, engine, sentOrders, tempDir } from '../orders/helpers';

const DAY = { from: '2025-03-01T00:00:00+01:00', to: '2025-03-01T23:59:59.999+01:00' };
const MONEY_ROUTES = ['create', 'cancel', 'capture', 'refund', 'void'] as const;

function setup() {
  const c = clock();
  const fake = new MemoryDintero(c.now);
  const e = engine(tempDir(), fake, { now: c.now });
  return { c, fake, e };
}

/** What the check may not do: any write to Dintero. */
function writes(fake: MemoryDintero): number {
  return MONEY_ROUTES.reduce((n, r) => n + fake.count(r), 0);
}

describe('day close: differences from Dintero', () => {
  it('finds every kind of difference and takes Dintero as the truth, sending nothing', async () => {
    const { c, fake, e } = setup();
    const ids = await sentOrders(e, 6);
    const [same, backCapture, backRefund, backVoid, missed, missing] = ids.map((id) => ({
      id,
      session: e.getOrder(id).order.sessionId!,
    }));
    const tx = new Map(ids.map((id) => [id, '']));
    for (const o of [same, backCapture, backRefund, backVoid, missing]) {
      tx.set(o!.id, fake.pay(o!.session));
    }
    await e.pollNow();
    // The desk misses this payment (it is paid after the desk's last poll).
    tx.set(missed!.id, fake.pay(missed!.session));
    await e.capture(same!.id, undefined, 'Desk 2');
    await e.capture(backRefund!.id, undefined, 'Desk 2');
    // Work done in Backoffice.
    fake.captureElsewhere(tx.get(backCapture!.id)!, 10_000);
    fake.refundElsewhere(tx.get(backRefund!.id)!, 5_000);
    fake.voidElsewhere(tx.get(backVoid!.id)!);
    // A payment the desk never made: another system used the same account.
    const other = await fake.createSession({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      order: {
        amount: 7_700,
        currency: 'NOK',
        merchant_reference: 'WEB-1001',
        store: { id: 'oslo-1' },
      },
    });
    const web = fake.pay(other.id);
    // A transaction the journal holds as paid that Dintero no longer has.
    fake.transactions.delete(tx.get(missing!.id)!);
    c.advance(60_000);

    const before = writes(fake);
    const check = await e.checkDayNow(DAY);
    expect(writes(fake)).toBe(before);
    const ref = (id: string) => e.getOrder(id).order.merchantReference;
    expect(
      check.differences.map((d) => [d.kind, d.merchantReference, d.amount ?? null]).sort(),
    ).toEqual(
      [
        ['missing_at_dintero', ref(missing!.id), null],
        ['outside_capture', ref(backCapture!.id), 10_000],
        ['outside_refund', ref(backRefund!.id), 5_000],
        ['outside_void', ref(backVoid!.id), null],
        ['unknown_payment', 'WEB-1001', 7_700],
        ['updated', ref(missed!.id), null],
      ].sort(),
    );
    expect(check.transactions).toHaveLength(6);
    const unknown = check.differences.find((d) => d.kind === 'unknown_payment')!;
    expect(unknown.transactionId).toBe(web);
    expect(english(unknown.message).replace(/\u00a0/g, ' ')).toBe(
      `Dintero has a payment of NOK 77.00 (WEB-1001, transaction ${web}) that this desk does not know.`,
    );

    // The journal now says what Dintero says, and the timeline says where it came from.
    expect(e.getOrder(backCapture!.id).order).toMatchObject({
      state: 'partially_captured',
      capturedAmount: 10_000,
    });
    expect(e.getOrder(backRefund!.id).order).toMatchObject({
      state: 'partially_refunded',
      refundedAmount: 5_000,
    });
    expect(e.getOrder(backVoid!.id).order.state).toBe('voided');
    expect(e.getOrder(missed!.id).order.state).toBe('authorized');
    const line = e.getOrder(backCapture!.id).events.at(-1)!;
    expect(line.actor).toBe('dintero');
    expect(english(line.message!)).toContain('Dintero');

    // A second check finds only what is still different: the money moved outside, the
    // payment the desk does not know and the missing transaction; nothing more to update.
    const again = await e.checkDayNow(DAY);
    expect(again.differences.map((d) => d.kind).sort()).toEqual([
      'missing_at_dintero',
      'outside_capture',
      'outside_refund',
      'outside_void',
      'unknown_payment',
    ]);
    expect(writes(fake)).toBe(before);
  });

  it('follows every page, filters by store, and skips declined attempts and open operations', async () => {
    const { fake, e } = setup();
    const ids = await sentOrders(e, 120);
    // The first customer is declined once, then pays on the same link (a new transaction).
    fake.pay(e.getOrder(ids[0]!).order.sessionId!, 'DECLINED');
    for (const id of ids) fake.pay(e.getOrder(id).order.sessionId!);
    await e.pollNow();
    // A capture whose answer is lost: its own check settles it, the day check leaves it be.
    // The fresh read before the capture goes through; the reads after it (the check) fail.
    fake.fail('capture', 'drop_after_commit');
    const capture = fake.capture.bind(fake);
    fake.capture = (tx, req) => {
      fake.fail('getTransaction', 'network', { times: 5 });
      return capture(tx, req);
    };
    await e.capture(ids[1]!, undefined, 'Desk 2').catch(() => undefined);
    fake.capture = capture;
    expect(e.getOrder(ids[1]!).order).toMatchObject({ outcomeUnknown: true, capturedAmount: 0 });
    const bergen = await fake.createSession({
      profile_id: 'P00000000.default',
      url: { return_url: 'https://shop.example/thanks' },
      order: { amount: 500, currency: 'NOK', merchant_reference: 'BGO-1', store: { id: 'bergen' } },
    });
    fake.pay(bergen.id);

    const pagesBefore = fake.count('listTransactions');
    const mine = await e.checkDayNow(DAY, ['oslo-1']);
    expect(mine.transactions).toHaveLength(121); // the declined attempt is listed, and is not a difference
    expect(mine.differences).toEqual([]);
    expect(e.getOrder(ids[1]!).order).toMatchObject({ outcomeUnknown: true, capturedAmount: 0 });
    expect(fake.count('listTransactions') - pagesBefore).toBe(2);

    const whole = await e.checkDayNow(DAY);
    expect(whole.transactions).toHaveLength(122);
    expect(whole.differences.map((d) => d.merchantReference)).toEqual(['BGO-1']);

    // Another day has nothing.
    const next = await e.checkDayNow({
      from: '2025-03-02T00:00:00+01:00',
      to: '2025-03-02T23:59:59.999+01:00',
    });
    expect(next).toEqual({ transactions: [], differences: [] });
  });
});
