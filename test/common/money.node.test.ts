import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCIES } from '../../common/domain';
import {
  currencyExponent,
  formatMoney,
  MAX_MINOR,
  parseAmount,
  toMajorString,
} from '../../common/money';
import { AMOUNT_CORPUS } from './fixtures/amount-corpus';

describe('currencyExponent', () => {
  it('is 2 for every supported currency', () => {
    for (const c of CURRENCIES) expect(currencyExponent(c)).toBe(2);
  });

  it('agrees with Intl (ISO 4217 minor units) for every supported currency', () => {
    for (const c of CURRENCIES) {
      const intl = new Intl.NumberFormat('en', { style: 'currency', currency: c });
      expect(intl.resolvedOptions().maximumFractionDigits, c).toBe(currencyExponent(c));
    }
  });
});

describe('parseAmount', () => {
  it.each([
    ['1 299,50', 129950],
    ['1299.50', 129950],
    ['1299', 129900],
    ['1.299,50', 129950],
    ['1,299.50', 129950],
    ['1 299', 129900],
    ['1299,5', 129950],
    ['kr 1 299,50', 129950],
    ['1299,-', 129900],
    ['1\u00a0299,50', 129950],
    ['1\u202f299,50', 129950],
  ])('reads %j as %i øre', (input, minor) => {
    expect(parseAmount(input, 'NOK')).toEqual({ ok: true, minor });
  });

  it('reads a lone separator followed by exactly three digits as thousands', () => {
    expect(parseAmount('1,299', 'NOK')).toEqual({ ok: true, minor: 129900 });
    expect(parseAmount('1.299', 'NOK')).toEqual({ ok: true, minor: 129900 });
    expect(parseAmount('1,29', 'NOK')).toEqual({ ok: true, minor: 129 });
    expect(parseAmount('1299,500', 'NOK')).toMatchObject({ reason: 'too_many_decimals' });
    expect(parseAmount('0,125', 'NOK')).toMatchObject({ reason: 'too_many_decimals' });
  });

  it.each([
    ['', 'empty'],
    ['NaN', 'invalid'],
    ['Infinity', 'invalid'],
    ['1e5', 'invalid'],
    ['12abc', 'invalid'],
    ['1.299.50', 'invalid'],
    ['1,999', 'ok'],
    ['1,995', 'ok'],
    ['12,345', 'ok'],
    ['1,2345', 'too_many_decimals'],
    ['0', 'zero'],
    ['-10', 'negative'],
    ['21474836.48', 'too_large'],
  ])('%j → %s', (input, reason) => {
    const r = parseAmount(input, 'NOK');
    if (reason === 'ok') expect(r.ok).toBe(true);
    else expect(r).toMatchObject({ ok: false, reason });
  });

  it('explains each refusal in plain words', () => {
    expect(parseAmount('1299,505', 'NOK')).toEqual({
      ok: false,
      reason: 'too_many_decimals',
      message: 'NOK amounts have at most 2 decimals.',
    });
    expect(parseAmount('€ 5', 'NOK')).toMatchObject({ message: expect.stringMatching(/NOK/) });
  });

  it('accepts exactly up to int32 minor units', () => {
    expect(parseAmount(toMajorString(MAX_MINOR, 'USD'), 'USD')).toEqual({
      ok: true,
      minor: MAX_MINOR,
    });
    expect(parseAmount('21474836.48', 'USD')).toMatchObject({ reason: 'too_large' });
  });

  it('passes the amount corpus with no wrong answer', () => {
    let accepted = 0;
    let invalidAccepted = 0;
    let validRejected = 0;
    const mismatches: string[] = [];
    for (const c of AMOUNT_CORPUS) {
      const r = parseAmount(c.input, c.currency);
      if (r.ok) accepted++;
      if (c.expect.ok && !r.ok) validRejected++;
      if (!c.expect.ok && r.ok) invalidAccepted++;
      const same = c.expect.ok
        ? r.ok && r.minor === c.expect.minor
        : !r.ok && r.reason === c.expect.reason;
      if (!same) mismatches.push(`${c.note} ${JSON.stringify(c.input)}: ${JSON.stringify(r)}`);
    }
    console.log(
      `amount corpus: ${AMOUNT_CORPUS.length} cases (${accepted} accepted), ` +
        `${invalidAccepted} invalid accepted, ${validRejected} valid rejected, ` +
        `${mismatches.length} with another amount or reason`,
    );
    expect(mismatches).toEqual([]);
    expect(invalidAccepted).toBe(0);
    expect(validRejected).toBe(0);
  });

  it('round-trips toMajorString for every minor amount (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_MINOR }),
        fc.constantFrom(...CURRENCIES),
        (m, c) => {
          expect(parseAmount(toMajorString(m, c), c)).toEqual({ ok: true, minor: m });
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('reads back what formatMoney shows, in every desk locale (property)', () => {
    const locales = ['nb-NO', 'sv-SE', 'da-DK', 'fi-FI', 'de-DE', 'de-CH', 'en-US', 'en-GB'];
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: MAX_MINOR }),
        fc.constantFrom(...CURRENCIES),
        fc.constantFrom(...locales),
        (m, c, locale) => {
          expect(parseAmount(formatMoney(m, c, locale), c)).toEqual({ ok: true, minor: m });
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('never returns a non-integer or more than int32 (property)', () => {
    const typed = fc.string({
      unit: fc.constantFrom(..."0123456789 .,-'kr", '\u00a0', '\u202f', '\uff15'),
      maxLength: 20,
    });
    fc.assert(
      fc.property(fc.oneof(typed, fc.string({ maxLength: 30 })), (input) => {
        const r = parseAmount(input, 'NOK');
        if (r.ok) {
          expect(Number.isSafeInteger(r.minor)).toBe(true);
          expect(r.minor).toBeGreaterThan(0);
          expect(r.minor).toBeLessThanOrEqual(MAX_MINOR);
        } else {
          expect(r.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('toMajorString', () => {
  it('writes minor units as a plain decimal in major units', () => {
    expect(toMajorString(129950, 'NOK')).toBe('1299.50');
    expect(toMajorString(5, 'NOK')).toBe('0.05');
    expect(toMajorString(0, 'EUR')).toBe('0.00');
    expect(toMajorString(-129950, 'SEK')).toBe('-1299.50');
    expect(toMajorString(MAX_MINOR, 'USD')).toBe('21474836.47');
  });

  it('refuses a non-integer', () => {
    expect(() => toMajorString(1.5, 'NOK')).toThrow(RangeError);
    expect(() => toMajorString(Number.NaN, 'NOK')).toThrow(RangeError);
  });
});

describe('formatMoney', () => {
  it('formats with Intl in the given locale', () => {
    const nb = formatMoney(129950, 'NOK', 'nb-NO');
    expect(nb.replace(/\s/g, ' ')).toBe('1 299,50 kr');
    expect(formatMoney(129950, 'USD', 'en-US')).toBe('$1,299.50');
    expect(formatMoney(129950, 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('1.299,50 €');
    expect(formatMoney(100, 'SEK', 'sv-SE').replace(/\s/g, ' ')).toBe('1,00 kr');
  });

  it('is exact at the int32 limit (no float division)', () => {
    expect(formatMoney(MAX_MINOR, 'USD', 'en-US')).toBe('$21,474,836.47');
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'USD', 'en-US')).toBe('$90,071,992,547,409.91');
  });

  it('refuses a non-integer', () => {
    expect(() => formatMoney(0.1, 'NOK', 'nb-NO')).toThrow(RangeError);
  });
});
