/** A labelled PIN entry (four to eight digits, never shown, never remembered by the browser). */
import type { ReactNode } from 'react';
import { SETTINGS_LIMITS } from '../../../common/settings-defaults';
import { Field } from './Field';

export function PinField({
  label,
  hint,
  error,
  value,
  onChange,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <Field label={label} hint={hint} {...(error !== undefined ? { error } : {})}>
      {(ids) => (
        <input
          {...ids}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          className="input input--pin"
          maxLength={SETTINGS_LIMITS.pinDigits.max}
          value={value}
          onChange={(e) => onChange(e.currentTarget.value)}
        />
      )}
    </Field>
  );
}
