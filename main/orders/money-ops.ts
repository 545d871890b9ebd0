/**
 * Money operations: capture, refund, void, cancel link, resend link, QR.
 *
 * Every operation:
 * 1. checks its bounds on the row as it is on disk (capture ≤ authorized − captured; refund ≤
 *    captured − refunded; void only while authorized and nothing captured) and refuses with a
 *    plain reason;
 * 2. in ONE transaction sets the order's `pending_op` and writes the intent (an operations row
 *    with a unique reference such as `…-C1`) BEFORE Dintero is called — a second call while
 *    one is pending is refused, so a double click (or 100 parallel calls) makes one call;
 * 3. journals the answer: 200 = applied; 202 = accepted, then the poller watches the
 *    transaction for the event whose correlation_request_id is the event-request-id;
 *    a lost answer = the operation's outcome is UNKNOWN (the order shows "Unknown", and no other
 *    money operation may start) until the transaction's events show our reference, or until
 *    several reads spread over a monotonic window all show nothing (reads lag behind writes);
 *    a refusal = Dintero's own message, shown plainly.
 * 4. a resend is one journaled intent (cancel the old session, create the new order, link
 *    them): a crash anywhere in it is finished on the next start, never left a plain cancel.
 */
import { randomUUID } from 'node:crypto';
import QRCode from 'qrcode';
import type { Delivery, MoneyOperationKind, OrderSummary } from '../../common/domain';
import { plainTextProblem } from '../../common/hidden-characters';
import { formatMoney } from '../../common/money';
import { DinteroError } from '../dintero/errors';
import type { DinteroTransaction, OperationResult, TransactionEvent } from '../dintero/types';
import { commitChange, type EngineContext } from './engine-context';
import { OrderError } from './engine-types';
import type { EventInput, OperationRow, OrderChange } from './journal';
import { operationReference, resendReference, rootReference } from './merchant-reference';
import {
  cancelLinkAction,
  captureAction,
  otherAccountMessage,
  refundAction,
  resendLinkAction,
  voidAction,
} from './order-actions';
import { fieldsOf, insertNewOrder } from './order-create';
import { toSummary, type OrderRow } from './order-row';
import { transition } from './order-state';
import { changeFromObservation, observeTransaction } from './remote-state';
import type { ActionAvailability } from '../../common/domain';

type TxOp = 'capture' | 'refund' | 'void';

const FINAL_EVENT: Readonly<Record<TxOp, TransactionEvent['event']>> = {
  capture: 'CAPTURE',
  refund: 'REFUND',
  void: 'VOID',
};
const INITIATE_EVENT: Readonly<Record<TxOp, TransactionEvent['event']>> = {
  capture: 'INITIATE_CAPTURE',
  refund: 'INITIATE_REFUND',
  void: 'INITIATE_VOID',
};
const NOUN: Readonly<Record<MoneyOperationKind, string>> = {
  capture: 'capture',
  refund: 'refund',
  void: 'void',
  cancel: 'cancellation',
  resend: 'resend',
};
const DONE_WORD: Readonly<Record<TxOp, string>> = {
  capture: 'captured',
  refund: 'refunded',
  void: 'voided',
};

/** What a transaction says about one of our operations. */
export type OperationOutcome =
  | { kind: 'success'; event?: TransactionEvent }
  | { kind: 'failure'; message: string }
  | { kind: 'pending'; eventRequestId?: string }
  | { kind: 'absent' };

/**
 * Finds our operation in a transaction: by correlation_request_id after a 202, else by our
 * reference in event_reference; a VOID (which carries no reference) by its event or status.
 */
