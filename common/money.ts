/**
 * Money helpers shared by main and renderer: currency exponents, parsing the amounts staff type
 * and formatting minor units for people. Amounts are integers in minor units everywhere; nothing
 * here builds minor units with floating point (typed amounts are parsed as digit strings).
 *
 * How a typed amount is read (`parseAmount`):
 * - Full-width forms first (`１２９９，５０`, common/digits.ts): they become ASCII. Any other
 *   number character (superscript ², circled ①, mathematical 𝟙, Arabic-Indic ٣, ...) is refused
 *   (`unusual_digits`), never read as a digit. A right-to-left direction control is refused
 *   (`hidden_character`: it can show "1 299" as "299 1"); other invisible format characters
 *   pasted along (zero-width space, LRM) are dropped. No-break space (U+00A0), narrow no-break
 *   space (U+202F) and other Unicode spaces count as spaces; the Unicode minus sign counts as `-`.
 * - The order's own currency marker may stand before or after the number: its ISO code
 *   (`NOK`, any case) or symbol (`kr`, `kr.`, `Nkr`, `€`, `$`, `US$`). Another currency's marker is
 *   refused, so `€ 100` is never charged as NOK 100.
 * - `,-` or `.-` after a whole number is Norwegian shorthand for "no øre": `1299,-` = 1299.00.
 * - Spaces and apostrophes (`1'299.50`) only ever group thousands.
 * - When both `.` and `,` appear, the one that appears last is the decimal separator and the
 *   other groups thousands (`1.299,50`, `1,299.50`).
 * - When only one of them appears, several times, it groups thousands (`1.299.000`).
 * - When only one of them appears once, it is a thousands separator if exactly three digits
 *   follow it, one to three digits precede it, the first of those is not 0, and no space or
 *   apostrophe grouping is present (`1,299` and `1.299` = 1299.00; `12.345` = 12345.00);
 *   otherwise it is the decimal separator (`1299,5`, `1,50`, `0,125`, `1 299,500`).
 *   This rule assumes an exponent of 2, true for every supported currency.
 * - Thousands groups must be well formed: 1–3 leading digits, then groups of exactly 3.
 * - More decimals than the currency has is an error, never rounded away.
 */
import {
  hasRightToLeftControl,
  hasUnusualDigit,
  normaliseWidth,
  RIGHT_TO_LEFT_MESSAGE,
  UNUSUAL_DIGIT_MESSAGE,
} from './digits';
import { CURRENCIES, type Currency } from './domain';

/** The largest amount Dintero accepts: int32 minor units. */
export const MAX_MINOR = 2_147_483_647;

/** ISO 4217 minor-unit exponents of the supported currencies (checked against Intl in tests). */
const EXPONENTS = {
  NOK: 2,
  SEK: 2,
  DKK: 2,
  EUR: 2,
  USD: 2,
} as const satisfies Record<Currency, number>;

/** Number of decimals in the currency's minor unit (2 for all supported: øre, cents). */
export function currencyExponent(c: Currency): number {
  return EXPONENTS[c];
}

/** True for a currency the desk sells in. */
export function isDeskCurrency(currency: string): currency is Currency {
  return (CURRENCIES as readonly string[]).includes(currency);
}

/**
 * Decimals of any ISO code: the desk's own currencies' exponents, and 2 for a currency Dintero
 * reports that the desk does not sell in (a payment made elsewhere on the account).
 */
function exponentOf(currency: string): number {
  return isDeskCurrency(currency) ? currencyExponent(currency) : 2;
}

/** Why a typed amount was refused; stable codes for tests and the screen. */
export type AmountRejectReason =
  | 'empty'
  | 'invalid'
  | 'unusual_digits'
  | 'hidden_character'
  | 'too_many_decimals'
  | 'zero'
  | 'negative'
  | 'too_large';

/** Result of {@link parseAmount}: integer minor units, or a reason and a plain message. */
export type AmountParseResult =
  { ok: true; minor: number } | { ok: false; reason: AmountRejectReason; message: string };

/** Currency markers staff may type with the amount, per currency (compared lower-case). */
const MARKERS: Readonly<Record<Currency, readonly string[]>> = {
  NOK: ['nok', 'nkr', 'kr.', 'kr'],
  SEK: ['sek', 'skr', 'kr.', 'kr'],
  DKK: ['dkk', 'dkr', 'kr.', 'kr'],
  EUR: ['eur', '€'],
  USD: ['usd', 'us$', '$'],
};

