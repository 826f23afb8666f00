// Small form pieces for the administration screens: text, number, select and checkbox-list fields that
// show the API's field error right below the control, and a two-step delete button.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { Field } from '../components/ui.tsx';

interface Base {
  label: string;
  name: string;
  error: ApiError | null;
  hint?: string;
}

const fieldError = (error: ApiError | null, name: string) => error?.fields[name];

export function TextInput({ label, name, error, hint, value, onChange, type = 'text', required, autoComplete }: Base & { value: string; onChange(v: string): void; type?: string; required?: boolean; autoComplete?: string }) {
  return (
    <Field label={label} error={fieldError(error, name)} hint={hint}>
      {(p) => <input {...p} name={name} type={type} value={value} required={required} autoComplete={autoComplete ?? 'off'} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

export function TextArea({ label, name, error, hint, value, onChange, rows = 6 }: Base & { value: string; onChange(v: string): void; rows?: number }) {
  return (
    <Field label={label} error={fieldError(error, name)} hint={hint}>
      {(p) => <textarea {...p} name={name} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} />}
    </Field>
  );
}

export function Select({ label, name, error, hint, value, onChange, options }: Base & { value: string; onChange(v: string): void; options: Array<{ value: string; label: string }> }) {
  return (
    <Field label={label} error={fieldError(error, name)} hint={hint}>
      {(p) => (
        <select {...p} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

export function Checkbox({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="check">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} /> {label}
    </label>
  );
}

/** A fieldset of checkboxes (roles, units…), with the field's error under the legend. */
export function CheckList({ legend, name, error, options, values, onChange }: { legend: string; name: string; error: ApiError | null; options: Array<{ value: string; label: string }>; values: string[]; onChange(v: string[]): void }) {
  const err = fieldError(error, name);
  return (
    <fieldset className={`checks${err ? ' field-invalid' : ''}`}>
      <legend>{legend}</legend>
      {err && <p className="field-error">{err}</p>}
      {options.map((o) => (
        <Checkbox key={o.value} label={o.label} checked={values.includes(o.value)} onChange={(on) => onChange(on ? [...values, o.value] : values.filter((v) => v !== o.value))} />
      ))}
    </fieldset>
  );
}

/** Delete with a confirmation step (no browser dialog: keyboard and screen readers stay in the page). */
export function ConfirmButton({ label, confirmLabel, onConfirm, disabled }: { label: string; confirmLabel: string; onConfirm(): void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button button-secondary" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span role="group" aria-label={confirmLabel}>
      <button type="button" className="button button-primary" disabled={disabled} onClick={() => { setAsking(false); onConfirm(); }}>
        {confirmLabel}
      </button>{' '}
      <button type="button" className="button button-secondary" onClick={() => setAsking(false)}>
        Annuler
      </button>
    </span>
  );
}

/** Comma-separated text ↔ list (routing conditions). */
export const splitList = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean);
export const joinList = (l: string[] | null | undefined) => (l ?? []).join(', ');

export function Notice({ children }: { children: ReactNode }) {
  if (!children) return null;
  return (
    <p className="alert alert-success" role="status">
      {children}
    </p>
  );
}

/** A form's title, focused when the form opens so that keyboard and screen-reader users land in it. */
export function FormTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  return (
    <h3 ref={ref} tabIndex={-1}>
      {children}
    </h3>
  );
}