export function findOperationOutcome(
  tx: DinteroTransaction,
  op: Pick<OperationRow, 'kind' | 'reference' | 'eventRequestId'>,
): OperationOutcome {
  const kind = op.kind as TxOp;
  const events = tx.events ?? [];
  const judge = (e: TransactionEvent): OperationOutcome =>
    e.success
      ? { kind: 'success', event: e }
      : { kind: 'failure', message: e.error?.message ?? 'Dintero reported that it failed.' };
  if (op.eventRequestId) {
    const done = events.find(
      (e) => e.correlation_request_id === op.eventRequestId && e.event === FINAL_EVENT[kind],
    );
    if (done) return judge(done);
  }
  const byRef = events.find(
    (e) => e.event_reference === op.reference && e.event === FINAL_EVENT[kind],
  );
  if (byRef) return judge(byRef);
  const initiated = events.find(
    (e) =>
      e.event === INITIATE_EVENT[kind] &&
      ((op.eventRequestId !== undefined && e.request_id === op.eventRequestId) ||
        e.event_reference === op.reference),
  );
  if (initiated) {
    return {
      kind: 'pending',
      ...(initiated.request_id ? { eventRequestId: initiated.request_id } : {}),
    };
  }
  if (op.eventRequestId) return { kind: 'pending', eventRequestId: op.eventRequestId };
  if (kind === 'void') {
    const voided = events.find((e) => e.event === 'VOID');
    if (voided) return judge(voided);
    if (tx.status === 'AUTHORIZATION_VOIDED') return { kind: 'success' };
  }
  return { kind: 'absent' };
}

/**
 * The journal change that settles `op` on `row` given the transaction and the outcome:
 * amounts recomputed from the transaction's events, the operation closed, pending_op cleared.
 */
export function settleChange(
  row: OrderRow,
  op: OperationRow,
  tx: DinteroTransaction,
  outcome: { kind: 'success' } | { kind: 'failure'; message: string },
  at: number,
): OrderChange {
  const observed = changeFromObservation(row, observeTransaction(tx), {
    actor: op.actor,
    at,
    note: op.kind === 'void' ? '' : ` (reference ${op.reference})`,
  });
  const events: EventInput[] = [...(observed?.events ?? [])];
  const base: OrderChange = {
    ...(observed ?? {}),
    patch: { ...(observed?.patch ?? {}), outcomeUnknown: false },
    clear: ['pendingOp'],
  };
  if (outcome.kind === 'success') {
    if (events.length === 0) {
      events.push({
        kind: DONE_WORD[op.kind as TxOp],
        actor: op.actor,
        ...(op.amount !== undefined ? { amount: op.amount } : {}),
        detail: `The ${NOUN[op.kind]} went through${op.kind === 'void' ? '' : ` (reference ${op.reference})`}.`,
      });
    }
    return {
      ...base,
      clear: ['pendingOp', 'lastError'],
      events,
      updateOperation: { id: op.id, patch: { state: 'done' } },
    };
  }
  const message = `Dintero could not ${op.kind} the payment: ${outcome.message}`;
  events.push({
    kind: `${op.kind}_failed`,
    actor: 'dintero',
    ...(op.amount !== undefined ? { amount: op.amount } : {}),
    detail: message,
  });
  return {
    ...base,
    patch: { ...(base.patch ?? {}), lastError: message },
    events,
    updateOperation: { id: op.id, patch: { state: 'failed', error: message } },
  };
}

const money = (minor: number, currency: OrderRow['currency']): string =>
  formatMoney(minor, currency, 'en-GB');

/** Capture, refund, void, cancel, resend and QR for the engine. */
export class MoneyOps {
  /** Operation ids whose Dintero call is running in this process. */
  private readonly inCall = new Set<string>();
  private readonly calls = new Set<Promise<unknown>>();

  constructor(
    private readonly ctx: EngineContext,
    /** A new order was queued (resend): wake the outbox. */
    private readonly queued: () => void,
  ) {}

  /** Calls still running (stop() waits for them). */
  pendingCalls(): Promise<unknown>[] {
    return [...this.calls];
  }

  private trackCall<T>(p: Promise<T>): Promise<T> {
    this.calls.add(p);
    void p.finally(() => this.calls.delete(p)).catch(() => undefined);
    return p;
  }

  /** Refuses to act on an order of another Dintero account than the one in use. */
  private ownAccount(row: OrderRow): void {
    if (row.accountId !== undefined && row.accountId !== this.ctx.accountId) {
      throw new OrderError('not_allowed', otherAccountMessage(row.accountId));
    }
  }

  private require(id: string): OrderRow {
    const row = this.ctx.journal.get(id);
    if (!row) throw new OrderError('not_found', 'That order does not exist.');
    return row;
  }

