/**
 * "Settings": the Dintero connection, this desk's defaults, notifications and language.
 * The client secret is write-only: the field is never pre-filled and the screen only ever
 * knows "configured, ending in 1234". Validation is the contract's own settingsSchema.
 */
import { errorText, errorWords } from '../lib/text';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CURRENCIES,
  LANGUAGES,
  PHONE_COUNTRIES,
  type Currency,
  type Language,
  type PhoneCountry,
  type Settings,
} from '../../../common/domain';
import {
  settingsSchema,
  type AccountChangeNotice,
  type SettingsView,
} from '../../../common/ipc-contract';
import { LANGUAGE_NAMES } from '../../../common/i18n/catalogs';
import { settle, useApi } from '../api';
import { Field } from '../components/Field';
import { PinField } from '../components/PinField';
import { applyLanguage } from '../i18n';
import { countryName, useFormat } from '../lib/format';
import { hiddenCharacterOfIssue, hiddenTextMessage, isHiddenTextField } from '../lib/hidden-text';
import { useAppStore } from '../store';
import { LIFETIME_CHOICES } from './OrderEntryScreen';
import { StaffAndRefunds } from './settings/StaffAndRefunds';

/** Settings as typed: numbers stay strings until saved. */
interface Draft {
  accountId: string;
  clientId: string;
  profileId: string;
  returnUrl: string;
  defaultCountry: PhoneCountry;
  defaultCurrency: Currency;
  storeId: string;
  terminalName: string;
  defaultLinkLifetimeHours: string;
  maxOrderAmount: string;
  notifyPaid: boolean;
  notifyDeclined: boolean;
  notifyExpired: boolean;
  notifyLapsing: boolean;
  lapseWarningDays: string;
  language: Language;
  customerDataDays: string;
}

function toDraft(s: Settings): Draft {
  return {
    accountId: s.accountId,
    clientId: s.clientId,
    profileId: s.profileId,
    returnUrl: s.returnUrl,
    defaultCountry: s.defaultCountry,
    defaultCurrency: s.defaultCurrency,
    storeId: s.storeId,
    terminalName: s.terminalName,
    defaultLinkLifetimeHours: String(s.defaultLinkLifetimeHours),
    maxOrderAmount: String(s.maxOrderAmount),
    notifyPaid: s.notifications.paid,
    notifyDeclined: s.notifications.declined,
    notifyExpired: s.notifications.expired,
    notifyLapsing: s.notifications.authorizationLapsing,
    lapseWarningDays: String(s.notifications.lapseWarningDays),
    language: s.language,
    customerDataDays: String(s.customerDataDays),
  };
}

const num = (text: string): number => (text.trim() === '' ? NaN : Number(text.trim()));

/**
 * The settings to save: the form's fields, with staff and refund rules as they are now (the
 * "Staff and refunds" section saves those on its own).
 */
function fromDraft(d: Draft, current: Settings): Settings {
  return {
    staff: current.staff,
    refundApprovalAbove: current.refundApprovalAbove,
    refundReasons: current.refundReasons,
    accountId: d.accountId.trim(),
    clientId: d.clientId.trim(),
    profileId: d.profileId.trim(),
    returnUrl: d.returnUrl.trim(),
    defaultCountry: d.defaultCountry,
    defaultCurrency: d.defaultCurrency,
    storeId: d.storeId.trim(),
    terminalName: d.terminalName.trim(),
    defaultLinkLifetimeHours: num(d.defaultLinkLifetimeHours),
    maxOrderAmount: num(d.maxOrderAmount),
    notifications: {
      paid: d.notifyPaid,
      declined: d.notifyDeclined,
      expired: d.notifyExpired,
      authorizationLapsing: d.notifyLapsing,
      lapseWarningDays: num(d.lapseWarningDays),
    },
    language: d.language,
    customerDataDays: num(d.customerDataDays),
  };
}

/** Field key on this screen for a settings path from zod or from main's error.fields. */
function fieldKey(path: string): string {
  return path.startsWith('notifications.') ? path.slice('notifications.'.length) : path;
}

