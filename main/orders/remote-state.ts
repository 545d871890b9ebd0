/**
 * What Dintero's answers mean for an order: pure mappings from a session or a transaction to
 * the state and amounts they imply, and from that "observation" to one journal change.
 *
 * Amounts are recomputed from the transaction's successful CAPTURE and REFUND events
 * (captured = Σ CAPTURE, refunded = Σ REFUND), so changes made elsewhere (a refund in
 * Dintero's Backoffice) are picked up. Amounts never go down and states never go backwards:
 * an answer older than what the journal knows changes nothing.
 */
import { msg, type Message, type MessageParam } from '../../common/i18n/messages';
import type { OrderState } from '../../common/domain';
import type { DinteroSession, DinteroTransaction, TransactionStatus } from '../dintero/types';
import type { EventInput, OrderChange, OrderPatch } from './journal';
import type { OrderRow } from './order-row';
import {
  amountState,
  EVENT_INTO,
  PAID_STATES,
  STATE_RANK,
  transition,
  type StateEvent,
} from '../../common/order-state';

/** What one Dintero answer says about an order. */
export interface Observation {
  state: OrderState;
  transactionId?: string;
  authorizedAmount?: number;
  capturedAmount?: number;
  refundedAmount?: number;
  paymentMethod?: string;
  expiresAt?: string;
}

/** What a session says, when it has no transaction (read the transaction otherwise). */
export function observeSession(
  session: DinteroSession,
  order: Pick<OrderRow, 'state' | 'expiresAt'>,
  now: number,
): Observation {
  const expiresAt = session.expires_at ?? order.expiresAt;
  if (session.transaction_id) {
    return { state: 'opened', transactionId: session.transaction_id };
  }
  if (session.cancelled_at) return { state: 'cancelled' };
  if (expiresAt !== undefined && Date.parse(expiresAt) <= now) {
    return { state: 'expired', expiresAt };
  }
  const visited = (session.events ?? []).some((e) => e.name === 'VISITED');
  return { state: visited ? 'opened' : 'link_sent', ...(expiresAt ? { expiresAt } : {}) };
}

/** Σ of successful CAPTURE and REFUND events, or undefined when the answer has no events. */
export function eventTotals(
  tx: DinteroTransaction,
): { captured: number; refunded: number } | undefined {
  if (!tx.events) return undefined;
  let captured = 0;
  let refunded = 0;
  for (const e of tx.events) {
    if (!e.success) continue;
    if (e.event === 'CAPTURE') captured += e.amount ?? 0;
    else if (e.event === 'REFUND') refunded += e.amount ?? 0;
  }
  return { captured, refunded };
}

/** Amount-driven state for a paid transaction (the rule itself lives in common/order-state). */
export function moneyState(
  authorized: number,
  captured: number,
  refunded: number,
  status: TransactionStatus,
): OrderState {
  return amountState(authorized, captured, refunded, status === 'REFUNDED');
}

const PAID_STATUSES: readonly TransactionStatus[] = [
  'AUTHORIZED',
  'PARTIALLY_CAPTURED',
  'CAPTURED',
  'PARTIALLY_REFUNDED',
  'PARTIALLY_CAPTURED_REFUNDED',
  'REFUNDED',
  'AUTHORIZATION_VOIDED',
];

/** What a transaction says. */
export function observeTransaction(tx: DinteroTransaction): Observation {
  const base: Observation = {
    state: 'opened',
    transactionId: tx.id,
    ...(tx.payment_product_type || tx.payment_product
      ? { paymentMethod: tx.payment_product_type ?? tx.payment_product }
      : {}),
  };
  switch (tx.status) {
    case 'INITIATED':
    case 'ON_HOLD':
    case 'UNKNOWN':
      return base;
    case 'DECLINED':
      return { ...base, state: 'declined' };
    case 'FAILED':
      return { ...base, state: 'failed' };
    default:
      break;
  }
  if (!PAID_STATUSES.includes(tx.status)) return base;
  const authorized = tx.amount;
  let totals = eventTotals(tx);
  if (!totals) {
    // No events in the answer: fall back on what the status alone implies.
    const full = tx.amount;
    totals =
      tx.status === 'CAPTURED'
        ? { captured: full, refunded: 0 }
        : tx.status === 'REFUNDED'
          ? { captured: full, refunded: full }
          : { captured: 0, refunded: 0 };
  }
  const obs: Observation = {
    ...base,
    authorizedAmount: authorized,
    capturedAmount: totals.captured,
    refundedAmount: totals.refunded,
    state: moneyState(authorized, totals.captured, totals.refunded, tx.status),
  };
  if (tx.status === 'AUTHORIZATION_VOIDED') {
    // Voiding the remainder after a partial capture leaves the captured part as it is.
    obs.state =
      totals.captured > 0
        ? moneyState(totals.captured, totals.captured, totals.refunded, tx.status)
        : 'voided';
    if (totals.captured > 0) obs.authorizedAmount = totals.captured;
  }
  return obs;
}

