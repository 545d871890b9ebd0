/**
 * Main speaks in codes, the screen speaks the language. A Message is a catalog key with its
 * parameters: the main process records and sends these (timeline lines, notifications,
 * errors, reasons, banners), and whoever shows them (the screen, or the shell for
 * notifications, tray and dialogs) turns them into words in the desk's language. Amounts and
 * times travel as values and are formatted for the chosen locale only when shown.
 */
import type { Currency } from '../domain';
import { formatMoney } from '../money';

/**
 * An amount in minor units with its currency, formatted per locale when shown. Any ISO code:
 * Dintero may report a currency the desk does not sell in (formatMoney writes its code).
 */
export interface MoneyParam {
  money: number;
  currency: Currency | (string & {});
}

/** An instant (ISO 8601), formatted as a date and time per locale when shown. */
export interface TimeParam {
  time: string;
}

/** A sentence inside a sentence (e.g. why a journal cannot be used), translated first. */
export interface NestedParam {
  text: Message;
}

/** One parameter of a message. */
export type MessageParam = string | number | MoneyParam | TimeParam | NestedParam;

/** A sentence for a person, as a catalog key (e.g. `event.paid`) and its parameters. */
export interface Message {
  key: string;
  params?: Record<string, MessageParam>;
}

/** Builds a Message (a shorthand that keeps call sites short). */
export function msg(key: string, params?: Record<string, MessageParam>): Message {
  return params === undefined ? { key } : { key, params };
}

const isMoney = (v: MessageParam): v is MoneyParam =>
  typeof v === 'object' && v !== null && 'money' in v;
const isTime = (v: MessageParam): v is TimeParam =>
  typeof v === 'object' && v !== null && 'time' in v;
const isNested = (v: MessageParam): v is NestedParam =>
  typeof v === 'object' && v !== null && 'text' in v;

/** The parameters as plain strings and numbers for interpolation, formatted for `locale`. */
export function formatParams(
  params: Message['params'],
  locale: string,
  translateNested: (m: Message) => string = (m) => m.key,
): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) {
    if (isNested(v)) out[k] = translateNested(v.text);
    else if (isMoney(v)) out[k] = formatMoney(v.money, v.currency, locale);
    else if (isTime(v)) {
      const d = new Date(v.time);
      out[k] = Number.isNaN(d.getTime())
        ? v.time
        : new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
    } else out[k] = v;
  }
  return out;
}
