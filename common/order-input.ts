/**
 * Semantic validation of a new order, shared by the entry screen (live feedback) and main (the
 * check that counts). It runs after `newOrderSchema`, so the input is structurally valid; this
 * file checks what a schema cannot: the phone is a real mobile, the total is within the shop's
 * limit, the lines add up, VAT per line, and that the free text (name, email, note, line
 * descriptions) holds no control, direction or invisible characters (common/hidden-characters).
 *
 * VAT: item prices include VAT (as shop prices do). A line's VAT is the VAT part of its total,
 * `amount × vat / (100 + vat)`, rounded half up to a whole minor unit, computed with exact
 * integer arithmetic (BigInt), never floating point. The order's VAT is the sum of the lines'.
 */
import { msg, type Message, type MoneyParam } from './i18n/messages';
import { z } from 'zod';
import type { Currency, Delivery, OrderItem } from './domain';
import type { NewOrderInput, newOrderItemSchema } from './ipc-contract';
import { plainTextIssue } from './hidden-characters';
import { currencyExponent, MAX_MINOR } from './money';
import { parseCustomerPhone } from './phone';

/** One line as staff enter it (description, quantity, unit price incl. VAT, VAT %). */
export type NewOrderItemInput = z.infer<typeof newOrderItemSchema>;

/** Shop limits the check needs; `maxOrderAmount` comes from Settings (whole major units). */
export interface OrderLimits {
  /** Highest total one order may have, in major units (e.g. 100000 NOK). */
  maxOrderAmount: number;
  /** Reserved for time-dependent rules; no current rule depends on the time. */
  now?: Date;
}

/** A new order after the semantic check: what the engine journals and sends to Dintero. */
export interface ValidatedOrder {
  /** E.164, e.g. +4791234567. */
  phoneE164: string;
  /** Total incl. VAT, minor units, 1 ≤ amount ≤ the shop's maximum. */
  amount: number;
  currency: Currency;
  /** Σ line VAT, or 0 when the order has no lines. */
  vatAmount: number;
  /** Lines with ids "1", "2", ..., totals and VAT computed; empty when none were entered. */
  items: OrderItem[];
  customerName?: string;
  email?: string;
  note?: string;
  /**
   * The order's number in the shop's other system (an ERP, a web admin), sent to Dintero as
   * `merchant_reference_2`; a book-keeping reference, not customer data.
   */
  externalReference?: string;
  linkLifetimeHours: number;
  delivery: Delivery;
}

/** Result of {@link validateNewOrder}; errors are keyed by the field path the screen shows. */
export type OrderValidationResult =
  { ok: true; order: ValidatedOrder } | { ok: false; errors: Record<string, Message> };

/** Line totals for the entry screen's live sum. */
export interface ItemTotals {
  /** Σ line amounts incl. VAT, minor units. */
  amount: number;
  /** Σ line VAT, minor units. */
  vatAmount: number;
}

/** VAT rates with more decimals than this are refused (a typo rather than a rate). */
const MAX_VAT_DECIMALS = 2;

/** A VAT percentage as an exact fraction `numerator / scale` (12.5 → 125 / 10). */
function vatFraction(vatPercent: number): { numerator: bigint; scale: bigint; decimals: number } {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(String(vatPercent));
  if (m === null || vatPercent > 100) {
    throw new RangeError('VAT must be a percentage between 0 and 100.');
  }
  const decimals = m[2] ?? '';
  return {
    numerator: BigInt((m[1] ?? '0') + decimals),
    scale: 10n ** BigInt(decimals.length),
    decimals: decimals.length,
  };
}

/**
 * VAT part of a VAT-inclusive amount: round-half-up of `amount × vat / (100 + vat)`, exact.
 * E.g. 29990 at 25 % → 5998; 100 at 25 % → 20; 1 at 25 % → 0 (0.2 rounds down).
 */
export function vatOf(amount: number, vatPercent: number): number {
  if (!Number.isSafeInteger(amount) || amount < 0) {
    throw new RangeError('Amounts must be whole, non-negative minor units.');
  }
  const { numerator, scale } = vatFraction(vatPercent);
  const num = BigInt(amount) * numerator;
  const den = 100n * scale + numerator;
  // Half up for non-negative values: floor((2·num + den) / (2·den)).
  return Number((2n * num + den) / (2n * den));
}

