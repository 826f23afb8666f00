// The agent's console: presence, the call in progress popped from the phone stream (who is calling,
// their open cases and last exchanges), knowledge suggestions, the qualification form (answer at level 1
// or hand over to level 2, optionally with a callback) and the callback list.
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, get, post } from '../../api.ts';
import { useAction, useDebounced } from '../../hooks.ts';
import { useRefData } from '../../session.tsx';
import { Link, usePageTitle } from '../../router.tsx';
import { formatDateTime } from '../../format.ts';
import { Empty, ErrorMessage, Field, StatusBadge } from '../../components/ui.tsx';
import { Callbacks } from './Callbacks.tsx';

interface Match {
  match: 'exact' | 'probable';
  contact: { id: string; displayName: string; phones: string[]; emails: string[] };
  openCases: Array<{ reference: string; subject: string; status: string; unitName: string | null }>;
  lastInteractions: Array<{ id: string; kind: string; direction: string; occurredAt: string; subject: string | null; caseReference: string }>;
}
interface CallNotice {
  type: string;
  callId: string;
  number: string | null;
  at: string;
  identification: { e164: string | null; display: string | null; matches: Match[] } | null;
}
interface Article {
  id: string;
  title: string;
  answer: string;
}

const PRESENCE: Array<[string, string]> = [['available', 'Disponible'], ['wrap_up', 'Post-appel'], ['pause', 'Pause'], ['away', 'Absent']];

