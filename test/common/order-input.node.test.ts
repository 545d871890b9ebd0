import { english } from '../../common/i18n';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newOrderSchema, type NewOrderInput } from '../../common/ipc-contract';
import {
  computeLine,
  sumItems,
  validateNewOrder,
  vatOf,
  type NewOrderItemInput,
  type OrderValidationResult,
} from '../../common/order-input';
import { HIDDEN_TEXT, PLAIN_TEXT } from './fixtures/text-corpus';

const limits = { maxOrderAmount: 100_000 };

function order(patch: Partial<NewOrderInput> = {}): NewOrderInput {
  return newOrderSchema.parse({
    phone: '912 34 567',
    country: 'NO',
    amount: 29990,
    currency: 'NOK',
    linkLifetimeHours: 24,
    delivery: 'sms',
    ...patch,
  });
}

/**
 * The errors' English words, with plain spaces (Intl puts no-break spaces in money,
 * "NOK\u00a0100"), to compare with what staff read.
 */
function spaces(
  r: OrderValidationResult,
): OrderValidationResult | { ok: false; errors: Record<string, string> } {
  if (r.ok) return r;
  const errors = Object.fromEntries(
    Object.entries(r.errors).map(([k, v]) => [k, english(v).replace(/\s/g, ' ')]),
  );
  return { ok: false, errors };
}

const chair: NewOrderItemInput = {
  description: 'Chair',
  quantity: 1,
  unitPrice: 29990,
  vatPercent: 25,
};

