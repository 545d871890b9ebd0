/**
 * Who is at the desk: when Settings lists staff, the person at the desk chooses their name
 * (with their PIN when they have one) and leaves when they go. Main keeps who it is and
 * names them in the timeline, the audit trail, exports and notifications; until someone
 * has chosen, orders and money operations wait.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { settle, useApi } from '../api';
import { errorText } from '../lib/text';
import { useAppStore } from '../store';
import { Field } from './Field';
import { PinField } from './PinField';

export function DeskStaff() {
  const { t } = useTranslation();
  const api = useApi();
  const access = useAppStore((s) => s.access);
  const setAccess = useAppStore((s) => s.setAccess);
  const [name, setName] = useState('');
  const [pin, setPin] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (access === null || access.staff.length === 0) return null;

  if (access.current !== undefined) {
    const leave = async (): Promise<void> => {
      const r = await settle(api.staff.leave());
      if (r.ok) setAccess(r.value);
    };
    return (
      <div className="desk-staff" role="group" aria-label={t('staff.label')}>
        <span className="desk-staff__who">{t('staff.atDesk', { name: access.current })}</span>
        <button type="button" className="button" onClick={() => void leave()}>
          {t('staff.leave')}
        </button>
      </div>
    );
  }

  const chosen = access.staff.find((s) => s.name === name);
  const onSubmit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    setProblem(undefined);
    if (chosen === undefined) {
      setProblem(t('staff.chooseFirst'));
      return;
    }
    setBusy(true);
    try {
      const r = await settle(
        api.staff.choose(chosen.hasPin ? { name: chosen.name, pin } : { name: chosen.name }),
      );
      setPin('');
      if (r.ok) {
        setAccess(r.value);
        setName('');
      } else setProblem(errorText(r.error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="desk-staff desk-staff--choose"
      aria-label={t('staff.label')}
      onSubmit={(e) => void onSubmit(e)}
    >
      <Field label={t('staff.who')}>
        {(ids) => (
          <select
            {...ids}
            className="input"
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              setProblem(undefined);
            }}
          >
            <option value="">{t('staff.choose')}</option>
            {access.staff.map((s) => (
              <option key={s.name} value={s.name}>
                {s.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen?.hasPin === true && <PinField label={t('staff.pin')} value={pin} onChange={setPin} />}
      <button type="submit" className="button" disabled={busy}>
        {t('staff.start')}
      </button>
      {problem !== undefined && (
        <p className="desk-staff__problem" role="alert">
          {problem}
        </p>
      )}
    </form>
  );
}