  /**
   * Writes the intent and sets pending_op in one transaction, after checking the bounds.
   * Throws OrderError (conflict / not_allowed) without writing anything when refused.
   */
  private begin(
    id: string,
    kind: MoneyOperationKind,
    actor: string,
    check: (row: OrderRow) => { amount?: number; reason?: string; detail: string },
  ): { row: OrderRow; op: OperationRow } {
    this.require(id);
    let op: OperationRow | undefined;
    const result = this.ctx.journal.change(id, (row) => {
      this.ownAccount(row);
      if (row.pendingOp) {
        throw new OrderError('conflict', refusalFor(row, kind).reason);
      }
      const c = check(row);
      const n = this.ctx.journal.countOperations(row.id, kind) + 1;
      const at = new Date(this.ctx.now()).toISOString();
      op = {
        id: randomUUID(),
        orderId: row.id,
        kind,
        reference: operationReference(row.merchantReference, kind, n),
        state: 'requested',
        actor,
        createdAt: at,
        updatedAt: at,
        ...(c.amount !== undefined ? { amount: c.amount } : {}),
        ...(c.reason !== undefined ? { reason: c.reason } : {}),
      };
      return {
        patch: { pendingOp: kind },
        insertOperation: op,
        events: [
          {
            kind: `${kind}_requested`,
            actor,
            ...(c.amount !== undefined ? { amount: c.amount } : {}),
            detail: `${c.detail} (reference ${op.reference}).`,
          },
        ],
      };
    });
    if (!result || !op) throw new OrderError('not_found', 'That order does not exist.');
    this.ctx.published(result);
    return { row: result.after, op };
  }

  /** Captures `amount` (default: everything still capturable). */
  capture(id: string, amount: number | undefined, actor: string): Promise<OrderSummary> {
    const { row, op } = this.begin(id, 'capture', actor, (r) => {
      const a = captureAction(r);
      const amt = checkAmount(a, amount, 'capture', r);
      return { amount: amt, detail: `Capture of ${money(amt, r.currency)} requested` };
    });
    const txId = row.transactionId as string;
    const items = op.amount === row.amount && row.items.length > 0 ? lineItems(row) : undefined;
    return this.run(row, op, () =>
      this.ctx.client.capture(txId, {
        amount: op.amount as number,
        capture_reference: op.reference,
        ...(items ? { items } : {}),
      }),
    );
  }

  /** Refunds `amount` (default: everything still refundable). */
  refund(
    id: string,
    amount: number | undefined,
    reason: string,
    actor: string,
  ): Promise<OrderSummary> {
    const why = reason.trim();
    if (!why) {
      throw new OrderError('invalid_input', 'Say why the money is refunded.', {
        reason: 'Required.',
      });
    }
    // The IPC schema refuses it already; the engine does not rely on its callers for that.
    const hidden = plainTextProblem(why, 'The refund reason');
    if (hidden !== undefined) {
      throw new OrderError('invalid_input', hidden, { reason: hidden });
    }
    const { row, op } = this.begin(id, 'refund', actor, (r) => {
      const a = refundAction(r);
      const amt = checkAmount(a, amount, 'refund', r);
      return {
        amount: amt,
        reason: why,
        detail: `Refund of ${money(amt, r.currency)} requested: ${why}`,
      };
    });
    const txId = row.transactionId as string;
    const items =
      op.amount === row.amount && row.capturedAmount === row.amount && row.items.length > 0
        ? lineItems(row)
        : undefined;
    return this.run(row, op, () =>
      this.ctx.client.refund(txId, {
        amount: op.amount as number,
        reason: why,
        refund_reference: op.reference,
        ...(items ? { items } : {}),
      }),
    );
  }

  /** Voids the authorization (only while nothing is captured). */
  void(id: string, actor: string): Promise<OrderSummary> {
    const { row, op } = this.begin(id, 'void', actor, (r) => {
      const a = voidAction(r);
      if (!a.allowed) throw new OrderError('not_allowed', a.reason);
      return { amount: r.authorizedAmount, detail: 'Void of the payment requested' };
    });
    const txId = row.transactionId as string;
    return this.run(row, op, () => this.ctx.client.void(txId));
  }

