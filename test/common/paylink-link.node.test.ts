/**
 * paylink://new?… links read against a corpus of good and hostile links: good ones fill in
 * exactly their checked values; bad or hostile ones (wrong scheme or action, negative, zero or
 * huge amounts, scripts, overlong fields, unknown currencies, bad phones, direction and
 * zero-width characters, repeated or unknown parameters, a try at settings, a capture or a
 * refund, percent-encoding tricks) give one message, in every language, and nothing else.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../common/domain';
import { findHiddenCharacter } from '../../common/hidden-characters';
import { createTranslator, english, type Message } from '../../common/i18n';
import { newOrderSchema } from '../../common/ipc-contract';
import {
  isPaylinkLink,
  LINK_MAX_LENGTH,
  parsePaylinkLink,
  type OrderPrefill,
  type PaylinkLinkOptions,
} from '../../common/paylink-link';

const DESK: PaylinkLinkOptions = { country: 'NO', currency: 'NOK', maxOrderAmount: 100_000 };
const read = (link: string, opts: PaylinkLinkOptions = DESK) => parsePaylinkLink(link, opts);
const enc = encodeURIComponent;

/** Good links and exactly what they fill in. */
const GOOD: Array<[string, string, OrderPrefill]> = [
  [
    'every field, percent-encoded',
    'paylink://new?phone=%2B4791234567&amount=1299.50&currency=NOK&reference=SO-2025-000123' +
      '&name=Kari%20Nordmann&email=kari%40example.com&note=Two%20pizzas%0Aextra%20cheese',
    {
      phone: '+4791234567',
      amount: 129_950,
      currency: 'NOK',
      externalReference: 'SO-2025-000123',
      customerName: 'Kari Nordmann',
      email: 'kari@example.com',
      note: 'Two pizzas\nextra cheese',
    },
  ],
  [
    'a plus sign is a plus, not a space',
    'paylink://new?phone=+4791234567&amount=250',
    { phone: '+4791234567', amount: 25_000, currency: 'NOK' },
  ],
  [
    'a national number reads with the desk’s country',
    `paylink://new?phone=${enc('912 34 567')}`,
    { phone: '+4791234567' },
  ],
  ['0046: a Swedish mobile', 'paylink://new?phone=0046701234567', { phone: '+46701234567' }],
  ['scheme and action in any case', 'PAYLINK://NEW?amount=10', { amount: 1000, currency: 'NOK' }],
  ['a slash after new', 'paylink://new/?amount=10,50', { amount: 1050, currency: 'NOK' }],
  ['nothing at all: New order, empty', 'paylink://new', {}],
  ['a bare question mark', 'paylink://new?', {}],
  [
    'a decimal comma and a currency in lower case',
    `paylink://new?amount=${enc('1 299,50')}&currency=sek`,
    { amount: 129_950, currency: 'SEK' },
  ],
  ['a currency alone', 'paylink://new?currency=EUR', { currency: 'EUR' }],
  [
    'empty values count as not given (a template with blanks)',
    'paylink://new?phone=&amount=100&email=&note=&reference=&name=',
    { amount: 10_000, currency: 'NOK' },
  ],
  [
    'letters of any language, raw or encoded',
    `paylink://new?name=${enc('Åse Ørn-Ødegård')}&note=Ærlig talt, 日本`,
    { customerName: 'Åse Ørn-Ødegård', note: 'Ærlig talt, 日本' },
  ],
  [
    'spaces around the link (a command line)',
    '  paylink://new?reference=A-1  ',
    { externalReference: 'A-1' },
  ],
  [
    'percent-decoded once: double encoding stays text',
    'paylink://new?note=%253Cscript%253E',
    { note: '%3Cscript%3E' },
  ],
  [
    'a parameter name may be percent-encoded',
    'paylink://new?ph%6Fne=91234567',
    { phone: '+4791234567' },
  ],
  [
    'the desk’s maximum exactly',
    'paylink://new?amount=100000',
    { amount: 10_000_000, currency: 'NOK' },
  ],
  [
    'the desk’s currency for an amount without one',
    'paylink://new?amount=5',
    { amount: 500, currency: 'NOK' },
  ],
];

/** The problem each bad link must give: the message key, and the field's label when named. */
interface Bad {
  what: string;
  link: string;
  key: string;
  field?: string;
  why?: string;
}

