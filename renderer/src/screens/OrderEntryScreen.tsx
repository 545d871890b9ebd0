/**
 * "New order": the screen staff live in while a customer is on the phone. Phone and amount
 * first, everything else optional; Ctrl/Cmd+Enter sends; after a send the form clears and the
 * phone field has focus again, while the orders just sent show their live status below.
 * A paylink: link from another program (store/link.ts) fills the form in, or says why it
 * filled in nothing; either way nothing is sent until staff press Send link.
 */
import { useText } from '../lib/text';
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { getCountryCallingCode } from 'libphonenumber-js/max';
import {
  CURRENCIES,
  PHONE_COUNTRIES,
  type Currency,
  type Delivery,
  type OrderSummary,
  type PhoneCountry,
} from '../../../common/domain';
import type { Message } from '../../../common/i18n/messages';
import type { NewOrderInput } from '../../../common/ipc-contract';
import type { OrderPrefill } from '../../../common/paylink-link';
import { parseAmount, type AmountParseResult } from '../../../common/money';
import { validateNewOrder } from '../../../common/order-input';
import { formatPhoneAsTyped, parseCustomerPhone } from '../../../common/phone';
import { settle, useApi } from '../api';
import { Field } from '../components/Field';
import { RecentOrders } from '../components/RecentOrders';
import { LineItemsEditor, emptyItem, priceItems, type ItemDraft } from '../components/LineItems';
import { splitFieldErrors } from '../lib/errors';
import { hiddenTextProblem } from '../lib/hidden-text';
import { countryName, useFormat } from '../lib/format';
import { useAppStore, useLinkStore, useOrdersStore } from '../store';

/** Link lifetimes offered (hours): 1 hour, 24 hours, 7 days. */
export const LIFETIME_CHOICES = [1, 24, 168] as const;

interface FormState {
  phone: string;
  /** undefined = the settings' default (which may still be loading). */
  country?: PhoneCountry;
  amount: string;
  currency?: Currency;
  items: ItemDraft[];
  customerName: string;
  email: string;
  note: string;
  /** The order's number in the shop's other system. */
  externalReference: string;
  lifetime?: number;
  delivery?: Delivery;
}

const EMPTY: FormState = {
  phone: '',
  amount: '',
  items: [],
  customerName: '',
  email: '',
  note: '',
  externalReference: '',
};

/** What a paylink: link did to the form: filled it in, or why it filled in nothing. */
type LinkNotice = { filled: true } | { problem: Message };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Errors = Record<string, string>;

