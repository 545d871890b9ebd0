/**
 * The order state machine: every legal move of an order, as one pure table.
 *
 * Every change of `orders.state` in the journal goes through {@link transition}; a pair that is
 * not in the table is refused, so no code path can invent a move (for instance capture a
 * voided order, or send an order twice). States only move forward ({@link STATE_RANK}); the
 * only backward moves are the three named in {@link BACKWARD_EVENTS}, each of which returns an
 * order to the queue when provably nothing reached the customer.
 */
import { FINAL_STATES, ORDER_STATES, type OrderState } from './domain';

/** What can happen to an order. */
export const STATE_EVENTS = [
  /** The outbox picked a queued order and is about to POST it. */
  'send',
  /** Dintero answered the create: the link exists. */
  'link_created',
  /** Nothing was sent (offline, 5xx, 429): back to the queue. */
  'defer',
  /** Dintero refused the create (400): it will never succeed as it is. */
  'refuse',
  /** The create answer was lost: we do not know whether the session exists. */
  'lose',
  /** The reconciler found the session by merchant reference. */
  'reconcile_found',
  /** The reconciler proved no session exists: send it again. */
  'reconcile_absent',
  /** Staff pressed Retry on an order Dintero refused. */
  'retry',
  /** The customer opened the link (or started paying). */
  'open',
  /** The payment was authorized: money reserved. */
  'authorize',
  /** Part of the authorization captured (also when more is captured but not all). */
  'capture_part',
  /** The whole authorization captured. */
  'capture_all',
  /** Part of the captured money refunded. */
  'refund_part',
  /** Everything refunded and nothing left to capture. */
  'refund_all',
  /** The authorization was voided. */
  'void',
  /** The customer (or their bank) declined. */
  'decline',
  /** The payment failed. */
  'fail',
  /** The link lapsed unpaid. */
  'expire',
  /** The link was cancelled (by staff, or in Dintero's Backoffice). */
  'cancel',
] as const;
/** One of {@link STATE_EVENTS}. */
export type StateEvent = (typeof STATE_EVENTS)[number];

/**
 * Forward order of states. A poll result that maps to a lower rank than the order already has
 * is stale and ignored. Final states share the top rank: nothing leaves them (except `retry`).
 * Expired, declined and failed sit below the paid states: a payment can still complete after
 * them (a transaction held ON_HOLD past the link's expiry, a decline followed by a successful
 * attempt on the same link), and the poller follows them for a grace period to see it.
 */
export const STATE_RANK: Readonly<Record<OrderState, number>> = {
  queued: 0,
  sending: 1,
  unknown: 1,
  link_sent: 2,
  opened: 3,
  expired: 4,
  declined: 4,
  failed: 4,
  authorized: 5,
  partially_captured: 6,
  captured: 7,
  partially_refunded: 8,
  refunded: 10,
  voided: 10,
  cancelled: 10,
};

/** The only events allowed to lower the rank; each returns an order to the queue. */
export const BACKWARD_EVENTS: readonly StateEvent[] = ['defer', 'reconcile_absent', 'retry'];

const LINK_OPEN = ['link_sent', 'opened'] as const;
/** Ended unpaid, but a late payment can still arrive (followed for a grace period). */
export const LATE_STATES = ['expired', 'declined', 'failed'] as const;
const PAYABLE = [...LINK_OPEN, ...LATE_STATES] as const;
const PAID_OR_BEFORE = [...PAYABLE, 'authorized'] as const;
const CAPTURABLE = [...PAID_OR_BEFORE, 'partially_captured'] as const;
const REFUNDABLE = [...CAPTURABLE, 'captured', 'partially_refunded'] as const;

function from<S extends readonly OrderState[]>(
  states: S,
  to: OrderState,
): Partial<Record<OrderState, OrderState>> {
  return Object.fromEntries(states.map((s) => [s, to]));
}

/**
 * The whole machine: event -> (from state -> to state). Observations may skip steps (a payment
 * captured and refunded while the desk was offline goes link_sent -> refunded in one move),
 * so the money events are allowed from every earlier live state.
 */
