/**
 * Capture, refund and void: the operations on a payment's transaction, and the resolution of
 * one whose answer was lost.
 *
 * Every operation:
 * 0. reads the transaction fresh from Dintero (another desk of the shop, or Dintero's
 *    Backoffice, may have moved the money since the poller last looked) and applies what it
 *    shows to the journal as the poller does, so the timeline shows what was already done; a
 *    read that fails refuses with the offline/busy message and journals nothing;
 * 1. checks its bounds on the row as it is on disk after that read (capture ≤ authorized −
 *    captured; refund ≤ captured − refunded; void only while authorized and nothing captured)
 *    and refuses with a plain reason, saying what another desk already did when that is why;
 * 2. in ONE transaction sets the order's `pending_op` and writes the intent (an operations row
 *    with a reference unique across desks, such as `…-7KQ2MX-C1`) BEFORE Dintero is called —
 *    a second call while one is pending is refused, so a double click (or 100 parallel calls)
 *    makes one call;
 * 3. journals the answer: 200 = applied; 202 = accepted, then the poller watches the
 *    transaction for the event whose correlation_request_id is the event-request-id;
 *    a lost answer = the operation's outcome is UNKNOWN (the order shows "Unknown", and no other
 *    money operation may start) until the transaction's events show our reference, or until
 *    several reads spread over a monotonic window all show nothing (reads lag behind writes);
 *    a refusal = Dintero's own message, shown plainly.
 */
import { english } from '../../common/i18n';
import { msg, type Message, type MessageParam } from '../../common/i18n/messages';
import type { ActionAvailability, MoneyOperationKind, OrderSummary } from '../../common/domain';
import { plainTextIssue } from '../../common/hidden-characters';
import { refundReasonLine, refundReasonParam, type RefundReason } from '../../common/refund-reason';
import {
  cancelLinkAction,
  capturable,
  captureAction,
  pendingMessage,
  refundable,
  refundAction,
  resendLinkAction,
  voidAction,
} from '../../common/order-actions';
import { DinteroError } from '../dintero/errors';
import type { DinteroTransaction, OperationResult, TransactionEvent } from '../dintero/types';
import type { EngineContext } from './engine-context';
import { DeskError } from '../desk-error';
import type { EventInput, OperationRow, OrderChange } from './journal';
import type { OperationBook } from './operation-book';
import { toSummary, type OrderRow } from './order-row';
import { changeFromObservation, observeTransaction } from './remote-state';

/** How a refund above the limit was approved: with the manager PIN at this desk. */
export type RefundApproval = 'manager_pin';

type TxOp = 'capture' | 'refund' | 'void';

/** A capture, refund or void: the operations a transaction's events settle. */
export function isTransactionOp(kind: string): kind is TxOp {
  return kind === 'capture' || kind === 'refund' || kind === 'void';
}

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
/** The word for each operation inside a sentence ("the capture", "the cancellation"). */
const DONE_WORD: Readonly<Record<TxOp, string>> = {
  capture: 'captured',
  refund: 'refunded',
  void: 'voided',
};

/** What a transaction says about one of our operations. */
export type OperationOutcome =
  | { kind: 'success'; event?: TransactionEvent }
  | { kind: 'failure'; message?: string }
  | { kind: 'pending'; eventRequestId?: string }
  | { kind: 'absent' };

/** "Dintero could not refund the payment: <Dintero's own words>", or without them. */
function failedAtDintero(kind: string, why: string | undefined): Message {
  return why !== undefined
    ? msg(`op.${kind}.failedAtDintero`, { why })
    : msg(`op.${kind}.failedAtDinteroNoReason`);
}

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
      : { kind: 'failure', ...(e.error?.message ? { message: e.error.message } : {}) };
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
  outcome: { kind: 'success' } | { kind: 'failure'; message?: string },
  at: number,
): OrderChange {
  const observed = changeFromObservation(row, observeTransaction(tx), {
    actor: op.actor,
    at,
    ...(op.kind === 'void' ? {} : { reference: op.reference }),
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
        message: msg(`op.${op.kind}.done`, { reference: op.reference }),
      });
    }
    return {
      ...base,
      clear: ['pendingOp', 'lastError'],
      events,
      updateOperation: { id: op.id, patch: { state: 'done' } },
    };
  }
  // Dintero's own words (English) stand inside our sentence as it wrote them.
  const message = failedAtDintero(op.kind, outcome.message);
  events.push({
    kind: `${op.kind}_failed`,
    actor: 'dintero',
    ...(op.amount !== undefined ? { amount: op.amount } : {}),
    message,
  });
  return {
    ...base,
    patch: { ...(base.patch ?? {}), lastError: message },
    events,
    updateOperation: { id: op.id, patch: { state: 'failed', error: english(message) } },
  };
}

