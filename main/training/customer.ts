/**
 * What the customer does with the texted link, played by staff in training and by tests:
 * open it, pay (Vipps or card), decline (and try again), pay into a review hold (ON_HOLD,
 * released later, even after the link expired), or let it lapse.
 */
import { addSessionEvent } from './sessions';
import { checkoutId, requestId, shortId } from './ids';
import type { SimCore } from './state';
import type { TransactionStatus } from '../dintero/types';
import type { CustomerPaymentMethod, SimSession, SimTransaction } from './types';

/** Why a customer action was refused. */
export type CustomerRefusal =
  'not_found' | 'cancelled' | 'expired' | 'already_paid' | 'declined' | 'not_on_hold';

/** A refused customer action (the control API answers 404/409 with `reason`). */
export class CustomerActionError extends Error {
  override readonly name = 'CustomerActionError';
  readonly reason: CustomerRefusal;
  constructor(reason: CustomerRefusal) {
    super(`Customer action refused: ${reason}`);
    this.reason = reason;
  }
}

/** Statuses after which the customer may try again on the same link (until it expires). */
const RETRYABLE: ReadonlySet<string> = new Set(['DECLINED', 'FAILED']);

function payable(core: SimCore, sessionId: string): SimSession {
  const s = core.session(sessionId);
  if (!s) throw new CustomerActionError('not_found');
  if (s.cancelled_at) throw new CustomerActionError('cancelled');
  if (s.transaction_id) {
    const tx = core.transactions.get(s.transaction_id);
    if (!tx || !RETRYABLE.has(tx.status)) throw new CustomerActionError('already_paid');
  }
  if (core.isExpired(s)) throw new CustomerActionError('expired');
  return s;
}

/** The customer opens the link: a VISITED event (each visit, as Dintero records them). */
export function openSession(core: SimCore, sessionId: string): SimSession {
  const s = core.session(sessionId);
  if (!s) throw new CustomerActionError('not_found');
  if (s.cancelled_at) throw new CustomerActionError('cancelled');
  if (core.isExpired(s) && !s.transaction_id) throw new CustomerActionError('expired');
  addSessionEvent(core, s, 'VISITED');
  core.changed();
  return s;
}

function newTransaction(
  core: SimCore,
  s: SimSession,
  method: CustomerPaymentMethod,
): SimTransaction {
  const at = core.iso();
  const card = method === 'card';
  const phone = s.customer?.phone_number;
  return {
    id: checkoutId(core.accountId),
    session_id: s.id,
    created_at: at,
    updated_at: at,
    status: 'INITIATED',
    amount: s.order.amount,
    currency: s.order.currency,
    merchant_reference: s.order.merchant_reference,
    ...(s.order.merchant_reference_2 ? { merchant_reference_2: s.order.merchant_reference_2 } : {}),
    // Dintero copies the session's order.store onto the transaction (day close filters on it).
    ...(s.order.store ? { store: { ...s.order.store } } : {}),
    payment_product: card ? 'dintero_psp' : 'vipps',
    payment_product_type: card ? 'dintero_psp.creditcard' : 'vipps',
    ...(card ? { card: { brand: 'VISA', masked_pan: '411111******1111' } } : {}),
    ...(phone ? { customer: { phone_number: phone } } : {}),
    ...(s.order.items ? { items: s.order.items.map((i) => ({ ...i })) } : {}),
    events: [],
    settlement_status: 'NOT_SETTLED',
    metadata: {},
  };
}

/** How a customer's payment attempt ends for now. */
type Attempt = 'authorized' | 'declined' | 'on_hold';

/**
 * One payment attempt on the session: a new transaction (INITIALIZE, then AUTHORIZE success
 * or failure; an ON_HOLD attempt stops after INITIALIZE with status ON_HOLD), linked to the
 * session, and the matching session event. Every stored object is stamped for the lags.
 *
 * One transaction per session: Dintero says "there will only be one transaction for any one
 * session" (https://docs.dintero.com/docs/checkout/after-payment), and whether a declined link
 * can be paid again is undocumented. The simulator's choice: a declined (or failed) attempt
 * leaves its DECLINED/FAILED transaction, and the session stays payable until it expires; a
 * later attempt makes a NEW transaction and the session's `transaction_id` moves to it. So the
 * session always names exactly one transaction (the one that counts), the declined one stays
 * readable by its id and in transaction lists, and an app that stopped reading a declined order
 * (or kept the declined transaction id) misses the payment: it must follow the session.
 */
