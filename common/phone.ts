/**
 * Customer phone numbers: parse what staff type at the counter into E.164, insist on a number
 * that can receive a text message (a mobile), and format the entry field as it is typed.
 *
 * Pure TypeScript (main and renderer). Uses `libphonenumber-js/max`, the metadata build that
 * knows number TYPES, so a landline can be told from a mobile.
 *
 * Rules, in the order they are applied:
 * 1. Full-width forms become ASCII (digits `０-９`, `＋`, `－`, ideographic space; see
 *    common/digits.ts). Any other number character (superscript ², circled ①, mathematical 𝟙,
 *    Arabic-Indic ٣, ...) is refused (`unusual_digits`): NFKC would read those as digits while
 *    the screen shows something else. A right-to-left direction control is refused
 *    (`hidden_character`); other invisible format characters (zero-width space, byte-order mark,
 *    LRM and the LRO/PDF pair pasted from contacts) are dropped.
 * 2. Extensions (`ext 12`, `x12`, `#12`, `;ext=12`) are refused: a text cannot reach one.
 * 3. Letters (vanity numbers such as 1-800-FLOWERS) and any other character that is not a digit,
 *    a space, `-`, `.`, `/`, `(`, `)` or one leading `+` are refused.
 * 4. A leading `00` is the international prefix (`0046…` = `+46…`) whatever the default
 *    country; `(0)` after a country code (`+44 (0)7400…`) is the optional trunk prefix, dropped.
 * 5. libphonenumber decides the country (a `+`/`00` prefix wins over the default country),
 *    validity and type. Accepted types: MOBILE, and FIXED_LINE_OR_MOBILE where the numbering
 *    plan cannot tell them apart (US, DK ranges). Everything else is `not_mobile`.
 */
import {
  AsYouType,
  getExampleNumber,
  parsePhoneNumberFromString,
  validatePhoneNumberLength,
  type CountryCode,
  type NumberType,
} from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import {
  hasRightToLeftControl,
  hasUnusualDigit,
  normaliseWidth,
  RIGHT_TO_LEFT_MESSAGE,
  UNUSUAL_DIGIT_MESSAGE,
} from './digits';
import type { PhoneCountry } from './domain';

/** Why a typed number was refused; stable codes for tests and the screen. */
export type PhoneRejectReason =
  | 'empty'
  | 'invalid_characters'
  | 'unusual_digits'
  | 'hidden_character'
  | 'too_short'
  | 'too_long'
  | 'invalid'
  | 'not_mobile';

/** Result of {@link parseCustomerPhone}: the number in every form the app needs, or why not. */
export type PhoneParseResult =
  | {
      ok: true;
      /** E.164, e.g. `+4791234567`: what Dintero gets and the journal stores. */
      e164: string;
      /** ISO 3166-1 alpha-2 country of the number (may differ from the default country). */
      country: string;
      /** National format in readable groups, e.g. `91 23 45 67`. */
      national: string;
      /** International format, e.g. `+47 91 23 45 67`. */
      international: string;
    }
  | { ok: false; reason: PhoneRejectReason; message: string };

const ACCEPTED_TYPES: ReadonlySet<NumberType> = new Set<NumberType>([
  'MOBILE',
  'FIXED_LINE_OR_MOBILE',
]);

/** Names used in messages; the chooser's countries plus a few neighbours. */
const COUNTRY_NAMES: Readonly<Record<string, string>> = {
  NO: 'Norway',
  SE: 'Sweden',
  DK: 'Denmark',
  FI: 'Finland',
  DE: 'Germany',
  GB: 'the United Kingdom',
  US: 'the United States',
  NL: 'the Netherlands',
  PL: 'Poland',
  IS: 'Iceland',
};

function countryName(country: string): string {
  return COUNTRY_NAMES[country] ?? country;
}