  private async run(
    row: OrderRow,
    op: OperationRow,
    call: () => Promise<OperationResult>,
  ): Promise<OrderSummary> {
    this.inCall.add(op.id);
    try {
      let result: OperationResult;
      try {
        result = await this.trackCall(call());
      } catch (err) {
        return await this.onCallFailed(row, op, err);
      }
      this.ctx.connectivity.reached();
      if (result.status === 'accepted') {
        const r = this.commit(row.id, () => ({
          updateOperation: {
            id: op.id,
            patch: { state: 'accepted', eventRequestId: result.eventRequestId },
          },
          events: [
            {
              kind: `${op.kind}_accepted`,
              actor: 'dintero',
              ...(op.amount !== undefined ? { amount: op.amount } : {}),
              detail: `Dintero accepted the ${NOUN[op.kind]}; it will finish shortly.`,
            },
          ],
        }));
        return toSummary(r ?? this.require(row.id));
      }
      const outcome = findOperationOutcome(result.transaction, op);
      if (outcome.kind === 'failure') {
        this.settle(row.id, op, result.transaction, outcome);
        throw new DinteroError(
          'invalid_request',
          `Dintero could not ${op.kind} the payment: ${outcome.message}`,
          { dinteroMessage: outcome.message },
        );
      }
      // 200: the operation is done (an answer without our event still is).
      return toSummary(this.settle(row.id, op, result.transaction, { kind: 'success' }));
    } finally {
      this.inCall.delete(op.id);
    }
  }

  private commit(
    id: string,
    decide: (row: OrderRow) => OrderChange | undefined,
  ): OrderRow | undefined {
    return commitChange(this.ctx, id, decide);
  }

  /** Closes an operation with what the transaction says. */
  private settle(
    orderId: string,
    op: OperationRow,
    tx: DinteroTransaction,
    outcome: { kind: 'success' } | { kind: 'failure'; message: string },
  ): OrderRow {
    const after = this.commit(orderId, (r) => {
      const current = this.ctx.journal.operation(op.id);
      if (!current || current.state === 'done' || current.state === 'failed') return undefined;
      return settleChange(r, current, tx, outcome, this.ctx.now());
    });
    return after ?? this.require(orderId);
  }

  private async onCallFailed(row: OrderRow, op: OperationRow, err: unknown): Promise<OrderSummary> {
    const e =
      err instanceof DinteroError
        ? err
        : new DinteroError('outcome_unknown', 'The call failed unexpectedly.', {});
    const noun = NOUN[op.kind];
    switch (e.kind) {
      case 'invalid_request':
      case 'not_found': {
        this.ctx.connectivity.reached();
        const why = e.details.dinteroMessage ?? e.message;
        const message = `Dintero refused the ${noun}: ${why}`;
        this.fail(row.id, op, message, 'dintero');
        throw new DinteroError(e.kind, message, e.details);
      }
      case 'network':
      case 'rate_limited':
      case 'authentication':
      case 'permission':
      case 'not_configured': {
        // Nothing reached Dintero (or it refused before doing anything): safe to try again.
        if (e.kind === 'network') this.ctx.connectivity.networkFailed();
        const message =
          e.kind === 'network'
            ? `No connection to Dintero: nothing was done. Try the ${noun} again when the line is back.`
            : e.kind === 'rate_limited'
              ? `Dintero is busy: nothing was done. Try the ${noun} again in a moment.`
              : `Dintero did not accept the credentials: nothing was done. Check Settings.`;
        this.fail(row.id, op, message, 'system');
        throw new DinteroError(e.kind, message, e.details);
      }
      case 'unavailable':
      case 'outcome_unknown':
      default: {
        // The call may have been carried out: find out before anyone tries again.
        this.commit(row.id, () => ({
          updateOperation: { id: op.id, patch: { state: 'unknown' } },
          patch: {
            ...(op.kind === 'capture' || op.kind === 'refund' || op.kind === 'void'
              ? { outcomeUnknown: true }
              : {}),
            lastError: `The answer to the ${noun} was lost. Checking with Dintero whether it went through.`,
          },
          events: [
            {
              kind: `${op.kind}_unknown`,
              actor: 'system',
              detail: `The answer from Dintero was lost; checking whether the ${noun} went through.`,
            },
          ],
        }));
        const settled = await this.resolve(this.ctx.journal.operation(op.id) ?? op);
        const now = this.require(row.id);
        const final = this.ctx.journal.operation(op.id);
        if (settled && final?.state === 'done') return toSummary(now);
        if (settled && final?.state === 'failed') {
          throw new DinteroError(
            'invalid_request',
            final.error ?? `The ${noun} did not go through.`,
            {},
          );
        }
        throw new DinteroError(
          'outcome_unknown',
          `The answer from Dintero was lost. Paylink Desk is checking whether the ${noun} went through and will update the order; do not try again yet.`,
          {},
        );
      }
    }
  }

