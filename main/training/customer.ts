/**
 * What the customer does with the texted link, played by staff in training and by tests:
 * open it, pay (Vipps or card), decline, or let it lapse.
 */
import { addSessionEvent } from './sessions';
import { checkoutId, requestId, shortId } from './ids';
import type { SimCore } from './state';
import type { CustomerPaymentMethod, SimSession, SimTransaction } from './types';

/** Why a customer action was refused. */
export type CustomerRefusal = 'not_found' | 'cancelled' | 'expired' | 'already_paid' | 'declined';

/** A refused customer action (the control API answers 404/409 with `reason`). */
export class CustomerActionError extends Error {
  override readonly name = 'CustomerActionError';
  readonly reason: CustomerRefusal;
  constructor(reason: CustomerRefusal) {
    super(`Customer action refused: ${reason}`);
    this.reason = reason;
  }
}

function payable(core: SimCore, sessionId: string): SimSession {
  const s = core.session(sessionId);
  if (!s) throw new CustomerActionError('not_found');
  if (s.cancelled_at) throw new CustomerActionError('cancelled');
  if (s.transaction_id) {
    const tx = core.transactions.get(s.transaction_id);
    throw new CustomerActionError(tx?.status === 'DECLINED' ? 'declined' : 'already_paid');
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

function settle(
  core: SimCore,
  s: SimSession,
  method: CustomerPaymentMethod,
  ok: boolean,
): SimTransaction {
  if (!s.events.some((e) => e.name === 'VISITED')) addSessionEvent(core, s, 'VISITED');
  const tx = newTransaction(core, s, method);
  const at = core.iso();
  const base = { success: true, amount: tx.amount, created_at: at } as const;
  tx.events.push({
    id: shortId(),
    event: 'INITIALIZE',
    ...base,
    request_id: requestId(),
    transaction_status: 'INITIATED',
  });
  tx.status = ok ? 'AUTHORIZED' : 'DECLINED';
  tx.events.push({
    id: shortId(),
    event: 'AUTHORIZE',
    ...base,
    success: ok,
    request_id: requestId(),
    transaction_status: tx.status,
    ...(ok
      ? {}
      : { error: { code: 'declined', message: 'Declined by the customer', type: 'DO_NOT_RETRY' } }),
  });
  core.transactions.set(tx.id, tx);
  s.transaction_id = tx.id;
  addSessionEvent(
    core,
    s,
    ok ? 'AUTHORIZED' : 'DECLINED',
    ok
      ? { payment_product_type: tx.payment_product_type, amount: tx.amount }
      : { error: 'authorization', payment_product_type: tx.payment_product_type },
  );
  core.changed();
  return tx;
}

/** The customer pays: an AUTHORIZED transaction for the order amount, linked to the session. */
export function paySession(
  core: SimCore,
  sessionId: string,
  method: CustomerPaymentMethod = 'vipps',
): SimTransaction {
  return settle(core, payable(core, sessionId), method, true);
}

/**
 * The customer declines (e.g. dismisses the Vipps push): a DECLINED transaction linked to the
 * session. The simulator treats the session as finished afterwards (Dintero may let a
 * customer retry; the desk treats declined as final).
 */
export function declineSession(core: SimCore, sessionId: string): SimTransaction {
  return settle(core, payable(core, sessionId), 'vipps', false);
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
