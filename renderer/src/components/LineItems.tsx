/**
 * Optional order lines on the entry screen. Each line shows its computed total and VAT
 * (common/order-input, the same arithmetic main uses); the order total becomes the amount.
 */
import { useTranslation } from 'react-i18next';
import type { Currency } from '../../../common/domain';
import type { NewOrderInput } from '../../../common/ipc-contract';
import { parseAmount, type AmountParseResult } from '../../../common/money';
import { computeLine, sumItems } from '../../../common/order-input';
import { useFormat } from '../lib/format';
import { Field } from './Field';

/** A line as typed (strings until sent). `key` keeps React rows stable when one is removed. */
export interface ItemDraft {
  key: string;
  description: string;
  quantity: string;
  unitPrice: string;
  vatPercent: string;
}

type NewItem = NonNullable<NewOrderInput['items']>[number];

let nextKey = 1;

export function emptyItem(): ItemDraft {
  return {
    key: `item-${nextKey++}`,
    description: '',
    quantity: '1',
    unitPrice: '',
    vatPercent: '25',
  };
}

/** The typed lines priced: what to send, each line's totals, the sum, and per-field errors. */
export interface PricedItems {
  items: NewItem[];
  lines: ({ amount: number; vatAmount: number } | null)[];
  total: { amount: number; vatAmount: number };
  errors: Record<string, string>;
}

/** Parses and prices the typed lines; a line with a problem counts as zero in the total. */
export function priceItems(
  drafts: ItemDraft[],
  currency: Currency,
  messages: {
    description: string;
    quantity: string;
    vatPercent: string;
    amount(failure: Extract<AmountParseResult, { ok: false }>): string;
    /** The message for a description holding a hidden character, else undefined. */
    hiddenDescription(description: string): string | undefined;
  },
): PricedItems {
  const items: NewItem[] = [];
  const lines: PricedItems['lines'] = [];
  const errors: Record<string, string> = {};
  drafts.forEach((d, i) => {
    const quantity = Number(d.quantity.trim());
    const vatPercent = Number(d.vatPercent.trim().replace(',', '.'));
    const price = parseAmount(d.unitPrice, currency);
    let ok = true;
    const hidden = messages.hiddenDescription(d.description);
    if (d.description.trim() === '') {
      errors[`items.${i}.description`] = messages.description;
      ok = false;
    } else if (hidden !== undefined) {
      errors[`items.${i}.description`] = hidden;
      ok = false;
    }
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > 10_000) {
      errors[`items.${i}.quantity`] = messages.quantity;
      ok = false;
    }
    if (
      d.vatPercent.trim() === '' ||
      !/^\d+(?:\.\d{1,2})?$/.test(String(vatPercent)) ||
      vatPercent > 100
    ) {
      errors[`items.${i}.vatPercent`] = messages.vatPercent;
      ok = false;
    }
    if (!price.ok) {
      errors[`items.${i}.unitPrice`] = messages.amount(price);
      ok = false;
    }
    if (ok && price.ok) {
      const item: NewItem = {
        description: d.description.trim(),
        quantity,
        unitPrice: price.minor,
        vatPercent,
      };
      items.push(item);
      const line = computeLine(item, i);
      lines.push({ amount: line.amount, vatAmount: line.vatAmount });
    } else {
      lines.push(null);
    }
  });
  const sum = sumItems(items);
  return { items, lines, total: { amount: sum.amount, vatAmount: sum.vatAmount }, errors };
}

/** The four inputs of a line, in the order staff fill them. */
const LINE_FIELDS = [
  { key: 'description', label: 'entry.description', className: 'item__desc', inputMode: undefined },
  { key: 'quantity', label: 'entry.quantity', className: 'item__qty', inputMode: 'numeric' },
  { key: 'unitPrice', label: 'entry.unitPrice', className: 'item__price', inputMode: 'decimal' },
  { key: 'vatPercent', label: 'entry.vatPercent', className: 'item__vat', inputMode: 'decimal' },
] as const;

export function LineItemsEditor({
  items,
  currency,
  priced,
  errors,
  onChange,
  onAdd,
}: {
  items: ItemDraft[];
  currency: Currency;
  priced: PricedItems;
  /** Errors to show (after a send attempt, or from main). */
  errors: Record<string, string>;
  onChange: (items: ItemDraft[]) => void;
  onAdd: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const set = (i: number, patch: Partial<ItemDraft>): void =>
    onChange(items.map((it, j) => (j === i ? { ...it, ...patch } : it)));
  return (
    <section className="items" aria-labelledby="items-heading">
      <h2 id="items-heading" className="section-title">
        {t('entry.items')}
      </h2>
      {errors.items !== undefined && <p className="field__error">{errors.items}</p>}
      {items.map((it, i) => {
        const line = priced.lines[i];
        const err = (k: string): string | undefined => errors[`items.${i}.${k}`];
        return (
          <fieldset key={it.key} className="item" data-line={i + 1}>
            <legend className="item__legend">{t('entry.line', { n: i + 1 })}</legend>
            {LINE_FIELDS.map((field) => (
              <Field
                key={field.key}
                label={t(field.label)}
                error={err(field.key)}
                className={field.className}
              >
                {(ids) => (
                  <input
                    {...ids}
                    className="input"
                    inputMode={field.inputMode}
                    autoComplete="off"
                    value={it[field.key]}
                    onChange={(e) => set(i, { [field.key]: e.currentTarget.value })}
                  />
                )}
              </Field>
            ))}
            <output className="item__total" data-testid={`line-total-${i + 1}`}>
              {line
                ? t('entry.lineTotal', {
                    amount: f.money(line.amount, currency),
                    vat: f.money(line.vatAmount, currency),
                  })
                : '—'}
            </output>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => onChange(items.filter((_, j) => j !== i))}
            >
              {t('entry.removeItem', { n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      <div className="items__footer">
        <button type="button" className="button" onClick={onAdd}>
          {t('entry.addItem')}
        </button>
        {items.length > 0 && (
          <output className="items__total" data-testid="items-total">
            {t('entry.itemsTotal', {
              amount: f.money(priced.total.amount, currency),
              vat: f.money(priced.total.vatAmount, currency),
            })}
          </output>
        )}
      </div>
    </section>
  );
}
