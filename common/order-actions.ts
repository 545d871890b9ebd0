/**
 * What staff may do with an order right now, with the most they may capture or refund, or the
 * plain reason they may not. Pure: the same rules guard the money operations themselves, so
 * the buttons and the engine can never disagree.
 */
import { msg, type Message } from './i18n/messages';
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
  /** Set once the customer's data was erased: nothing can be sent to them again. */
  customerErasedAt?: string | undefined;
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
    customerErasedAt: o.customerErasedAt,
  };
}

/** The message for a second operation while one is in flight (or its outcome is unknown). */
export function pendingMessage(pendingOp: string, outcomeUnknown = false): Message {
  const op = PENDING_OPS.includes(pendingOp) ? pendingOp : 'other';
  return msg(outcomeUnknown ? `reason.unknownOutcome.${op}` : `reason.inProgress.${op}`);
}

const PENDING_OPS: readonly string[] = ['capture', 'refund', 'void', 'cancel', 'resend'];

/** Refusal while an operation is in flight, else undefined. */
function busy(o: ActionableOrder): ActionAvailability | undefined {
  return o.pendingOp ? no(pendingMessage(o.pendingOp, o.outcomeUnknown)) : undefined;
}

const no = (reason: Message): ActionAvailability => ({ allowed: false, reason });

/** Why an order of another account cannot be acted on. */
export function otherAccountMessage(accountId: string): Message {
  return msg('reason.otherAccount', { account: accountId });
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
  if (NOT_PAID.includes(o.state)) return no(msg('reason.notPaid'));
  if (o.state === 'voided') return no(msg('reason.voidedNothingToCapture'));
  if (!['authorized', 'partially_captured', 'partially_refunded'].includes(o.state)) {
    if (o.state === 'captured' || o.state === 'refunded') return no(msg('reason.allCaptured'));
    return no(msg('reason.noPaymentToCapture'));
  }
  const max = capturable(o);
  if (max <= 0) return no(msg('reason.allCaptured'));
  return { allowed: true, max };
}

/** Whether a refund is allowed, and of how much at most. */
export function refundAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (NOT_PAID.includes(o.state)) return no(msg('reason.notPaid'));
  if (!['partially_captured', 'captured', 'partially_refunded'].includes(o.state)) {
    if (o.state === 'authorized') return no(msg('reason.nothingCapturedVoidInstead'));
    if (o.state === 'refunded') return no(msg('reason.allRefunded'));
    return no(msg('reason.noCaptureToRefund'));
  }
  const max = refundable(o);
  if (max <= 0) return no(msg('reason.allCapturedRefunded'));
  return { allowed: true, max };
}

/** Whether the authorization can be voided (only while nothing is captured). */
export function voidAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (o.state === 'authorized' && o.capturedAmount === 0) return { allowed: true };
  if (NOT_PAID.includes(o.state)) return no(msg('reason.notPaidCancelInstead'));
  if (o.capturedAmount > 0) return no(msg('reason.partCapturedRefundInstead'));
  return no(msg('reason.noAuthorizationToVoid'));
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
      return no(msg('reason.beingSent'));
    case 'unknown':
      return no(msg('reason.checkingCreate'));
    case 'authorized':
      return no(msg('reason.paidVoidInstead'));
    case 'partially_captured':
    case 'captured':
    case 'partially_refunded':
    case 'refunded':
      return no(msg('reason.capturedCannotCancel'));
    default:
      return no(msg('reason.linkNotActive'));
  }
}

/** Whether a new link can be sent in place of this order's. */
export function resendLinkAction(o: ActionableOrder): ActionAvailability {
  const inFlight = busy(o);
  if (inFlight) return inFlight;
  if (o.replacedByOrderId) return no(msg('reason.alreadyResent'));
  if (o.customerErasedAt !== undefined) return no(msg('reason.customerErased'));
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
      return no(msg('reason.notSentYet'));
    default:
      return no(msg('reason.alreadyPaid'));
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