/**
 * Prices one line: `amount = quantity × unitPrice`, `vatAmount` = {@link vatOf}(amount), and the
 * line id `String(index + 1)`. Expects a schema-valid item (whole quantity and unit price);
 * throws RangeError otherwise. The amount may exceed int32 for absurd inputs:
 * {@link validateNewOrder} reports that, the entry screen may show it as is.
 */
export function computeLine(item: NewOrderItemInput, index = 0): OrderItem {
  if (!Number.isSafeInteger(item.quantity) || !Number.isSafeInteger(item.unitPrice)) {
    throw new RangeError('Quantity and unit price must be whole numbers.');
  }
  const amount = item.quantity * item.unitPrice;
  return {
    lineId: String(index + 1),
    description: item.description.trim(),
    quantity: item.quantity,
    unitPrice: item.unitPrice,
    vatPercent: item.vatPercent,
    amount,
    vatAmount: vatOf(amount, item.vatPercent),
  };
}

/**
 * Σ amount and Σ VAT over the lines (each priced by {@link computeLine}), for live totals and
 * the "lines must add up" rule. Exact: schema limits keep every sum far below 2^53.
 */
export function sumItems(items: readonly NewOrderItemInput[]): ItemTotals {
  let amount = 0;
  let vatAmount = 0;
  items.forEach((item, i) => {
    const line = computeLine(item, i);
    amount += line.amount;
    vatAmount += line.vatAmount;
  });
  return { amount, vatAmount };
}

const emailSchema = z.email();

function optionalText(value: string | undefined): string | undefined {
  const t = value?.trim();
  return t === undefined || t === '' ? undefined : t;
}

/**
 * Why an order total (minor units) cannot be taken: not above zero, or above the shop's maximum
 * (`maxOrderAmount` whole major units, never above int32 minor units); undefined when fine.
 */
export function orderAmountIssue(
  amount: number,
  currency: Currency,
  maxOrderAmount: number,
): Message | undefined {
  const maxMinor = Math.min(maxOrderAmount * 10 ** currencyExponent(currency), MAX_MINOR);
  if (!Number.isSafeInteger(amount) || amount < 1) return msg('orderInput.amountAboveZero');
  if (amount > maxMinor) {
    return msg('orderInput.amountAboveMax', { amount: { money: maxMinor, currency } });
  }
  return undefined;
}

/**
 * The semantic check of a new order that the entry screen and main share. Runs after
 * `newOrderSchema`. Checks: the phone is a valid mobile (→ E.164); the amount is positive and at
 * most `maxOrderAmount × 10^exponent`; each line's amount and VAT are computed (never taken from
 * input), line ids are "1", "2", ...; the lines add up exactly to `amount` (the error says by how
 * much they differ); an email, if given, looks like one; the customer name, email, note (which
 * may have line breaks) and line descriptions hold no control, direction or invisible
 * characters, nor does the order number in the shop's other system ({@link optionalTextErrors});
 * names, notes and that number are trimmed (blank → absent). Errors are keyed 'phone',
 * 'amount', 'items', 'items.<i>.<field>', 'email', 'customerName', 'note', 'externalReference'.
 * Throws RangeError if `maxOrderAmount` is not a positive whole number (a configuration bug).
 */
