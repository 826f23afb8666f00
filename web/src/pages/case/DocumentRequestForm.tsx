// « Demander des pièces »: the documents the usager must still provide (one per line), a message and an
// optional deadline, sent by POST /api/v1/cases/:ref/document-requests. The case then waits on the usager,
// who answers in place from Mon espace.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, post } from '../../api.ts';
import { useAction } from '../../hooks.ts';
import { Field, FormError } from '../../components/ui.tsx';
import type { CaseDetail } from '../../types.ts';

const MAX_ITEMS = 20;

/** YYYY-MM-DD, `n` days from today (the API checks the range itself, in Paris time). */
function dayFromToday(n: number): string {
  const d = new Date(Date.now() + n * 86_400_000);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export function DocumentRequestForm({ c, onDone, onCancel }: { c: CaseDetail; onDone(message: string): void; onCancel(): void }) {
  const [items, setItems] = useState('');
  const [message, setMessage] = useState('');
  const [dueDate, setDueDate] = useState('');
  const { run, pending, error, setError } = useAction();
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => first.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const list = items.split('\n').map((s) => s.trim()).filter(Boolean);
    if (!list.length) return setError(new ApiError(422, 'invalid', 'Complétez la demande.', { items: 'Indiquez au moins une pièce à fournir.' }));
    if (list.length > MAX_ITEMS) return setError(new ApiError(422, 'invalid', 'Complétez la demande.', { items: `${MAX_ITEMS} pièces au plus.` }));
    const r = await run(() => post(`/api/v1/cases/${encodeURIComponent(c.reference)}/document-requests`, { items: list, message: message.trim() || null, dueDate: dueDate || null }));
    if (r) onDone(`Demande de pièces envoyée à l’usager (${list.length} pièce${list.length > 1 ? 's' : ''}). La demande attend sa réponse.`);
  };
  const itemErrors = Object.entries(error?.fields ?? {}).filter(([k]) => k === 'items' || k.startsWith('items.') || k.startsWith('items/'));
  return (
    <form className="action-form" onSubmit={submit} noValidate aria-label="Demander des pièces à l’usager">
      <Field label="Pièces à fournir" hint="Une pièce par ligne, par exemple « Budget prévisionnel signé »." error={itemErrors.map(([, v]) => v).join(' ') || undefined}>
        {(p) => <textarea {...p} ref={first} rows={3} value={items} onChange={(e) => setItems(e.target.value)} required />}
      </Field>
      <Field label="Message à l’usager (facultatif)" hint="Visible par l’usager dans son espace et dans le courriel qui l’avertit." error={error?.fields.message}>
        {(p) => <textarea {...p} rows={3} value={message} maxLength={5000} onChange={(e) => setMessage(e.target.value)} />}
      </Field>
      <Field label="À fournir avant le (facultatif)" error={error?.fields.dueDate}>
        {(p) => <input {...p} type="date" value={dueDate} min={dayFromToday(1)} max={dayFromToday(366)} onChange={(e) => setDueDate(e.target.value)} />}
      </Field>
      <FormError error={error} shown={['message', 'dueDate', ...itemErrors.map(([k]) => k)]} />
      <div className="action-buttons">
        <button type="submit" className="button button-primary" disabled={pending}>
          Envoyer la demande
        </button>
        <button type="button" className="button button-secondary" onClick={onCancel}>
          Annuler
        </button>
      </div>
    </form>
  );
}
