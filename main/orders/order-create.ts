/**
 * Building and inserting a new order row. The merchant reference is fixed here, once, from a
 * journal counter taken in the same transaction as the insert (and the column is UNIQUE).
 */
import { randomUUID } from 'node:crypto';
import type { Delivery } from '../../common/domain';
import { msg } from '../../common/i18n/messages';
import type { ValidatedOrder } from '../../common/order-input';
import { maskPhone } from '../redact';
import type { EngineSettings } from './engine-types';
import type { EventInput, Journal } from './journal';
import { dayStamp, deskPart, formatReference, sequenceName } from './merchant-reference';
import { FRESH_ROW, type OrderRow } from './order-row';

/** What a new order carries, already validated. */
export type NewOrderFields = Omit<ValidatedOrder, 'phoneE164'> & { phone: string };

/** Who and when, and (for a resent link) the reference and the order it replaces. */
export interface NewOrderMeta {
  actor: string;
  now: number;
  settings: EngineSettings;
  /** The Dintero account the order is for (the engine's). */
  accountId: string;
  reference?: string;
  replacesOrderId?: string;
  /** Extra first timeline lines after "created". */
  events?: EventInput[];
}

/** Inserts a queued order with its "created" event; call inside journal.transaction(). */
export function insertNewOrder(
  journal: Journal,
  fields: NewOrderFields,
  meta: NewOrderMeta,
): OrderRow {
  let reference = meta.reference;
  if (reference === undefined) {
    const desk = deskPart(meta.settings);
    const day = dayStamp(meta.now);
    reference = formatReference(desk, day, journal.nextSequence(sequenceName(desk, day)));
  }
  const at = new Date(meta.now).toISOString();
  const row: OrderRow = {
    id: randomUUID(),
    merchantReference: reference,
    state: 'queued',
    phone: fields.phone,
    amount: fields.amount,
    currency: fields.currency,
    vatAmount: fields.vatAmount,
    items: fields.items,
    delivery: fields.delivery,
    linkLifetimeHours: fields.linkLifetimeHours,
    createdAt: at,
    updatedAt: at,
    createdBy: meta.actor,
    ...FRESH_ROW,
    nextAttemptAt: meta.now,
    accountId: meta.accountId,
    ...(fields.customerName ? { customerName: fields.customerName } : {}),
    ...(fields.email ? { email: fields.email } : {}),
    ...(fields.note ? { note: fields.note } : {}),
    ...(fields.externalReference ? { externalReference: fields.externalReference } : {}),
    ...(meta.replacesOrderId ? { replacesOrderId: meta.replacesOrderId } : {}),
  };
  const created: EventInput = {
    kind: 'created',
    actor: meta.actor,
    amount: fields.amount,
    message:
      fields.delivery === 'sms'
        ? msg('line.createdSms', {
            reference,
            amount: { money: fields.amount, currency: fields.currency },
            phone: maskPhone(fields.phone),
          })
        : msg('line.createdLinkOnly', {
            reference,
            amount: { money: fields.amount, currency: fields.currency },
          }),
  };
  return journal.insertOrder(row, [created, ...(meta.events ?? [])]);
}

/** The fields of an existing order, to create its replacement (resend). */
export function fieldsOf(row: OrderRow, delivery: Delivery): NewOrderFields {
  return {
    phone: row.phone,
    amount: row.amount,
    currency: row.currency,
    vatAmount: row.vatAmount,
    items: row.items,
    linkLifetimeHours: row.linkLifetimeHours,
    delivery,
    ...(row.customerName ? { customerName: row.customerName } : {}),
    ...(row.email ? { email: row.email } : {}),
    ...(row.note ? { note: row.note } : {}),
    // The replacement is the same order in the other system.
    ...(row.externalReference ? { externalReference: row.externalReference } : {}),
  };
}
