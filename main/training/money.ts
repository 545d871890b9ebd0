/**
 * Capture, refund and void in the simulator, with Dintero's bounds and resulting statuses
 * (https://docs.dintero.com/docs/checkout/transaction-management and the payments spec in
 * test/fixtures/dintero/), and the asynchronous (202) variant: the answer carries
 * `event-request-id`, an INITIATE_* event is written at once, and the final event (whose
 * correlation_request_id is that id) when the operation settles.
 */
import type { TransactionEvent, TransactionStatus } from '../dintero/types';
import { ApiError } from './http-io';
import { requestId, shortId } from './ids';
import type { PendingOperation } from './persistence';
import type { CaptureBody, RefundBody } from './request-schemas';
import type { SimCore } from './state';
import type { SimTransaction } from './types';

/** What an operation request led to: done now, or accepted with an event-request-id. */
export interface OperationOutcome {
  transaction: SimTransaction;
  /** Set when accepted (202): the final event will carry it as correlation_request_id. */
  eventRequestId?: string;
}

/** Sums of successful CAPTURE and REFUND events, and whether a VOID succeeded. */
export function totals(tx: Pick<SimTransaction, 'events'>): {
  captured: number;
  refunded: number;
  voided: boolean;
} {
  let captured = 0;
  let refunded = 0;
  let voided = false;
  for (const e of tx.events) {
    if (!e.success) continue;
    if (e.event === 'CAPTURE') captured += e.amount ?? 0;
    else if (e.event === 'REFUND') refunded += e.amount ?? 0;
    else if (e.event === 'VOID') voided = true;
  }
  return { captured, refunded, voided };
}

/**
 * The status the totals imply (Dintero's transaction statuses,
 * https://docs.dintero.com/docs/integrations/support/transaction-statuses): nothing captured
 * = AUTHORIZED; refunds on a partly captured transaction = PARTIALLY_CAPTURED_REFUNDED.
 */