describe('vatOf', () => {
  it('takes the VAT part of a VAT-inclusive amount', () => {
    expect(vatOf(29990, 25)).toBe(5998); // Dintero's own example
    expect(vatOf(12500, 25)).toBe(2500);
    expect(vatOf(11200, 12)).toBe(1200);
    expect(vatOf(11250, 12.5)).toBe(1250);
    expect(vatOf(1000, 0)).toBe(0);
    expect(vatOf(0, 25)).toBe(0);
  });

  it('rounds half up', () => {
    expect(vatOf(3, 100)).toBe(2); // 1.5
    expect(vatOf(1, 100)).toBe(1); // 0.5
    expect(vatOf(3, 20)).toBe(1); // 0.5
    expect(vatOf(1, 25)).toBe(0); // 0.2
    expect(vatOf(3, 25)).toBe(1); // 0.6
  });

  it('is the nearest whole minor unit, ties up, for any amount (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2_147_483_647 * 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        (amount, vatHundredths) => {
          const vat = vatOf(amount, vatHundredths / 100);
          // Exact: vat ≈ amount·p / (10000 + p) with p in hundredths of a percent.
          const p = BigInt(vatHundredths);
          const den = 10_000n + p;
          const twiceError = 2n * (BigInt(vat) * den - BigInt(amount) * p);
          expect(twiceError <= den && twiceError > -den).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('computeLine and sumItems', () => {
  it('prices a line: quantity × unit price, VAT, line id', () => {
    expect(computeLine({ ...chair, quantity: 3 }, 1)).toEqual({
      lineId: '2',
      description: 'Chair',
      quantity: 3,
      unitPrice: 29990,
      vatPercent: 25,
      amount: 89970,
      vatAmount: 17994,
    });
  });

  it('sums lines for the live total', () => {
    const items = [chair, { description: 'Book', quantity: 2, unitPrice: 19900, vatPercent: 0 }];
    expect(sumItems(items)).toEqual({ amount: 69790, vatAmount: 5998 });
    expect(sumItems([])).toEqual({ amount: 0, vatAmount: 0 });
  });

  it('sums VAT per line, not VAT of the sum', () => {
    const item = { description: 'Pin', quantity: 1, unitPrice: 3, vatPercent: 25 };
    // Each line: 0.6 → 1; together 9 → 1.8 → 2.
    expect(sumItems([item, item, item])).toEqual({ amount: 9, vatAmount: 3 });
  });
});

describe('validateNewOrder', () => {
  it('accepts a plain order and returns the E.164 phone, no lines, no VAT', () => {
    expect(validateNewOrder(order(), limits)).toEqual({
      ok: true,
      order: {
        phoneE164: '+4791234567',
        amount: 29990,
        currency: 'NOK',
        vatAmount: 0,
        items: [],
        linkLifetimeHours: 24,
        delivery: 'sms',
      },
    });
  });

  it('accepts lines that add up, numbering them and computing VAT', () => {
    const items = [
      { ...chair, quantity: 2 },
      { description: ' Delivery ', quantity: 1, unitPrice: 9900, vatPercent: 25 },
    ];
    const r = validateNewOrder(order({ amount: 69880, items }), limits);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.items.map((l) => [l.lineId, l.description, l.amount, l.vatAmount])).toEqual([
      ['1', 'Chair', 59980, 11996],
      ['2', 'Delivery', 9900, 1980],
    ]);
    expect(r.order.vatAmount).toBe(13976);
  });

  it('says by how much the lines differ from the total', () => {
    const r = spaces(validateNewOrder(order({ amount: 29990 + 9950, items: [chair] }), limits));
    expect(r).toEqual({
      ok: false,
      errors: {
        items:
          'The lines add up to NOK 299.90, which is NOK 99.50 less than the total of NOK 399.40.',
      },
    });
    const more = spaces(validateNewOrder(order({ amount: 29000, items: [chair] }), limits));
    expect(!more.ok && more.errors.items).toMatch(/NOK 9\.90 more than the total of NOK 290\.00/);
  });

  it('refuses a phone that is not a mobile, under the phone field', () => {
    const r = validateNewOrder(order({ phone: '22 12 34 56' }), limits);
    expect(spaces(r)).toEqual({
      ok: false,
      errors: { phone: 'That is not a mobile number; the payment link needs a mobile number.' },
    });
  });

  it('checks the phone against the chosen country', () => {
    expect(
      validateNewOrder(order({ phone: '070 123 45 67', country: 'SE' }), limits),
    ).toMatchObject({ ok: true, order: { phoneE164: '+46701234567' } });
  });

  it('enforces the maximum order amount in major units, inclusive', () => {
    expect(validateNewOrder(order({ amount: 10_000_000 }), limits).ok).toBe(true);
    expect(spaces(validateNewOrder(order({ amount: 10_000_001 }), limits))).toEqual({
      ok: false,
      errors: { amount: 'The most one order can be is NOK 100,000.00 (set in Settings).' },
    });
  });

  it('refuses a VAT rate with more than two decimals', () => {
    const r = validateNewOrder(order({ items: [{ ...chair, vatPercent: 12.345 }] }), limits);
    expect(r.ok).toBe(false);
    expect(!r.ok && Object.keys(r.errors)).toEqual(['items.0.vatPercent']);
  });

  it('refuses a line larger than a payment link can take', () => {
    const huge = { description: 'Gold', quantity: 10_000, unitPrice: 2_000_000 };
    const r = validateNewOrder(order({ items: [chair, { ...huge, vatPercent: 25 }] }), limits);
    expect(!r.ok && Object.keys(r.errors)).toEqual(['items.1.quantity']);
  });

  it('checks the email only when given, and trims it', () => {
    expect(spaces(validateNewOrder(order({ email: 'not-an-email' }), limits))).toEqual({
      ok: false,
      errors: { email: 'That does not look like an email address (name@example.com).' },
    });
    const r = validateNewOrder(order({ email: '  kari@example.no ' }), limits);
    expect(r.ok && r.order.email).toBe('kari@example.no');
    const blank = validateNewOrder(order({ email: '   ' }), limits);
    expect(blank.ok && 'email' in blank.order).toBe(false);
  });

  it('trims names and notes and drops blank ones', () => {
    const r = validateNewOrder(
      { ...order(), customerName: '  Kari Nordmann ', note: ' ', linkLifetimeHours: 48 },
      limits,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.order.customerName).toBe('Kari Nordmann');
    expect('note' in r.order).toBe(false);
    expect(r.order.linkLifetimeHours).toBe(48);
  });

  it('reports every field at once, keyed by field path', () => {
    const r = validateNewOrder(
      order({
        phone: 'abc',
        amount: 20_000_000,
        email: 'x@',
        items: [{ ...chair, vatPercent: 0.001 }],
      }),
      limits,
    );
    expect(!r.ok && Object.keys(r.errors).sort()).toEqual([
      'amount',
      'email',
      'items.0.vatPercent',
      'phone',
    ]);
  });

  it('treats an empty item list as no items', () => {
    expect(validateNewOrder(order({ items: [] }), limits)).toMatchObject({
      ok: true,
      order: { items: [], vatAmount: 0 },
    });
  });

  it('refuses a maximum that is not a positive whole number (a configuration bug)', () => {
    expect(() => validateNewOrder(order(), { maxOrderAmount: 0 })).toThrow(RangeError);
    expect(() => validateNewOrder(order(), { maxOrderAmount: 1.5 })).toThrow(RangeError);
  });

  it('accepts any lines that add up, with total VAT = Σ line VAT (property)', () => {
    const roomy = { maxOrderAmount: 1_000_000 }; // 20 lines × 20 × 1000.00 fit
    const item = fc.record({
      description: fc.constantFrom('Chair', 'Table', 'Lamp'),
      quantity: fc.integer({ min: 1, max: 20 }),
      unitPrice: fc.integer({ min: 1, max: 100_000 }),
      vatPercent: fc.constantFrom(0, 6, 12, 12.5, 15, 24, 25),
    });
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 20 }), (items) => {
        const totals = sumItems(items);
        const r = validateNewOrder(order({ amount: totals.amount, items }), roomy);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.order.vatAmount).toBe(totals.vatAmount);
        expect(r.order.items.map((l) => l.lineId)).toEqual(items.map((_, i) => String(i + 1)));
        expect(r.order.items.reduce((s, l) => s + l.amount, 0)).toBe(r.order.amount);
        const off = validateNewOrder(order({ amount: totals.amount + 1, items }), roomy);
        expect(off.ok).toBe(false);
      }),
      { numRuns: 500 },
    );
  });
});

