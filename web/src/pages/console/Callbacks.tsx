// The callback list on the console: callers nobody answered and promised callbacks, with the « Rappel
// effectué » form (logged as an outbound call on a case), and the recently closed ones with the reason —
// called back by an agent, or the caller called again and got through.
import { useEffect, useRef, useState } from 'react';
import { get, post, type ApiError } from '../../api.ts';
import { useAction } from '../../hooks.ts';
import { Link } from '../../router.tsx';
import { formatDateTime } from '../../format.ts';
import { Empty, ErrorMessage, Field } from '../../components/ui.tsx';

interface Callback {
  id: string;
  numberDisplay: string;
  contactName: string | null;
  reasonLabel: string;
  callsCount: number;
  createdAt: string;
  lastCallAt: string | null;
  doneAt: string | null;
  caseReference: string | null;
  closedLabel: string | null;
}

const REFRESH_MS = 30_000;
const CLOSED_SHOWN = 10;

export function Callbacks({ tick }: { tick: number }) {
  const [pending, setPending] = useState<Callback[] | null>(null);
  const [closed, setClosed] = useState<Callback[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    const load = () =>
      Promise.all([
        get<{ items: Callback[] }>('/api/v1/callbacks', { status: 'pending' }, ctl.signal),
        get<{ items: Callback[] }>('/api/v1/callbacks', { status: 'done' }, ctl.signal),
      ]).then(([p, d]) => {
        setPending(p.items);
        setClosed(d.items.slice(0, CLOSED_SHOWN));
        setError(null);
      }, (err) => !ctl.signal.aborted && setError(err));
    load();
    const t = setInterval(load, REFRESH_MS);
    return () => {
      ctl.abort();
      clearInterval(t);
    };
  }, [tick, reload]);

  return (
    <section aria-labelledby="callbacks-title">
      <h2 id="callbacks-title">Rappels à faire{pending ? ` (${pending.length})` : ''}</h2>
      <ErrorMessage error={error} />
      {pending && pending.length === 0 && <Empty>Aucun rappel en attente.</Empty>}
      {pending && pending.length > 0 && (
        <ul className="callbacks">
          {pending.map((b) => <PendingCallback key={b.id} cb={b} onDone={() => setReload((r) => r + 1)} />)}
        </ul>
      )}
      {closed.length > 0 && (
        <>
          <h3>Rappels clos récemment</h3>
          <ul className="callbacks">
            {closed.map((b) => (
              <li key={b.id}>
                <strong>{b.numberDisplay}</strong>{b.contactName && ` — ${b.contactName}`} ({b.reasonLabel}) :{' '}
                <span className="callback-closed">{b.closedLabel}</span>
                {b.caseReference && <> — <Link to={`/demandes/${b.caseReference}`}>{b.caseReference}</Link></>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

function PendingCallback({ cb, onDone }: { cb: Callback; onDone: () => void }) {
  const [open, setOpen] = useState(false);
  const [reached, setReached] = useState(true);
  const [subject, setSubject] = useState('');
  const [note, setNote] = useState('');
  const { pending, error, run } = useAction();
  const inFlight = useRef(false);
  const label = `${cb.numberDisplay}${cb.contactName ? ` (${cb.contactName})` : ''}`;

  const submit = async () => {
    if (inFlight.current) return;
    inFlight.current = true;
    try {
      const r = await run(() => post(`/api/v1/callbacks/${cb.id}/done`, { reached, note: note || undefined, subject: subject || undefined }));
      if (r) onDone();
    } finally {
      inFlight.current = false;
    }
  };

  return (
    <li>
      <strong>{cb.numberDisplay}</strong>{cb.contactName && ` — ${cb.contactName}`} : {cb.reasonLabel}
      {cb.callsCount > 1 && `, ${cb.callsCount} appels`}
      {cb.lastCallAt && `, dernier appel le ${formatDateTime(cb.lastCallAt)}`}
      {cb.caseReference && <> — <Link to={`/demandes/${cb.caseReference}`}>{cb.caseReference}</Link></>}{' '}
      <button type="button" className="button-link" aria-expanded={open} onClick={() => setOpen(!open)}>
        Rappel effectué<span className="visually-hidden"> : {label}</span>
      </button>
      {open && (
        <form className="action-form" aria-label={`Rappel de ${label}`} onSubmit={(e) => { e.preventDefault(); void submit(); }}>
          <ErrorMessage error={error} />
          <fieldset className="checks">
            <legend>Résultat</legend>
            <label><input type="radio" name={`reached-${cb.id}`} checked={reached} onChange={() => setReached(true)} /> Usager joint</label>
            <label><input type="radio" name={`reached-${cb.id}`} checked={!reached} onChange={() => setReached(false)} /> Non joint</label>
          </fieldset>
          {!cb.caseReference && (
            <Field label="Objet de la demande" error={error?.fields.subject}>
              {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} maxLength={300} />}
            </Field>
          )}
          <Field label="Note" error={error?.fields.note}>
            {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={2} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={pending}>Enregistrer le rappel</button>
        </form>
      )}
    </li>
  );
}