/** Markers of other currencies, recognised only to say "wrong currency" clearly. */
const FOREIGN_MARKERS = ['nok', 'sek', 'dkk', 'eur', 'usd', 'kr', '€', '$', '£', 'gbp'];

function fail(reason: AmountRejectReason, message: string): AmountParseResult {
  return { ok: false, reason, message };
}

const INVALID_MESSAGE = 'Type the amount in numbers, for example 1299,50.';

/** Removes the order currency's marker at either end; reports a foreign one. */
function stripCurrency(text: string, currency: Currency): { text: string } | { foreign: true } {
  let t = text;
  const own = MARKERS[currency];
  for (let pass = 0; pass < 2; pass++) {
    const lower = t.toLowerCase();
    for (const m of own) {
      if (lower.startsWith(m)) {
        t = t.slice(m.length).trim();
        break;
      }
      if (lower.endsWith(m)) {
        t = t.slice(0, t.length - m.length).trim();
        break;
      }
    }
  }
  const lower = t.toLowerCase();
  if (FOREIGN_MARKERS.some((m) => lower.startsWith(m) || lower.endsWith(m))) {
    return { foreign: true };
  }
  return { text: t };
}

const GROUPED = /^\d{1,3}(?:G\d{3})*$/;

/** Checks the integer part's thousands grouping with one grouping character. */
function ungroup(intPart: string, group: string | undefined): string | undefined {
  if (group === undefined) return /^\d*$/.test(intPart) ? intPart : undefined;
  const parts = intPart.split(group);
  const ok = GROUPED.test(parts.join('G'));
  return ok ? parts.join('') : undefined;
}

/**
 * Parses an amount as staff type it into integer minor units of `currency`.
 *
 * Accepts "1 299,50", "1299.50", "1299", "1.299,50", "1,299.50", "1 299", "1299,5",
 * "kr 1 299,50", "1299,-", NBSP and narrow-NBSP separators; see the module comment for the
 * exact rules, including the one for a lone "1,299" / "1.299" (thousands). Refuses NaN,
 * Infinity, exponents ("1e5"), letters, digits other than 0–9 and their full-width forms
 * (superscript, circled, other scripts), right-to-left direction controls, several decimal
 * separators, more decimals than the currency has, zero, negatives and anything above int32
 * minor units (2,147,483,647).
 * Never returns a non-integer or a value above {@link MAX_MINOR}.
 */