export function SettingsScreen() {
  const { t } = useTranslation();
  const view = useAppStore((s) => s.settings);
  if (view === null) {
    return (
      <div className="screen">
        <h1>{t('settings.heading')}</h1>
        <p className="muted">{t('app.loading')}</p>
      </div>
    );
  }
  return <SettingsForm view={view} />;
}

function SettingsForm({ view }: { view: SettingsView }) {
  // The mode comes from the status, which changes when a secret is stored or cleared.
  const training = useAppStore((s) => (s.status ? s.status.mode === 'training' : view.training));
  const { t } = useTranslation();
  const f = useFormat();
  const api = useApi();
  const setSettings = useAppStore((s) => s.setSettings);
  const [edited, setEdited] = useState<Draft | null>(null);
  const [secret, setSecret] = useState('');
  /** The manager PIN, once one is set: needed to change connection settings. */
  const [approvalPin, setApprovalPin] = useState('');
  const managerPinSet = useAppStore((s) => s.access?.managerPinSet === true);
  const withPin = <T extends object>(input: T): T & { managerPin?: string } =>
    managerPinSet && approvalPin !== '' ? { ...input, managerPin: approvalPin } : input;
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<{ tone: 'ok' | 'problem'; text: string }>();
  const [testResult, setTestResult] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState<'save' | 'secret' | 'test' | null>(null);
  const [accountChange, setAccountChange] = useState<{
    candidate: Settings;
    notice: AccountChangeNotice;
  } | null>(null);
  const draft = edited ?? toDraft(view.settings);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]): void => {
    setEdited({ ...draft, [key]: value });
    if (errors[key] !== undefined) {
      const { [key]: _gone, ...rest } = errors;
      setErrors(rest);
    }
  };

  const messageFor = (key: string): string => {
    const known: Record<string, string> = {
      accountId: t('settings.errors.accountId'),
      returnUrl: t('settings.errors.returnUrl'),
      terminalName: t('settings.errors.terminalName'),
      defaultLinkLifetimeHours: t('settings.errors.defaultLinkLifetimeHours'),
      maxOrderAmount: t('settings.errors.maxOrderAmount'),
      lapseWarningDays: t('settings.errors.lapseWarningDays'),
      customerDataDays: t('settings.errors.customerDataDays'),
    };
    return known[key] ?? t('settings.errors.invalid');
  };

  const validate = (): Settings | null => {
    const candidate = fromDraft(draft, view.settings);
    const r = settingsSchema.safeParse(candidate);
    const errs: Record<string, string> = {};
    if (!r.success) {
      for (const issue of r.error.issues) {
        const key = fieldKey(issue.path.map(String).join('.'));
        const hidden = hiddenCharacterOfIssue(issue);
        errs[key] ??=
          hidden !== undefined && isHiddenTextField(key)
            ? hiddenTextMessage(t, key, hidden)
            : messageFor(key);
      }
    }
    if (secret !== '' && secret.length < 8) errs.secret = t('settings.secretTooShort');
    setErrors(errs);
    return Object.keys(errs).length === 0 ? candidate : null;
  };

  const saveSecret = async (): Promise<boolean> => {
    if (secret.length < 8) {
      setErrors((e) => ({ ...e, secret: t('settings.secretTooShort') }));
      return false;
    }
    const r = await settle(api.settings.setSecret(withPin({ secret })));
    setSecret('');
    if (!r.ok) {
      const text =
        r.error.code === 'keychain_unavailable'
          ? t('settings.secretKeychainLocked')
          : errorText(r.error);
      setErrors((e) => ({ ...e, secret: text }));
      return false;
    }
    setSettings({ ...useAppStore.getState().settings!, secret: r.value });
    return true;
  };

  const onSave = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setMessage(undefined);
    setAccountChange(null);
    const candidate = validate();
    if (candidate === null) return;
    await save(candidate, false);
  };

  /** Staff saw the orders that stay with the old account and chose to change it anyway. */
  const onConfirmAccountChange = async (): Promise<void> => {
    if (accountChange === null) return;
    const { candidate } = accountChange;
    setAccountChange(null);
    await save(candidate, true);
  };

  const save = async (candidate: Settings, confirmAccountChange: boolean): Promise<void> => {
    setBusy('save');
    try {
      const r = await settle(
        api.settings.save(
          withPin(confirmAccountChange ? { ...candidate, confirmAccountChange: true } : candidate),
        ),
      );
      if (!r.ok) {
        const fields: Record<string, string> = {};
        for (const [path, msg] of Object.entries(r.error.fields ?? {}))
          fields[fieldKey(path)] = errorWords(msg);
        setErrors(fields);
        setMessage({ tone: 'problem', text: errorText(r.error) });
        return;
      }
      if (!r.value.saved) {
        // Nothing was saved: orders still need the current account. Ask first.
        setAccountChange({ candidate, notice: r.value.accountChange });
        return;
      }
      const { saved: _saved, ...savedView } = r.value;
      setSettings(savedView);
      setEdited(null);
      setApprovalPin('');
      applyLanguage(savedView.settings.language);
      if (secret !== '' && !(await saveSecret())) return;
      setMessage({ tone: 'ok', text: t('settings.saved') });
    } finally {
      setBusy(null);
    }
  };

  const onSecretButton = async (): Promise<void> => {
    setMessage(undefined);
    setBusy('secret');
    try {
      if (await saveSecret()) setMessage({ tone: 'ok', text: t('settings.secretSaved') });
    } finally {
      setBusy(null);
    }
  };

  const onClearSecret = async (): Promise<void> => {
    setMessage(undefined);
    setBusy('secret');
    try {
      const r = await settle(api.settings.clearSecret(withPin({})));
      if (r.ok) {
        setSettings({ ...useAppStore.getState().settings!, secret: r.value });
        setMessage({ tone: 'ok', text: t('settings.secretCleared') });
      } else setMessage({ tone: 'problem', text: errorText(r.error) });
    } finally {
      setBusy(null);
    }
  };

  const onTest = async (): Promise<void> => {
    setBusy('test');
    setTestResult(undefined);
    try {
      const r = await settle(api.settings.testConnection());
      if (r.ok) {
        const text = t(`settings.outcome.${r.value.outcome}`);
        setTestResult({ ok: r.value.outcome === 'works', text });
      } else setTestResult({ ok: false, text: errorText(r.error) });
    } finally {
      setBusy(null);
    }
  };

  const onLanguage = (language: Language): void => {
    set('language', language);
    applyLanguage(language);
    void settle(api.settings.save({ language })).then((r) => {
      if (r.ok && r.value.saved)
        setSettings({
          ...useAppStore.getState().settings!,
          settings: { ...useAppStore.getState().settings!.settings, language },
        });
    });
  };

  const lifetimes = [
    ...new Set<number>([...LIFETIME_CHOICES, view.settings.defaultLinkLifetimeHours]),
  ].sort((a, b) => a - b);

  const text = (key: keyof Draft, label: string, hint?: string, type = 'text') => (
    <Field label={label} hint={hint} error={errors[key]}>
      {(ids) => (
        <input
          {...ids}
          type={type}
          className="input"
          autoComplete="off"
          value={draft[key] as string}
          onChange={(e) => set(key, e.currentTarget.value as never)}
        />
      )}
    </Field>
  );
  const check = (key: keyof Draft, label: string) => (
    <label className="checkbox">
      <input
        type="checkbox"
        checked={draft[key] as boolean}
        onChange={(e) => set(key, e.currentTarget.checked as never)}
      />
      {label}
    </label>
  );
  const secretStatus = view.secret.configured
    ? view.secret.last4
      ? t('settings.secretConfigured', { last4: view.secret.last4 })
      : t('settings.secretConfiguredNoDigits')
    : view.secret.unreadable
      ? t('settings.secretUnreadable')
      : t('settings.secretNotConfigured');

  return (
    <div className="screen screen--settings">
      <form className="settings" noValidate onSubmit={(e) => void onSave(e)}>
        <h1>{t('settings.heading')}</h1>
        {training && <p className="notice">{t('settings.trainingNote')}</p>}

        <fieldset className="card">
          <legend className="section-title">{t('settings.connection')}</legend>
          {text('accountId', t('settings.accountId'), t('settings.accountIdHint'))}
          {text('clientId', t('settings.clientId'))}
          <div className="secret">
            <Field
              label={t('settings.clientSecret')}
              hint={
                <>
                  <span className="secret__status" data-testid="secret-status">
                    {secretStatus}
                  </span>{' '}
                  {t('settings.secretHint')}
                </>
              }
              error={errors.secret}
            >
              {(ids) => (
                <input
                  {...ids}
                  type="password"
                  className="input"
                  autoComplete="new-password"
                  spellCheck={false}
                  value={secret}
                  onChange={(e) => setSecret(e.currentTarget.value)}
                />
              )}
            </Field>
            <div className="button-row">
              <button
                type="button"
                className="button"
                disabled={busy !== null || secret === ''}
                onClick={() => void onSecretButton()}
              >
                {view.secret.configured ? t('settings.replaceSecret') : t('settings.saveSecret')}
              </button>
              {view.secret.configured && (
                <button
                  type="button"
                  className="button button--danger"
                  disabled={busy !== null}
                  onClick={() => void onClearSecret()}
                >
                  {t('settings.clearSecret')}
                </button>
              )}
            </div>
          </div>
          {text('profileId', t('settings.profileId'))}
          {text('returnUrl', t('settings.returnUrl'), t('settings.returnUrlHint'), 'url')}
          <div className="button-row">
            <button
              type="button"
              className="button"
              disabled={busy !== null}
              onClick={() => void onTest()}
            >
              {busy === 'test' ? t('settings.testing') : t('settings.testConnection')}
            </button>
            <p
              role="status"
              className={`test-result ${testResult ? (testResult.ok ? 'test-result--ok' : 'test-result--problem') : ''}`}
            >
              {testResult?.text ?? ''}
            </p>
          </div>
        </fieldset>

        <fieldset className="card">
          <legend className="section-title">{t('settings.desk')}</legend>
          <div className="grid-2">
            <Field label={t('settings.defaultCountry')}>
              {(ids) => (
                <select
                  {...ids}
                  className="input"
                  value={draft.defaultCountry}
                  onChange={(e) => set('defaultCountry', e.currentTarget.value as PhoneCountry)}
                >
                  {PHONE_COUNTRIES.map((c) => (
                    <option key={c} value={c}>
                      {countryName(c, f.locale)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('settings.defaultCurrency')}>
              {(ids) => (
                <select
                  {...ids}
                  className="input"
                  value={draft.defaultCurrency}
                  onChange={(e) => set('defaultCurrency', e.currentTarget.value as Currency)}
                >
                  {CURRENCIES.map((c) => (
                    <option key={c} value={c}>
                      {c}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            {text('storeId', t('settings.storeId'))}
            {text('terminalName', t('settings.terminalName'))}
            <div className="field">
              <span className="field__label" id="desk-id-label">
                {t('settings.deskId')}
              </span>
              <output className="desk-id" aria-labelledby="desk-id-label" data-testid="desk-id">
                {view.deskId}
              </output>
              <p className="field__hint">{t('settings.deskIdHint')}</p>
            </div>
            <Field
              label={t('settings.defaultLinkLifetime')}
              error={errors.defaultLinkLifetimeHours}
            >
              {(ids) => (
                <select
                  {...ids}
                  className="input"
                  value={draft.defaultLinkLifetimeHours}
                  onChange={(e) => set('defaultLinkLifetimeHours', e.currentTarget.value)}
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
            {text('maxOrderAmount', t('settings.maxOrderAmount'), undefined, 'number')}
          </div>
        </fieldset>

        <fieldset className="card">
          <legend className="section-title">{t('settings.notifications')}</legend>
          {check('notifyPaid', t('settings.notifyPaid'))}
          {check('notifyDeclined', t('settings.notifyDeclined'))}
          {check('notifyExpired', t('settings.notifyExpired'))}
          {check('notifyLapsing', t('settings.notifyLapsing'))}
          {text('lapseWarningDays', t('settings.lapseWarningDays'), undefined, 'number')}
        </fieldset>

        <fieldset className="card">
          <legend className="section-title">{t('settings.customerData')}</legend>
          {text(
            'customerDataDays',
            t('settings.customerDataDays'),
            t('settings.customerDataDaysHint'),
            'number',
          )}
        </fieldset>

        <fieldset className="card">
          <legend className="section-title">{t('settings.language')}</legend>
          <Field label={t('settings.language')}>
            {(ids) => (
              <select
                {...ids}
                className="input"
                value={draft.language}
                onChange={(e) => onLanguage(e.currentTarget.value as Language)}
              >
                {LANGUAGES.map((l) => (
                  // Each language by its own name, whatever the screen's language.
                  <option key={l} value={l} lang={l}>
                    {LANGUAGE_NAMES[l]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </fieldset>

        {accountChange !== null && (
          <AccountChangeDialog
            notice={accountChange.notice}
            busy={busy !== null}
            onCancel={() => setAccountChange(null)}
            onConfirm={() => void onConfirmAccountChange()}
          />
        )}

        {managerPinSet && (
          <PinField
            label={t('settings.approvalPin')}
            hint={t('settings.approvalPinHint')}
            error={errors.managerPin}
            value={approvalPin}
            onChange={setApprovalPin}
          />
        )}
        <div className="settings__save">
          <button type="submit" className="button button--primary" disabled={busy !== null}>
            {busy === 'save' ? t('settings.saving') : t('settings.save')}
          </button>
          <p role="status" className={message?.tone === 'problem' ? 'form-error' : 'form-ok'}>
            {message?.text ?? ''}
          </p>
        </div>
      </form>
      <StaffAndRefunds />
    </div>
  );
}

/**
 * Asks before the account ID changes while orders still need the current account: lists them
 * (reference, status, amount), says when the change crosses test and production, and saves
 * only when staff press "Change account".
 */
function AccountChangeDialog({
  notice,
  busy,
  onCancel,
  onConfirm,
}: {
  notice: AccountChangeNotice;
  busy: boolean;
  onCancel: () => void;
  onConfirm: () => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const { from, to } = notice;
  return (
    <div
      className="duplicate account-change"
      role="alertdialog"
      aria-labelledby="account-change-title"
      aria-describedby="account-change-body"
    >
      <h2 id="account-change-title" className="duplicate__title">
        {t('settings.accountChange.title', { from })}
      </h2>
      <p id="account-change-body">
        {to === ''
          ? t('settings.accountChange.bodyCleared', { from })
          : t('settings.accountChange.body', { from })}
      </p>
      <ul className="duplicate__list">
        {notice.orders.map((o) => (
          <li key={o.id}>
            {t('settings.accountChange.line', {
              reference: o.merchantReference,
              status: f.status(o.state),
              amount: f.money(o.amount, o.currency),
            })}
          </li>
        ))}
      </ul>
      {notice.crossesEnvironment && (
        <p className="notice notice--problem" data-testid="account-change-crossing">
          {from.startsWith('T')
            ? t('settings.accountChange.toProduction', { from, to })
            : t('settings.accountChange.toTest', { from, to })}
        </p>
      )}
      <div className="button-row">
        <button type="button" className="button" onClick={onCancel} autoFocus>
          {t('settings.accountChange.cancel')}
        </button>
        <button type="button" className="button button--danger" disabled={busy} onClick={onConfirm}>
          {t('settings.accountChange.confirm')}
        </button>
      </div>
    </div>
  );
}
