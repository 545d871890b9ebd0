import { useId, type ReactNode } from 'react';

/** Ids a control needs to be labelled and described by a Field. */
export interface FieldIds {
  id: string;
  'aria-describedby'?: string;
  'aria-invalid'?: true;
}

/**
 * A visible label, the control, an optional hint and an error, wired together
 * (label for=, aria-describedby, aria-invalid). `children` receives the ids to spread.
 */
export function Field({
  label,
  hint,
  error,
  className,
  children,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  className?: string;
  children: (ids: FieldIds) => ReactNode;
}) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint !== undefined ? hintId : '', error !== undefined ? errorId : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error !== undefined ? ' field--error' : ''} ${className ?? ''}`}>
      <label htmlFor={id} className="field__label">
        {label}
      </label>
      {children({
        id,
        ...(describedBy !== '' ? { 'aria-describedby': describedBy } : {}),
        ...(error !== undefined ? { 'aria-invalid': true as const } : {}),
      })}
      {hint !== undefined && (
        <div id={hintId} className="field__hint">
          {hint}
        </div>
      )}
      {error !== undefined && (
        <div id={errorId} className="field__error">
          {error}
        </div>
      )}
    </div>
  );
}
