/**
 * Why a refund is made: one reason from a short list plus optional words. The desk's own
 * list is the built-in one (codes, said in the desk's language) unless the shop wrote its
 * own in Settings (its words, shown as written). The journal and Dintero get one line of
 * text: the code or the shop's reason, then the words.
 */
import { msg, type MessageParam } from './i18n/messages';

/** The built-in reasons, each a catalog word under `refundReason.`. */
export const REFUND_REASON_CODES = [
  'returned',
  'cancelled',
  'damaged',
  'price',
  'goodwill',
  'other',
] as const;
export type RefundReasonCode = (typeof REFUND_REASON_CODES)[number];

/** A reason as staff chose it: a built-in code or one of the shop's reasons, plus words. */
export type RefundReason = ({ code: RefundReasonCode } | { label: string }) & { text?: string };

/** The reason as a message parameter (a built-in code is said in the reader's language). */
export function refundReasonParam(r: RefundReason): MessageParam {
  const head: MessageParam = 'code' in r ? { text: msg(`refundReason.${r.code}`) } : r.label;
  const text = r.text?.trim();
  return text ? { text: msg('refundReason.withText', { reason: head, text }) } : head;
}

/** The reason as one line of text for the journal and Dintero (codes stay codes). */
export function refundReasonLine(r: RefundReason): string {
  const head = 'code' in r ? r.code : r.label;
  const text = r.text?.trim();
  return text ? `${head}: ${text}` : head;
}
