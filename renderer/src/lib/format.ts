/**
 * Locale-aware formatting for the screens: money (common/money), dates and times (Intl),
 * and the status word in the current language. Hooks re-render when the language changes.
 */
import { useTranslation } from 'react-i18next';
import type { Currency, OrderState } from '../../../common/domain';
import { formatMoney, toMajorString } from '../../../common/money';
import { localeFor } from '../i18n';

const dateTimeCache = new Map<string, Intl.DateTimeFormat>();

function dtf(locale: string, kind: 'time' | 'dateTime' | 'date'): Intl.DateTimeFormat {
  const key = `${locale}|${kind}`;
  let f = dateTimeCache.get(key);
  if (f === undefined) {
    const opts: Intl.DateTimeFormatOptions =
      kind === 'time'
        ? { hour: '2-digit', minute: '2-digit' }
        : kind === 'date'
          ? { day: 'numeric', month: 'short', year: 'numeric' }
          : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
    f = new Intl.DateTimeFormat(locale, opts);
    dateTimeCache.set(key, f);
  }
  return f;
}

const decimalCache = new Map<string, string>();

/** The locale's decimal separator ("," in nb-NO, sv-SE and da-DK, "." in en-GB). */
function decimalSeparator(locale: string): string {
  let sep = decimalCache.get(locale);
  if (sep === undefined) {
    sep = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
    sep = sep === ',' ? ',' : '.';
    decimalCache.set(locale, sep);
  }
  return sep;
}

/** Formatting helpers bound to the current language. */
export interface Formatters {
  locale: string;
  /** Any ISO code: a currency the desk does not sell in is written with its code. */
  money(minor: number, currency: string): string;
  /**
   * An amount as staff would type it in this language, for prefilling an input: no grouping,
   * no currency, the locale's decimal separator ("1299,50" in Norsk bokmål, "1299.50" in
   * English). parseAmount reads it back exactly.
   */
  amountInput(minor: number, currency: Currency): string;
  /** Today's times as 14:05; older ones with the date. */
  when(iso: string): string;
  dateTime(iso: string): string;
  status(state: OrderState): string;
}

export function useFormat(): Formatters {
  const { t, i18n } = useTranslation();
  const locale = localeFor(i18n.language);
  return {
    locale,
    money: (minor, currency) => formatMoney(minor, currency, locale),
    amountInput: (minor, currency) =>
      toMajorString(minor, currency).replace('.', decimalSeparator(locale)),
    when: (iso) => {
      const d = new Date(iso);
      if (Number.isNaN(d.getTime())) return iso;
      const today = new Date();
      return d.toDateString() === today.toDateString()
        ? dtf(locale, 'time').format(d)
        : dtf(locale, 'dateTime').format(d);
    },
    dateTime: (iso) => {
      const d = new Date(iso);
      return Number.isNaN(d.getTime()) ? iso : dtf(locale, 'dateTime').format(d);
    },
    status: (state) => t(`status.${state}`),
  };
}

/** Country name in the given locale (falls back to the code). */
export function countryName(code: string, locale: string): string {
  try {
    return new Intl.DisplayNames([locale], { type: 'region' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** Visual tone of a state; every tone is shown with its word, never by colour alone. */
export type StatusTone = 'waiting' | 'sent' | 'paid' | 'done' | 'closed' | 'problem';

export function statusTone(state: OrderState): StatusTone {
  switch (state) {
    case 'queued':
    case 'sending':
    case 'unknown':
      return 'waiting';
    case 'link_sent':
    case 'opened':
      return 'sent';
    case 'authorized':
    case 'partially_captured':
      return 'paid';
    case 'captured':
      return 'done';
    case 'declined':
    case 'failed':
      return 'problem';
    default:
      return 'closed';
  }
}
