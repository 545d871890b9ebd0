/**
 * The day close's check against Dintero (issue 13, point 2): reads every transaction Dintero
 * has for a day (created_at window, optional store filter, every page), compares them with the
 * journal, and lists each difference with the order's reference and a catalog sentence.
 *
 * Dintero is the truth: an order whose amounts or state differ is brought up to date from the
 * transaction, through the same path as a poll (its timeline lines say the change came from
 * Dintero). Nothing is ever sent to Dintero: the check only reads.
 *
 * Kinds of difference:
 * - unknown_payment: a transaction of the day that no order in the journal knows.
 * - outside_capture / outside_refund / outside_void: money moved in Dintero by something other
 *   than the store's desks (Backoffice): a successful event without an operation reference of
 *   this desk's or of another desk's (`<reference>-<desk>-C1`, merchant-reference.ts).
 * - updated: the journal's figures or state differed and were taken from Dintero.
 * - missing_at_dintero: an order of the day the journal holds as paid whose transaction is not
 *   in Dintero's list for the day (only checked without a store filter, or for this desk's
 *   store, so another store's list does not make our orders look missing).
 */
import type { DayDifference, DayDifferenceKind } from '../../common/day-close';
import { msg } from '../../common/i18n/messages';
import { DinteroError } from '../dintero/errors';
import type { DinteroTransaction } from '../dintero/types';
import type { EngineContext } from '../orders/engine-context';
import type { OrderRow } from '../orders/order-row';
import { changeFromObservation, isPaid, observeTransaction } from '../orders/remote-state';
import { applyObservation } from '../orders/status-poller';
import { isDeskOperation } from '../orders/merchant-reference';
import { findOperationOutcome, isTransactionOp } from '../orders/transaction-ops';

/** One day, as ISO 8601 bounds with the desk's offset (inclusive). */
export interface DayWindow {
  from: string;
  to: string;
}

export type { DayDifference, DayDifferenceKind };

export interface DayCheck {
  /** Every transaction Dintero listed for the day (learned rows and payouts read them). */
  transactions: DinteroTransaction[];
  differences: DayDifference[];
}

/** Most transactions one day's check reads (a guard, far above a desk's day). */
export const DAY_CHECK_MAX_ITEMS = 100_000;

/** A successful event of each kind that none of our operations made, and its sentence. */
const OUTSIDE: Partial<
  Record<string, { kind: 'outside_capture' | 'outside_refund' | 'outside_void'; key: string }>
> = {
  CAPTURE: { kind: 'outside_capture', key: 'dayClose.diff.outsideCapture' },
  REFUND: { kind: 'outside_refund', key: 'dayClose.diff.outsideRefund' },
  VOID: { kind: 'outside_void', key: 'dayClose.diff.outsideVoid' },
};

/** Reads Dintero's day, compares it with the journal, updates the journal from Dintero. */
export async function checkDay(
  ctx: EngineContext,
  day: DayWindow,
  storeIds: readonly string[] = [],
): Promise<DayCheck> {
  const txs = await ctx.client.listAllTransactions(
    {
      createdGte: day.from,
      createdLte: day.to,
      ...(storeIds.length > 0 ? { storeIds: [...storeIds] } : {}),
      limit: 100,
    },
    DAY_CHECK_MAX_ITEMS,
  );
  ctx.connectivity.reached();
  const differences: DayDifference[] = [];
  const seen = new Set<string>();
  // The day's orders in one read; a transaction of the day made for an older order (paid
  // after midnight) is looked up on its own.
  const ofDay = dayOrders(ctx, day);
  const byReference = new Map(ofDay.map((r) => [r.merchantReference, r]));
  for (const tx of txs) {
    seen.add(tx.id);
    const row =
      byReference.get(tx.merchant_reference) ?? ctx.journal.getByReference(tx.merchant_reference);
    const paid = isPaid(observeTransaction(tx).state);
    if (!row || (row.transactionId !== undefined && row.transactionId !== tx.id)) {
      // Not money (declined, failed, in progress; or an earlier attempt on one of our links).
      if (!paid) continue;
      differences.push({
        kind: 'unknown_payment',
        merchantReference: tx.merchant_reference,
        transactionId: tx.id,
        amount: tx.amount,
        currency: tx.currency,
        message: msg('dayClose.diff.unknownPayment', {
          reference: tx.merchant_reference,
          amount: { money: tx.amount, currency: tx.currency },
          transaction: tx.id,
        }),
      });
      continue;
    }
    differences.push(...compareOne(ctx, row, tx));
  }
  const ourStore = ctx.settings().storeId;
  if (storeIds.length === 0 || (ourStore !== '' && storeIds.includes(ourStore))) {
    for (const row of ofDay) {
      if (!row.transactionId || seen.has(row.transactionId) || !isPaid(row.state)) continue;
      // Paid after midnight: Dintero lists it on the next day. Read it to be sure.
      let tx: DinteroTransaction | undefined;
      try {
        tx = await ctx.client.getTransaction(row.transactionId);
      } catch (err) {
        if (!(err instanceof DinteroError && err.kind === 'not_found')) throw err;
      }
      if (tx) {
        differences.push(...compareOne(ctx, row, tx));
        continue;
      }
      differences.push({
        kind: 'missing_at_dintero',
        merchantReference: row.merchantReference,
        transactionId: row.transactionId,
        orderId: row.id,
        message: msg('dayClose.diff.missingAtDintero', {
          reference: row.merchantReference,
          transaction: row.transactionId,
        }),
      });
    }
  }
  return { transactions: txs, differences };
}