export function parseAmount(input: string, currency: Currency): AmountParseResult {
  const exponent = currencyExponent(currency);
  const wide = normaliseWidth(input);
  if (hasUnusualDigit(wide)) return fail('unusual_digits', UNUSUAL_DIGIT_MESSAGE);
  if (hasRightToLeftControl(wide)) return fail('hidden_character', RIGHT_TO_LEFT_MESSAGE);
  let text = wide
    .replace(/\p{Cf}/gu, '')
    .replace(/[\u2212\u2012\u2013\u2014\uFE63\uFF0D]/g, '-')
    .replace(/[’‘`´]/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  if (text === '') return fail('empty', 'Type the amount.');

  const stripped = stripCurrency(text, currency);
  if ('foreign' in stripped) {
    return fail(
      'invalid',
      `This order is in ${currency}. Type the amount without another currency.`,
    );
  }
  text = stripped.text;

  let negative = false;
  if (/^\(.*\)$/.test(text)) {
    negative = true;
    text = text.slice(1, -1).trim();
  }
  if (text.startsWith('-')) {
    negative = true;
    text = text.slice(1).trim();
  } else if (text.startsWith('+')) {
    text = text.slice(1).trim();
  }

  // Whole-units shorthand: "1299,-", "1 299.-", "1299:-" (Swedish).
  let wholeOnly = false;
  const shorthand = /[,.:]\s*-+$/.exec(text);
  if (shorthand !== null) {
    wholeOnly = true;
    text = text.slice(0, shorthand.index).trim();
  } else if (text.endsWith('-') && /\d/.test(text)) {
    negative = true;
    text = text.slice(0, -1).trim();
  }
  if (text === '') return fail('empty', 'Type the amount.');
  if (!/^[\d ',.]+$/.test(text) || !/\d/.test(text)) return fail('invalid', INVALID_MESSAGE);

  const split = splitDecimal(text);
  if (split === undefined) {
    return fail(
      'invalid',
      'Check the separators: one decimal comma or point, and thousands in groups of three. Type it like 1299,50.',
    );
  }
  const { intDigits, fraction } = split;
  if (wholeOnly && fraction !== '') return fail('invalid', INVALID_MESSAGE);
  if (fraction.length > exponent) {
    return fail(
      'too_many_decimals',
      exponent === 0
        ? `${currency} amounts have no decimals.`
        : `${currency} amounts have at most ${exponent} decimals.`,
    );
  }

  const digits = (intDigits + fraction.padEnd(exponent, '0')).replace(/^0+/, '');
  if (digits === '') return fail('zero', 'The amount must be more than zero.');
  if (negative) return fail('negative', 'The amount cannot be negative.');
  if (digits.length > String(MAX_MINOR).length || Number(digits) > MAX_MINOR) {
    return fail(
      'too_large',
      `That amount is more than a payment link can take (at most ${formatMoney(MAX_MINOR, currency, 'en-GB')}).`,
    );
  }
  // A string of at most 10 decimal digits converts to an exact integer.
  return { ok: true, minor: Number(digits) };
}

/** Splits "1 299,50"-like text into integer digits and fraction digits; undefined if malformed. */
function splitDecimal(text: string): { intDigits: string; fraction: string } | undefined {
  const hasSpaceGroups = /[ ']/.test(text);
  const dots = text.split('.').length - 1;
  const commas = text.split(',').length - 1;
  let decimal: '.' | ',' | undefined;
  let group: string | undefined;

  if (dots > 0 && commas > 0) {
    decimal = text.lastIndexOf('.') > text.lastIndexOf(',') ? '.' : ',';
    group = decimal === '.' ? ',' : '.';
    if ((decimal === '.' ? dots : commas) > 1) return undefined;
    if (hasSpaceGroups) return undefined;
  } else if (dots + commas > 1) {
    group = dots > 0 ? '.' : ',';
    if (hasSpaceGroups) return undefined;
  } else if (dots + commas === 1) {
    const sep = dots === 1 ? '.' : ',';
    const [before = '', after = ''] = text.split(sep);
    const thousands = !hasSpaceGroups && /^\d{3}$/.test(after) && /^[1-9]\d{0,2}$/.test(before);
    if (thousands) group = sep;
    else decimal = sep;
  }
  if (hasSpaceGroups) {
    if (/ /.test(text) && /'/.test(text)) return undefined;
    group = /'/.test(text) ? "'" : ' ';
  }

  let intPart = text;
  let fraction = '';
  if (decimal !== undefined) {
    const at = text.indexOf(decimal);
    intPart = text.slice(0, at).trim();
    fraction = text.slice(at + 1).trim();
    if (!/^\d*$/.test(fraction)) return undefined;
  }
  const intDigits = ungroup(intPart.trim(), group);
  if (intDigits === undefined) return undefined;
  if (intDigits === '' && fraction === '') return undefined;
  return { intDigits, fraction };
}

function assertMinor(minor: number): void {
  if (!Number.isSafeInteger(minor)) {
    throw new RangeError('Amounts must be whole numbers of minor units.');
  }
}

/**
 * Minor units as a plain decimal string in major units, e.g. 129950 → "1299.50" (always the
 * currency's number of decimals, `.` as separator, no grouping). Meant for input fields and for
 * exact formatting; `parseAmount(toMajorString(m, c), c)` gives `m` back for 1 ≤ m ≤ int32.
 * Throws RangeError for a non-integer.
 */
export function toMajorString(minor: number, currency: string): string {
  assertMinor(minor);
  const exponent = exponentOf(currency);
  const sign = minor < 0 ? '-' : '';
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  if (exponent === 0) return sign + digits;
  return `${sign}${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
}

/** Intl formatters are costly to build and the board formats many amounts: keep a few. */
const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats minor units for people in a locale, e.g. (129950, 'NOK', 'nb-NO') → "kr 1 299,50".
 * Uses Intl.NumberFormat on the exact decimal string (no float division). A currency the desk
 * does not sell in is written with its ISO code ("GBP 1,299.50"), and a code Intl does not
 * take as "1299.50 XYZ1". Throws RangeError for a non-integer.
 */
export function formatMoney(minor: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (formatter === undefined) {
    const exponent = exponentOf(currency);
    try {
      formatter = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency,
        ...(isDeskCurrency(currency) ? {} : { currencyDisplay: 'code' as const }),
        minimumFractionDigits: exponent,
        maximumFractionDigits: exponent,
      });
    } catch {
      return `${toMajorString(minor, currency)} ${currency}`;
    }
    if (formatters.size >= 64) formatters.clear();
    formatters.set(key, formatter);
  }
  return formatter.format(toMajorString(minor, currency) as `${number}`);
}