const long = (n: number): string => 'x'.repeat(n);
const FIELD = 'paylinkLink.refusedField';
const LINK = 'paylinkLink.refused';

const BAD: Bad[] = [
  // Amounts.
  {
    what: 'a negative amount',
    link: 'paylink://new?amount=-100',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.negative',
  },
  {
    what: 'a negative amount, minus sign',
    link: `paylink://new?amount=${enc('−100')}`,
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.negative',
  },
  {
    what: 'zero',
    link: 'paylink://new?amount=0',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.zero',
  },
  {
    what: 'more than int32',
    link: 'paylink://new?amount=99999999999',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.too_large',
  },
  {
    what: 'above the shop’s maximum',
    link: 'paylink://new?amount=100000.01',
    key: FIELD,
    field: 'entry.amount',
    why: 'orderInput.amountAboveMax',
  },
  {
    what: 'an exponent',
    link: 'paylink://new?amount=1e5',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.invalid',
  },
  {
    what: 'NaN',
    link: 'paylink://new?amount=NaN',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.invalid',
  },
  {
    what: 'Infinity',
    link: 'paylink://new?amount=Infinity',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.invalid',
  },
  {
    what: 'three decimals',
    link: 'paylink://new?amount=0.001',
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.too_many_decimals',
  },
  {
    what: 'another currency’s sign',
    link: `paylink://new?amount=${enc('€100')}`,
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.invalid',
  },
  {
    what: 'superscript digits',
    link: `paylink://new?amount=${enc('1²3')}`,
    key: FIELD,
    field: 'entry.amount',
    why: 'amountReason.unusual_digits',
  },
  {
    what: 'a zero-width space in the amount (typed input drops it; a link does not)',
    link: 'paylink://new?amount=1%E2%80%8B000',
    key: FIELD,
    field: 'entry.amount',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'an amount over the currency it names',
    link: 'paylink://new?amount=200000&currency=SEK',
    key: FIELD,
    field: 'entry.amount',
    why: 'orderInput.amountAboveMax',
  },
  // Currencies.
  {
    what: 'an unknown currency',
    link: 'paylink://new?currency=GBP&amount=10',
    key: FIELD,
    field: 'entry.currency',
    why: 'paylinkLink.why.currency',
  },
  {
    what: 'a made-up currency',
    link: 'paylink://new?currency=NOKK',
    key: FIELD,
    field: 'entry.currency',
    why: 'paylinkLink.why.currency',
  },
  {
    what: 'a currency sign',
    link: 'paylink://new?currency=%E2%82%AC',
    key: FIELD,
    field: 'entry.currency',
    why: 'paylinkLink.why.currencyUnnamed',
  },
  // Phones.
  {
    what: 'a landline',
    link: 'paylink://new?phone=22123456',
    key: FIELD,
    field: 'entry.phone',
    why: 'phoneReason.not_mobile',
  },
  {
    what: 'too short',
    link: 'paylink://new?phone=123',
    key: FIELD,
    field: 'entry.phone',
    why: 'phoneReason.too_short',
  },
  {
    what: 'letters',
    link: 'paylink://new?phone=9123ABCD',
    key: FIELD,
    field: 'entry.phone',
    why: 'phoneReason.invalid_characters',
  },
  {
    what: 'an extension',
    link: `paylink://new?phone=${enc('91234567 ext 12')}`,
    key: FIELD,
    field: 'entry.phone',
    why: 'phoneReason.invalid_characters',
  },
  {
    what: 'a right-to-left override in the phone',
    link: 'paylink://new?phone=%E2%80%AE76543219',
    key: FIELD,
    field: 'entry.phone',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a zero-width space in the phone',
    link: 'paylink://new?phone=912%E2%80%8B34567',
    key: FIELD,
    field: 'entry.phone',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'Arabic-Indic digits',
    link: `paylink://new?phone=${enc('٩١٢٣٤٥٦٧')}`,
    key: FIELD,
    field: 'entry.phone',
    why: 'phoneReason.unusual_digits',
  },
  {
    what: 'an overlong phone',
    link: `paylink://new?phone=${'9'.repeat(65)}`,
    key: FIELD,
    field: 'entry.phone',
    why: 'paylinkLink.why.fieldTooLong',
  },
  // Scripts and markup.
  {
    what: 'a script in the name',
    link: `paylink://new?name=${enc('<script>alert(1)</script>')}`,
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.markup',
  },
  {
    what: 'a raw script in the name',
    link: 'paylink://new?name=<script>alert(1)</script>',
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.markup',
  },
  {
    what: 'an img onerror in the reference',
    link: `paylink://new?reference=${enc('<img src=x onerror=alert(1)>')}`,
    key: FIELD,
    field: 'entry.externalReference',
    why: 'paylinkLink.why.markup',
  },
  {
    what: 'markup in the note',
    link: 'paylink://new?note=%3Cb%3Ehi%3C%2Fb%3E',
    key: FIELD,
    field: 'entry.note',
    why: 'paylinkLink.why.markup',
  },
  {
    what: 'markup in the email',
    link: `paylink://new?email=${enc('a<b>@example.com')}`,
    key: FIELD,
    field: 'entry.email',
    why: 'paylinkLink.why.markup',
  },
  // Lengths: the IPC contract's.
  {
    what: 'an overlong name',
    link: `paylink://new?name=${long(201)}`,
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.fieldTooLong',
  },
  {
    what: 'an overlong reference',
    link: `paylink://new?reference=${long(65)}`,
    key: FIELD,
    field: 'entry.externalReference',
    why: 'paylinkLink.why.fieldTooLong',
  },
  {
    what: 'an overlong note',
    link: `paylink://new?note=${long(1001)}`,
    key: FIELD,
    field: 'entry.note',
    why: 'paylinkLink.why.fieldTooLong',
  },
  {
    what: 'an overlong email',
    link: `paylink://new?email=${long(195)}%40x.com`,
    key: FIELD,
    field: 'entry.email',
    why: 'paylinkLink.why.fieldTooLong',
  },
  {
    what: 'an overlong link',
    link: `paylink://new?note=${long(LINK_MAX_LENGTH)}`,
    key: LINK,
    why: 'paylinkLink.why.tooLong',
  },
  // Hidden characters.
  {
    what: 'a right-to-left override in the name',
    link: 'paylink://new?name=Kari%E2%80%AEnnamdroN',
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a zero-width joiner in the reference',
    link: 'paylink://new?reference=SO%E2%80%8D1',
    key: FIELD,
    field: 'entry.externalReference',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a NUL in the name',
    link: 'paylink://new?name=Kari%00',
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a line break in the name',
    link: 'paylink://new?name=Kari%0ANordmann',
    key: FIELD,
    field: 'entry.customerName',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a tag character in the note',
    link: `paylink://new?note=${enc('hi\u{E0041}')}`,
    key: FIELD,
    field: 'entry.note',
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a raw line break in the link',
    link: 'paylink://new?name=Kari\nNordmann',
    key: LINK,
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a raw tab in the link',
    link: 'paylink://new?amount=1\t00',
    key: LINK,
    why: 'paylinkLink.why.hidden',
  },
  {
    what: 'a raw right-to-left mark in the link',
    link: 'paylink://new?amount=100\u200F',
    key: LINK,
    why: 'paylinkLink.why.hidden',
  },
  // Not a link to a new order.
  {
    what: 'another scheme',
    link: 'https://new?amount=100',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'javascript:',
    link: 'javascript:alert(1)',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'javascript: made to look like ours',
    link: 'javascript://new?%0Aalert(1)',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'data:',
    link: 'data:text/html,<script>alert(1)</script>',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  { what: 'file:', link: 'file:///etc/passwd', key: LINK, why: 'paylinkLink.why.notNewOrder' },
  {
    what: 'a lookalike scheme',
    link: 'paylinks://new?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'no slashes',
    link: 'paylink:new?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'an encoded scheme',
    link: 'paylink%3A%2F%2Fnew?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'capture',
    link: 'paylink://capture?id=abc&amount=100',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'refund',
    link: 'paylink://refund?id=abc&amount=100',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'settings',
    link: 'paylink://settings?accountId=P12345678',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'another host',
    link: 'paylink://new.evil.example?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'a user',
    link: 'paylink://evil@new?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'a port',
    link: 'paylink://new:80?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'a path',
    link: 'paylink://new/../settings?amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'a fragment',
    link: 'paylink://new?amount=1#capture',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  {
    what: 'a fragment instead of a query',
    link: 'paylink://new#amount=1',
    key: LINK,
    why: 'paylinkLink.why.notNewOrder',
  },
  // Parameters.
  {
    what: 'the amount twice',
    link: 'paylink://new?amount=1&amount=1000',
    key: LINK,
    why: 'paylinkLink.why.repeated',
  },
  {
    what: 'the phone twice, once encoded',
    link: 'paylink://new?phone=91234567&ph%6Fne=41234567',
    key: LINK,
    why: 'paylinkLink.why.repeated',
  },
  {
    what: 'a setting',
    link: 'paylink://new?amount=1&accountId=P12345678',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'the shop’s maximum',
    link: 'paylink://new?maxOrderAmount=99999999&amount=500000',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'a capture',
    link: 'paylink://new?amount=1&action=capture',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'a refund',
    link: 'paylink://new?refund=100&id=abc',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'sending by itself',
    link: 'paylink://new?phone=91234567&amount=1&send=1',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'skipping the duplicate question',
    link: 'paylink://new?allowDuplicate=true',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'the delivery',
    link: 'paylink://new?delivery=link_only',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'a parameter in another case',
    link: 'paylink://new?Phone=91234567',
    key: LINK,
    why: 'paylinkLink.why.unknown',
  },
  {
    what: 'a parameter that is markup',
    link: 'paylink://new?%3Cb%3E=1',
    key: LINK,
    why: 'paylinkLink.why.unknownUnnamed',
  },
  {
    what: 'a parameter that is a number',
    link: 'paylink://new?91234567=1',
    key: LINK,
    why: 'paylinkLink.why.unknownUnnamed',
  },
  {
    what: 'a parameter without a value',
    link: 'paylink://new?phone',
    key: LINK,
    why: 'paylinkLink.why.malformed',
  },
  {
    what: 'a value without a name',
    link: 'paylink://new?=91234567',
    key: LINK,
    why: 'paylinkLink.why.malformed',
  },
  // Percent-encoding.
  {
    what: 'a cut-off escape',
    link: 'paylink://new?name=%E0%A4%A',
    key: LINK,
    why: 'paylinkLink.why.encoding',
  },
  { what: 'not hex', link: 'paylink://new?name=%ZZ', key: LINK, why: 'paylinkLink.why.encoding' },
  {
    what: 'an encoded lone surrogate',
    link: 'paylink://new?name=%ED%A0%80',
    key: LINK,
    why: 'paylinkLink.why.encoding',
  },
  {
    what: 'overlong UTF-8 for <',
    link: 'paylink://new?name=%C0%BCscript',
    key: LINK,
    why: 'paylinkLink.why.encoding',
  },
  // Email.
  {
    what: 'not an email',
    link: 'paylink://new?email=not-an-email',
    key: FIELD,
    field: 'entry.email',
    why: 'orderInput.emailInvalid',
  },
];

/** The problem a link gives (the test fails when it fills something in). */
function problem(link: string): Message {
  const r = read(link);
  if (r.ok) throw new Error(`filled in: ${link}`);
  return r.problem;
}

/** The key inside the message's `why` (and its field's label, when it names one). */
function problemOf(m: Message): { key: string; field?: string; why?: string } {
  const params = m.params ?? {};
  const field = params.field;
  const why = params.why;
  return {
    key: m.key,
    ...(typeof field === 'object' && 'text' in field ? { field: field.text.key } : {}),
    ...(typeof why === 'object' && 'text' in why ? { why: why.text.key } : {}),
  };
}

describe('paylink://new links: good ones', () => {
  it.each(GOOD)('%s', (_what, link, prefill) => {
    expect(read(link)).toEqual({ ok: true, prefill });
  });

  it('takes the desk’s settings: its country, currency and maximum', () => {
    const se: PaylinkLinkOptions = { country: 'SE', currency: 'SEK', maxOrderAmount: 10 };
    expect(read('paylink://new?phone=0701234567&amount=10', se)).toEqual({
      ok: true,
      prefill: { phone: '+46701234567', amount: 1000, currency: 'SEK' },
    });
    expect(read('paylink://new?amount=10.01', se)).toMatchObject({ ok: false });
  });

  it('allows exactly the IPC contract’s lengths, and not one character more', () => {
    const max = (f: 'customerName' | 'note' | 'externalReference') =>
      newOrderSchema.shape[f].unwrap().maxLength!;
    expect([max('customerName'), max('note'), max('externalReference')]).toEqual([200, 1000, 64]);
    for (const [param, field] of [
      ['name', 'customerName'],
      ['note', 'note'],
      ['reference', 'externalReference'],
    ] as const) {
      const n = max(field);
      expect(read(`paylink://new?${param}=${long(n)}`)).toEqual({
        ok: true,
        prefill: { [field]: long(n) },
      });
      expect(read(`paylink://new?${param}=${long(n + 1)}`).ok).toBe(false);
    }
    const email = `${long(200 - '@example.com'.length)}@example.com`;
    expect(read(`paylink://new?email=${email}`)).toEqual({ ok: true, prefill: { email } });
    const padded = `paylink://new?note=${long(LINK_MAX_LENGTH - 'paylink://new?note='.length)}`;
    expect(padded).toHaveLength(LINK_MAX_LENGTH);
    expect(read(padded)).toMatchObject({ ok: false, problem: { key: FIELD } });
  });

  it('knows a command-line argument for a link, whatever it holds', () => {
    expect(isPaylinkLink('paylink://new?amount=1')).toBe(true);
    expect(isPaylinkLink('PAYLINK:whatever')).toBe(true);
    expect(isPaylinkLink('--inspect')).toBe(false);
    expect(isPaylinkLink('.')).toBe(false);
    expect(isPaylinkLink('https://paylink.example')).toBe(false);
  });
});

describe('paylink://new links: bad and hostile ones fill in nothing', () => {
  it.each(BAD.map((b) => [b.what, b] as const))('%s', (_what, bad) => {
    const r = read(bad.link);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r).not.toHaveProperty('prefill');
    expect(problemOf(r.problem)).toEqual({
      key: bad.key,
      ...(bad.field !== undefined ? { field: bad.field } : {}),
      ...(bad.why !== undefined ? { why: bad.why } : {}),
    });
  });

  it('all or nothing: one bad value among good ones, and none is used', () => {
    const good = 'phone=91234567&amount=100&name=Kari&reference=SO-1';
    for (const bad of ['amount=-1', 'currency=XXX', 'note=%3Cscript%3E', 'refund=100']) {
      const r = read(`paylink://new?${good.replace(/amount=100/, '')}&${bad}`);
      expect(r, bad).toEqual({ ok: false, problem: expect.any(Object) });
    }
  });

  it('says each problem plainly in every language, without the customer’s number', () => {
    const translators = LANGUAGES.map((l) => createTranslator(l));
    for (const bad of BAD) {
      const r = read(bad.link);
      if (r.ok) throw new Error(bad.what);
      for (const t of translators) {
        const words = t.t(r.problem);
        expect(words, `${bad.what} (${t.language})`).not.toMatch(
          /\{\{|paylinkLink\.|entry\.|Reason\./,
        );
        expect(words).not.toContain('<script');
        expect(words).not.toContain('91234567');
      }
    }
    expect(english(problem('paylink://new?amount=-5'))).toBe(
      'A link from another program could not be used, so nothing from it was filled in. Amount: The amount must be more than zero.',
    );
    expect(english(problem('paylink://new?amount=1&accountId=P1'))).toContain('“accountId”');
  });

  it('never throws, and whatever it fills in obeys the rules (any name, any text)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 300 }),
        fc.string({ unit: 'binary', maxLength: 40 }),
        (text, raw) => {
          for (const link of [
            `paylink://new?name=${enc(text)}&note=${enc(text)}&reference=${enc(text.slice(0, 70))}`,
            `paylink://new?${raw}`,
            `paylink://new?amount=${enc(raw)}&phone=${enc(raw)}`,
            raw,
          ]) {
            let r: ReturnType<typeof read>;
            try {
              r = read(link);
            } catch (e) {
              throw new Error(`threw on ${JSON.stringify(link)}`, { cause: e });
            }
            if (!r.ok) continue;
            const p = r.prefill;
            for (const v of [p.customerName, p.externalReference, p.email]) {
              if (v === undefined) continue;
              expect(findHiddenCharacter(v)).toBeUndefined();
              expect(v).not.toMatch(/[<>]/);
              expect(v.length).toBeLessThanOrEqual(200);
            }
            if (p.note !== undefined) {
              expect(findHiddenCharacter(p.note, { multiline: true })).toBeUndefined();
              expect(p.note).not.toMatch(/[<>]/);
            }
            if (p.amount !== undefined) {
              expect(Number.isSafeInteger(p.amount) && p.amount >= 1).toBe(true);
              expect(p.amount).toBeLessThanOrEqual(10_000_000);
            }
            if (p.phone !== undefined) expect(p.phone).toMatch(/^\+\d{7,15}$/);
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