/** A fresh key for one qualification: sent as Idempotency-Key, so a repeated click or request is recorded once. */
function newQualificationKey(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes); // (randomUUID needs a secure context; an intranet may serve plain http)
  return `console-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function ConsolePage() {
  usePageTitle('Console téléphonique');
  const [call, setCall] = useState<CallNotice | null>(null);
  const [ended, setEnded] = useState(false);
  const [presence, setPresence] = useState<string>('away');
  const [streamOn, setStreamOn] = useState(false);
  const [callbacksTick, setCallbacksTick] = useState(0);
  const refreshCallbacks = useCallback(() => setCallbacksTick((t) => t + 1), []);

  useEffect(() => {
    get<{ status: string }>('/api/v1/phone/presence').then((p) => setPresence(p.status), () => undefined);
    if (typeof EventSource === 'undefined') return;
    const source = new EventSource('/api/v1/phone/stream');
    source.addEventListener('ready', () => setStreamOn(true));
    source.addEventListener('error', () => setStreamOn(false));
    const onCall = (msg: Event) => {
      const n = JSON.parse((msg as MessageEvent).data) as CallNotice;
      if (n.type === 'call.ended') {
        setEnded(true);
        setPresence('wrap_up');
        return;
      }
      // a new ringing call does not replace the caller the agent is talking to
      setCall((prev) => (n.type === 'call.ringing' && prev?.type === 'call.answered' && prev.callId !== n.callId ? prev : n));
      if (n.type === 'call.answered') {
        setEnded(false);
        setPresence('on_call');
        refreshCallbacks(); // an answered caller's pending callbacks are closed
      }
    };
    source.addEventListener('call.ringing', onCall);
    source.addEventListener('call.answered', onCall);
    source.addEventListener('call.ended', onCall);
    return () => source.close();
  }, [refreshCallbacks]);

  const changePresence = async (status: string) => {
    const r = await api<{ status: string }>('PUT', '/api/v1/phone/presence', { status }).catch(() => null);
    if (r) setPresence(r.status);
  };

  return (
    <section className="page" aria-labelledby="page-title" data-phone-stream={streamOn ? 'on' : 'off'}>
      <div className="page-head">
        <h1 id="page-title">Console téléphonique</h1>
        <p className="muted">
          <Link to="/telephone/tableau">Tableau de bord</Link>
        </p>
      </div>
      <fieldset className="checks">
        <legend>Ma présence</legend>
        {presence === 'on_call' && <p>En communication</p>}
        {PRESENCE.map(([value, label]) => (
          <label key={value}>
            <input type="radio" name="presence" value={value} checked={presence === value} onChange={() => changePresence(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {/* what a screen reader announces: the call's arrival and end, not every change of the form below */}
      <p className="visually-hidden" aria-live="polite">
        {call ? `${call.type === 'call.ringing' ? 'Appel entrant' : 'En ligne'} : ${call.identification?.display ?? call.number ?? 'numéro masqué'}${ended ? ', appel terminé' : ''}` : ''}
      </p>
      {!call && <Empty>Aucun appel en cours. La fiche de l’appelant s’affichera ici dès que vous décrocherez.</Empty>}
      {call && <CallPanel key={call.callId} call={call} ended={ended} onQualified={refreshCallbacks} onDone={() => setCall(null)} />}
      <Callbacks tick={callbacksTick} />
    </section>
  );
}

function CallPanel({ call, ended, onQualified, onDone }: { call: CallNotice; ended: boolean; onQualified: () => void; onDone: () => void }) {
  const { topics } = useRefData();
  const matches = call.identification?.matches ?? [];
  const [contactId, setContactId] = useState(matches[0]?.contact.id ?? '');
  const chosen = matches.find((m) => m.contact.id === contactId);
  const [topic, setTopic] = useState('');
  const [subject, setSubject] = useState('');
  const [note, setNote] = useState('');
  const [articleId, setArticleId] = useState('');
  const [callback, setCallback] = useState(false);
  const [caseReference, setCaseReference] = useState('');
  const [articles, setArticles] = useState<Article[]>([]);
  const [done, setDone] = useState<string[]>([]);
  const [formOpen, setFormOpen] = useState(true);
  // one key per qualification: kept across retries of the same form, renewed for another request of the call
  const [key, setKey] = useState(newQualificationKey);
  const inFlight = useRef(false);
  const heading = useRef<HTMLHeadingElement>(null);
  const result = useRef<HTMLDivElement>(null);
  const words = useDebounced(`${subject} ${note}`.trim(), 400);
  const { pending, error, run } = useAction();

  useEffect(() => {
    // the caller pops while the agent is on nothing in particular: bring the keyboard to the call
    if (call.type === 'call.answered' && (document.activeElement === null || document.activeElement === document.body)) heading.current?.focus();
  }, [call.type]);

  useEffect(() => {
    if (!topic && !words) return setArticles([]);
    get<{ items: Article[] }>('/api/v1/knowledge', { topic: topic || undefined, q: words || undefined, limit: 5 }).then((r) => setArticles(r.items), () => undefined);
  }, [topic, words]);

  const qualify = async (outcome: 'level1' | 'escalate') => {
    if (inFlight.current) return; // a second click before the first answer: the button is about to be disabled
    inFlight.current = true;
    try {
      await run(async () => {
        const r = await post<{ reference: string }>(`/api/v1/calls/${call.callId}/qualify`, {
          topic, outcome, subject, note: note || undefined, articleId: outcome === 'level1' && articleId ? articleId : undefined,
          callback: outcome === 'escalate' ? callback : undefined, caseReference: caseReference || undefined, contactId: contactId || undefined,
        }, { 'idempotency-key': key });
        setDone((d) => (d.includes(r.reference) ? d : [...d, r.reference]));
        setFormOpen(false);
        onQualified();
        // the form is gone: keep the keyboard on what happened (then « Autre demande » / « Fermer »)
        requestAnimationFrame(() => result.current?.focus());
      });
    } finally {
      inFlight.current = false;
    }
  };

  const anotherRequest = () => {
    setKey(newQualificationKey());
    setTopic('');
    setSubject('');
    setNote('');
    setArticleId('');
    setCallback(false);
    setCaseReference('');
    setFormOpen(true);
  };

  return (
    <article className="card" aria-labelledby="caller-title">
      <h2 id="caller-title" ref={heading} tabIndex={-1}>
        {call.type === 'call.ringing' ? 'Appel entrant' : 'En ligne'} : {call.identification?.display ?? call.number ?? 'numéro masqué'}
        {ended && ' — appel terminé'}
      </h2>
      {matches.length === 0 && <p>Appelant inconnu : une nouvelle fiche sera créée avec ce numéro.</p>}
      {matches.length > 1 && (
        <Field label="Usager (plusieurs fiches correspondent)">
          {(p) => (
            <select {...p} value={contactId} onChange={(e) => setContactId(e.target.value)}>
              {matches.map((m) => (
                <option key={m.contact.id} value={m.contact.id}>
                  {m.contact.displayName} {m.match === 'probable' ? '(probable)' : ''}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
      {chosen && (
        <>
          <p>
            <Link to={`/usagers/${chosen.contact.id}`}>{chosen.contact.displayName}</Link> {chosen.match === 'probable' && <em>(correspondance probable)</em>}
          </p>
          <h3>Demandes en cours</h3>
          {chosen.openCases.length === 0 ? <p className="muted">Aucune.</p> : (
            <ul>
              {chosen.openCases.map((c) => (
                <li key={c.reference}>
                  <Link to={`/demandes/${c.reference}`}>{c.reference}</Link> — {c.subject} <StatusBadge status={c.status} /> {c.unitName}{' '}
                  <button type="button" className="button-link" aria-pressed={caseReference === c.reference} onClick={() => setCaseReference(c.reference)}>
                    Concerne cette demande<span className="visually-hidden"> {c.reference}</span>
                  </button>
                </li>
              ))}
            </ul>
          )}
          <h3>Derniers échanges</h3>
          {chosen.lastInteractions.length === 0 ? <p className="muted">Aucun.</p> : (
            <ul>
              {chosen.lastInteractions.map((i) => (
                <li key={i.id}>{formatDateTime(i.occurredAt)} — {i.subject ?? i.kind} ({i.caseReference})</li>
              ))}
            </ul>
          )}
        </>
      )}
      {done.length > 0 && (
        <div role="status" ref={result} tabIndex={-1}>
          <p>
            Appel qualifié : {done.length > 1 ? 'demandes' : 'demande'}{' '}
            {done.map((ref, i) => (
              <span key={ref}>{i > 0 && ', '}<Link to={`/demandes/${ref}`}>{ref}</Link></span>
            ))}.
          </p>
          {!formOpen && (
            <p>
              <button type="button" className="button button-secondary" onClick={anotherRequest}>Autre demande pour cet appel</button>{' '}
              <button type="button" className="button button-secondary" onClick={onDone}>Fermer</button>
            </p>
          )}
        </div>
      )}
      {formOpen && (
        <form onSubmit={(e) => e.preventDefault()} aria-label="Qualifier l’appel" aria-busy={pending}>
          <h3>{caseReference ? 'Demande existante' : 'Nouvelle demande'}</h3>
          <ErrorMessage error={error} />
          {caseReference && <p>Demande concernée : {caseReference} <button type="button" className="button-link" onClick={() => setCaseReference('')}>Nouvelle demande plutôt</button></p>}
          <Field label="Objet" error={error?.fields.topic}>
            {(p) => (
              <select {...p} value={topic} onChange={(e) => setTopic(e.target.value)} required>
                <option value="">— Choisir —</option>
                {topics.map((t) => <option key={t.code} value={t.code}>{t.domainName} — {t.name}</option>)}
              </select>
            )}
          </Field>
          <Field label="Résumé" error={error?.fields.subject}>
            {(p) => <input {...p} value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={300} />}
          </Field>
          <Field label="Note" error={error?.fields.note}>
            {(p) => <textarea {...p} value={note} onChange={(e) => setNote(e.target.value)} rows={3} />}
          </Field>
          {articles.length > 0 && (
            <fieldset className="suggestions">
              <legend>Réponses suggérées</legend>
              {articles.map((a) => (
                <div key={a.id} className="suggestion">
                  <label>
                    <input type="radio" name="article" value={a.id} checked={articleId === a.id} onChange={() => setArticleId(a.id)} /> {a.title}
                  </label>
                  <details>
                    <summary>Voir la réponse<span className="visually-hidden"> : {a.title}</span></summary>
                    <p>{a.answer}</p>
                  </details>
                </div>
              ))}
            </fieldset>
          )}
          <label>
            <input type="checkbox" checked={callback} onChange={(e) => setCallback(e.target.checked)} /> L’usager souhaite être rappelé
          </label>
          <p>
            <button type="button" className="button button-primary" disabled={pending || !topic || !subject || callback} onClick={() => qualify('level1')}>Répondu (niveau 1)</button>{' '}
            <button type="button" className="button button-secondary" disabled={pending || !topic || !subject} onClick={() => qualify('escalate')}>Transmettre au niveau 2</button>
            {pending && <span role="status"> Enregistrement…</span>}
          </p>
        </form>
      )}
    </article>
  );
}
