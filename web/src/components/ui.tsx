// Shared building blocks: badges that say their meaning in words (not colour alone), form fields with
// their error next to them, and loading / empty / error states.
import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import type { Sla } from '../types.ts';
import { dueInWords, formatDate, formatLongDate } from '../format.ts';
import { status as statusLabel } from '../labels.ts';

export function SlaBadge({ sla }: { sla: Sla }) {
  if (sla === 'overdue') return <span className="badge badge-overdue"><span aria-hidden="true">⚠ </span>En retard</span>;
  if (sla === 'due_soon') return <span className="badge badge-soon"><span aria-hidden="true">◷ </span>Échéance proche</span>;
  return null;
}

export function DueDate({ dueDate, sla }: { dueDate: string | null; sla: Sla }) {
  if (!dueDate) return <span className="muted">Sans échéance</span>;
  return (
    <span className="due">
      <time dateTime={dueDate} title={formatLongDate(dueDate)}>{formatDate(dueDate)}</time>
      {sla !== 'none' && <span className="due-words"> ({dueInWords(dueDate)})</span>} <SlaBadge sla={sla} />
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{statusLabel(status)}</span>;
}

export function ErrorMessage({ error, title }: { error: ApiError | null; title?: string }) {
  if (!error) return null;
  return (
    <div className="alert alert-error" role="alert">
      {title && <strong>{title} </strong>}
      {error.message}
    </div>
  );
}

export function Loading({ label = 'Chargement…' }: { label?: string }) {
  return (
    <p className="loading" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

interface FieldProps {
  label: string;
  error?: string;
  hint?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
}

/** A labelled control with its hint and its error (from the API's `fields`) right below it. */
export function Field({ label, error, hint, children }: FieldProps) {
  const id = useId();
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && <p className="hint" id={`${id}-hint`}>{hint}</p>}
      {children({ id, 'aria-describedby': describedBy, ...(error ? { 'aria-invalid': true as const } : {}) })}
      {error && (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

/** Field errors the form has no field for, listed under the general message. */
export function otherFieldErrors(error: ApiError | null, shown: string[]): string[] {
  if (!error) return [];
  return Object.entries(error.fields).filter(([k]) => !shown.includes(k)).map(([, v]) => v);
}

export function FormError({ error, shown }: { error: ApiError | null; shown: string[] }) {
  if (!error) return null;
  const others = otherFieldErrors(error, shown);
  return (
    <div className="alert alert-error" role="alert">
      {error.message}
      {others.length > 0 && (
        <ul>
          {others.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}
