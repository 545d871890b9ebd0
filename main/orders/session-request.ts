/**
 * The body of POST /v1/sessions-profile for an order (fields per
 * https://docs.dintero.com/docs/checkout/create-session): profile, return URL, the customer's
 * E.164 number, order lines with line ids, the order's number in the shop's other system
 * (`merchant_reference_2`), the store, the SMS publish when the
 * order is to be texted, the link's expiry, and our order id in metadata so a lost answer can
 * be told apart from another terminal's session with the same reference.
 */
import type { CreateSessionRequest, DinteroSession } from '../dintero/types';
import type { EngineSettings } from './engine-types';
import type { OrderRow } from './order-row';

const HOUR_MS = 60 * 60 * 1000;

/** Metadata key carrying the journal's order id. */
export const ORDER_ID_METADATA = 'ext_order_id';
/** Metadata key naming the desk that sent the session (its desk identity). */
export const DESK_ID_METADATA = 'ext_desk_id';
/** Metadata key naming the sending desk's terminal, for people. */
export const TERMINAL_METADATA = 'ext_terminal';

/** Builds the create-session request for `row`, with the link expiring `linkLifetimeHours` from `now`. */
export function buildCreateSessionRequest(
  row: OrderRow,
  settings: EngineSettings,
  now: number,
): CreateSessionRequest {
  const customer: NonNullable<CreateSessionRequest['customer']> = { phone_number: row.phone };
  if (row.email) customer.email = row.email;
  if (row.customerName) {
    const name = row.customerName.trim();
    const cut = name.lastIndexOf(' ');
    if (cut > 0) {
      customer.first_name = name.slice(0, cut);
      customer.last_name = name.slice(cut + 1);
    } else {
      customer.first_name = name;
    }
  }
  const order: CreateSessionRequest['order'] = {
    amount: row.amount,
    currency: row.currency,
    merchant_reference: row.merchantReference,
  };
  // The shop's other system's order number, searchable in Backoffice and on the transaction.
  if (row.externalReference) order.merchant_reference_2 = row.externalReference;
  if (row.items.length > 0) {
    order.vat_amount = row.vatAmount;
    order.items = row.items.map((i) => ({
      line_id: i.lineId,
      description: i.description,
      quantity: i.quantity,
      amount: i.amount,
      vat_amount: i.vatAmount,
      vat: i.vatPercent,
    }));
  }
  if (settings.storeId) order.store = { id: settings.storeId };
  const req: CreateSessionRequest = {
    profile_id: settings.profileId,
    url: { return_url: settings.returnUrl },
    customer,
    order,
    expires_at: new Date(now + row.linkLifetimeHours * HOUR_MS).toISOString(),
    metadata: {
      [TERMINAL_METADATA]: settings.terminalName,
      [DESK_ID_METADATA]: settings.deskId,
      [ORDER_ID_METADATA]: row.id,
    },
  };
  if (row.delivery === 'sms') {
    req.configuration = { publish: [{ type: 'checkout-link', channel: 'sms' }] };
  }
  return req;
}

/** True when `session` is the one created for `row` (exact reference, amount, currency, id). */
export function isSessionFor(session: DinteroSession, row: OrderRow): boolean {
  if (session.order?.merchant_reference !== row.merchantReference) return false;
  if (session.order.amount !== row.amount || session.order.currency !== row.currency) return false;
  const meta = (session as { metadata?: Record<string, unknown> }).metadata;
  const id = meta?.[ORDER_ID_METADATA];
  return id === undefined || id === row.id;
}
