/**
 * Defence in depth against a create sent twice: for a while after an order's create was
 * uncertain (its answer lost, a crash mid-send), the poller searches Dintero for every session
 * carrying the order's merchant reference. Two live sessions for one order mean the customer
 * got two links:
 * - the unpaid extra one is cancelled at Dintero (so it stops working), with a timeline line
 *   and a notification;
 * - when the extra one is the one the customer paid, the order follows that session instead;
 * - when both were paid, staff are told which transaction to refund. Nothing is refunded
 *   automatically: money only moves when a person decides.
 */
import { msg } from '../../common/i18n/messages';
import { DinteroError } from '../dintero/errors';
import type { DinteroSession } from '../dintero/types';
import { commitChange, type EngineContext } from './engine-context';
import { notificationBody } from './notification-rules';
import { toSummary, type OrderRow } from './order-row';
import { sessionsFor } from './reconciler';

const SYSTEM = 'system';

/** True when `s` can still take (or has taken) the customer's money. */
function live(s: DinteroSession, dinteroNow: number): boolean {
  if (s.cancelled_at) return false;
  if (s.transaction_id) return true;
  return !(s.expires_at !== undefined && Date.parse(s.expires_at) <= dinteroNow);
}

/**
 * Searches for extra sessions of `row` and deals with them as described above. Throws
 * DinteroError when the search fails (the caller tries again next time).
 */
export async function checkDuplicateSessions(ctx: EngineContext, row: OrderRow): Promise<void> {
  const sessions = (await sessionsFor(ctx.client, row, ctx.now())).filter((s) =>
    live(s, ctx.dinteroNow()),
  );
  if (sessions.length <= 1) return;
  const paid = sessions.filter((s) => s.transaction_id);
  const keep =
    paid.length === 1 ? paid[0] : (sessions.find((s) => s.id === row.sessionId) ?? paid[0]);
  const chosen = keep ?? sessions[0];
  if (!chosen) return;
  ctx.logger.warn(
    { orderId: row.id, reference: row.merchantReference, sessions: sessions.length },
    'duplicate sessions for one order',
  );

  if (chosen.id !== row.sessionId) {
    commitChange(ctx, row.id, (r) => ({
      patch: {
        sessionId: chosen.id,
        ...(chosen.transaction_id ? { transactionId: chosen.transaction_id } : {}),
      },
      events: [
        {
          kind: 'duplicate_switched',
          actor: SYSTEM,
          message: msg('line.duplicateSwitched', { reference: r.merchantReference }),
        },
      ],
    }));
  }

  for (const extra of sessions.filter((s) => s.id !== chosen.id && !s.transaction_id)) {
    try {
      await ctx.client.cancelSession(extra.id);
    } catch (err) {
      if (err instanceof DinteroError) {
        ctx.logger.warn({ orderId: row.id, kind: err.kind }, 'could not cancel a duplicate link');
        continue;
      }
      throw err;
    }
    const after = commitChange(ctx, row.id, () => ({
      events: [
        {
          kind: 'duplicate_cancelled',
          actor: SYSTEM,
          message: msg('line.duplicateCancelled', { session: extra.id }),
        },
      ],
    }));
    if (after) {
      ctx.notify({
        orderId: row.id,
        kind: 'duplicate_cancelled',
        title: msg('notify.duplicateCancelled'),
        body: notificationBody(toSummary(after)),
        actions: ['open'],
      });
    }
  }

  const reported = new Set(
    ctx.journal
      .events(row.id)
      .filter((e) => e.kind === 'duplicate_paid')
      .map((e) => e.message?.params?.transaction)
      .filter((t): t is string => typeof t === 'string'),
  );
  for (const twice of paid.filter((s) => s.id !== chosen.id)) {
    const tx = twice.transaction_id as string;
    if (reported.has(tx)) continue;
    const message = msg('line.duplicatePaid', {
      amount: { money: row.amount, currency: row.currency },
      transaction: tx,
    });
    const after = commitChange(ctx, row.id, () => ({
      events: [{ kind: 'duplicate_paid', actor: SYSTEM, amount: row.amount, message }],
    }));
    if (after) {
      ctx.notify({
        orderId: row.id,
        kind: 'duplicate_paid',
        title: msg('notify.duplicatePaid', { transaction: tx }),
        body: notificationBody(toSummary(after)),
        actions: ['open'],
      });
    }
  }
}