describe('validateNewOrder: text that shows something else', () => {
  const fields = [
    { key: 'customerName', name: 'The customer name', patch: (t: string) => ({ customerName: t }) },
    { key: 'note', name: 'The note', patch: (t: string) => ({ note: t }) },
    {
      key: 'email',
      name: 'The email address',
      patch: (_t: string, ch: string) => ({ email: `kari${ch}@example.com` }),
    },
    {
      key: 'items.0.description',
      name: 'The description',
      patch: (t: string) => ({ items: [{ ...chair, description: t }] }),
    },
  ] as const;

  it.each(fields)('refuses every control, direction and invisible character in $key', (f) => {
    for (const c of HIDDEN_TEXT) {
      if (f.key === 'note' && c.multilineOk) continue;
      const input = order(f.patch(c.text, c.char));
      const r = validateNewOrder(input, limits);
      expect(r.ok, `${f.key}: ${c.note}`).toBe(false);
      if (r.ok) continue;
      expect(Object.keys(r.errors), c.note).toEqual([f.key]);
      const words = english(r.errors[f.key]!);
      expect(words, c.note).toMatch(new RegExp(`^${f.name} `));
      if (c.kind !== 'line_break') expect(words, c.note).toContain(c.codePoint);
    }
  });

  it('accepts names, notes and descriptions in any script, and line breaks in the note', () => {
    for (const t of PLAIN_TEXT) {
      const r = validateNewOrder(
        order({
          customerName: t,
          note: `${t}\nRing på.\r\nTakk`,
          items: [{ ...chair, description: t }],
        }),
        limits,
      );
      expect(r.ok, t).toBe(true);
      if (r.ok) expect(r.order.customerName).toBe(t);
    }
  });
});
