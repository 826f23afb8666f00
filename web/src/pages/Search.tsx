// Full search results: contacts and cases for a query, with filters (status, unit, topic, channel, dates)
// kept in the URL, and « Afficher plus » for the next page of cases.
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, qs } from '../api.ts';
import { Link, navigate, useLocation, usePageTitle } from '../router.tsx';
import { CHANNEL_LABELS, channel as channelLabel, STATUS_LABELS } from '../labels.ts';
import { formatDate, plural } from '../format.ts';
import { DueDate, Empty, ErrorMessage, Field, Loading, StatusBadge } from '../components/ui.tsx';
import { TopicSelect, UnitSelect } from '../components/pickers.tsx';
import type { CaseHit, SearchResult } from '../types.ts';

const KEYS = ['q', 'status', 'unit', 'topic', 'channel', 'from', 'to'] as const;

export function SearchPage() {
  const { query } = useLocation();
  const params: Record<string, string> = {};
  for (const k of KEYS) {
    const v = query.get(k);
    if (v) params[k] = v;
  }
  const key = JSON.stringify(params);
  const [form, setForm] = useState(params);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [cases, setCases] = useState<CaseHit[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  usePageTitle(params.q ? `Recherche : ${params.q}` : 'Recherche');

  useEffect(() => {
    setForm(JSON.parse(key));
    const p = JSON.parse(key) as Record<string, string>;
    if (!p.q || p.q.trim().length < 2) {
      setResult(null);
      setCases([]);
      setCursor(null);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    get<SearchResult>('/api/v1/search', { ...p, limit: 20 }, ctl.signal).then(
      (r) => {
        setResult(r);
        setCases(r.cases);
        setCursor(r.nextCursor);
        setError(null);
        setLoading(false);
      },
      (err) => {
        if (err?.name === 'AbortError') return;
        setError(err);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [key]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const clean = Object.fromEntries(Object.entries(form).filter(([, v]) => v));
    navigate('/recherche' + qs(clean));
  };
  const set = (k: string, v: string) => setForm((f) => ({ ...f, [k]: v }));

  const more = async () => {
    if (!cursor) return;
    try {
      const r = await get<SearchResult>('/api/v1/search', { ...params, type: 'case', limit: 20, cursor });
      setCases((xs) => [...xs, ...r.cases]);
      setCursor(r.nextCursor);
    } catch (err) {
      setError(err as ApiError);
    }
  };

  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Recherche</h1>
      <form className="filters search-form" role="search" aria-label="Recherche avancée" onSubmit={submit} noValidate>
        <Field label="Rechercher" hint="Référence, nom, courriel, téléphone ou mots du texte (les accents sont facultatifs)." error={error?.fields.q}>
          {(p) => <input {...p} type="search" value={form.q ?? ''} onChange={(e) => set('q', e.target.value)} />}
        </Field>
        <Field label="Statut">
          {(p) => (
            <select {...p} value={form.status ?? ''} onChange={(e) => set('status', e.target.value)}>
              <option value="">Tous</option>
              {Object.entries(STATUS_LABELS).map(([s, l]) => (
                <option key={s} value={s}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Service">{(p) => <UnitSelect {...p} value={form.unit ?? ''} onChange={(e) => set('unit', e.target.value)} />}</Field>
        <Field label="Objet">{(p) => <TopicSelect {...p} value={form.topic ?? ''} onChange={(e) => set('topic', e.target.value)} />}</Field>
        <Field label="Canal">
          {(p) => (
            <select {...p} value={form.channel ?? ''} onChange={(e) => set('channel', e.target.value)}>
              <option value="">Tous</option>
              {Object.entries(CHANNEL_LABELS).map(([c, l]) => (
                <option key={c} value={c}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Reçue à partir du" error={error?.fields.from}>
          {(p) => <input {...p} type="date" value={form.from ?? ''} onChange={(e) => set('from', e.target.value)} />}
        </Field>
        <Field label="Reçue jusqu’au" error={error?.fields.to}>
          {(p) => <input {...p} type="date" value={form.to ?? ''} onChange={(e) => set('to', e.target.value)} />}
        </Field>
        <button type="submit" className="button button-primary">
          Rechercher
        </button>
      </form>

      {error && !error.fields.q && <ErrorMessage error={error} />}
      {!params.q && <Empty>Saisissez au moins deux caractères pour rechercher.</Empty>}
      {loading && <Loading label="Recherche en cours…" />}
      {result && !loading && (
        <div aria-live="polite">
          {result.contacts.length > 0 && (
            <section aria-labelledby="contacts-title" className="results">
              <h2 id="contacts-title">Usagers ({result.contacts.length})</h2>
              <ul className="result-list">
                {result.contacts.map((c) => (
                  <li key={c.id}>
                    <Link to={`/usagers/${c.id}`}>{c.displayName}</Link>
                    <span className="meta">{[c.email, c.phone, c.city].filter(Boolean).join(' · ')}</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
          <section aria-labelledby="cases-title" className="results">
            <h2 id="cases-title">Demandes ({cursor ? `${cases.length} et plus` : cases.length})</h2>
            {!cases.length ? (
              <Empty>Aucune demande ne correspond à cette recherche.</Empty>
            ) : (
              <ul className="result-list">
                {cases.map((c) => (
                  <li key={c.reference}>
                    <Link to={`/demandes/${c.reference}`}>
                      <span className="ref">{c.reference}</span> — {c.subject}
                    </Link>{' '}
                    <StatusBadge status={c.status} />
                    <span className="meta">
                      {[c.topicName, c.unitName, c.contactName, channelLabel(c.channel), `reçue le ${formatDate(c.createdAt)}`].filter(Boolean).join(' · ')}
                    </span>
                    {c.snippet && <span className="snippet">{c.snippet}</span>}
                    {c.status !== 'closed' && c.dueDate && (
                      <span className="meta">
                        Échéance : <DueDate dueDate={c.dueDate} sla={c.sla} />
                      </span>
                    )}
                  </li>
                ))}
              </ul>
            )}
            {cursor && (
              <button type="button" className="button button-secondary" onClick={() => void more()}>
                Afficher plus
              </button>
            )}
            <p className="muted">{plural(cases.length, 'demande affichée', 'demandes affichées')}</p>
            {result?.notice && (
              <p className="notice" role="status">
                {result.notice}
              </p>
            )}
          </section>
        </div>
      )}
    </section>
  );
}
