/**
 * The day close's figures from its rows: per currency (links sent, paid, captured, refunded,
 * voided, cancelled, expired, declined, still open; and the net for the books) and per payment
 * method. Pure, so main builds them and the screens' test double can too.
 */
import { actorParts } from './actor';
import {
  DAY_FIGURES,
  type CurrencyDay,
  type DayFigure,
  type DayFigureKind,
  type DayRow,
  type MethodDay,
} from './day-close';
import { isoInZone } from './day-time';
import type { OrderState, OrderSummary } from './domain';
import { PAID_STATES } from './order-state';
import { methodFamily } from './payment-method';

/** Paid at some point (authorized), whatever happened to the money since, voided too. */
export const PAID_OR_VOIDED: readonly OrderState[] = [...PAID_STATES, 'voided'];

/** The fields of an order a day's row is made from (the journal's row has them too). */
export type DayOrder = Pick<
  OrderSummary,
  | 'id'
  | 'merchantReference'
  | 'createdAt'
  | 'createdBy'
  | 'state'
  | 'currency'
  | 'amount'
  | 'capturedAmount'
  | 'refundedAmount'
  | 'paymentMethod'
  | 'transactionId'
  | 'sessionId'
  | 'externalReference'
>;

/** One of this desk's orders as a row of the day, its time written in the desk's zone. */
export function dayRowOf(o: DayOrder, timeZone: string): DayRow {
  return {
    orderId: o.id,
    merchantReference: o.merchantReference,
    createdAt: isoInZone(Date.parse(o.createdAt), timeZone),
    desk: actorParts(o.createdBy).desk,
    staff: actorParts(o.createdBy).staff ?? '',
    state: o.state,
    currency: o.currency,
    amount: o.amount,
    captured: o.capturedAmount,
    refunded: o.refundedAmount,
    paymentMethod: methodFamily(o.paymentMethod),
    transactionId: o.transactionId ?? '',
    sessionId: o.sessionId ?? '',
    externalReference: o.externalReference ?? '',
    source: 'journal',
  };
}

/** States before a link exists (not "sent"). */
const NOT_SENT: readonly OrderState[] = ['queued', 'sending', 'unknown'];

/** Which figures a row counts in, and with what amount. */
function figureAmounts(r: DayRow): Partial<Record<DayFigureKind, number>> {
  const out: Partial<Record<DayFigureKind, number>> = {};
  const sent = r.source === 'dintero' || (!NOT_SENT.includes(r.state) && r.sessionId);
  if (sent) out.sent = r.amount;
  if (PAID_OR_VOIDED.includes(r.state)) out.paid = r.amount;
  if (r.captured > 0) out.captured = r.captured;
  if (r.refunded > 0) out.refunded = r.refunded;
  if (r.state === 'voided') out.voided = r.amount - r.captured;
  if (r.state === 'cancelled' || r.state === 'expired' || r.state === 'declined') {
    out[r.state] = r.amount;
  }
  if (r.state === 'link_sent' || r.state === 'opened') out.open = r.amount;
  return out;
}

/** Per currency: every figure's count, sum and orders; and the net for the books. */
export function figuresByCurrency(rows: readonly DayRow[]): CurrencyDay[] {
  const by = new Map<string, CurrencyDay>();
  for (const r of rows) {
    let day = by.get(r.currency);
    if (!day) {
      const figures = Object.fromEntries(
        DAY_FIGURES.map((k): [DayFigureKind, DayFigure] => [
          k,
          { count: 0, amount: 0, orderIds: [] },
        ]),
      ) as Record<DayFigureKind, DayFigure>;
      day = { currency: r.currency, figures, net: 0 };
      by.set(r.currency, day);
    }
    for (const [kind, amount] of Object.entries(figureAmounts(r)) as [DayFigureKind, number][]) {
      const f = day.figures[kind];
      f.count += 1;
      f.amount += amount;
      if (r.orderId !== undefined) f.orderIds.push(r.orderId);
    }
    day.net += r.captured - r.refunded;
  }
  return [...by.values()].sort((a, b) => a.currency.localeCompare(b.currency));
}

/** Paid orders by currency and payment method. */
export function byMethod(rows: readonly DayRow[]): MethodDay[] {
  const by = new Map<string, MethodDay>();
  for (const r of rows) {
    if (!PAID_OR_VOIDED.includes(r.state)) continue;
    const method = r.paymentMethod === '' ? 'other' : r.paymentMethod;
    const key = `${r.currency}|${method}`;
    let m = by.get(key);
    if (!m) {
      m = {
        currency: r.currency,
        method,
        count: 0,
        paid: 0,
        captured: 0,
        refunded: 0,
        orderIds: [],
      };
      by.set(key, m);
    }
    m.count += 1;
    m.paid += r.amount;
    m.captured += r.captured;
    m.refunded += r.refunded;
    if (r.orderId !== undefined) m.orderIds.push(r.orderId);
  }
  return [...by.values()].sort(
    (a, b) =>
      a.currency.localeCompare(b.currency) || b.paid - a.paid || a.method.localeCompare(b.method),
  );
}
