/**
 * What staff may do with an order right now, with the most they may capture or refund, or the
 * plain reason they may not. Pure: the same rules guard the money operations themselves, so
 * the buttons and the engine can never disagree.
 */
import type {
  ActionAvailability,
  MoneyOperationKind,
  OrderActions,
  OrderState,
  OrderSummary,
} from './domain';

/**
 * The fields of an order the action rules read: what the journal's row (main) and the
 * screen's summary (via {@link actionableOf}) both carry. Kept minimal so every caller,
 * engine, screen or test double, decides by the same rules.
 */
export interface ActionableOrder {
  state: OrderState;
  authorizedAmount: number;
  capturedAmount: number;
  refundedAmount: number;
  /** The money operation in flight, if any. */
  pendingOp?: MoneyOperationKind | undefined;
  /** The answer to the pending operation was lost. */
  outcomeUnknown?: boolean | undefined;
  replacedByOrderId?: string | undefined;
  /** The Dintero account the order belongs to. */
  accountId?: string | undefined;
}

/** The action-relevant fields of an order as the screen sees it (renamed where they differ). */
export function actionableOf(o: OrderSummary): ActionableOrder {
  return {
    state: o.state,
    authorizedAmount: o.authorizedAmount,
    capturedAmount: o.capturedAmount,
    refundedAmount: o.refundedAmount,
    pendingOp: o.pendingOperation,
    outcomeUnknown: o.outcomeUnknown === true,
    replacedByOrderId: o.replacedByOrderId,
    accountId: o.accountId,
  };
}

const PENDING_WORDS: Readonly<Record<string, string>> = {
  capture: 'A capture',
  refund: 'A refund',
  void: 'A void',
  cancel: 'Cancelling the link',
  resend: 'Resending the link',
};

/** The message for a second operation while one is in flight (or its outcome is unknown). */
export function pendingMessage(pendingOp: string, outcomeUnknown = false): string {
  const what = PENDING_WORDS[pendingOp] ?? 'Another operation';
  return outcomeUnknown
    ? `The answer to ${what.toLowerCase()} was lost. Paylink Desk is checking with Dintero whether it went through; no other money operation can start until that is known.`
    : `${what} is already in progress for this order. Wait for it to finish.`;
}

/** Refusal while an operation is in flight, else undefined. */
function busy(o: ActionableOrder): ActionAvailability | undefined {
  return o.pendingOp ? no(pendingMessage(o.pendingOp, o.outcomeUnknown)) : undefined;
}

const no = (reason: string): ActionAvailability => ({ allowed: false, reason });

/** Why an order of another account cannot be acted on. */
export function otherAccountMessage(accountId: string): string {
  return `This order belongs to Dintero account ${accountId}. Switch Settings back to that account to act on it.`;
}

/** Money still capturable: authorized − captured (never negative). */
export function capturable(
  o: Pick<ActionableOrder, 'authorizedAmount' | 'capturedAmount'>,
): number {
  return Math.max(0, o.authorizedAmount - o.capturedAmount);
}

/** Money still refundable: captured − refunded (never negative). */
export function refundable(o: Pick<ActionableOrder, 'capturedAmount' | 'refundedAmount'>): number {
  return Math.max(0, o.capturedAmount - o.refundedAmount);
}

const NOT_PAID: readonly OrderState[] = ['queued', 'sending', 'unknown', 'link_sent', 'opened'];

/** Whether a capture is allowed, and of how much at most. */
export function captureAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (NOT_PAID.includes(o.state)) return no('The customer has not paid yet.');
  if (o.state === 'voided') return no('The payment was voided; there is nothing to capture.');
  if (!['authorized', 'partially_captured', 'partially_refunded'].includes(o.state)) {
    if (o.state === 'captured' || o.state === 'refunded')
      return no('Everything has been captured.');
    return no('There is no payment to capture.');
  }
  const max = capturable(o);
  if (max <= 0) return no('Everything has been captured.');
  return { allowed: true, max };
}

/** Whether a refund is allowed, and of how much at most. */
export function refundAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (NOT_PAID.includes(o.state)) return no('The customer has not paid yet.');
  if (!['partially_captured', 'captured', 'partially_refunded'].includes(o.state)) {
    if (o.state === 'authorized') return no('Nothing has been captured yet; void instead.');
    if (o.state === 'refunded') return no('Everything has been refunded.');
    return no('There is no captured payment to refund.');
  }
  const max = refundable(o);
  if (max <= 0) return no('Everything captured has been refunded.');
  return { allowed: true, max };
}

/** Whether the authorization can be voided (only while nothing is captured). */
export function voidAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (o.state === 'authorized' && o.capturedAmount === 0) return { allowed: true };
  if (NOT_PAID.includes(o.state))
    return no('The customer has not paid yet; cancel the link instead.');
  if (o.capturedAmount > 0) return no('Part of the payment is captured; refund instead.');
  return no('There is no authorization to void.');
}

/** Whether the link can be cancelled (or a queued order withdrawn). */
export function cancelLinkAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  switch (o.state) {
    case 'queued':
    case 'link_sent':
    case 'opened':
      return { allowed: true };
    case 'sending':
      return no('The link is being sent right now; try again in a moment.');
    case 'unknown':
      return no(
        'Paylink Desk is checking with Dintero whether the link was sent; try again shortly.',
      );
    case 'authorized':
      return no('The customer has paid; void the payment instead.');
    case 'partially_captured':
    case 'captured':
    case 'partially_refunded':
    case 'refunded':
      return no('The payment has been captured; the link can no longer be cancelled.');
    default:
      return no('The link is no longer active.');
  }
}

/** Whether a new link can be sent in place of this order's. */
export function resendLinkAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (o.replacedByOrderId) return no('A new link has already been sent for this order.');
  switch (o.state) {
    case 'link_sent':
    case 'opened':
    case 'expired':
    case 'cancelled':
    case 'declined':
    case 'failed':
      return { allowed: true };
    case 'queued':
    case 'sending':
    case 'unknown':
      return no('The link has not been sent yet.');
    default:
      return no('The customer has already paid.');
  }
}

/**
 * Every action for the detail screen. An order of another Dintero account than the one in use
 * (`accountId`) allows nothing: it waits until the desk is switched back to its account.
 */
export function orderActions(o: ActionableOrder, accountId?: string): OrderActions {
  if (accountId !== undefined && o.accountId !== undefined && o.accountId !== accountId) {
    const other = no(otherAccountMessage(o.accountId));
    return { capture: other, refund: other, void: other, cancelLink: other, resendLink: other };
  }
  return {
    capture: captureAction(o),
    refund: refundAction(o),
    void: voidAction(o),
    cancelLink: cancelLinkAction(o),
    resendLink: resendLinkAction(o),
  };
}
