/**
 * Link operations: cancel a payment link (or withdraw a queued order), send a new link in
 * place of an order's, and finish either after a crash interrupted it.
 *
 * A resend is one journaled intent (cancel the old session, create the new order, link
 * them): a crash anywhere in it is finished on the next start, never left a plain cancel.
 */
import { english } from '../../common/i18n';
import { msg } from '../../common/i18n/messages';
import type { Delivery, OrderSummary } from '../../common/domain';
import { cancelLinkAction, resendLinkAction } from '../../common/order-actions';
import { transition } from '../../common/order-state';
import { DinteroError } from '../dintero/errors';
import type { EngineContext } from './engine-context';
import { DeskError } from '../desk-error';
import type { OperationRow, OrderChange } from './journal';
import { resendReference, rootReference } from './merchant-reference';
import type { OperationBook } from './operation-book';
import { fieldsOf, insertNewOrder } from './order-create';
import { toSummary, type OrderRow } from './order-row';

/** Cancel and resend for the engine, over the shared operation book. */
export class LinkOps {
  private readonly ctx: EngineContext;

  constructor(
    private readonly book: OperationBook,
    /** A new order was queued (resend): wake the outbox. */
    private readonly queued: () => void,
  ) {
    this.ctx = book.ctx;
  }

  /** Cancels the link (or withdraws a queued order before it is sent). */
  async cancelLink(id: string, actor: string): Promise<OrderSummary> {
    this.book.require(id);
    let op: OperationRow | undefined;
    const result = this.ctx.journal.change(id, (r) => {
      this.book.ownAccount(r);
      const a = cancelLinkAction(r);
      if (!a.allowed) throw new DeskError(r.pendingOp ? 'conflict' : 'not_allowed', a.reason);
      if (r.state === 'queued') {
        return {
          event: 'cancel',
          events: [
            {
              kind: 'cancelled',
              actor,
              message: msg('op.cancel.withdrawn'),
            },
          ],
        };
      }
      op = this.book.newOp(r, 'cancel', actor);
      return {
        patch: { pendingOp: 'cancel' },
        insertOperation: op,
        events: [{ kind: 'cancel_requested', actor, message: msg('op.cancel.requested') }],
      };
    });
    this.ctx.published(result);
    if (!result) throw new DeskError('not_found', msg('error.orderNotFound'));
    if (!op) return toSummary(result.after);
    const theOp = op;
    this.book.inCall.add(theOp.id);
    try {
      await this.cancelAtDintero(result.after, theOp);
      return toSummary(this.finishCancel(id, theOp));
    } finally {
      this.book.inCall.delete(theOp.id);
    }
  }

  /** POST cancel; on failure the operation is closed and a plain DinteroError thrown. */
  private async cancelAtDintero(row: OrderRow, op: OperationRow): Promise<void> {
    try {
      await this.book.trackCall(this.ctx.client.cancelSession(row.sessionId as string));
      this.ctx.connectivity.reached();
    } catch (err) {
      const e =
        err instanceof DinteroError
          ? err
          : new DinteroError('outcome_unknown', 'Cancel failed.', {});
      if (e.kind === 'outcome_unknown' || e.kind === 'unavailable') {
        if (await this.resolveCancelQuietly(row)) return;
      }
      if (e.kind === 'network') this.ctx.connectivity.networkFailed();
      const message =
        e.kind === 'invalid_request'
          ? msg('op.cancel.refused', { why: e.details.dinteroMessage ?? e.message })
          : msg(e.kind === 'network' ? 'op.cancel.offline' : 'op.cancel.notConfirmed');
      this.book.fail(row.id, op, message, e.kind === 'invalid_request' ? 'dintero' : 'system');
      throw new DinteroError(e.kind, english(message), e.details, message);
    }
  }

