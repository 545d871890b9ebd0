/**
 * A refund as staff ask for it at the desk: the reason must be on the desk's list, and a
 * refund above the approval limit needs the manager PIN before anything is journaled or
 * sent. The amount is fixed before the PIN is checked (the whole refundable amount when
 * staff gave none), so the approval covers exactly what is sent.
 */
import { msg } from '../../common/i18n/messages';
import type { OrderSummary } from '../../common/domain';
import { currencyExponent } from '../../common/money';
import type { RefundReason, RefundReasonCode } from '../../common/refund-reason';
import { DeskError } from '../desk-error';
import type { OrderEngine } from '../orders/engine-types';
import type { SettingsStore } from '../settings';
import type { DeskAccessService } from './desk-access';

export interface RefundRequest {
  id: string;
  amount?: number | undefined;
  reason: { code: RefundReasonCode } | { label: string };
  reasonText?: string | undefined;
  managerPin?: string | undefined;
}

export interface RefundDeps {
  engine: OrderEngine;
  settings: SettingsStore;
  access: DeskAccessService;
}

/** Checks the reason, the lock and the approval, then asks the engine to refund. */
export async function requestRefund(
  deps: RefundDeps,
  req: RefundRequest,
  actor: string,
): Promise<OrderSummary> {
  const { engine, settings, access } = deps;
  access.requireStaff();
  access.assertNotLocked();
  const s = settings.get();
  const own = s.refundReasons;
  const onList = 'label' in req.reason ? own.includes(req.reason.label) : own.length === 0;
  if (!onList) {
    throw new DeskError('invalid_input', msg('access.reasonNotListed'), {
      reason: msg('access.reasonNotListed'),
    });
  }
  const detail = engine.getOrder(req.id);
  const refundable = detail.actions.refund;
  // Refused refunds (nothing to refund, over the bound) are refused by the engine in words.
  const amount = req.amount ?? (refundable.allowed ? refundable.max : undefined);
  const limit = s.refundApprovalAbove;
  const currency = detail.order.currency;
  let approved = false;
  const limitMinor = limit === null ? undefined : limit * 10 ** currencyExponent(currency);
  if (amount !== undefined && limitMinor !== undefined && amount > limitMinor) {
    const above = { limit: { money: limitMinor, currency } };
    if (!access.managerPinSet) {
      throw new DeskError('not_allowed', msg('access.noManagerPin', above));
    }
    await access.checkManagerPin(req.managerPin, msg('access.refundNeedsApproval', above));
    approved = true;
  }
  const text = req.reasonText?.trim();
  const reason: RefundReason = { ...req.reason, ...(text ? { text } : {}) };
  return engine.refund(req.id, amount, reason, actor, approved ? 'manager_pin' : undefined);
}