/** Invisible characters that ride along when a number is pasted (Unicode format controls). */
const FORMAT_CHARS = /\p{Cf}/gu;
/** Dashes of every kind (hyphen, non-breaking hyphen, en/em dash, minus sign) count as `-`. */
const DASHES = /[\p{Pd}\u2212]/gu;
/** An extension marker followed by digits, at the end of the input. */
const EXTENSION = /(?:e?xt?\.?|extension|;\s*ext=|#)\s*\d+\s*#?$/i;
const LETTERS = /\p{L}/u;
const ALLOWED = /^[(\s]*\+?[\d\s\-./()]*$/;

function reject(reason: PhoneRejectReason, message: string): PhoneParseResult {
  return { ok: false, reason, message };
}

function normalise(input: string): string {
  return normaliseWidth(input).replace(FORMAT_CHARS, '').replace(DASHES, '-').trim();
}

/** National significant number length of the country's example mobile, for length messages. */
function typicalMobileLength(country: CountryCode): number | undefined {
  return getExampleNumber(country, mobileExamples)?.nationalNumber.length;
}

/**
 * Parses a customer's phone number as staff typed it and insists that it can receive a text.
 *
 * Accepts spaces, dashes, dots, slashes, parentheses, a leading `+` or `00`, full-width digits,
 * and numbers with another country's prefix (`+46…` with default NO is a Swedish number).
 * Refuses letters, digits other than 0–9 and their full-width forms (superscript, circled,
 * other scripts), right-to-left direction controls, extensions, landlines and special-rate
 * numbers, and numbers that are too
 * short, too long or not in the numbering plan. Messages are plain English a cashier can act
 * on and never repeat the number (they may end up in logs).
 */
export function parseCustomerPhone(input: string, defaultCountry: PhoneCountry): PhoneParseResult {
  const wide = normaliseWidth(input);
  if (hasUnusualDigit(wide)) return reject('unusual_digits', UNUSUAL_DIGIT_MESSAGE);
  if (hasRightToLeftControl(wide)) return reject('hidden_character', RIGHT_TO_LEFT_MESSAGE);
  const text = normalise(input);
  if (text === '') {
    return reject('empty', 'Type the customer’s mobile number.');
  }
  if (EXTENSION.test(text) && /\d/.test(text.replace(EXTENSION, ''))) {
    return reject(
      'invalid_characters',
      'That number has an extension. A text message cannot reach an extension: type the customer’s mobile number without it.',
    );
  }
  if (LETTERS.test(text)) {
    return reject(
      'invalid_characters',
      'A phone number can only contain digits. Remove the letters; for a number like 1-800-FLOWERS, type its digits.',
    );
  }
  if (!ALLOWED.test(text)) {
    return reject(
      'invalid_characters',
      'The number contains characters that are not part of a phone number. Use digits, spaces, dashes and a + at the start only.',
    );
  }

  // `(0)` is the optional trunk prefix; other brackets only group (`(+47) 912…`, `(201) 555…`).
  let compact = text.replace(/\(0\)/g, '').replace(/[()]/g, '').trim();
  const international = compact.startsWith('+') || /^00[1-9]/.test(compact.replace(/\D/g, ''));
  let digits = compact.replace(/\D/g, '');
  if (!compact.startsWith('+') && international) digits = digits.slice(2);
  if (digits === '') {
    return reject('empty', 'Type the customer’s mobile number.');
  }
  if (digits.length > 15) {
    return reject(
      'too_long',
      'That number has too many digits for a phone number. Check it with the customer.',
    );
  }
  compact = international ? `+${digits}` : digits;

  const home = countryName(defaultCountry);
  const parsed = parsePhoneNumberFromString(compact, defaultCountry);
  if (parsed === undefined || !parsed.isValid()) {
    const lengthProblem = validatePhoneNumberLength(compact, defaultCountry);
    // With + or 00 the default country says nothing about the number.
    const country: CountryCode | undefined =
      parsed?.country ?? (international ? undefined : defaultCountry);
    const where = country !== undefined ? countryName(country) : 'a phone number';
    switch (lengthProblem) {
      case 'TOO_SHORT':
        return reject('too_short', `That number is too short for ${where}. Is a digit missing?`);
      case 'TOO_LONG':
        return reject('too_long', `That number is too long for ${where}. Is there a digit extra?`);
      case 'INVALID_COUNTRY':
        return reject(
          'invalid',
          'That country code does not exist. Check the digits after + with the customer.',
        );
      default: {
        // Possible lengths are per country, all types together (SE allows 7–13 digits), so a
        // mobile with a digit too many can still be "possible". Compare with the country's
        // mobile length to tell the cashier which way the number is off.
        const typical =
          lengthProblem === 'NOT_A_NUMBER' || country === undefined
            ? undefined
            : typicalMobileLength(country);
        const nsn = parsed?.nationalNumber.length ?? digits.length;
        if (typical !== undefined && nsn < typical) {
          return reject('too_short', `That number is too short for ${where}. Is a digit missing?`);
        }
        if (typical !== undefined && nsn > typical) {
          return reject(
            'too_long',
            `That number is too long for ${where}. Is there a digit extra?`,
          );
        }
        return reject(
          'invalid',
          international
            ? 'That is not a valid phone number. Check it with the customer.'
            : `That is not a valid phone number in ${home}. Check it, or type it with + and the country code.`,
        );
      }
    }
  }
  if (parsed.ext !== undefined && parsed.ext !== '') {
    return reject(
      'invalid_characters',
      'That number has an extension. A text message cannot reach an extension: type the customer’s mobile number without it.',
    );
  }

  const type = parsed.getType();
  if (type === undefined || !ACCEPTED_TYPES.has(type)) {
    return reject('not_mobile', notMobileMessage(type));
  }
  return {
    ok: true,
    e164: parsed.number,
    country: parsed.country ?? '',
    national: parsed.formatNational(),
    international: parsed.formatInternational(),
  };
}

function notMobileMessage(type: NumberType): string {
  switch (type) {
    case 'FIXED_LINE':
      return 'That is a landline number; the payment link needs a mobile number.';
    case 'TOLL_FREE':
      return 'That is a free-phone number; the payment link needs the customer’s mobile number.';
    case 'PREMIUM_RATE':
    case 'SHARED_COST':
    case 'UAN':
      return 'That is a service number; the payment link needs the customer’s mobile number.';
    default:
      return 'That number cannot receive text messages; the payment link needs a mobile number.';
  }
}

/**
 * Formats the phone entry field while staff type (libphonenumber's AsYouType), e.g.
 * `91234567` → `91 23 45 67`, `+46701234567` → `+46 70 123 45 67`. Full-width digits are
 * normalised. Input that holds anything the formatter would silently drop (letters, `#`, ...)
 * comes back as typed, so the field never eats a character and validation can explain it.
 */
export function formatPhoneAsTyped(input: string, country: PhoneCountry): string {
  const text = normalise(input).replace(DASHES, '-');
  if (text === '' || !ALLOWED.test(text)) return input;
  const formatted = new AsYouType(country).input(text);
  return formatted === '' ? input : formatted;
}