  private fail(orderId: string, op: OperationRow, message: string, actor: string): void {
    this.commit(orderId, () => ({
      clear: ['pendingOp'],
      patch: { lastError: message, outcomeUnknown: false },
      updateOperation: { id: op.id, patch: { state: 'failed', error: message } },
      events: [
        {
          kind: `${op.kind}_failed`,
          actor,
          ...(op.amount !== undefined ? { amount: op.amount } : {}),
          detail: message,
        },
      ],
    }));
  }

  /**
   * Settles an operation whose answer was lost (or that a crash interrupted) by reading the
   * transaction. Returns true when it is settled (done or failed). "Absent" only counts once
   * reconcileDelayMs has passed since the operation was last touched.
   */
  async resolve(op: OperationRow): Promise<boolean> {
    const row = this.ctx.journal.get(op.orderId);
    if (!row) return false;
    if (op.kind === 'resend') return this.resolveResend(row, op);
    if (op.kind === 'cancel') return this.resolveCancel(row, op);
    if (!row.transactionId) {
      this.fail(row.id, op, `The ${NOUN[op.kind]} did not go through: no transaction.`, 'system');
      return true;
    }
    let tx: DinteroTransaction;
    try {
      tx = await this.ctx.client.getTransaction(row.transactionId);
    } catch (err) {
      if (err instanceof DinteroError && err.kind === 'network')
        this.ctx.connectivity.networkFailed();
      return false;
    }
    this.ctx.connectivity.reached();
    const outcome = findOperationOutcome(tx, op);
    if (outcome.kind !== 'absent') this.ctx.absence.forget(op.id);
    switch (outcome.kind) {
      case 'success':
      case 'failure':
        this.settle(row.id, op, tx, outcome);
        return true;
      case 'pending':
        this.commit(row.id, () => ({
          updateOperation: {
            id: op.id,
            patch: {
              state: 'accepted',
              ...(outcome.eventRequestId ? { eventRequestId: outcome.eventRequestId } : {}),
            },
          },
          events: [
            {
              kind: `${op.kind}_accepted`,
              actor: 'dintero',
              detail: `Dintero has the ${NOUN[op.kind]} and is still processing it.`,
            },
          ],
        }));
        return false;
      case 'absent': {
        // One read that lacks our event proves nothing: Dintero's reads lag behind its writes.
        const verdict = this.ctx.absence.absent(op.id);
        if (!verdict.conclusive) return false;
        this.fail(
          row.id,
          op,
          `Dintero has no record of the ${NOUN[op.kind]} after ${verdict.reads} reads over ${Math.round(this.ctx.timing.absenceWindowMs / 1000)} s: nothing was done. You can try again.`,
          'system',
        );
        return true;
      }
    }
  }

  private async resolveCancel(row: OrderRow, op: OperationRow): Promise<boolean> {
    if (!row.sessionId) {
      this.fail(row.id, op, 'There is no link to cancel.', 'system');
      return true;
    }
    try {
      const s = await this.ctx.client.getSession(row.sessionId);
      this.ctx.connectivity.reached();
      if (s.cancelled_at) {
        this.finishCancel(row.id, op);
        return true;
      }
      this.fail(row.id, op, 'The link was not cancelled. You can try again.', 'system');
      return true;
    } catch (err) {
      if (err instanceof DinteroError && err.kind === 'network')
        this.ctx.connectivity.networkFailed();
      return false;
    }
  }