/**
 * One of our orders against its transaction. An order with an operation still open is left to
 * that operation's own check (it shows as "checking with Dintero" until then).
 */
function compareOne(ctx: EngineContext, row: OrderRow, tx: DinteroTransaction): DayDifference[] {
  if (ctx.journal.openOperationFor(row.id)) return [];
  const outside = outsideWork(ctx, row, tx);
  // Work done outside already says the desk now shows it; otherwise say what was updated.
  const updated = takeFromDintero(ctx, row, tx);
  return updated && outside.length === 0 ? [updated] : outside;
}

/** The day's orders in the journal (this desk's account). */
function dayOrders(ctx: EngineContext, day: DayWindow): OrderRow[] {
  return ctx.journal
    .list({ from: day.from, to: day.to, limit: DAY_CHECK_MAX_ITEMS })
    .orders.filter((r) => r.accountId === undefined || r.accountId === ctx.accountId);
}

/** Successful captures, refunds and voids in Dintero that none of our operations made. */
function outsideWork(ctx: EngineContext, row: OrderRow, tx: DinteroTransaction): DayDifference[] {
  // Our operations' events, found the way each operation's own check finds them.
  const ours = new Set(
    ctx.journal
      .operations(row.id)
      .filter((o) => o.state !== 'failed' && isTransactionOp(o.kind))
      .map((o) => findOperationOutcome(tx, o))
      .flatMap((found) => (found.kind === 'success' && found.event ? [found.event] : [])),
  );
  const out: DayDifference[] = [];
  for (const e of tx.events ?? []) {
    const byShop = isDeskOperation(row.merchantReference, e.event_reference);
    const outside = e.success && !ours.has(e) && !byShop ? OUTSIDE[e.event] : undefined;
    if (!outside) continue;
    const amount = e.amount ?? 0;
    const isVoid = outside.kind === 'outside_void';
    out.push({
      kind: outside.kind,
      merchantReference: row.merchantReference,
      transactionId: tx.id,
      orderId: row.id,
      ...(isVoid ? {} : { amount }),
      currency: row.currency,
      message: msg(outside.key, {
        reference: row.merchantReference,
        ...(isVoid ? {} : { amount: { money: amount, currency: row.currency } }),
      }),
    });
  }
  return out;
}

/**
 * Brings the order up to date from the transaction (timeline lines "seen in Dintero"); a
 * difference when anything changed.
 */
function takeFromDintero(
  ctx: EngineContext,
  row: OrderRow,
  tx: DinteroTransaction,
): DayDifference | undefined {
  const observed = observeTransaction(tx);
  // Most orders agree with Dintero: decided on the row in hand, without a write transaction.
  if (!changeFromObservation(row, observed, { actor: 'dintero', at: ctx.now() })) return undefined;
  const after = applyObservation(ctx, row.id, () => observed);
  if (!after) return undefined;
  const moved =
    after.state !== row.state ||
    after.capturedAmount !== row.capturedAmount ||
    after.refundedAmount !== row.refundedAmount;
  if (!moved) return undefined;
  return {
    kind: 'updated',
    merchantReference: row.merchantReference,
    transactionId: tx.id,
    orderId: row.id,
    currency: row.currency,
    message: msg('dayClose.diff.updated', {
      reference: row.merchantReference,
      captured: { money: after.capturedAmount, currency: row.currency },
      refunded: { money: after.refundedAmount, currency: row.currency },
    }),
  };
}
