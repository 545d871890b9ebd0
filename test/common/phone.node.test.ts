import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PHONE_COUNTRIES } from '../../common/domain';
import { formatPhoneAsTyped, parseCustomerPhone } from '../../common/phone';
import { fullWidth, PHONE_CORPUS } from './fixtures/phone-corpus';

describe('parseCustomerPhone', () => {
  it('parses a Norwegian mobile into every form the app needs', () => {
    expect(parseCustomerPhone('912 34 567', 'NO')).toEqual({
      ok: true,
      e164: '+4791234567',
      country: 'NO',
      national: '91 23 45 67',
      international: '+47 91 23 45 67',
    });
  });

  it('lets a + prefix override the default country', () => {
    const r = parseCustomerPhone('+46 70 123 45 67', 'NO');
    expect(r).toMatchObject({ ok: true, e164: '+46701234567', country: 'SE' });
    expect(r.ok && r.national).toBe('070-123 45 67');
  });

  it('treats a leading 00 as the international prefix even where the default uses another', () => {
    expect(parseCustomerPhone('0046 70 123 45 67', 'US')).toMatchObject({
      ok: true,
      e164: '+46701234567',
    });
  });

  it('normalises full-width digits and plus', () => {
    expect(parseCustomerPhone(fullWidth('+47 912 34 567'), 'SE')).toMatchObject({
      ok: true,
      e164: '+4791234567',
    });
  });

  it('refuses a landline with a message a cashier understands', () => {
    expect(parseCustomerPhone('22 12 34 56', 'NO')).toEqual({
      ok: false,
      reason: 'not_mobile',
      message: 'That is a landline number; the payment link needs a mobile number.',
    });
  });

  it('accepts FIXED_LINE_OR_MOBILE numbers (US, Denmark)', () => {
    expect(parseCustomerPhone('(201) 555-0123', 'US')).toMatchObject({ ok: true });
    expect(parseCustomerPhone('33 12 34 56', 'DK')).toMatchObject({ ok: true });
  });

  it('refuses extensions and letters with their own explanations', () => {
    const ext = parseCustomerPhone('912 34 567 ext 12', 'NO');
    const letters = parseCustomerPhone('1-800-FLOWERS', 'US');
    expect(ext).toMatchObject({ ok: false, reason: 'invalid_characters' });
    expect(letters).toMatchObject({ ok: false, reason: 'invalid_characters' });
    expect(!ext.ok && ext.message).toMatch(/extension/);
    expect(!letters.ok && letters.message).toMatch(/letters/);
  });

  it('says which way the length is off', () => {
    expect(parseCustomerPhone('912 34 56', 'NO')).toMatchObject({ reason: 'too_short' });
    expect(parseCustomerPhone('912 34 5678', 'NO')).toMatchObject({ reason: 'too_long' });
    expect(parseCustomerPhone('070-123 45 678', 'SE')).toMatchObject({ reason: 'too_long' });
  });

  it('reports empty input as empty', () => {
    expect(parseCustomerPhone('  ', 'NO')).toMatchObject({ ok: false, reason: 'empty' });
  });

  it('passes the phone corpus: no invalid number accepted, no valid one rejected', () => {
    let valid = 0;
    let invalidAccepted = 0;
    let validRejected = 0;
    const mismatches: string[] = [];
    for (const c of PHONE_CORPUS) {
      const r = parseCustomerPhone(c.input, c.country);
      if (c.expect.ok) {
        valid++;
        if (!r.ok) validRejected++;
        if (!r.ok || r.e164 !== c.expect.e164) {
          mismatches.push(`${c.note} ${JSON.stringify(c.input)}: ${JSON.stringify(r)}`);
        }
      } else {
        if (r.ok) invalidAccepted++;
        if (r.ok || r.reason !== c.expect.reason) {
          mismatches.push(`${c.note} ${JSON.stringify(c.input)}: ${JSON.stringify(r)}`);
        }
      }
    }
    console.log(
      `phone corpus: ${PHONE_CORPUS.length} cases (${valid} valid, ${PHONE_CORPUS.length - valid} invalid), ` +
        `${invalidAccepted} invalid accepted, ${validRejected} valid rejected, ` +
        `${mismatches.length} with another e164 or reason`,
    );
    expect(PHONE_CORPUS.length).toBeGreaterThanOrEqual(200);
    expect(mismatches).toEqual([]);
    expect(invalidAccepted).toBe(0);
    expect(validRejected).toBe(0);
  });

  it('never repeats the number in a message (messages may reach logs)', () => {
    for (const c of PHONE_CORPUS) {
      const r = parseCustomerPhone(c.input, c.country);
      if (r.ok) continue;
      const digits = c.input.replace(/\D/g, '');
      if (digits.length >= 5) expect(r.message.replace(/\D/g, '')).not.toContain(digits);
    }
  });

  it('never throws, and anything accepted is E.164', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 64 }),
          fc.string({
            unit: fc.constantFrom(...'0123456789 +-().x#', '\u00a0', '\uff11'),
            maxLength: 24,
          }),
        ),
        fc.constantFrom(...PHONE_COUNTRIES),
        (input, country) => {
          const r = parseCustomerPhone(input, country);
          if (r.ok) expect(r.e164).toMatch(/^\+[1-9]\d{6,14}$/);
          else expect(r.message.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('parses what formatPhoneAsTyped shows to the same number (NO mobiles)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('9', '40', '41', '46', '47', '48'),
        fc.stringMatching(/^\d{7}$/),
        (prefix, rest) => {
          const national = (prefix + rest).slice(0, 8);
          const shown = formatPhoneAsTyped(national, 'NO');
          const a = parseCustomerPhone(national, 'NO');
          const b = parseCustomerPhone(shown, 'NO');
          expect(b).toEqual(a);
          expect(a.ok && a.e164).toBe(`+47${national}`);
        },
      ),
    );
  });
});

describe('formatPhoneAsTyped', () => {
  it('groups digits as they are typed', () => {
    expect(formatPhoneAsTyped('9123', 'NO')).toBe('91 23');
    expect(formatPhoneAsTyped('91234567', 'NO')).toBe('91 23 45 67');
    expect(formatPhoneAsTyped('0701234567', 'SE')).toBe('070-123 45 67');
    expect(formatPhoneAsTyped('+46701234567', 'NO')).toBe('+46 70 123 45 67');
    expect(formatPhoneAsTyped('2015550123', 'US')).toBe('(201) 555-0123');
  });

  it('normalises full-width digits', () => {
    expect(formatPhoneAsTyped('９１２３４５６７', 'NO')).toBe('91 23 45 67');
  });

  it('never eats what it cannot format, so validation can explain it', () => {
    expect(formatPhoneAsTyped('1-800-FLOWERS', 'US')).toBe('1-800-FLOWERS');
    expect(formatPhoneAsTyped('912 34 567 #12', 'NO')).toBe('912 34 567 #12');
    expect(formatPhoneAsTyped('', 'NO')).toBe('');
    expect(formatPhoneAsTyped('+', 'NO')).toBe('+');
  });
});
