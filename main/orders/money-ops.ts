/**
 * Money operations, as the engine sees them: one object over the transaction operations
 * (transaction-ops.ts: capture, refund, void), the link operations (link-ops.ts: cancel,
 * resend) and the link's QR code (link-qr.ts), sharing one book of operations in flight
 * (operation-book.ts). It also resolves, after a crash or a lost answer, whichever kind of
 * operation was left open.
 */
import type { Delivery, OrderSummary } from '../../common/domain';
import type { DinteroTransaction } from '../dintero/types';
import type { EngineContext } from './engine-context';
import type { OperationRow } from './journal';
import { LinkOps } from './link-ops';
import { linkQr } from './link-qr';
import { OperationBook } from './operation-book';
import type { OrderRow } from './order-row';
import { TransactionOps, type RefundApproval } from './transaction-ops';
import type { RefundReason } from '../../common/refund-reason';

/** Capture, refund, void, cancel, resend and QR for the engine. */
export class MoneyOps {
  private readonly book: OperationBook;
  private readonly transactions: TransactionOps;
  private readonly links: LinkOps;

  constructor(
    private readonly ctx: EngineContext,
    /** A new order was queued (resend): wake the outbox. */
    queued: () => void,
  ) {
    this.book = new OperationBook(ctx);
    this.transactions = new TransactionOps(this.book);
    this.links = new LinkOps(this.book, queued);
  }

  /** Calls still running (stop() waits for them). */
  pendingCalls(): Promise<unknown>[] {
    return this.book.pendingCalls();
  }

  /** Captures `amount` (default: everything still capturable). */
  capture(id: string, amount: number | undefined, actor: string): Promise<OrderSummary> {
    return this.transactions.capture(id, amount, actor);
  }

  /** Refunds `amount` (default: everything still refundable), saying why. */
  refund(
    id: string,
    amount: number | undefined,
    reason: string | RefundReason,
    actor: string,
    approval?: RefundApproval,
  ): Promise<OrderSummary> {
    return this.transactions.refund(id, amount, reason, actor, approval);
  }

  /** Voids the authorization (only while nothing is captured). */
  void(id: string, actor: string): Promise<OrderSummary> {
    return this.transactions.void(id, actor);
  }

  /** Cancels the link (or withdraws a queued order before it is sent). */
  cancelLink(id: string, actor: string): Promise<OrderSummary> {
    return this.links.cancelLink(id, actor);
  }

  /** Sends a new link in place of this order's; returns the new order. */
  resendLink(id: string, delivery: Delivery, actor: string): Promise<OrderSummary> {
    return this.links.resendLink(id, delivery, actor);
  }

  /** The link and a QR code of it. */
  qr(id: string): Promise<{ url: string; qrDataUrl: string }> {
    return linkQr(this.ctx, id);
  }

  /**
   * Settles an operation whose answer was lost (or that a crash interrupted). Returns true
   * when it is settled (done or failed), false to try again later.
   */
  resolve(op: OperationRow): Promise<boolean> {
    const row = this.ctx.journal.get(op.orderId);
    if (!row) return Promise.resolve(false);
    if (op.kind === 'resend') return this.links.resolveResend(row, op);
    if (op.kind === 'cancel') return this.links.resolveCancel(row, op);
    return this.transactions.resolve(op);
  }

  /** Settles an accepted (202) operation from a transaction the poller read. */
  settleFromPoll(row: OrderRow, tx: DinteroTransaction): boolean {
    return this.transactions.settleFromPoll(row, tx);
  }

  /** Resolves every open operation not running in this process (startup, poller). */
  async resolveOpen(): Promise<void> {
    for (const op of this.ctx.journal.openOperations()) {
      if (this.book.inCall.has(op.id) || op.state === 'accepted') continue;
      this.book.inCall.add(op.id);
      try {
        await this.book.trackCall(this.resolve(op));
      } finally {
        this.book.inCall.delete(op.id);
      }
    }
  }

  /** Orders whose money operation waits for Dintero's events (accepted, or answer lost). */
  awaitingOrderIds(): Set<string> {
    return this.transactions.awaitingOrderIds();
  }
}
