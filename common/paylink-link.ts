/**
 * `paylink://new?…` links: how another program (a web admin, an ERP, a phone system) opens
 * New order filled in. Main reads every link it is handed (the command line, a second launch,
 * macOS open-url, the preview's command line) with {@link parsePaylinkLink} and gives the
 * screen either the values to fill in or one message saying why nothing was filled in. A link
 * only ever fills in the form: staff still press Send link, and a link has no words for
 * settings, captures, refunds or anything else.
 *
 * The rules, all or nothing (any problem: no value from the link is used):
 * - at most {@link LINK_MAX_LENGTH} characters, with no control, direction or invisible
 *   character anywhere in it (common/hidden-characters);
 * - the scheme `paylink:` and the action `new`, in any case, written `paylink://new` (a `/`
 *   after it is allowed, as some systems add one); no user, port, other path or `#fragment`;
 * - the query is `name=value` pairs joined by `&`, each percent-decoded once as UTF-8; a `+`
 *   is a plus sign (`phone=+4791234567`), not a space (write a space `%20`); a pair without
 *   `=`, or with broken percent-encoding, is refused; an empty value counts as not given;
 * - the parameters are phone, amount, currency, reference, name, email and note, each at
 *   most once; any other parameter is refused (it is named when it is a plain word);
 * - each value obeys the rules typed input obeys: the phone a mobile number read with the
 *   desk's default country (common/phone.ts), the amount in major units as the entry reads
 *   it (common/money.ts: `1299.50`, `1299,50`) in the link's currency or else the desk's, and
 *   within the shop's maximum (common/order-input.ts), the currency one the desk sells in,
 *   the lengths of the IPC contract's newOrderSchema, an email that looks like one, no hidden
 *   character (which typed phone numbers and amounts may quietly drop: a link is refused);
 * - and one more a link must obey: no `<` or `>` in any value (markup, a script).
 *
 * Pure TypeScript: the result is data (the prefill) or a catalog Message, never a sentence.
 */
import { CURRENCIES, type Currency, type PhoneCountry } from './domain';
import { findHiddenCharacter } from './hidden-characters';
import { msg, type Message } from './i18n/messages';
import { newOrderSchema } from './ipc-contract';
import { parseAmount } from './money';
import { optionalTextErrors, orderAmountIssue } from './order-input';
import { parseCustomerPhone } from './phone';

/** What a link fills in on New order; every value already checked. */
export interface OrderPrefill {
  /** E.164, e.g. +4791234567. */
  phone?: string;
  /** Minor units of `currency`. */
  amount?: number;
  /** The link's currency, or the desk's when the link gives an amount without one. */
  currency?: Currency;
  /** The order's number in the other system (`reference`). */
  externalReference?: string;
  customerName?: string;
  email?: string;
  note?: string;
}

/** What reading one link gave: the values to fill in, or why nothing is filled in. */
export type PaylinkLinkResult =
  { ok: true; prefill: OrderPrefill } | { ok: false; problem: Message };

/**
 * A link as main hands it to the page ('navigate:newOrder', 'app:takeLink'): numbered, so a
 * page that both hears it and asks for it fills the form in once.
 */
export type NewOrderLink = { seq: number } & ({ prefill: OrderPrefill } | { problem: Message });

/** The desk's settings a link is read with. */
export interface PaylinkLinkOptions {
  /** Country of a phone number written without +/00 (Settings → default country). */
  country: PhoneCountry;
  /** Currency of an amount given without one (Settings → default currency). */
  currency: Currency;
  /** The shop's highest order total, whole major units (Settings). */
  maxOrderAmount: number;
}

/** Longest link read at all (characters): room for every field percent-encoded. */
export const LINK_MAX_LENGTH = 8192;

/** The link's parameters and the New order fields they fill, in the order they are checked. */
export const LINK_PARAMETERS = [
  'currency',
  'phone',
  'amount',
  'reference',
  'name',
  'email',
  'note',
] as const;
export type LinkParameter = (typeof LINK_PARAMETERS)[number];

/** The catalog label (New order's own) of each parameter's field. */
const FIELD_LABEL: Readonly<Record<LinkParameter, string>> = {
  currency: 'entry.currency',
  phone: 'entry.phone',
  amount: 'entry.amount',
  reference: 'entry.externalReference',
  name: 'entry.customerName',
  email: 'entry.email',
  note: 'entry.note',
};

const shape = newOrderSchema.shape;
/** Longest value per parameter: the contract's limits (an amount is short text anyway). */
const MAX_LENGTH: Readonly<Record<LinkParameter, number>> = {
  // Longer than a code, so "NOKK" is named as the unknown currency it is.
  currency: 16,
  phone: shape.phone.maxLength ?? 64,
  amount: 32,
  reference: shape.externalReference.unwrap().maxLength ?? 64,
  name: shape.customerName.unwrap().maxLength ?? 200,
  email: shape.email.unwrap().maxLength ?? 200,
  note: shape.note.unwrap().maxLength ?? 1000,
};

const START = /^paylink:\/\/new\/?(?:\?|$)/i;
/** A parameter name or currency code safe to repeat in a message. */
const PLAIN_WORD = /^[A-Za-z][A-Za-z0-9_-]{0,31}$/;
const MARKUP = /[<>]/;