  private async resolveCancelQuietly(row: OrderRow): Promise<boolean> {
    try {
      const s = await this.ctx.client.getSession(row.sessionId as string);
      return s.cancelled_at !== undefined;
    } catch {
      return false;
    }
  }

  /** Records a successful cancel: the order is cancelled if it still can be. */
  private finishCancel(orderId: string, op: OperationRow, extra?: Partial<OrderChange>): OrderRow {
    const after = this.book.commit(orderId, (r) => {
      const legal = transition(r.state, 'cancel').ok;
      return {
        ...(legal ? { event: 'cancel' as const } : {}),
        clear: ['pendingOp', 'lastError'],
        updateOperation: { id: op.id, patch: { state: 'done' } },
        events: [
          {
            kind: legal ? 'cancelled' : 'link_cancelled',
            actor: op.actor,
            message: msg('op.cancel.done'),
          },
        ],
        ...extra,
      };
    });
    return after ?? this.book.require(orderId);
  }

  /**
   * Sends a new link in place of this order's: cancels the old session (if still live), then
   * creates a NEW order for the same customer, amount and lines with reference `…-R1`, `-R2`…,
   * linked both ways, and queues it through the outbox. Returns the new order.
   *
   * The whole resend is one journaled intent (an operation row carrying the delivery): a crash
   * after the cancel and before the new order is recorded is finished by {@link resolve} on
   * the next start, so it still ends with exactly one new link, never a plain cancel.
   */
  async resendLink(id: string, delivery: Delivery, actor: string): Promise<OrderSummary> {
    this.book.require(id);
    let op: OperationRow | undefined;
    const started = this.ctx.journal.change(id, (r) => {
      this.book.ownAccount(r);
      const a = resendLinkAction(r);
      if (!a.allowed) throw new DeskError(r.pendingOp ? 'conflict' : 'not_allowed', a.reason);
      op = { ...this.book.newOp(r, 'resend', actor), params: JSON.stringify({ delivery }) };
      return {
        patch: { pendingOp: 'resend' },
        insertOperation: op,
        events: [{ kind: 'resend_requested', actor, message: msg('op.resend.requested') }],
      };
    });
    this.ctx.published(started);
    if (!started || !op) throw new DeskError('not_found', msg('error.orderNotFound'));
    const theOp = op;
    this.book.inCall.add(theOp.id);
    try {
      const old = started.after;
      const live = isLiveLink(old);
      if (live) await this.cancelAtDintero(old, theOp);
      return toSummary(this.finishResend(id, theOp, delivery, live));
    } catch (err) {
      const current = this.ctx.journal.operation(theOp.id);
      if (current && current.state !== 'failed' && current.state !== 'done') {
        this.book.fail(id, theOp, msg('op.resend.failed'), 'system');
      }
      throw err;
    } finally {
      this.book.inCall.delete(theOp.id);
    }
  }