export const TRANSITIONS: Readonly<Record<StateEvent, Partial<Record<OrderState, OrderState>>>> = {
  send: { queued: 'sending' },
  link_created: { sending: 'link_sent' },
  defer: { sending: 'queued' },
  refuse: { sending: 'failed' },
  lose: { sending: 'unknown' },
  reconcile_found: { unknown: 'link_sent', sending: 'link_sent' },
  reconcile_absent: { unknown: 'queued', sending: 'queued' },
  retry: { failed: 'queued' },
  open: { link_sent: 'opened' },
  authorize: from(PAYABLE, 'authorized'),
  capture_part: {
    ...from(CAPTURABLE, 'partially_captured'),
    // Capturing more after a partial refund keeps the order "partially refunded".
    partially_refunded: 'partially_refunded',
  },
  capture_all: {
    ...from(CAPTURABLE, 'captured'),
    partially_refunded: 'partially_refunded',
  },
  refund_part: from(REFUNDABLE, 'partially_refunded'),
  refund_all: from(REFUNDABLE, 'refunded'),
  void: from(PAID_OR_BEFORE, 'voided'),
  decline: from(LINK_OPEN, 'declined'),
  fail: from(LINK_OPEN, 'failed'),
  expire: from(LINK_OPEN, 'expired'),
  // A queued order can be withdrawn before it is sent; a link can be cancelled until paid.
  cancel: { queued: 'cancelled', ...from(LINK_OPEN, 'cancelled') },
};

/** Result of {@link transition}. */
export type TransitionResult = { ok: true; state: OrderState } | { ok: false; reason: string };

/** The next state for `event` in `state`, or why the move is illegal. Pure. */
export function transition(state: OrderState, event: StateEvent): TransitionResult {
  const to = TRANSITIONS[event][state];
  if (to === undefined) {
    return { ok: false, reason: `An order that is ${state} cannot take "${event}".` };
  }
  return { ok: true, state: to };
}

/** True when nothing more can happen to an order in this state. */
export function isFinal(state: OrderState): boolean {
  return FINAL_STATES.includes(state);
}

/** States in which a link to the same number and amount counts as "still open" (duplicates). */
export const OPEN_LINK_STATES: readonly OrderState[] = [
  'queued',
  'sending',
  'unknown',
  'link_sent',
  'opened',
];

/** States the outbox owns: waiting to go out, going out, or waiting to be reconciled. */
export const OUTBOX_STATES: readonly OrderState[] = ['queued', 'sending', 'unknown'];

/**
 * States in which an order still needs the Dintero account it was created for, so changing the
 * account is confirmed first: waiting to be sent or checked, a link the customer can still pay
 * (late ones too: they are followed for a grace period), or money reserved and not all
 * captured. Captured orders are read longer (for refunds made in Backoffice) but need nothing
 * from the account to settle, so they do not hold a switch. An order with an operation in
 * flight needs its account whatever its state.
 */
export const ACCOUNT_BOUND_STATES: readonly OrderState[] = [
  ...OUTBOX_STATES,
  'link_sent',
  'opened',
  'authorized',
  'partially_captured',
  ...LATE_STATES,
];

/**
 * States in which an old order no longer needs its customer's phone, name, email or note:
 * everything captured, refunded, voided or cancelled. Not: waiting to be sent or checked, a
 * link that may still be paid, or money reserved and not all captured. Expired, declined and
 * failed orders ({@link LATE_STATES}) may still be paid late: they join once their grace
 * period is over. An order with an operation in flight keeps its data whatever its state.
 */
export const CUSTOMER_DONE_STATES: readonly OrderState[] = ORDER_STATES.filter(
  (s) => !ACCOUNT_BOUND_STATES.includes(s),
);

/** Paid: the customer's payment was authorized, whatever happened to the money since. */
export const PAID_STATES: readonly OrderState[] = [
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
  'refunded',
];

/** States the status poller follows (plus any order with a money operation in flight). */
export const POLLED_STATES: readonly OrderState[] = [
  'link_sent',
  'opened',
  'authorized',
  'partially_captured',
  'captured',
  'partially_refunded',
];

/** The event that moves an order into `target` (used when applying what Dintero reports). */
export const EVENT_INTO: Readonly<Partial<Record<OrderState, StateEvent>>> = {
  opened: 'open',
  authorized: 'authorize',
  partially_captured: 'capture_part',
  captured: 'capture_all',
  partially_refunded: 'refund_part',
  refunded: 'refund_all',
  voided: 'void',
  declined: 'decline',
  failed: 'fail',
  expired: 'expire',
  cancelled: 'cancel',
};

/** Every state, for exhaustive tests and SQL lists. */
export const ALL_STATES: readonly OrderState[] = ORDER_STATES;

/**
 * The state a paid order's amounts imply: refunded once everything captured is refunded and
 * nothing is left to capture (or Dintero says the whole payment is refunded), else partially
 * refunded; captured or partially captured by what was captured; authorized before that.
 */
export function amountState(
  authorized: number,
  captured: number,
  refunded: number,
  fullyRefundedAtDintero = false,
): OrderState {
  if (refunded > 0) {
    const nothingLeftToCapture = captured >= authorized || fullyRefundedAtDintero;
    return refunded >= captured && nothingLeftToCapture ? 'refunded' : 'partially_refunded';
  }
  if (captured > 0) return captured >= authorized ? 'captured' : 'partially_captured';
  return 'authorized';
}
