/**
 * Settings' "Staff and refunds": who may be at the desk (with an optional PIN each), the
 * manager PIN, and the refund rules (the approval limit and the reasons). PINs go to main
 * once and never come back: the screen only knows whether one is set. Once a manager PIN is
 * set, staff PINs and the refund rules need it.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DeskAccess, IpcResult } from '../../../../common/ipc-contract';
import { SETTINGS_LIMITS } from '../../../../common/settings-defaults';
import { settle, useApi } from '../../api';
import { Field } from '../../components/Field';
import { PinField } from '../../components/PinField';
import { errorText } from '../../lib/text';
import { useAppStore } from '../../store';

const PIN = /^\d{4,8}$/;

export function StaffAndRefunds() {
  const { t } = useTranslation();
  const api = useApi();
  const access = useAppStore((s) => s.access);
  const view = useAppStore((s) => s.settings);
  const setAccess = useAppStore((s) => s.setAccess);
  const setSettings = useAppStore((s) => s.setSettings);
  const [approvalPin, setApprovalPin] = useState('');
  const [newName, setNewName] = useState('');
  const [staffPins, setStaffPins] = useState<Record<string, string>>({});
  const [currentPin, setCurrentPin] = useState('');
  const [nextPin, setNextPin] = useState('');
  const [limitText, setLimitText] = useState<string>();
  const [reasonsText, setReasonsText] = useState<string>();
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const [busy, setBusy] = useState(false);
  if (access === null || view === null) return null;

  const s = view.settings;
  const limitValue =
    limitText ?? (s.refundApprovalAbove === null ? '' : String(s.refundApprovalAbove));
  const reasonsValue = reasonsText ?? s.refundReasons.join('\n');
  const approval = access.managerPinSet && approvalPin !== '' ? { managerPin: approvalPin } : {};

  /** Runs one call; says how it went; keeps what main answered. */
  const act = async <T,>(
    call: Promise<IpcResult<T>>,
    ok: string,
    keep: (value: T) => void,
  ): Promise<boolean> => {
    setBusy(true);
    setResult(undefined);
    try {
      const r = await settle(call);
      if (!r.ok) {
        setResult({ ok: false, text: errorText(r.error) });
        return false;
      }
      keep(r.value);
      setResult({ ok: true, text: ok });
      return true;
    } finally {
      setBusy(false);
    }
  };
  const keepAccess = (a: DeskAccess): void => setAccess(a);
  const saveSettings = (patch: Parameters<typeof api.settings.save>[0], ok: string) =>
    act(api.settings.save(patch), ok, (v) => {
      if (!v.saved) return;
      const { saved: _saved, ...rest } = v;
      setSettings(rest);
    });

  const onAdd = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const name = newName.trim();
    if (name === '') return;
    if (await saveSettings({ staff: [...s.staff, name] }, t('settings.staffSaved'))) setNewName('');
  };
  const onRemove = (name: string) =>
    void saveSettings({ staff: s.staff.filter((n) => n !== name) }, t('settings.staffSaved'));
  const onStaffPin = async (name: string, remove: boolean): Promise<void> => {
    const pin = staffPins[name] ?? '';
    if (!remove && !PIN.test(pin)) {
      setResult({ ok: false, text: t('settings.pinDigits') });
      return;
    }
    const done = await act(
      api.access.setStaffPin({ name, pin: remove ? null : pin, ...approval }),
      remove ? t('settings.staffPinRemoved', { name }) : t('settings.staffPinSet', { name }),
      keepAccess,
    );
    if (done) setStaffPins(({ [name]: _gone, ...rest }) => rest);
  };
  const onManagerPin = async (remove: boolean): Promise<void> => {
    if (!remove && !PIN.test(nextPin)) {
      setResult({ ok: false, text: t('settings.pinDigits') });
      return;
    }
    const done = await act(
      api.access.setManagerPin({
        ...(access.managerPinSet ? { current: currentPin } : {}),
        next: remove ? null : nextPin,
      }),
      remove ? t('settings.managerPinRemoved') : t('settings.managerPinSaved'),
      keepAccess,
    );
    setCurrentPin('');
    if (done) setNextPin('');
  };
  const onRules = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const trimmed = limitValue.trim();
    const limit = trimmed === '' ? null : Number(trimmed);
    if (limit !== null && (!Number.isInteger(limit) || limit < 0)) {
      setResult({ ok: false, text: t('settings.refundLimitInvalid') });
      return;
    }
    const reasons = reasonsValue
      .split('\n')
      .map((r) => r.trim())
      .filter(Boolean);
    if (
      await saveSettings(
        { refundApprovalAbove: limit, refundReasons: reasons, ...approval },
        t('settings.refundRulesSaved'),
      )
    ) {
      setLimitText(undefined);
      setReasonsText(undefined);
      setApprovalPin('');
    }
  };

  return (
    <section className="settings settings--access" aria-labelledby="staff-refunds-title">
      <h2 id="staff-refunds-title">{t('settings.staffAndRefunds')}</h2>
      {access.managerPinSet && (
        <PinField label={t('settings.approvalPin')} value={approvalPin} onChange={setApprovalPin} />
      )}

      <div className="card">
        <h3 className="section-title">{t('settings.staff')}</h3>
        <p className="muted">{t('settings.staffHint')}</p>
        {s.staff.length === 0 ? (
          <p>{t('settings.staffNone')}</p>
        ) : (
          <ul className="staff-list">
            {access.staff.map((p) => (
              <li key={p.name} className="staff-list__item">
                <span className="staff-list__name">{p.name}</span>
                <span className="muted">
                  {p.hasPin ? t('settings.pinSet') : t('settings.noPin')}
                </span>
                <PinField
                  label={t('settings.staffPin', { name: p.name })}
                  value={staffPins[p.name] ?? ''}
                  onChange={(v) => setStaffPins((all) => ({ ...all, [p.name]: v }))}
                />
                <button
                  type="button"
                  className="button"
                  disabled={busy}
                  onClick={() => void onStaffPin(p.name, false)}
                >
                  {t('settings.setPin')}
                </button>
                {p.hasPin && (
                  <button
                    type="button"
                    className="button"
                    disabled={busy}
                    onClick={() => void onStaffPin(p.name, true)}
                  >
                    {t('settings.removePin')}
                  </button>
                )}
                <button
                  type="button"
                  className="button button--quiet"
                  disabled={busy}
                  onClick={() => onRemove(p.name)}
                >
                  {t('settings.removeStaff', { name: p.name })}
                </button>
              </li>
            ))}
          </ul>
        )}
        <form className="staff-add" onSubmit={(e) => void onAdd(e)}>
          <Field label={t('settings.staffName')}>
            {(ids) => (
              <input
                {...ids}
                className="input"
                autoComplete="off"
                maxLength={SETTINGS_LIMITS.staffNameLength.max}
                value={newName}
                onChange={(e) => setNewName(e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" className="button" disabled={busy}>
            {t('settings.addStaff')}
          </button>
        </form>
      </div>

      <div className="card">
        <h3 className="section-title">{t('settings.managerPin')}</h3>
        <p className="muted">
          {access.managerPinSet ? t('settings.managerPinIsSet') : t('settings.managerPinNotSet')}
        </p>
        {access.managerPinSet && (
          <PinField
            label={t('settings.currentManagerPin')}
            value={currentPin}
            onChange={setCurrentPin}
          />
        )}
        <PinField label={t('settings.newManagerPin')} value={nextPin} onChange={setNextPin} />
        <button
          type="button"
          className="button"
          disabled={busy}
          onClick={() => void onManagerPin(false)}
        >
          {t('settings.saveManagerPin')}
        </button>
        {access.managerPinSet && (
          <button
            type="button"
            className="button button--quiet"
            disabled={busy}
            onClick={() => void onManagerPin(true)}
          >
            {t('settings.removeManagerPin')}
          </button>
        )}
      </div>

      <form className="card" onSubmit={(e) => void onRules(e)}>
        <h3 className="section-title">{t('settings.refundRules')}</h3>
        <Field label={t('settings.refundApprovalAbove')} hint={t('settings.refundApprovalHint')}>
          {(ids) => (
            <input
              {...ids}
              className="input input--amount"
              inputMode="numeric"
              autoComplete="off"
              value={limitValue}
              onChange={(e) => setLimitText(e.currentTarget.value)}
            />
          )}
        </Field>
        <Field label={t('settings.refundReasons')} hint={t('settings.refundReasonsHint')}>
          {(ids) => (
            <textarea
              {...ids}
              className="input"
              rows={4}
              value={reasonsValue}
              onChange={(e) => setReasonsText(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" className="button" disabled={busy}>
          {t('settings.saveRefundRules')}
        </button>
      </form>
      <p role="status" className={result?.ok === false ? 'form-error' : 'form-ok'}>
        {result?.text ?? ''}
      </p>
    </section>
  );
}