function attempt(
  core: SimCore,
  s: SimSession,
  method: CustomerPaymentMethod,
  how: Attempt,
): SimTransaction {
  if (!s.events.some((e) => e.name === 'VISITED')) addSessionEvent(core, s, 'VISITED');
  const tx = core.written.stamp(newTransaction(core, s, method));
  const at = core.iso();
  const base = { success: true, amount: tx.amount, created_at: at } as const;
  const first: TransactionStatus = how === 'on_hold' ? 'ON_HOLD' : 'INITIATED';
  tx.events.push(
    core.written.stamp({
      id: shortId(),
      event: 'INITIALIZE',
      ...base,
      request_id: requestId(),
      transaction_status: first,
    }),
  );
  tx.status = first;
  core.transactions.set(tx.id, tx);
  s.transaction_id = tx.id;
  if (how === 'on_hold') {
    addSessionEvent(core, s, 'ON_HOLD', { payment_product_type: tx.payment_product_type });
    core.changed();
    return tx;
  }
  authorize(core, s, tx, how === 'authorized');
  core.changed();
  return tx;
}

/** The AUTHORIZE event (success or not), the resulting status and the session event. */
function authorize(core: SimCore, s: SimSession, tx: SimTransaction, ok: boolean): void {
  const heldBefore = tx.status === 'ON_HOLD';
  tx.status = ok ? 'AUTHORIZED' : heldBefore ? 'FAILED' : 'DECLINED';
  const at = core.iso();
  tx.updated_at = at;
  tx.events.push(
    core.written.stamp({
      id: shortId(),
      event: 'AUTHORIZE',
      success: ok,
      amount: tx.amount,
      created_at: at,
      request_id: requestId(),
      transaction_status: tx.status,
      ...(ok
        ? {}
        : heldBefore
          ? { error: { code: 'rejected', message: 'Rejected after review', type: 'DO_NOT_RETRY' } }
          : {
              error: {
                code: 'declined',
                message: 'Declined by the customer',
                type: 'DO_NOT_RETRY',
              },
            }),
    }),
  );
  addSessionEvent(
    core,
    s,
    ok ? 'AUTHORIZED' : heldBefore ? 'FAILED' : 'DECLINED',
    ok
      ? { payment_product_type: tx.payment_product_type, amount: tx.amount }
      : { error: 'authorization', payment_product_type: tx.payment_product_type },
  );
}

/** The customer pays: an AUTHORIZED transaction for the order amount, linked to the session. */
export function paySession(
  core: SimCore,
  sessionId: string,
  method: CustomerPaymentMethod = 'vipps',
): SimTransaction {
  return attempt(core, payable(core, sessionId), method, 'authorized');
}

/**
 * The customer declines (e.g. dismisses the Vipps push): a DECLINED transaction linked to the
 * session. The link stays payable until it expires; see `attempt` for how a later payment
 * is linked.
 */
export function declineSession(core: SimCore, sessionId: string): SimTransaction {
  return attempt(core, payable(core, sessionId), 'vipps', 'declined');
}

/**
 * The customer pays with a method that holds the payment for review (Dintero: ON_HOLD, e.g.
 * Walley manual review): the transaction stays ON_HOLD until `releaseHold`.
 */
export function holdSession(
  core: SimCore,
  sessionId: string,
  method: CustomerPaymentMethod = 'card',
): SimTransaction {
  return attempt(core, payable(core, sessionId), method, 'on_hold');
}

/**
 * The review ends: the session's ON_HOLD transaction becomes AUTHORIZED (or FAILED). Allowed
 * whenever the transaction is still ON_HOLD, also after the link's expires_at has passed
 * (Dintero: "will later be updated with a final payment status AUTHORIZED or FAILED").
 */
export function releaseHold(core: SimCore, sessionId: string, authorized = true): SimTransaction {
  const s = core.session(sessionId);
  if (!s) throw new CustomerActionError('not_found');
  const tx = s.transaction_id ? core.transactions.get(s.transaction_id) : undefined;
  if (!tx || tx.status !== 'ON_HOLD') throw new CustomerActionError('not_on_hold');
  authorize(core, s, tx, authorized);
  core.changed();
  return tx;
}

/** The link lapses now: expires_at becomes the current time; paying is refused from then. */
export function expireSession(core: SimCore, sessionId: string): SimSession {
  const s = core.session(sessionId);
  if (!s) throw new CustomerActionError('not_found');
  s.expires_at = core.iso();
  s.updated_at = s.expires_at;
  core.changed();
  return s;
}