  /** Settles an accepted (202) operation from a transaction the poller read. */
  settleFromPoll(row: OrderRow, tx: DinteroTransaction): boolean {
    const op = this.ctx.journal.openOperationFor(row.id);
    if (!op || op.state !== 'accepted' || this.inCall.has(op.id)) return false;
    const outcome = findOperationOutcome(tx, op);
    if (outcome.kind !== 'success' && outcome.kind !== 'failure') return false;
    this.settle(row.id, op, tx, outcome);
    return true;
  }

  /** Resolves every open operation not running in this process (startup, poller). */
  async resolveOpen(): Promise<void> {
    for (const op of this.ctx.journal.openOperations()) {
      if (this.inCall.has(op.id) || op.state === 'accepted') continue;
      this.inCall.add(op.id);
      try {
        await this.trackCall(this.resolve(op));
      } finally {
        this.inCall.delete(op.id);
      }
    }
  }

  /** Operations accepted (202) and waiting for their final event. */
  acceptedOrderIds(): Set<string> {
    return new Set(
      this.ctx.journal
        .openOperations()
        .filter((o) => o.state === 'accepted')
        .map((o) => o.orderId),
    );
  }

  // ----- links ----------------------------------------------------------------------

  /** Cancels the link (or withdraws a queued order before it is sent). */
  async cancelLink(id: string, actor: string): Promise<OrderSummary> {
    this.require(id);
    let op: OperationRow | undefined;
    const result = this.ctx.journal.change(id, (r) => {
      this.ownAccount(r);
      const a = cancelLinkAction(r);
      if (!a.allowed) throw new OrderError(r.pendingOp ? 'conflict' : 'not_allowed', a.reason);
      if (r.state === 'queued') {
        return {
          event: 'cancel',
          events: [
            {
              kind: 'cancelled',
              actor,
              detail: 'Withdrawn before it was sent: no link was created.',
            },
          ],
        };
      }
      op = this.newOp(r, 'cancel', actor);
      return {
        patch: { pendingOp: 'cancel' },
        insertOperation: op,
        events: [{ kind: 'cancel_requested', actor, detail: 'Cancelling the payment link.' }],
      };
    });
    this.ctx.published(result);
    if (!result) throw new OrderError('not_found', 'That order does not exist.');
    if (!op) return toSummary(result.after);
    const theOp = op;
    this.inCall.add(theOp.id);
    try {
      await this.cancelAtDintero(result.after, theOp);
      return toSummary(this.finishCancel(id, theOp));
    } finally {
      this.inCall.delete(theOp.id);
    }
  }

  private newOp(r: OrderRow, kind: MoneyOperationKind, actor: string): OperationRow {
    const at = new Date(this.ctx.now()).toISOString();
    const n = this.ctx.journal.countOperations(r.id, kind) + 1;
    return {
      id: randomUUID(),
      orderId: r.id,
      kind,
      reference: operationReference(r.merchantReference, kind, n),
      state: 'requested',
      actor,
      createdAt: at,
      updatedAt: at,
    };
  }