/** Who did it, for the timeline. */
export interface ObservationContext {
  /** 'dintero' for what polling finds; the terminal name for our own operations. */
  actor: string;
  at: number;
  /** Our operation's reference (e.g. DESK-20250301-1-C1), named in the money lines. */
  reference?: string;
}

/**
 * The one journal change that brings `row` up to date with `obs`, or undefined when it adds
 * nothing (same state, same amounts, or an older answer).
 */
export function changeFromObservation(
  row: OrderRow,
  obs: Observation,
  ctx: ObservationContext,
): OrderChange | undefined {
  const patch: OrderPatch = {};
  const events: EventInput[] = [];
  /** The line's key: plain, "(seen in Dintero)", or "(reference …)" for our own operation. */
  const line = (base: string, params: Record<string, MessageParam> = {}): Message =>
    ctx.reference !== undefined
      ? msg(`${base}Ref`, { ...params, reference: ctx.reference })
      : msg(ctx.actor === 'dintero' ? `${base}Seen` : base, params);

  if (obs.transactionId && obs.transactionId !== row.transactionId) {
    patch.transactionId = obs.transactionId;
  }
  if (obs.paymentMethod && obs.paymentMethod !== row.paymentMethod) {
    patch.paymentMethod = obs.paymentMethod;
  }
  if (obs.expiresAt && !row.expiresAt) patch.expiresAt = obs.expiresAt;

  const authorized =
    obs.authorizedAmount !== undefined && obs.authorizedAmount > 0
      ? obs.authorizedAmount
      : row.authorizedAmount;
  const captured = Math.max(row.capturedAmount, obs.capturedAmount ?? 0);
  const refunded = Math.max(row.refundedAmount, obs.refundedAmount ?? 0);

  let event: StateEvent | undefined;
  const target = obs.state;
  if (target !== row.state && STATE_RANK[target] > STATE_RANK[row.state]) {
    const candidate = EVENT_INTO[target];
    if (candidate && transition(row.state, candidate).ok) event = candidate;
  } else if (target === row.state) {
    const self = EVENT_INTO[target];
    const amountsMoved = captured !== row.capturedAmount || refunded !== row.refundedAmount;
    if (self && amountsMoved && transition(row.state, self).ok) event = self;
  }

  const newState = event
    ? (transition(row.state, event) as { state: OrderState }).state
    : row.state;
  const stale = STATE_RANK[target] < STATE_RANK[row.state];
  // Amounts follow a fresh answer only (never down; a stale answer changes nothing).
  if (!stale || target === row.state) {
    if (authorized !== row.authorizedAmount && (isPaid(newState) || newState === 'voided')) {
      patch.authorizedAmount = authorized;
    }
    if (captured !== row.capturedAmount) patch.capturedAmount = captured;
    if (refunded !== row.refundedAmount) patch.refundedAmount = refunded;
  }
  if (isPaid(newState) && !row.authorizedAt) {
    patch.authorizedAt = new Date(ctx.at).toISOString();
  }

  if (event === 'open') {
    events.push({ kind: 'opened', actor: 'customer', message: msg('line.opened') });
  }
  if (!isPaid(row.state) && isPaid(newState)) {
    const amount = { money: authorized, currency: row.currency };
    events.push({
      kind: 'authorized',
      actor: 'customer',
      amount: authorized,
      message: obs.paymentMethod
        ? msg('line.paidWith', { amount, method: obs.paymentMethod })
        : msg('line.paid', { amount }),
    });
  }
  const capturedDelta = (patch.capturedAmount ?? row.capturedAmount) - row.capturedAmount;
  if (capturedDelta > 0) {
    events.push({
      kind: 'captured',
      actor: ctx.actor,
      amount: capturedDelta,
      message: line('line.captured', { amount: { money: capturedDelta, currency: row.currency } }),
    });
  }
  const refundedDelta = (patch.refundedAmount ?? row.refundedAmount) - row.refundedAmount;
  if (refundedDelta > 0) {
    events.push({
      kind: 'refunded',
      actor: ctx.actor,
      amount: refundedDelta,
      message: line('line.refunded', { amount: { money: refundedDelta, currency: row.currency } }),
    });
  }
  if (event && FINAL_LINE_STATES.includes(newState)) {
    events.push({ kind: newState, actor: ctx.actor, message: line(`line.${newState}`) });
  }
  if (!event && Object.keys(patch).length === 0) return undefined;
  if (event && events.length === 0) events.push({ kind: newState, actor: ctx.actor });
  return { ...(event ? { event } : {}), patch, events };
}

/** True once the customer has paid (authorized, whatever happened to the money since). */
export function isPaid(state: OrderState): boolean {
  return PAID_STATES.includes(state);
}

/** States whose arrival gets its own timeline line (line.voided, line.declined, …). */
const FINAL_LINE_STATES: readonly OrderState[] = [
  'voided',
  'declined',
  'failed',
  'expired',
  'cancelled',
];