  /**
   * The second half of a resend, in ONE journal transaction: the new order (queued), the old
   * one marked cancelled (when its link was live and is now cancelled at Dintero) and replaced,
   * the operation done. Idempotent: an order already replaced just closes the operation.
   * Returns the new order.
   */
  private finishResend(
    id: string,
    op: OperationRow,
    delivery: Delivery,
    cancelledLive: boolean,
  ): OrderRow {
    const { before, after, created } = this.ctx.journal.transaction(() => {
      const current = this.book.require(id);
      const existing = current.replacedByOrderId
        ? this.ctx.journal.get(current.replacedByOrderId)
        : undefined;
      if (existing) {
        const closed = this.ctx.journal.applyChange(id, () => ({
          clear: ['pendingOp'],
          updateOperation: { id: op.id, patch: { state: 'done' } },
        }));
        return { before: closed?.before, after: closed?.after, created: existing };
      }
      const reference = resendReference(
        current.merchantReference,
        this.ctx.journal.referencesLike(`${rootReference(current.merchantReference)}-R`),
        this.ctx.settings().deskId,
      );
      const createdRow = insertNewOrder(this.ctx.journal, fieldsOf(current, delivery), {
        actor: op.actor,
        now: this.ctx.now(),
        settings: this.ctx.settings(),
        accountId: this.ctx.accountId,
        reference,
        replacesOrderId: current.id,
        events: [
          {
            kind: 'replaces',
            actor: op.actor,
            message: msg('op.resend.replaces', { reference: current.merchantReference }),
          },
        ],
      });
      const legal = cancelledLive && transition(current.state, 'cancel').ok;
      const changed = this.ctx.journal.applyChange(id, () => ({
        ...(legal ? { event: 'cancel' as const } : {}),
        patch: { replacedByOrderId: createdRow.id },
        clear: ['pendingOp'],
        updateOperation: { id: op.id, patch: { state: 'done' } },
        events: [
          ...(cancelledLive
            ? [
                {
                  kind: legal ? 'cancelled' : 'link_cancelled',
                  actor: op.actor,
                  message: msg('op.resend.cancelledOld'),
                },
              ]
            : []),
          {
            kind: 'replaced',
            actor: op.actor,
            message: msg('op.resend.replacedBy', { reference: createdRow.merchantReference }),
          },
        ],
      }));
      return { before: changed?.before, after: changed?.after, created: createdRow };
    });
    if (after) this.ctx.published({ ...(before ? { before } : {}), after });
    this.ctx.published({ after: created });
    this.queued();
    return created;
  }

  /**
   * Finishes a resend a crash interrupted: the old link is cancelled at Dintero if it was not
   * yet (refused if the customer has started paying on it), then the new order is recorded.
   * Returns true when settled, false to try again later (Dintero could not be reached).
   */
  async resolveResend(row: OrderRow, op: OperationRow): Promise<boolean> {
    const delivery = resendDelivery(op) ?? row.delivery;
    const live = isLiveLink(row);
    if (live && row.sessionId) {
      try {
        const s = await this.ctx.client.getSession(row.sessionId);
        this.ctx.connectivity.reached();
        if (s.transaction_id) {
          this.book.fail(row.id, op, msg('op.resend.customerPaying'), 'system');
          return true;
        }
        if (!s.cancelled_at) await this.ctx.client.cancelSession(row.sessionId);
      } catch (err) {
        if (err instanceof DinteroError && err.kind === 'network')
          this.ctx.connectivity.networkFailed();
        if (err instanceof DinteroError) return false;
        throw err;
      }
    }
    this.finishResend(row.id, op, delivery, live);
    return true;
  }

  /** Finishes a cancel a crash (or a lost answer) left open, from the session Dintero reports. */
  async resolveCancel(row: OrderRow, op: OperationRow): Promise<boolean> {
    if (!row.sessionId) {
      this.book.fail(row.id, op, msg('op.cancel.noLink'), 'system');
      return true;
    }
    try {
      const s = await this.ctx.client.getSession(row.sessionId);
      this.ctx.connectivity.reached();
      if (s.cancelled_at) {
        this.finishCancel(row.id, op);
        return true;
      }
      this.book.fail(row.id, op, msg('op.cancel.notCancelled'), 'system');
      return true;
    } catch (err) {
      if (err instanceof DinteroError && err.kind === 'network')
        this.ctx.connectivity.networkFailed();
      return false;
    }
  }
}

/** True while the order's link can still be paid (so a resend must cancel it first). */
function isLiveLink(row: OrderRow): boolean {
  return row.state === 'link_sent' || row.state === 'opened';
}

/** The delivery a resend operation was asked for, from its journaled parameters. */
function resendDelivery(op: OperationRow): Delivery | undefined {
  if (!op.params) return undefined;
  try {
    const d = (JSON.parse(op.params) as { delivery?: unknown }).delivery;
    return d === 'sms' || d === 'link_only' ? d : undefined;
  } catch {
    return undefined;
  }
}