const money = (minor: number, currency: OrderRow['currency']): MessageParam => ({
  money: minor,
  currency,
});

/** Capture, refund and void for the engine, over the shared operation book. */
export class TransactionOps {
  private readonly ctx: EngineContext;

  constructor(private readonly book: OperationBook) {
    this.ctx = book.ctx;
  }

  /**
   * Writes the intent and sets pending_op in one transaction, after checking the bounds.
   * Throws DeskError (conflict / not_allowed) without writing anything when refused.
   */
  private begin(
    id: string,
    kind: TxOp,
    actor: string,
    fresh: DinteroTransaction | undefined,
    check: (row: OrderRow) => {
      amount?: number;
      reason?: string;
      line: Message;
      /** Lines journaled with the request, in the same transaction (an approval). */
      also?: Message[];
    },
  ): { row: OrderRow; op: OperationRow } {
    this.book.require(id);
    let op: OperationRow | undefined;
    const result = this.ctx.journal.change(id, (row) => {
      this.book.ownAccount(row);
      if (row.pendingOp) {
        throw new DeskError('conflict', refusalFor(row, kind).reason);
      }
      const c = checkAfterRead(row, kind, fresh, this.ctx.journal.operations(row.id), check);
      op = {
        ...this.book.newOp(row, kind, actor),
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
            message: { ...c.line, params: { ...c.line.params, reference: op.reference } },
          },
          ...(c.also ?? []).map((message) => ({
            kind: `${kind}_approved`,
            actor,
            ...(c.amount !== undefined ? { amount: c.amount } : {}),
            message,
          })),
        ],
      };
    });
    if (!result || !op) throw new DeskError('not_found', msg('error.orderNotFound'));
    this.ctx.published(result);
    return { row: result.after, op };
  }

  /**
   * Reads the order's transaction fresh right before an operation and applies what it shows
   * to the journal the way the poller does (a capture, refund or void made at another desk or
   * in Dintero's Backoffice becomes timeline lines and moves the amounts). Refuses without
   * journaling anything when the order is busy or Dintero cannot be read. Undefined when the
   * order has no transaction yet (the bounds refuse then).
   */
  private async freshen(id: string, kind: TxOp): Promise<DinteroTransaction | undefined> {
    const row = this.book.require(id);
    this.book.ownAccount(row);
    if (row.pendingOp) throw new DeskError('conflict', refusalFor(row, kind).reason);
    if (!row.transactionId) return undefined;
    let tx: DinteroTransaction;
    try {
      tx = await this.book.trackCall(this.ctx.client.getTransaction(row.transactionId));
    } catch (err) {
      throw this.readRefused(kind, err);
    }
    this.ctx.connectivity.reached();
    // Only while no operation of ours is open: its own money is settled with it, not "seen".
    this.book.commit(id, (r) =>
      r.pendingOp || r.transactionId !== tx.id
        ? undefined
        : changeFromObservation(r, observeTransaction(tx), {
            actor: 'dintero',
            at: this.ctx.now(),
          }),
    );
    return tx;
  }

  /** The refusal for a fresh read that failed: nothing was journaled, nothing was sent. */
  private readRefused(kind: TxOp, err: unknown): DinteroError {
    const e =
      err instanceof DinteroError
        ? err
        : new DinteroError('unavailable', 'The read failed unexpectedly.', {});
    if (e.kind === 'network') this.ctx.connectivity.networkFailed();
    const message =
      e.kind === 'network'
        ? msg(`op.${kind}.offline`)
        : e.kind === 'authentication' || e.kind === 'permission' || e.kind === 'not_configured'
          ? msg('op.credentialsRefused')
          : msg(`op.${kind}.busy`);
    return new DinteroError(e.kind, english(message), e.details, message);
  }

  /** Captures `amount` (default: everything still capturable). */
  async capture(id: string, amount: number | undefined, actor: string): Promise<OrderSummary> {
    const fresh = await this.freshen(id, 'capture');
    const { row, op } = this.begin(id, 'capture', actor, fresh, (r) => {
      const a = captureAction(r);
      const amt = checkAmount(a, amount, 'capture', r);
      return { amount: amt, line: msg('op.capture.requested', { amount: money(amt, r.currency) }) };
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

  /**
   * Refunds `amount` (default: everything still refundable), saying why: a built-in reason
   * or the shop's own words (a string), plus optional words. With `approval`, the manager's
   * approval is journaled with the request.
   */
  async refund(
    id: string,
    amount: number | undefined,
    reason: string | RefundReason,
    actor: string,
    approval?: RefundApproval,
  ): Promise<OrderSummary> {
    const r: RefundReason = typeof reason === 'string' ? { label: reason.trim() } : reason;
    const words = [...('label' in r ? [r.label] : []), ...(r.text !== undefined ? [r.text] : [])];
    if ('label' in r && r.label.trim() === '') {
      throw new DeskError('invalid_input', msg('op.refund.reasonRequired'), {
        reason: msg('op.refund.reasonRequired'),
      });
    }
    // The IPC schema refuses it already; the engine does not rely on its callers for that.
    for (const w of words) {
      const hidden = plainTextIssue(w, 'reason');
      if (hidden !== undefined) throw new DeskError('invalid_input', hidden, { reason: hidden });
    }
    const why = refundReasonLine(r);
    const fresh = await this.freshen(id, 'refund');
    const { row, op } = this.begin(id, 'refund', actor, fresh, (o) => {
      const a = refundAction(o);
      const amt = checkAmount(a, amount, 'refund', o);
      const sum = money(amt, o.currency);
      return {
        amount: amt,
        reason: why,
        line: msg('op.refund.requested', { amount: sum, reason: refundReasonParam(r) }),
        ...(approval ? { also: [msg('op.refund.approved', { amount: sum })] } : {}),
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
  async void(id: string, actor: string): Promise<OrderSummary> {
    const fresh = await this.freshen(id, 'void');
    const { row, op } = this.begin(id, 'void', actor, fresh, (r) => {
      const a = voidAction(r);
      if (!a.allowed) throw new DeskError('not_allowed', a.reason);
      return { amount: r.authorizedAmount, line: msg('op.void.requested') };
    });
    const txId = row.transactionId as string;
    return this.run(row, op, () => this.ctx.client.void(txId));
  }

  private async run(
    row: OrderRow,
    op: OperationRow,
    call: () => Promise<OperationResult>,
  ): Promise<OrderSummary> {
    this.book.inCall.add(op.id);
    try {
      let result: OperationResult;
      try {
        result = await this.book.trackCall(call());
      } catch (err) {
        return await this.onCallFailed(row, op, err);
      }
      this.ctx.connectivity.reached();
      if (result.status === 'accepted') {
        const r = this.book.commit(row.id, () => ({
          updateOperation: {
            id: op.id,
            patch: { state: 'accepted', eventRequestId: result.eventRequestId },
          },
          events: [
            {
              kind: `${op.kind}_accepted`,
              actor: 'dintero',
              ...(op.amount !== undefined ? { amount: op.amount } : {}),
              message: msg(`op.${op.kind}.accepted`),
            },
          ],
        }));
        return toSummary(r ?? this.book.require(row.id));
      }
      const outcome = findOperationOutcome(result.transaction, op);
      if (outcome.kind === 'failure') {
        this.settle(row.id, op, result.transaction, outcome);
        const text = failedAtDintero(op.kind, outcome.message);
        throw new DinteroError(
          'invalid_request',
          english(text),
          outcome.message !== undefined ? { dinteroMessage: outcome.message } : {},
          text,
        );
      }
      // 200: the operation is done (an answer without our event still is).
      return toSummary(this.settle(row.id, op, result.transaction, { kind: 'success' }));
    } finally {
      this.book.inCall.delete(op.id);
    }
  }

  /** Closes an operation with what the transaction says. */
  private settle(
    orderId: string,
    op: OperationRow,
    tx: DinteroTransaction,
    outcome: { kind: 'success' } | { kind: 'failure'; message?: string },
  ): OrderRow {
    // Settled: any absence the operation's checks were counting ends here.
    this.ctx.absence.forget(op.id);
    const after = this.book.commit(orderId, (r) => {
      const current = this.ctx.journal.operation(op.id);
      if (!current || current.state === 'done' || current.state === 'failed') return undefined;
      return settleChange(r, current, tx, outcome, this.ctx.now());
    });
    return after ?? this.book.require(orderId);
  }

  private async onCallFailed(row: OrderRow, op: OperationRow, err: unknown): Promise<OrderSummary> {
    const e =
      err instanceof DinteroError
        ? err
        : new DinteroError('outcome_unknown', 'The call failed unexpectedly.', {});
    switch (e.kind) {
      case 'invalid_request':
      case 'not_found': {
        this.ctx.connectivity.reached();
        const why = e.details.dinteroMessage ?? e.message;
        const message = msg(`op.${op.kind}.refused`, { why });
        this.book.fail(row.id, op, message, 'dintero');
        throw new DinteroError(e.kind, english(message), e.details, message);
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
            ? msg(`op.${op.kind}.offline`)
            : e.kind === 'rate_limited'
              ? msg(`op.${op.kind}.busy`)
              : msg('op.credentialsRefused');
        this.book.fail(row.id, op, message, 'system');
        throw new DinteroError(e.kind, english(message), e.details, message);
      }
      case 'unavailable':
      case 'outcome_unknown':
      default: {
        // The call may have been carried out: find out before anyone tries again.
        this.book.commit(row.id, () => ({
          updateOperation: { id: op.id, patch: { state: 'unknown' } },
          patch: {
            ...(op.kind === 'capture' || op.kind === 'refund' || op.kind === 'void'
              ? { outcomeUnknown: true }
              : {}),
            lastError: msg(`op.${op.kind}.answerLost`),
          },
          events: [
            {
              kind: `${op.kind}_unknown`,
              actor: 'system',
              message: msg(`op.${op.kind}.checking`),
            },
          ],
        }));
        const settled = await this.resolve(this.ctx.journal.operation(op.id) ?? op);
        const now = this.book.require(row.id);
        const final = this.ctx.journal.operation(op.id);
        if (settled && final?.state === 'done') return toSummary(now);
        if (settled && final?.state === 'failed') {
          const text = this.ctx.journal.get(row.id)?.lastError ?? msg(`op.${op.kind}.notThrough`);
          throw new DinteroError('invalid_request', final.error ?? english(text), {}, text);
        }
        const text = msg(`op.${op.kind}.stillChecking`);
        throw new DinteroError('outcome_unknown', english(text), {}, text);
      }
    }
  }

  /**
   * Settles an operation whose answer was lost (or that a crash interrupted) by reading the
   * transaction. Returns true when it is settled (done or failed). "Absent" only counts once
   * reconcileDelayMs has passed since the operation was last touched.
   */
  async resolve(op: OperationRow): Promise<boolean> {
    const row = this.ctx.journal.get(op.orderId);
    if (!row) return false;
    if (!row.transactionId) {
      this.book.fail(row.id, op, msg(`op.${op.kind}.noTransaction`), 'system');
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
        this.book.commit(row.id, () => ({
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
              message: msg(`op.${op.kind}.processing`),
            },
          ],
        }));
        return false;
      case 'absent': {
        // One read that lacks our event proves nothing: Dintero's reads lag behind its writes.
        const verdict = this.ctx.absence.absent(op.id);
        if (!verdict.conclusive) return false;
        this.book.fail(
          row.id,
          op,
          msg(`op.${op.kind}.absent`, {
            reads: verdict.reads,
            seconds: Math.round(this.ctx.timing.absenceWindowMs / 1000),
          }),
          'system',
        );
        return true;
      }
    }
  }

  /** Settles an accepted (202) or unknown operation from a transaction the poller read. */
  settleFromPoll(row: OrderRow, tx: DinteroTransaction): boolean {
    const op = this.ctx.journal.openOperationFor(row.id);
    if (!op || !awaitsEvents(op) || this.book.inCall.has(op.id)) return false;
    const outcome = findOperationOutcome(tx, op);
    if (outcome.kind !== 'success' && outcome.kind !== 'failure') return false;
    this.settle(row.id, op, tx, outcome);
    return true;
  }

  /**
   * Orders whose capture, refund or void waits for Dintero's events: accepted (202), or with
   * an answer that was lost. The poller reads them every round and settles the operation in
   * the same step as it applies the amounts, so an order never shows the money moved while
   * its operation still says "checking".
   */
  awaitingOrderIds(): Set<string> {
    return new Set(
      this.ctx.journal
        .openOperations()
        .filter((o) => awaitsEvents(o) && !this.book.inCall.has(o.id))
        .map((o) => o.orderId),
    );
  }
}

/** A capture, refund or void that Dintero's events settle: accepted (202) or unknown. */
function awaitsEvents(op: OperationRow): boolean {
  return (op.state === 'accepted' || op.state === 'unknown') && isTransactionOp(op.kind);
}

function refusalFor(row: OrderRow, kind: MoneyOperationKind): { reason: Message } {
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
  return { reason: a.allowed ? pendingMessage('other') : a.reason };
}

/**
 * Runs an operation's checks on the row after the fresh read; when they refuse because money
 * was moved by someone else (another desk, Dintero's Backoffice), says that instead, with the
 * amount already moved.
 */
function checkAfterRead<T>(
  row: OrderRow,
  kind: TxOp,
  fresh: DinteroTransaction | undefined,
  own: readonly OperationRow[],
  check: (row: OrderRow) => T,
): T {
  try {
    return check(row);
  } catch (err) {
    if (!(err instanceof DeskError) || err.code !== 'not_allowed' || !fresh) throw err;
    const elsewhere = movedElsewhere(row, kind, fresh, own);
    throw elsewhere ? new DeskError('not_allowed', elsewhere) : err;
  }
}

/**
 * What a transaction shows done by someone other than this desk, as the reason `kind` is
 * refused: captures and refunds whose reference is none of this desk's operations on the
 * order, and a void this desk did not make. Undefined when nothing was.
 */
export function movedElsewhere(
  row: OrderRow,
  kind: TxOp,
  tx: DinteroTransaction,
  own: readonly Pick<OperationRow, 'kind' | 'reference' | 'state'>[],
): Message | undefined {
  const ours = new Set(own.map((o) => o.reference));
  let captured = 0;
  let refunded = 0;
  let voidEvent = false;
  for (const e of tx.events ?? []) {
    if (!e.success) continue;
    const foreign = e.event_reference === undefined || !ours.has(e.event_reference);
    if (e.event === 'CAPTURE' && foreign) captured += e.amount ?? 0;
    else if (e.event === 'REFUND' && foreign) refunded += e.amount ?? 0;
    else if (e.event === 'VOID') voidEvent = true;
  }
  const voided =
    (voidEvent || tx.status === 'AUTHORIZATION_VOIDED') &&
    !own.some((o) => o.kind === 'void' && o.state === 'done');
  const sum = (minor: number): MessageParam => money(minor, row.currency);
  switch (kind) {
    case 'capture': {
      if (captured > 0) {
        const left = voided ? 0 : capturable(row);
        return left > 0
          ? msg('op.elsewhere.capturedSome', { done: sum(captured), amount: sum(left) })
          : msg('op.elsewhere.captured', { amount: sum(captured) });
      }
      return voided ? msg('op.elsewhere.voided') : undefined;
    }
    case 'refund': {
      if (refunded > 0) {
        const left = refundable(row);
        return left > 0
          ? msg('op.elsewhere.refundedSome', { done: sum(refunded), amount: sum(left) })
          : msg('op.elsewhere.refunded', { amount: sum(refunded) });
      }
      return voided && row.capturedAmount === 0 ? msg('op.elsewhere.voided') : undefined;
    }
    case 'void':
      if (voided) return msg('op.elsewhere.voided');
      return captured > 0
        ? msg('op.elsewhere.capturedNoVoid', { amount: sum(captured) })
        : undefined;
  }
}

function checkAmount(
  a: ActionAvailability,
  amount: number | undefined,
  kind: 'capture' | 'refund',
  row: OrderRow,
): number {
  if (!a.allowed) throw new DeskError('not_allowed', a.reason);
  const max = a.max ?? 0;
  const amt = amount ?? max;
  if (!Number.isSafeInteger(amt) || amt < 1) {
    throw new DeskError('invalid_input', msg(`op.${kind}.amountAboveZero`), {
      amount: msg(`op.${kind}.amountAboveZero`),
    });
  }
  if (amt > max) {
    throw new DeskError(
      'not_allowed',
      msg(`op.${kind}.atMost`, { amount: money(max, row.currency) }),
    );
  }
  return amt;
}

function lineItems(row: OrderRow): Array<{ line_id: string; amount: number; quantity: number }> {
  return row.items.map((i) => ({ line_id: i.lineId, amount: i.amount, quantity: i.quantity }));
}
