/**
 * What every money operation (transaction or link) shares: the operations whose Dintero call
 * runs in this process, the calls stop() waits for, the refusal of another account's orders,
 * and the journal writes that open and close an operation row.
 */
import { english } from '../../common/i18n';
import { msg, type Message } from '../../common/i18n/messages';
import { randomUUID } from 'node:crypto';
import type { MoneyOperationKind } from '../../common/domain';
import { otherAccountMessage } from '../../common/order-actions';
import { commitChange, type EngineContext } from './engine-context';
import { DeskError } from '../desk-error';
import type { OperationRow, OrderChange } from './journal';
import { operationReference } from './merchant-reference';
import type { OrderRow } from './order-row';

/**
 * The shared book of operations: one per engine, handed to the transaction and link
 * operations so both see the same calls in flight.
 */
export class OperationBook {
  /** Operation ids whose Dintero call is running in this process. */
  readonly inCall = new Set<string>();
  private readonly calls = new Set<Promise<unknown>>();

  constructor(readonly ctx: EngineContext) {}

  /** Calls still running (stop() waits for them). */
  pendingCalls(): Promise<unknown>[] {
    return [...this.calls];
  }

  /** Remembers a running call until it settles (stop() waits for it). */
  trackCall<T>(p: Promise<T>): Promise<T> {
    this.calls.add(p);
    void p.finally(() => this.calls.delete(p)).catch(() => undefined);
    return p;
  }

  /** Refuses to act on an order of another Dintero account than the one in use. */
  ownAccount(row: OrderRow): void {
    if (row.accountId !== undefined && row.accountId !== this.ctx.accountId) {
      throw new DeskError('not_allowed', otherAccountMessage(row.accountId));
    }
  }

  /** The order as the journal holds it; DeskError not_found when there is none. */
  require(id: string): OrderRow {
    const row = this.ctx.journal.get(id);
    if (!row) throw new DeskError('not_found', msg('error.orderNotFound'));
    return row;
  }

  /** Commits (and publishes) the change `decide` returns for the order, if any. */
  commit(id: string, decide: (row: OrderRow) => OrderChange | undefined): OrderRow | undefined {
    return commitChange(this.ctx, id, decide);
  }

  /** Closes an operation as failed, with the reason staff see on the order. */
  fail(orderId: string, op: OperationRow, message: Message, actor: string): void {
    this.commit(orderId, () => ({
      clear: ['pendingOp'],
      patch: { lastError: message, outcomeUnknown: false },
      updateOperation: { id: op.id, patch: { state: 'failed', error: english(message) } },
      events: [
        {
          kind: `${op.kind}_failed`,
          actor,
          ...(op.amount !== undefined ? { amount: op.amount } : {}),
          message,
        },
      ],
    }));
  }

  /**
   * Settles an operation whose answer was lost (or that a crash interrupted) by reading the
   * transaction. Returns true when it is settled (done or failed). "Absent" only counts once
   * reconcileDelayMs has passed since the operation was last touched.

  /**
   * A new operation row (state requested) with the order's next reference for `kind`, made
   * unique across desks by this desk's identity.
   */
  newOp(r: OrderRow, kind: MoneyOperationKind, actor: string): OperationRow {
    const at = new Date(this.ctx.now()).toISOString();
    const n = this.ctx.journal.countOperations(r.id, kind) + 1;
    return {
      id: randomUUID(),
      orderId: r.id,
      kind,
      reference: operationReference(r.merchantReference, kind, n, this.ctx.settings().deskId),
      state: 'requested',
      actor,
      createdAt: at,
      updatedAt: at,
    };
  }
}