export function validateNewOrder(input: NewOrderInput, limits: OrderLimits): OrderValidationResult {
  if (!Number.isSafeInteger(limits.maxOrderAmount) || limits.maxOrderAmount < 1) {
    throw new RangeError('maxOrderAmount must be a positive whole number of major units.');
  }
  const errors: Record<string, Message> = {};
  const { currency } = input;
  const money = (minor: number): MoneyParam => ({ money: minor, currency });

  const phone = parseCustomerPhone(input.phone, input.country);
  if (!phone.ok) errors.phone = msg(`phoneReason.${phone.reason}`);

  const amountIssue = orderAmountIssue(input.amount, currency, limits.maxOrderAmount);
  if (amountIssue !== undefined) errors.amount = amountIssue;

  const items: OrderItem[] = [];
  let vatAmount = 0;
  const rawItems = input.items ?? [];
  let linesOk = true;
  rawItems.forEach((item, i) => {
    const at = `items.${i}`;
    const hidden = plainTextIssue(item.description.trim(), 'description');
    if (item.description.trim() === '') {
      errors[`${at}.description`] = msg('orderInput.descriptionRequired');
      linesOk = false;
    } else if (hidden !== undefined) {
      errors[`${at}.description`] = hidden;
      linesOk = false;
    }
    if (!Number.isSafeInteger(item.quantity) || item.quantity < 1) {
      errors[`${at}.quantity`] = msg('orderInput.quantityWhole');
      linesOk = false;
      return;
    }
    if (!Number.isSafeInteger(item.unitPrice) || item.unitPrice < 1) {
      errors[`${at}.unitPrice`] = msg('orderInput.priceAboveZero');
      linesOk = false;
      return;
    }
    if (
      !Number.isFinite(item.vatPercent) ||
      item.vatPercent < 0 ||
      item.vatPercent > 100 ||
      !/^\d+(?:\.\d+)?$/.test(String(item.vatPercent)) ||
      vatFraction(item.vatPercent).decimals > MAX_VAT_DECIMALS
    ) {
      errors[`${at}.vatPercent`] = msg('orderInput.vatPercent');
      linesOk = false;
      return;
    }
    const line = computeLine(item, i);
    if (line.amount > MAX_MINOR) {
      errors[`${at}.quantity`] = msg('orderInput.lineTooLarge', { amount: money(MAX_MINOR) });
      linesOk = false;
      return;
    }
    items.push(line);
    vatAmount += line.vatAmount;
  });

  if (linesOk && rawItems.length > 0 && errors.amount === undefined) {
    const sum = items.reduce((s, l) => s + l.amount, 0);
    if (sum !== input.amount) {
      const diff = Math.abs(sum - input.amount);
      errors.items = msg(sum < input.amount ? 'orderInput.linesLess' : 'orderInput.linesMore', {
        sum: money(sum),
        diff: money(diff),
        total: money(input.amount),
      });
    }
  }

  Object.assign(errors, optionalTextErrors(input));

  if (Object.keys(errors).length > 0 || !phone.ok) return { ok: false, errors };

  const order: ValidatedOrder = {
    phoneE164: phone.e164,
    amount: input.amount,
    currency,
    vatAmount,
    items,
    linkLifetimeHours: input.linkLifetimeHours,
    delivery: input.delivery,
  };
  const customerName = optionalText(input.customerName);
  const email = optionalText(input.email);
  const note = optionalText(input.note);
  const externalReference = optionalText(input.externalReference);
  if (customerName !== undefined) order.customerName = customerName;
  if (email !== undefined) order.email = email;
  if (note !== undefined) order.note = note;
  if (externalReference !== undefined) order.externalReference = externalReference;
  return { ok: true, order };
}

/** The optional free-text fields of a new order (as typed, or from a paylink: link). */
export type OptionalOrderTexts = Pick<
  NewOrderInput,
  'customerName' | 'email' | 'note' | 'externalReference'
>;

/**
 * The rules for the optional free text of a new order, shared by {@link validateNewOrder} and
 * the paylink: links (common/paylink-link.ts): an email, if given, looks like one; the customer
 * name, email, note (which may have line breaks) and the order number in the shop's other
 * system hold no control, direction or invisible characters. Checked after trimming, as main
 * receives them. Errors are keyed 'customerName', 'email', 'note', 'externalReference'.
 */
export function optionalTextErrors(input: OptionalOrderTexts): Record<string, Message> {
  const errors: Record<string, Message> = {};
  const email = optionalText(input.email);
  const emailHidden = email === undefined ? undefined : plainTextIssue(email, 'email');
  if (emailHidden !== undefined) errors.email = emailHidden;
  else if (email !== undefined && !emailSchema.safeParse(email).success) {
    errors.email = msg('orderInput.emailInvalid');
  }
  // Checked as main receives them: the contract's schema trims the ends first.
  const nameHidden = plainTextIssue(optionalText(input.customerName) ?? '', 'customerName');
  if (nameHidden !== undefined) errors.customerName = nameHidden;
  const noteHidden = plainTextIssue(optionalText(input.note) ?? '', 'note', {
    multiline: true,
  });
  if (noteHidden !== undefined) errors.note = noteHidden;
  const referenceHidden = plainTextIssue(
    optionalText(input.externalReference) ?? '',
    'externalReference',
  );
  if (referenceHidden !== undefined) errors.externalReference = referenceHidden;
  return errors;
}