  /** POST cancel; on failure the operation is closed and a plain DinteroError thrown. */
  private async cancelAtDintero(row: OrderRow, op: OperationRow): Promise<void> {
    try {
      await this.trackCall(this.ctx.client.cancelSession(row.sessionId as string));
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
          ? `Dintero refused to cancel the link: ${e.details.dinteroMessage ?? e.message}`
          : e.kind === 'network'
            ? 'No connection to Dintero: the link was not cancelled. Try again when the line is back.'
            : 'Could not confirm that the link was cancelled. Try again.';
      this.fail(row.id, op, message, e.kind === 'invalid_request' ? 'dintero' : 'system');
      throw new DinteroError(e.kind, message, e.details);
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
    const after = this.commit(orderId, (r) => {
      const legal = transition(r.state, 'cancel').ok;
      return {
        ...(legal ? { event: 'cancel' as const } : {}),
        clear: ['pendingOp', 'lastError'],
        updateOperation: { id: op.id, patch: { state: 'done' } },
        events: [
          {
            kind: legal ? 'cancelled' : 'link_cancelled',
            actor: op.actor,
            detail: 'The payment link was cancelled; it no longer works.',
          },
        ],
        ...extra,
      };
    });
    return after ?? this.require(orderId);
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
    this.require(id);
    let op: OperationRow | undefined;
    const started = this.ctx.journal.change(id, (r) => {
      this.ownAccount(r);
      const a = resendLinkAction(r);
      if (!a.allowed) throw new OrderError(r.pendingOp ? 'conflict' : 'not_allowed', a.reason);
      op = { ...this.newOp(r, 'resend', actor), params: JSON.stringify({ delivery }) };
      return {
        patch: { pendingOp: 'resend' },
        insertOperation: op,
        events: [{ kind: 'resend_requested', actor, detail: 'Sending a new payment link.' }],
      };
    });
    this.ctx.published(started);
    if (!started || !op) throw new OrderError('not_found', 'That order does not exist.');
    const theOp = op;
    this.inCall.add(theOp.id);
    try {
      const old = started.after;
      const live = isLiveLink(old);
      if (live) await this.cancelAtDintero(old, theOp);
      return toSummary(this.finishResend(id, theOp, delivery, live));
    } catch (err) {
      const current = this.ctx.journal.operation(theOp.id);
      if (current && current.state !== 'failed' && current.state !== 'done') {
        this.fail(id, theOp, 'The new link could not be created. Try again.', 'system');
      }
      throw err;
    } finally {
      this.inCall.delete(theOp.id);
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
      const current = this.require(id);
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
            detail: `New link for order ${current.merchantReference}.`,
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
                  detail: 'The payment link was cancelled; a new one replaces it.',
                },
              ]
            : []),
          {
            kind: 'replaced',
            actor: op.actor,
            detail: `Replaced by order ${createdRow.merchantReference}.`,
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
  private async resolveResend(row: OrderRow, op: OperationRow): Promise<boolean> {
    const delivery = resendDelivery(op) ?? row.delivery;
    const live = isLiveLink(row);
    if (live && row.sessionId) {
      try {
        const s = await this.ctx.client.getSession(row.sessionId);
        this.ctx.connectivity.reached();
        if (s.transaction_id) {
          this.fail(
            row.id,
            op,
            'The customer started paying on the old link, so no new link was sent.',
            'system',
          );
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

  /** The link and a QR code of it (Dintero's; drawn locally when Dintero cannot be asked). */
  async qr(id: string): Promise<{ url: string; qrDataUrl: string }> {
    const row = this.require(id);
    if (!row.sessionId) throw new OrderError('not_allowed', 'The link has not been created yet.');
    try {
      const qrDataUrl = await this.ctx.client.sessionQr(row.sessionId, { size: 300 });
      return { url: row.linkUrl ?? '', qrDataUrl };
    } catch (err) {
      if (!row.linkUrl) throw err;
      const qrDataUrl = await QRCode.toDataURL(row.linkUrl, { width: 300, margin: 1 });
      return { url: row.linkUrl, qrDataUrl };
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

function refusalFor(row: OrderRow, kind: MoneyOperationKind): { reason: string } {
  const a: ActionAvailability =
    kind === 'capture'
      ? captureAction(row)
      : kind === 'refund'
        ? refundAction(row)
        : kind === 'void'
          ? voidAction(row)
          : kind === 'cancel'
            ? cancelLinkAction(row)
            : resendLinkAction(row);
  return { reason: a.allowed ? 'Another operation is in progress.' : a.reason };
}

function checkAmount(
  a: ActionAvailability,
  amount: number | undefined,
  kind: 'capture' | 'refund',
  row: OrderRow,
): number {
  if (!a.allowed) throw new OrderError('not_allowed', a.reason);
  const max = a.max ?? 0;
  const amt = amount ?? max;
  if (!Number.isSafeInteger(amt) || amt < 1) {
    throw new OrderError('invalid_input', `The amount to ${kind} must be more than zero.`, {
      amount: 'Must be more than zero.',
    });
  }
  if (amt > max) {
    throw new OrderError(
      'not_allowed',
      `You can ${kind} at most ${money(max, row.currency)} on this order.`,
    );
  }
  return amt;
}

function lineItems(row: OrderRow): Array<{ line_id: string; amount: number; quantity: number }> {
  return row.items.map((i) => ({ line_id: i.lineId, amount: i.amount, quantity: i.quantity }));
}