export function statusFor(
  authorized: number,
  t: { captured: number; refunded: number; voided: boolean },
): TransactionStatus {
  if (t.voided && t.captured === 0) return 'AUTHORIZATION_VOIDED';
  if (t.captured === 0) return 'AUTHORIZED';
  if (t.refunded === 0) return t.captured >= authorized ? 'CAPTURED' : 'PARTIALLY_CAPTURED';
  if (t.captured < authorized) return 'PARTIALLY_CAPTURED_REFUNDED';
  return t.refunded >= t.captured ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

function appendEvent(
  core: SimCore,
  tx: SimTransaction,
  ev: Omit<TransactionEvent, 'id' | 'created_at' | 'created_by'>,
): void {
  const at = core.iso();
  tx.events.push(
    core.written.stamp({
      id: shortId(),
      created_at: at,
      created_by: core.config.credentials.clientId,
      ...ev,
    }),
  );
  tx.updated_at = at;
}

const refuse = (message: string): ApiError =>
  new ApiError(400, 'INVALID_TRANSACTION_STATE', message);
const badAmount = (message: string): ApiError =>
  new ApiError(400, 'INVALID_AMOUNT', message, [
    { field: 'amount', message, code: 'invalid_amount' },
  ]);

function checkItems(items: CaptureBody['items'], amount: number): void {
  // Dintero's SDKs check that lines add up; we assume the API does too (inference).
  if (items && items.length > 0 && items.reduce((a, i) => a + i.amount, 0) !== amount) {
    throw badAmount('amount must equal the sum of items');
  }
}

/** Applies a (validated) operation: the final event, the new status and the counters. */
function apply(
  core: SimCore,
  tx: SimTransaction,
  op: Omit<PendingOperation, 'transactionId'>,
  correlation?: string,
): void {
  const t = totals(tx);
  if (op.kind === 'CAPTURE') t.captured += op.amount;
  else if (op.kind === 'REFUND') t.refunded += op.amount;
  else t.voided = true;
  tx.status = statusFor(tx.amount, t);
  appendEvent(core, tx, {
    event: op.kind,
    success: true,
    amount: op.amount,
    request_id: correlation ? requestId() : op.requestId,
    ...(correlation ? { correlation_request_id: correlation } : {}),
    ...(op.eventReference !== undefined ? { event_reference: op.eventReference } : {}),
    transaction_status: tx.status,
  });
  if (op.kind === 'CAPTURE') core.stats.capturesApplied++;
  else if (op.kind === 'REFUND') core.stats.refundsApplied++;
  else core.stats.voidsApplied++;
}

/** Finishes every accepted operation on one transaction (oldest first). Returns the count. */
export function settlePendingFor(core: SimCore, transactionId: string): number {
  const mine = core.pending.filter((p) => p.transactionId === transactionId);
  if (mine.length === 0) return 0;
  core.pending = core.pending.filter((p) => p.transactionId !== transactionId);
  const tx = core.transactions.get(transactionId);
  if (tx) for (const p of mine) apply(core, tx, p, p.requestId);
  core.changed();
  return mine.length;
}

/** Finishes every accepted operation. Returns the count. */
export function settleAll(core: SimCore): number {
  const ids = [...new Set(core.pending.map((p) => p.transactionId))];
  return ids.reduce((n, id) => n + settlePendingFor(core, id), 0);
}

function perform(
  core: SimCore,
  tx: SimTransaction,
  op: Omit<PendingOperation, 'transactionId' | 'requestId'>,
): OperationOutcome {
  const rid = requestId();
  if (core.asyncMode.on) {
    core.pending.push({ ...op, transactionId: tx.id, requestId: rid });
    appendEvent(core, tx, {
      event: `INITIATE_${op.kind}`,
      success: true,
      amount: op.amount,
      request_id: rid,
      ...(op.eventReference !== undefined ? { event_reference: op.eventReference } : {}),
      transaction_status: tx.status,
    });
    core.changed();
    core.scheduleSettle(tx.id);
    return { transaction: tx, eventRequestId: rid };
  }
  apply(core, tx, { ...op, requestId: rid });
  core.changed();
  return { transaction: tx };
}

/** POST /v1/transactions/{id}/capture: amount ≤ authorized − captured, full or partial. */
export function capture(core: SimCore, tx: SimTransaction, body: CaptureBody): OperationOutcome {
  settlePendingFor(core, tx.id);
  if (!['AUTHORIZED', 'PARTIALLY_CAPTURED', 'PARTIALLY_CAPTURED_REFUNDED'].includes(tx.status)) {
    throw refuse(`Cannot capture a transaction that is ${tx.status}`);
  }
  const { captured } = totals(tx);
  if (body.amount <= 0) throw badAmount('amount must be greater than 0');
  if (body.amount > tx.amount - captured) {
    throw badAmount('amount exceeds the remaining authorized amount');
  }
  checkItems(body.items, body.amount);
  return perform(core, tx, {
    kind: 'CAPTURE',
    amount: body.amount,
    ...(body.capture_reference !== undefined ? { eventReference: body.capture_reference } : {}),
    ...(body.items ? { items: body.items } : {}),
  });
}

/** POST /v1/transactions/{id}/refund: only after a capture; amount ≤ captured − refunded. */
export function refund(core: SimCore, tx: SimTransaction, body: RefundBody): OperationOutcome {
  settlePendingFor(core, tx.id);
  const refundable = [
    'CAPTURED',
    'PARTIALLY_CAPTURED',
    'PARTIALLY_CAPTURED_REFUNDED',
    'PARTIALLY_REFUNDED',
  ];
  if (!refundable.includes(tx.status))
    throw refuse(`Cannot refund a transaction that is ${tx.status}`);
  const { captured, refunded } = totals(tx);
  if (body.amount <= 0) throw badAmount('amount must be greater than 0');
  if (body.amount > captured - refunded) throw badAmount('amount exceeds the refundable amount');
  checkItems(body.items, body.amount);
  return perform(core, tx, {
    kind: 'REFUND',
    amount: body.amount,
    ...(body.refund_reference !== undefined ? { eventReference: body.refund_reference } : {}),
    ...(body.items ? { items: body.items } : {}),
  });
}

/**
 * POST /v1/transactions/{id}/void: INITIATED/AUTHORIZED only. Voiding the remainder after a
 * partial capture (allowed by Dintero for some methods; resulting status undocumented) is
 * refused here, like any void after a capture.
 */
export function voidTransaction(core: SimCore, tx: SimTransaction): OperationOutcome {
  settlePendingFor(core, tx.id);
  if (tx.status !== 'AUTHORIZED' && tx.status !== 'INITIATED') {
    throw refuse(`Cannot void a transaction that is ${tx.status}`);
  }
  return perform(core, tx, { kind: 'VOID', amount: tx.amount });
}

/** Voids synchronously, whatever the async mode (used by session cancel). */
export function voidNow(core: SimCore, tx: SimTransaction, rid: string): void {
  settlePendingFor(core, tx.id);
  apply(core, tx, { kind: 'VOID', amount: tx.amount, requestId: rid });
}