/** True when a command-line argument is a paylink: link (whatever it then holds). */
export function isPaylinkLink(text: string): boolean {
  return /^paylink:/i.test(text.trim());
}

const refused = (why: Message): PaylinkLinkResult => ({
  ok: false,
  problem: msg('paylinkLink.refused', { why: { text: why } }),
});

const refusedField = (param: LinkParameter, why: Message): PaylinkLinkResult => ({
  ok: false,
  problem: msg('paylinkLink.refusedField', {
    field: { text: msg(FIELD_LABEL[param]) },
    why: { text: why },
  }),
});

const isLinkParameter = (name: string): name is LinkParameter =>
  (LINK_PARAMETERS as readonly string[]).includes(name);

/** Splits and decodes the query; a Message when it cannot be read. */
function readQuery(query: string): Map<LinkParameter, string> | Message {
  const values = new Map<LinkParameter, string>();
  for (const pair of query.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    if (at <= 0) return msg('paylinkLink.why.malformed');
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(pair.slice(0, at));
      value = decodeURIComponent(pair.slice(at + 1));
    } catch {
      return msg('paylinkLink.why.encoding');
    }
    if (!isLinkParameter(name)) {
      return PLAIN_WORD.test(name)
        ? msg('paylinkLink.why.unknown', { name })
        : msg('paylinkLink.why.unknownUnnamed');
    }
    if (values.has(name)) return msg('paylinkLink.why.repeated', { name });
    values.set(name, value);
  }
  return values;
}

/**
 * Reads a `paylink://new?…` link against the desk's settings: the values to fill in, or the
 * first problem (a catalog message naming the field) and nothing else. See the module comment
 * for the rules.
 */
export function parsePaylinkLink(link: string, opts: PaylinkLinkOptions): PaylinkLinkResult {
  if (link.length > LINK_MAX_LENGTH) {
    return refused(msg('paylinkLink.why.tooLong', { max: LINK_MAX_LENGTH }));
  }
  const hidden = findHiddenCharacter(link);
  if (hidden !== undefined)
    return refused(msg('paylinkLink.why.hidden', { code: hidden.codePoint }));
  const text = link.trim();
  if (!START.test(text) || text.includes('#')) return refused(msg('paylinkLink.why.notNewOrder'));
  const q = text.indexOf('?');
  const read = readQuery(q < 0 ? '' : text.slice(q + 1));
  if (!(read instanceof Map)) return refused(read);

  // Every value first: length, hidden characters (after decoding), markup.
  const given = new Map<LinkParameter, string>();
  for (const param of LINK_PARAMETERS) {
    const raw = read.get(param);
    if (raw === undefined) continue;
    const value = raw.trim();
    if (value === '') continue;
    if (value.length > MAX_LENGTH[param]) {
      return refusedField(param, msg('paylinkLink.why.fieldTooLong', { max: MAX_LENGTH[param] }));
    }
    const found = findHiddenCharacter(value, { multiline: param === 'note' });
    if (found !== undefined) {
      return refusedField(param, msg('paylinkLink.why.hidden', { code: found.codePoint }));
    }
    if (MARKUP.test(value)) return refusedField(param, msg('paylinkLink.why.markup'));
    given.set(param, value);
  }

  const prefill: OrderPrefill = {};
  const currencyText = given.get('currency');
  let currency = opts.currency;
  if (currencyText !== undefined) {
    const code = currencyText.toUpperCase();
    if (!(CURRENCIES as readonly string[]).includes(code)) {
      const currencies = CURRENCIES.join(', ');
      return refusedField(
        'currency',
        PLAIN_WORD.test(currencyText)
          ? msg('paylinkLink.why.currency', { currency: currencyText, currencies })
          : msg('paylinkLink.why.currencyUnnamed', { currencies }),
      );
    }
    currency = code as Currency;
    prefill.currency = currency;
  }

  const phoneText = given.get('phone');
  if (phoneText !== undefined) {
    const phone = parseCustomerPhone(phoneText, opts.country);
    if (!phone.ok) return refusedField('phone', msg(`phoneReason.${phone.reason}`));
    prefill.phone = phone.e164;
  }

  const amountText = given.get('amount');
  if (amountText !== undefined) {
    const amount = parseAmount(amountText, currency);
    if (!amount.ok) return refusedField('amount', msg(`amountReason.${amount.reason}`));
    const issue = orderAmountIssue(amount.minor, currency, opts.maxOrderAmount);
    if (issue !== undefined) return refusedField('amount', issue);
    prefill.amount = amount.minor;
    prefill.currency = currency;
  }

  const texts = {
    externalReference: given.get('reference'),
    customerName: given.get('name'),
    email: given.get('email'),
    note: given.get('note'),
  };
  const errors = optionalTextErrors(texts);
  const params: Record<keyof typeof texts, LinkParameter> = {
    externalReference: 'reference',
    customerName: 'name',
    email: 'email',
    note: 'note',
  };
  for (const field of Object.keys(params) as Array<keyof typeof texts>) {
    const error = errors[field];
    if (error !== undefined) return refusedField(params[field], error);
    const value = texts[field];
    if (value !== undefined) prefill[field] = value;
  }
  return { ok: true, prefill };
}