export function OrderEntryScreen() {
  const { t } = useTranslation();
  const text = useText();
  const api = useApi();
  const f = useFormat();
  const settings = useAppStore((s) => s.settings?.settings);
  const testAccount = useAppStore((s) => s.status?.testAccount ?? false);
  const upsert = useOrdersStore((s) => s.upsert);
  const addRecent = useOrdersStore((s) => s.addRecent);

  const [form, setForm] = useState<FormState>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [general, setGeneral] = useState<string>();
  const [phoneChecked, setPhoneChecked] = useState(false);
  const [busy, setBusy] = useState(false);
  const [duplicates, setDuplicates] = useState<{
    input: NewOrderInput;
    orders: OrderSummary[];
  } | null>(null);
  const phoneRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const busyRef = useRef(false);
  const linkWaiting = useLinkStore((s) => s.waiting);
  const [linkSeq, setLinkSeq] = useState(0);
  const [linkNotice, setLinkNotice] = useState<LinkNotice>();
  /** "Customer and message" is open (a link that fills it in opens it, so staff see it). */
  const [moreOpen, setMoreOpen] = useState(false);

  const country = form.country ?? settings?.defaultCountry ?? 'NO';
  const currency = form.currency ?? settings?.defaultCurrency ?? 'NOK';
  const lifetime = form.lifetime ?? settings?.defaultLinkLifetimeHours ?? 24;
  // Dintero sends no SMS for test accounts: offer the link and QR code by default there.
  const delivery: Delivery = form.delivery ?? (testAccount ? 'link_only' : 'sms');
  const lifetimes = [...new Set<number>([...LIFETIME_CHOICES, lifetime])].sort((a, b) => a - b);

  useEffect(() => {
    phoneRef.current?.focus();
  }, []);

  // A paylink: link replaces the form with what it holds (checked by main already), or leaves
  // the form alone and says why; adjusted while rendering, once per link.
  if (linkWaiting !== undefined && linkWaiting.seq !== linkSeq) {
    setLinkSeq(linkWaiting.seq);
    if ('prefill' in linkWaiting) {
      const prefill = linkWaiting.prefill;
      const deskCountry = settings?.defaultCountry ?? 'NO';
      const amountText = (minor: number, c: Currency): string => f.amountInput(minor, c);
      setForm((s) => formFromPrefill(prefill, s, deskCountry, amountText));
      setErrors({});
      setGeneral(undefined);
      setDuplicates(null);
      setPhoneChecked(false);
      setLinkNotice({ filled: true });
      const more = [prefill.customerName, prefill.email, prefill.note, prefill.externalReference];
      if (more.some((v) => v !== undefined)) setMoreOpen(true);
    } else {
      setLinkNotice({ problem: linkWaiting.problem });
    }
  }
  useEffect(() => {
    if (linkWaiting !== undefined) useLinkStore.getState().consume(linkWaiting.seq);
  }, [linkWaiting]);

  const parsedPhone = form.phone.trim() === '' ? null : parseCustomerPhone(form.phone, country);
  const amountMessage = (a: Extract<AmountParseResult, { ok: false }>): string =>
    t(`amountReason.${a.reason}`);
  const priced = priceItems(form.items, currency, {
    description: t('entry.errors.descriptionRequired'),
    quantity: t('entry.errors.quantity'),
    vatPercent: t('entry.errors.vatPercent'),
    amount: amountMessage,
    hiddenDescription: (text) => hiddenTextProblem(t, 'description', text),
  });

  const phoneMessage = (): string | undefined => {
    if (parsedPhone === null || parsedPhone.ok) return undefined;
    return t(`phoneReason.${parsedPhone.reason}`);
  };
  const phoneError = errors.phone ?? (phoneChecked ? phoneMessage() : undefined);

  const update = <K extends keyof FormState>(key: K, value: FormState[K]): void => {
    setForm((s) => ({ ...s, [key]: value }));
    if (errors[key] !== undefined) {
      setErrors((e) => {
        const { [key]: _gone, ...rest } = e;
        return rest;
      });
    }
  };

  const onPhoneChange = (input: HTMLInputElement): void => {
    const raw = input.value;
    const atEnd = input.selectionStart === null || input.selectionStart === raw.length;
    update('phone', atEnd ? formatPhoneAsTyped(raw, country) : raw);
  };

  /** Checks what can be checked here; returns the input to send, or shows the problems. */
  const validate = (): NewOrderInput | null => {
    const errs: Errors = {};
    const phone = parseCustomerPhone(form.phone, country);
    if (!phone.ok) {
      errs.phone = t(`phoneReason.${phone.reason}`);
    }
    let amount = 0;
    if (form.items.length > 0) {
      Object.assign(errs, priced.errors);
      amount = priced.total.amount;
    } else {
      const a = parseAmount(form.amount, currency);
      if (a.ok) amount = a.minor;
      else errs.amount = amountMessage(a);
    }
    const emailHidden = hiddenTextProblem(t, 'email', form.email);
    if (emailHidden !== undefined) errs.email = emailHidden;
    else if (form.email.trim() !== '' && !EMAIL.test(form.email.trim())) {
      errs.email = t('entry.errors.email');
    }
    const nameHidden = hiddenTextProblem(t, 'customerName', form.customerName);
    if (nameHidden !== undefined) errs.customerName = nameHidden;
    const noteHidden = hiddenTextProblem(t, 'note', form.note, { multiline: true });
    if (noteHidden !== undefined) errs.note = noteHidden;
    const referenceHidden = hiddenTextProblem(t, 'externalReference', form.externalReference);
    if (referenceHidden !== undefined) errs.externalReference = referenceHidden;
    setErrors(errs);
    setPhoneChecked(true);
    if (Object.keys(errs).length > 0) {
      setGeneral(t('entry.fixErrors'));
      focusFirstError(formRef.current);
      return null;
    }
    setGeneral(undefined);
    const input: NewOrderInput = {
      phone: form.phone,
      country,
      amount,
      currency,
      linkLifetimeHours: lifetime,
      delivery,
    };
    if (form.items.length > 0) input.items = priced.items;
    if (form.customerName.trim() !== '') input.customerName = form.customerName.trim();
    if (form.email.trim() !== '') input.email = form.email.trim();
    if (form.note.trim() !== '') input.note = form.note.trim();
    if (form.externalReference.trim() !== '') {
      input.externalReference = form.externalReference.trim();
    }
    // The same semantic check main runs (shop maximum, lines add up), for instant feedback.
    const checked = validateNewOrder(input, {
      maxOrderAmount: settings?.maxOrderAmount ?? 100_000,
    });
    if (!checked.ok) {
      setErrors(Object.fromEntries(Object.entries(checked.errors).map(([k, m]) => [k, text(m)])));
      setGeneral(t('entry.fixErrors'));
      focusFirstError(formRef.current);
      return null;
    }
    return input;
  };

  const send = async (input: NewOrderInput): Promise<void> => {
    if (busyRef.current) return;
    busyRef.current = true;
    setBusy(true);
    try {
      const r = await settle(api.orders.create(input));
      if (!r.ok) {
        const split = splitFieldErrors(r.error, (p) => p in FIELD_PATHS || p.startsWith('items.'));
        setErrors(split.fields);
        setGeneral(split.general ?? t('entry.fixErrors'));
        focusFirstError(formRef.current);
        return;
      }
      if (!r.value.created) {
        setDuplicates({ input, orders: r.value.duplicates });
        return;
      }
      const order = r.value.order;
      upsert(order);
      addRecent(order.id);
      setDuplicates(null);
      setForm((s) => ({ ...EMPTY, country: s.country, currency: s.currency }));
      setErrors({});
      setGeneral(undefined);
      setPhoneChecked(false);
      setLinkNotice(undefined);
      phoneRef.current?.focus();
    } finally {
      busyRef.current = false;
      setBusy(false);
    }
  };

  const submit = (): void => {
    const input = validate();
    if (input !== null) void send(input);
  };

  const onSubmit = (e: FormEvent): void => {
    e.preventDefault();
    submit();
  };

  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>): void => {
    if (e.key !== 'Enter') return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      submit();
      return;
    }
    // A plain Enter in a one-line field does not send: a stray key press must not text anyone.
    const target = e.target as HTMLElement;
    if (
      target instanceof HTMLInputElement &&
      target.type !== 'checkbox' &&
      target.type !== 'radio'
    ) {
      e.preventDefault();
    }
  };

  const confirmDuplicate = (): void => {
    if (duplicates === null) return;
    void send({ ...duplicates.input, allowDuplicate: true });
  };
  const dropDuplicate = (): void => {
    setDuplicates(null);
    phoneRef.current?.focus();
  };

  return (
    <div className="screen screen--entry">
      <form
        ref={formRef}
        className="entry"
        noValidate
        onSubmit={onSubmit}
        onKeyDown={onKeyDown}
        aria-labelledby="entry-heading"
      >
        <h1 id="entry-heading">{t('entry.heading')}</h1>

        {linkNotice !== undefined && (
          <div
            className={`banner ${'problem' in linkNotice ? 'banner--danger' : 'banner--info'} entry__link`}
            role={'problem' in linkNotice ? 'alert' : 'status'}
          >
            <span>
              {'problem' in linkNotice ? text(linkNotice.problem) : t('paylinkLink.filled')}
            </span>
            <button
              type="button"
              className="button button--quiet"
              onClick={() => setLinkNotice(undefined)}
            >
              {t('paylinkLink.dismiss')}
            </button>
          </div>
        )}

        <div className="entry__row entry__row--phone">
          <Field
            label={t('entry.phone')}
            hint={
              parsedPhone?.ok
                ? t('entry.readback', {
                    number: parsedPhone.international,
                    country: countryName(parsedPhone.country, f.locale),
                  })
                : t('entry.phoneHint')
            }
            error={phoneError}
            className="field--phone"
          >
            {(ids) => (
              <input
                {...ids}
                ref={phoneRef}
                type="tel"
                name="phone"
                inputMode="tel"
                autoComplete="off"
                className="input input--large"
                value={form.phone}
                data-field="phone"
                onChange={(e) => onPhoneChange(e.currentTarget)}
                onBlur={() => setPhoneChecked(form.phone.trim() !== '')}
              />
            )}
          </Field>
          <Field label={t('entry.country')} error={errors.country}>
            {(ids) => (
              <select
                {...ids}
                className="input"
                value={country}
                onChange={(e) => update('country', e.currentTarget.value as PhoneCountry)}
              >
                {PHONE_COUNTRIES.map((c) => (
                  <option key={c} value={c}>
                    {`${countryName(c, f.locale)} (+${getCountryCallingCode(c)})`}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <div className="entry__row entry__row--amount">
          <Field
            label={t('entry.amount')}
            hint={
              form.items.length > 0
                ? `${t('entry.amountFromItems')}: ${f.money(priced.total.amount, currency)}`
                : t('entry.amountHint')
            }
            error={errors.amount}
            className="field--amount"
          >
            {(ids) => (
              <input
                {...ids}
                type="text"
                name="amount"
                inputMode="decimal"
                autoComplete="off"
                className="input input--large input--amount"
                data-field="amount"
                readOnly={form.items.length > 0}
                value={form.items.length > 0 ? f.money(priced.total.amount, currency) : form.amount}
                onChange={(e) => update('amount', e.currentTarget.value)}
              />
            )}
          </Field>
          <Field label={t('entry.currency')} error={errors.currency}>
            {(ids) => (
              <select
                {...ids}
                className="input"
                value={currency}
                onChange={(e) => update('currency', e.currentTarget.value as Currency)}
              >
                {CURRENCIES.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>

        <div className="entry__row">
          <Field label={t('entry.lifetime')} error={errors.linkLifetimeHours}>
            {(ids) => (
              <select
                {...ids}
                className="input"
                value={String(lifetime)}
                onChange={(e) => update('lifetime', Number(e.currentTarget.value))}
              >
                {lifetimes.map((h) => (
                  <option key={h} value={String(h)}>
                    {h % 24 === 0 && h >= 48
                      ? t('entry.lifetimeDays', { count: h / 24 })
                      : t('entry.lifetimeHours', { count: h })}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <fieldset className="radios">
            <legend className="field__label">{t('entry.delivery')}</legend>
            <label className="radio">
              <input
                type="radio"
                name="delivery"
                value="sms"
                checked={delivery === 'sms'}
                onChange={() => update('delivery', 'sms')}
              />
              {t('entry.deliverySms')}
            </label>
            <label className="radio">
              <input
                type="radio"
                name="delivery"
                value="link_only"
                checked={delivery === 'link_only'}
                onChange={() => update('delivery', 'link_only')}
              />
              {t('entry.deliveryLinkOnly')}
            </label>
            {testAccount && delivery === 'sms' && (
              <p className="field__hint field__hint--warn">{t('entry.testAccountHint')}</p>
            )}
          </fieldset>
        </div>

        <LineItemsEditor
          items={form.items}
          currency={currency}
          priced={priced}
          errors={errors}
          onChange={(items) => update('items', items)}
          onAdd={() => update('items', [...form.items, emptyItem()])}
        />

        <details
          className="entry__more"
          open={moreOpen}
          onToggle={(e) => setMoreOpen(e.currentTarget.open)}
        >
          <summary>{t('entry.moreDetails')}</summary>
          <div className="entry__grid">
            <Field label={t('entry.customerName')} error={errors.customerName}>
              {(ids) => (
                <input
                  {...ids}
                  className="input"
                  data-field="customerName"
                  autoComplete="off"
                  value={form.customerName}
                  onChange={(e) => update('customerName', e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={t('entry.email')} error={errors.email}>
              {(ids) => (
                <input
                  {...ids}
                  type="email"
                  className="input"
                  data-field="email"
                  autoComplete="off"
                  value={form.email}
                  onChange={(e) => update('email', e.currentTarget.value)}
                />
              )}
            </Field>
            <Field
              label={t('entry.externalReference')}
              hint={t('entry.externalReferenceHint')}
              error={errors.externalReference}
            >
              {(ids) => (
                <input
                  {...ids}
                  className="input"
                  data-field="externalReference"
                  autoComplete="off"
                  value={form.externalReference}
                  onChange={(e) => update('externalReference', e.currentTarget.value)}
                />
              )}
            </Field>
            <Field label={t('entry.note')} error={errors.note} className="field--wide">
              {(ids) => (
                <textarea
                  {...ids}
                  className="input"
                  rows={2}
                  data-field="note"
                  value={form.note}
                  onChange={(e) => update('note', e.currentTarget.value)}
                />
              )}
            </Field>
          </div>
        </details>

        {general !== undefined && (
          <p className="form-error" role="alert">
            {general}
          </p>
        )}

        {duplicates !== null && (
          <div className="duplicate" role="alert" aria-labelledby="dup-title">
            <h2 id="dup-title" className="duplicate__title">
              {t('entry.duplicateTitle')}
            </h2>
            <ul className="duplicate__list">
              {duplicates.orders.map((o) => (
                <li key={o.id}>
                  {t('entry.duplicateLine', {
                    reference: o.merchantReference,
                    status: f.status(o.state),
                    amount: f.money(o.amount, o.currency),
                    time: f.when(o.createdAt),
                  })}
                </li>
              ))}
            </ul>
            <div className="button-row">
              <button
                type="button"
                className="button button--primary"
                onClick={confirmDuplicate}
                disabled={busy}
              >
                {t('entry.duplicateConfirm')}
              </button>
              <button type="button" className="button" onClick={dropDuplicate}>
                {t('entry.duplicateCancel')}
              </button>
            </div>
          </div>
        )}

        <div className="entry__send">
          <button type="submit" className="button button--primary button--large" disabled={busy}>
            {t('entry.send')}
          </button>
          <span className="entry__shortcut">
            {busy ? t('entry.sending') : t('entry.sendShortcut')}
          </span>
        </div>
      </form>
      <RecentOrders />
    </div>
  );
}

/** Field paths of the contract that this form shows next to a control. */
const FIELD_PATHS: Record<string, true> = {
  phone: true,
  country: true,
  amount: true,
  currency: true,
  customerName: true,
  email: true,
  note: true,
  externalReference: true,
  linkLifetimeHours: true,
  delivery: true,
  items: true,
};

/**
 * The form as a paylink: link fills it in: its values (the phone read back in groups, the
 * amount as this language writes it), the rest empty; the phone country, link lifetime and
 * delivery staff chose stay.
 */
function formFromPrefill(
  prefill: OrderPrefill,
  was: FormState,
  defaultCountry: PhoneCountry,
  amountInput: (minor: number, currency: Currency) => string,
): FormState {
  const currency = prefill.currency ?? was.currency;
  return {
    ...EMPTY,
    ...(was.country !== undefined ? { country: was.country } : {}),
    ...(currency !== undefined ? { currency } : {}),
    ...(was.lifetime !== undefined ? { lifetime: was.lifetime } : {}),
    ...(was.delivery !== undefined ? { delivery: was.delivery } : {}),
    phone:
      prefill.phone === undefined
        ? ''
        : formatPhoneAsTyped(prefill.phone, was.country ?? defaultCountry),
    amount:
      prefill.amount === undefined || prefill.currency === undefined
        ? ''
        : amountInput(prefill.amount, prefill.currency),
    customerName: prefill.customerName ?? '',
    email: prefill.email ?? '',
    note: prefill.note ?? '',
    externalReference: prefill.externalReference ?? '',
  };
}

function focusFirstError(form: HTMLFormElement | null): void {
  // After React has rendered the error state.
  setTimeout(() => {
    const el = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, 0);
}
