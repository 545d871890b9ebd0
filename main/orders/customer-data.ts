/**
 * Erasing a customer from an order's records once the desk no longer needs them (Settings:
 * `customerDataDays`). The orders row loses the phone (set to ERASED_PHONE), name, email and
 * note; timeline lines, the last error and operation reasons lose every trace of them. What
 * the books need stays: amounts, references, times, states and who did what.
 */
import { ERASED_PHONE } from '../../common/domain';
import { msg, type Message, type MessageParam } from '../../common/i18n/messages';
import { parseCustomerPhone } from '../../common/phone';
import { maskPhone, replacePhoneNumbers } from '../redact';

/** The customer data of one order, as the journal held it. */
export interface CustomerData {
  phone: string;
  customerName?: string | undefined;
  email?: string | undefined;
  note?: string | undefined;
}

/** Texts this short are too common to be searched for inside other text. */
const MIN_SEARCHED = 3;

/** Every form the customer's data may take inside a sentence, longest first. */
function tracesOf(c: CustomerData): string[] {
  const forms = [c.phone, maskPhone(c.phone), c.customerName, c.email, c.note];
  const parsed = parseCustomerPhone(c.phone, 'NO');
  if (parsed.ok) forms.push(parsed.international, parsed.national, parsed.e164);
  return [...new Set(forms)]
    .filter((s): s is string => s !== undefined && s.trim().length >= MIN_SEARCHED)
    .sort((a, b) => b.length - a.length);
}

/** `text` with the customer's data, and anything shaped like a phone number, replaced. */
export function eraseFromText(text: string, c: CustomerData): string {
  let out = text;
  for (const trace of tracesOf(c)) out = out.split(trace).join(ERASED_PHONE);
  return replacePhoneNumbers(out, ERASED_PHONE);
}

const ERASED_PARAM: MessageParam = { text: msg('customerData.erased') };

function eraseParam(name: string, v: MessageParam, c: CustomerData): MessageParam {
  if (/phone/i.test(name)) return ERASED_PARAM;
  if (typeof v === 'string') return eraseFromText(v, c);
  if (typeof v === 'object' && 'text' in v) return { text: eraseFromMessage(v.text, c) };
  return v;
}

/**
 * The message with its phone parameters replaced by "(erased)" (a catalog word, so it reads in
 * every language) and the customer's data cut from its other texts; key, amounts and times kept.
 */
export function eraseFromMessage(m: Message, c: CustomerData): Message {
  if (m.params === undefined) return m;
  const params: Record<string, MessageParam> = {};
  for (const [k, v] of Object.entries(m.params)) params[k] = eraseParam(k, v, c);
  return { key: m.key, params };
}

/** A stored column that holds a Message as JSON or, from older versions, plain text. */
export function eraseFromStored(stored: string, c: CustomerData): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(stored);
  } catch {
    return eraseFromText(stored, c);
  }
  if (typeof parsed === 'object' && parsed !== null && typeof (parsed as Message).key === 'string')
    return JSON.stringify(eraseFromMessage(parsed as Message, c));
  return eraseFromText(stored, c);
}
