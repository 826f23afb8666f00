// A work queue: « Mes demandes », a unit's queue, « Demandes à qualifier » or all open cases. Filters
// live in the URL; counts come from GET /api/v1/cases/counts; rows can be selected for bulk assignment or
// transfer; j/k move, Enter opens, x selects, / searches.
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { ApiError, del, get, post, qs } from '../api.ts';
import { useAction } from '../hooks.ts';
import { useLiveCases } from '../live.ts';
import { Link, navigate, useLocation, usePageTitle } from '../router.tsx';
import { useRefData, useSession } from '../session.tsx';
import { channel as channelLabel, CHANNEL_LABELS, PRIORITY_LABELS, SORT_LABELS, STATUS_LABELS } from '../labels.ts';
import { formatDate, plural } from '../format.ts';
import { DueDate, Empty, ErrorMessage, Field, FormError, Loading, StatusBadge } from '../components/ui.tsx';
import { TopicSelect, UnitSelect, useUnitMembers } from '../components/pickers.tsx';
import type { CaseList, CaseListItem, Counts, SavedView } from '../types.ts';
import { rememberQueue } from '../flash.ts';

export type QueueDef = { kind: 'mine' } | { kind: 'toQualify' } | { kind: 'all' } | { kind: 'unit'; unitCode: string };

const FILTER_KEYS = ['status', 'topic', 'channel', 'dueBefore', 'overdue', 'dueSoon', 'unassigned', 'level1', 'sort'] as const;
const PAGE = 50;

function queuePath(q: QueueDef): string {
  switch (q.kind) {
    case 'mine':
      return '/files/mes-demandes';
    case 'toQualify':
      return '/files/a-qualifier';
    case 'all':
      return '/files/toutes';
    case 'unit':
      return `/files/service/${q.unitCode}`;
  }
}

function baseParams(q: QueueDef): Record<string, string> {
  switch (q.kind) {
    case 'mine':
      return { mine: 'true', open: 'true' };
    case 'toQualify':
      return { status: 'new' };
    case 'all':
      return { open: 'true' };
    case 'unit':
      return { unit: q.unitCode, open: 'true' };
  }
}

function countParams(q: QueueDef): Record<string, string> {
  return q.kind === 'mine' ? { mine: 'true' } : q.kind === 'unit' ? { unit: q.unitCode } : {};
}

export function QueuePage({ queue: queueProp }: { queue: QueueDef }) {
  const { session } = useSession();
  // A stable identity for the queue (the parent builds a new object on every render).
  const qKey = JSON.stringify(queueProp);
  const queue = useMemo(() => queueProp, [qKey]);
  const { units } = useRefData();
  const { query } = useLocation();
  const unitName = queue.kind === 'unit' ? (units.find((u) => u.code === queue.unitCode)?.name ?? queue.unitCode) : '';
  const title = queue.kind === 'mine' ? 'Mes demandes' : queue.kind === 'toQualify' ? 'Demandes à qualifier' : queue.kind === 'all' ? 'Toutes les demandes ouvertes' : `File du service : ${unitName}`;
  usePageTitle(title);

  const filters = useMemo(() => {
    const f: Record<string, string> = {};
    for (const k of FILTER_KEYS) {
      const v = query.get(k);
      if (v) f[k] = v;
    }
    return f;
  }, [query]);
  const filterKey = JSON.stringify(filters);

  const setFilter = (k: string, v: string | null) => {
    const next = { ...filters };
    if (v) next[k] = v;
    else delete next[k];
    navigate(queuePath(queue) + qs(next), { replace: true });
  };

  // The list: first page on filter change, more pages appended, refreshed in place on live changes.
  const [items, setItems] = useState<CaseListItem[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [counts, setCounts] = useState<Counts | null>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const params = useMemo(() => ({ ...baseParams(queue), ...filters, ...(queue.kind === 'toQualify' ? { status: 'new' } : {}) }), [queue, filterKey]);

  const load = useCallback(
    async (mode: 'reset' | 'refresh') => {
      if (mode === 'reset') setLoading(true);
      const limit = mode === 'refresh' ? Math.min(200, Math.max(PAGE, itemsRef.current.length)) : PAGE;
      try {
        const [list, c] = await Promise.all([get<CaseList>('/api/v1/cases', { ...params, limit }), get<Counts>('/api/v1/cases/counts', countParams(queue)).catch(() => null)]);
        setItems(list.items);
        setCursor(list.nextCursor);
        setCounts(c);
        setError(null);
      } catch (err) {
        setError(err as ApiError);
      } finally {
        setLoading(false);
      }
    },
    [params, queue],
  );

  useEffect(() => {
    rememberQueue(location.pathname.replace(/^\/agents/, '') + location.search);
  });

  useEffect(() => {
    setSelected(new Set());
    setActive(-1);
    void load('reset');
  }, [load]);

  const refreshTimer = useRef<number | undefined>(undefined);
  useLiveCases(() => {
    window.clearTimeout(refreshTimer.current);
    refreshTimer.current = window.setTimeout(() => void load('refresh'), 300);
  });
  useEffect(() => () => window.clearTimeout(refreshTimer.current), []);

  const more = async () => {
    if (!cursor) return;
    setLoadingMore(true);
    try {
      const list = await get<CaseList>('/api/v1/cases', { ...params, limit: PAGE, cursor });
      setItems((xs) => [...xs, ...list.items]);
      setCursor(list.nextCursor);
    } catch (err) {
      setError(err as ApiError);
    } finally {
      setLoadingMore(false);
    }
  };

  // Selection and keyboard navigation.
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [bulkReport, setBulkReport] = useState<BulkResult[]>([]);
  const [active, setActive] = useState(-1);
  const rowLinks = useRef<Array<HTMLAnchorElement | null>>([]);
  const toggle = (ref: string) =>
    setSelected((s) => {
      const n = new Set(s);
      if (n.has(ref)) n.delete(ref);
      else n.add(ref);
      return n;
    });

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"], [role="combobox"]')) return;
      const n = itemsRef.current.length;
      if (!n) return;
      if (e.key === 'j' || e.key === 'k') {
        e.preventDefault();
        setActive((a) => {
          const next = e.key === 'j' ? Math.min(n - 1, a + 1) : Math.max(0, a < 0 ? 0 : a - 1);
          rowLinks.current[next]?.focus();
          return next;
        });
      } else if (e.key === 'x') {
        e.preventDefault();
        setActive((a) => {
          const i = a < 0 ? 0 : a;
          const it = itemsRef.current[i];
          if (it) toggle(it.reference);
          rowLinks.current[i]?.focus();
          return i;
        });
      } else if (e.key === 'Enter' && !t.closest('a, button')) {
        setActive((a) => {
          const it = itemsRef.current[a];
          if (it) navigate(`/demandes/${it.reference}`);
          return a;
        });
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const allSelected = items.length > 0 && items.every((i) => selected.has(i.reference));
  const countOf = (k: string) => (counts ? Number(counts[k] ?? 0) : null);
  const withCount = (label: string, k: string) => (countOf(k) === null ? label : `${label} (${countOf(k)})`);
  const activeFilters = Object.keys(filters).filter((k) => k !== 'sort').length;

  return (
    <section className="page queue" aria-labelledby="page-title">
      <div className="page-head">
        <h1 id="page-title">{title}</h1>
        <p className="muted" aria-live="polite">
          {loading ? 'Chargement…' : `${plural(items.length, 'demande affichée', 'demandes affichées')}${cursor ? ' (il y en a d’autres)' : ''}`}
          {counts && queue.kind !== 'toQualify' && (
            <>
              {' · '}
              {plural(countOf('open') ?? 0, 'ouverte')}, {countOf('overdue')} en retard, {countOf('due_soon')} à échéance proche
            </>
          )}
        </p>
      </div>

      <form className="filters" role="search" aria-label="Filtres de la file" onSubmit={(e) => e.preventDefault()}>
        {queue.kind !== 'toQualify' && (
          <Field label="Statut">
            {(p) => (
              <select {...p} value={filters.status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
                <option value="">{withCount('Tous les statuts ouverts', 'open')}</option>
                {Object.entries(STATUS_LABELS)
                  .filter(([s]) => s !== 'closed')
                  .map(([s, l]) => (
                    <option key={s} value={s}>
                      {withCount(l, s)}
                    </option>
                  ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Objet">{(p) => <TopicSelect {...p} value={filters.topic ?? ''} onChange={(e) => setFilter('topic', e.target.value)} />}</Field>
        <Field label="Canal">
          {(p) => (
            <select {...p} value={filters.channel ?? ''} onChange={(e) => setFilter('channel', e.target.value)}>
              <option value="">Tous les canaux</option>
              {Object.entries(CHANNEL_LABELS).map(([c, l]) => (
                <option key={c} value={c}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Échéance au plus tard le">
          {(p) => <input {...p} type="date" value={filters.dueBefore ?? ''} onChange={(e) => setFilter('dueBefore', e.target.value)} />}
        </Field>
        <Field label="Trier par">
          {(p) => (
            <select {...p} value={filters.sort ?? 'due'} onChange={(e) => setFilter('sort', e.target.value === 'due' ? null : e.target.value)}>
              {Object.entries(SORT_LABELS).map(([s, l]) => (
                <option key={s} value={s}>
                  {l}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="checks">
          <legend>Afficher seulement</legend>
          <label>
            <input type="checkbox" checked={filters.overdue === 'true'} onChange={(e) => setFilter('overdue', e.target.checked ? 'true' : null)} /> {withCount('En retard', 'overdue')}
          </label>
          <label>
            <input type="checkbox" checked={filters.dueSoon === 'true'} onChange={(e) => setFilter('dueSoon', e.target.checked ? 'true' : null)} /> {withCount('Échéance proche', 'due_soon')}
          </label>
          <label>
            <input type="checkbox" checked={filters.unassigned === 'true'} onChange={(e) => setFilter('unassigned', e.target.checked ? 'true' : null)} /> {withCount('Non attribuées', 'unassigned')}
          </label>
          <label>
            <input type="checkbox" checked={filters.level1 === 'true'} onChange={(e) => setFilter('level1', e.target.checked ? 'true' : null)} /> Résolues au niveau 1
          </label>
        </fieldset>
        {activeFilters > 0 && (
          <button type="button" className="button button-secondary" onClick={() => navigate(queuePath(queue) + qs(filters.sort ? { sort: filters.sort } : {}), { replace: true })}>
            Effacer les filtres
          </button>
        )}
      </form>

      <SavedViews queue={queue} filters={filters} />

      <p className="kbd-help">
        Raccourcis clavier : <kbd>j</kbd> / <kbd>k</kbd> pour passer d’une demande à l’autre, <kbd>Entrée</kbd> pour l’ouvrir, <kbd>x</kbd> pour la sélectionner, <kbd>/</kbd> pour rechercher.
      </p>

      {selected.size > 0 && (
        <BulkActions queue={queue} references={[...selected]} myId={session.agent.id} onReport={setBulkReport} onDone={() => void load('refresh')} onClear={() => setSelected(new Set())} />
      )}
      <BulkReport results={bulkReport} onClose={() => setBulkReport([])} />

      <ErrorMessage error={error} title="La file n’a pas pu être chargée." />
      {loading && !items.length ? (
        <Loading label="Chargement de la file…" />
      ) : !items.length && !error ? (
        <Empty>{activeFilters ? 'Aucune demande ne correspond à ces filtres.' : queue.kind === 'toQualify' ? 'Aucune demande à qualifier. Bravo !' : 'Aucune demande ouverte dans cette file.'}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="cases">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="col-select">
                  <input
                    type="checkbox"
                    aria-label="Tout sélectionner"
                    checked={allSelected}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(items.map((i) => i.reference)))}
                  />
                </th>
                <th scope="col">Référence</th>
                <th scope="col">Demande</th>
                <th scope="col" className="col-optional">
                  Usager
                </th>
                <th scope="col">Statut</th>
                <th scope="col">Échéance</th>
                <th scope="col" className="col-optional">
                  Attribuée à
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((c, i) => (
                <tr key={c.id} className={`${i === active ? 'active ' : ''}${selected.has(c.reference) ? 'selected ' : ''}sla-${c.sla}`} onClick={() => setActive(i)}>
                  <td className="col-select">
                    <input type="checkbox" aria-label={`Sélectionner ${c.reference}`} checked={selected.has(c.reference)} onChange={() => toggle(c.reference)} />
                  </td>
                  <td>
                    <Link to={`/demandes/${c.reference}`} ref={(el) => void (rowLinks.current[i] = el)} className="ref" onFocus={() => setActive(i)}>
                      {c.reference}
                    </Link>
                  </td>
                  <td>
                    <span className="subject">{c.subject}</span>
                    <span className="meta">
                      {c.topicName ?? 'Non qualifiée'} · {channelLabel(c.channel)}
                      {queue.kind !== 'unit' && c.unitName ? ` · ${c.unitName}` : ''} · reçue le {formatDate(c.createdAt)}
                      {c.priority === 'urgent' || c.priority === 'high' ? ` · priorité ${PRIORITY_LABELS[c.priority].toLowerCase()}` : ''}
                    </span>
                  </td>
                  <td className="col-optional">{c.contactName ?? <span className="muted">—</span>}</td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>
                    <DueDate dueDate={c.dueDate} sla={c.sla} />
                  </td>
                  <td className="col-optional">{c.assigneeName ?? <span className="muted">Personne</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {cursor && (
        <p>
          <button type="button" className="button button-secondary" onClick={() => void more()} disabled={loadingMore}>
            {loadingMore ? 'Chargement…' : 'Afficher plus'}
          </button>
        </p>
      )}
    </section>
  );
}

function SavedViews({ queue, filters }: { queue: QueueDef; filters: Record<string, string> }) {
  const [views, setViews] = useState<SavedView[]>([]);
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState('');
  const { run, pending, error } = useAction();
  const path = queuePath(queue);

  const reload = useCallback(() => get<{ items: SavedView[] }>('/api/v1/saved-views').then((r) => setViews(r.items), () => undefined), []);
  useEffect(() => {
    void reload();
  }, [reload]);

  const open = (id: string) => {
    setChosen(id);
    const v = views.find((x) => x.id === id);
    if (!v) return;
    const { queue: q, ...f } = v.filters;
    navigate((q || path) + qs(f));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const r = await run(() => post<SavedView>('/api/v1/saved-views', { name, filters: { queue: path, ...filters } }));
    if (r) {
      setName('');
      setChosen(r.id);
      await reload();
    }
  };

  const remove = async () => {
    if (!chosen) return;
    const ok = await run(() => del('/api/v1/saved-views/' + chosen).then(() => true));
    if (ok) {
      setChosen('');
      await reload();
    }
  };

  return (
    <div className="saved-views">
      <Field label="Vues enregistrées">
        {(p) => (
          <select {...p} value={chosen} onChange={(e) => open(e.target.value)}>
            <option value="">{views.length ? 'Choisir une vue…' : 'Aucune vue enregistrée'}</option>
            {views.map((v) => (
              <option key={v.id} value={v.id}>
                {v.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      {chosen && (
        <button type="button" className="button button-secondary" onClick={() => void remove()} disabled={pending}>
          Supprimer la vue
        </button>
      )}
      <form className="inline-form" onSubmit={save}>
        <Field label="Nom de la nouvelle vue" error={error?.fields.name}>
          {(p) => <input {...p} value={name} maxLength={80} onChange={(e) => setName(e.target.value)} placeholder="ex. Retards voirie" />}
        </Field>
        <button type="submit" className="button button-secondary" disabled={pending || !name.trim()}>
          Enregistrer ces filtres
        </button>
      </form>
      {error && !error.fields.name && <ErrorMessage error={error} />}
    </div>
  );
}

interface BulkResult {
  reference: string;
  ok: boolean;
  message: string;
}

function BulkReport({ results, onClose }: { results: BulkResult[]; onClose(): void }) {
  if (!results.length) return null;
  const failed = results.filter((r) => !r.ok);
  return (
    <div role="status" className={failed.length ? 'alert alert-error' : 'alert alert-success'}>
      <p>
        {results.length - failed.length} réussie(s), {failed.length} en échec.{' '}
        <button type="button" className="button-link" onClick={onClose}>
          Masquer<span className="visually-hidden"> le compte rendu</span>
        </button>
      </p>
      <ul>
        {results.map((r) => (
          <li key={r.reference}>
            {r.reference} : {r.ok ? r.message : `échec — ${r.message}`}
          </li>
        ))}
      </ul>
    </div>
  );
}

function BulkActions({ queue, references, myId, onReport, onDone, onClear }: { queue: QueueDef; references: string[]; myId: string; onReport(r: BulkResult[]): void; onDone(): void; onClear(): void }) {
  const { session } = useSession();
  const { unitById } = useRefData();
  const [mode, setMode] = useState<'none' | 'assign' | 'transfer'>('none');
  const [assignee, setAssignee] = useState('');
  const [unit, setUnit] = useState('');
  const [reason, setReason] = useState('');
  const [pending, setPending] = useState(false);
  const [formError, setFormError] = useState<ApiError | null>(null);
  const unitCodes = queue.kind === 'unit' ? [queue.unitCode] : session.agent.unitIds.map((id) => unitById.get(id)?.code).filter((c): c is string => !!c);
  const members = useUnitMembers(mode === 'assign' ? unitCodes : []);

  const runAll = async (label: string, call: (ref: string) => Promise<unknown>) => {
    setPending(true);
    onReport([]);
    const out: BulkResult[] = [];
    for (const ref of references) {
      try {
        await call(ref);
        out.push({ reference: ref, ok: true, message: label });
      } catch (err) {
        out.push({ reference: ref, ok: false, message: err instanceof ApiError ? (Object.values(err.fields)[0] ?? err.message) : 'Erreur inattendue.' });
      }
      onReport([...out]);
    }
    setPending(false);
    setMode('none');
    onDone();
    if (out.every((r) => r.ok)) onClear();
  };

  const assignTo = (id: string, label: string) => runAll(label, (ref) => post(`/api/v1/cases/${ref}/assign`, { assigneeId: id }));

  const transfer = (e: FormEvent) => {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!unit) fields.unit = 'Choisissez le service destinataire.';
    if (!reason.trim()) fields.reason = 'Le motif du transfert est obligatoire.';
    if (Object.keys(fields).length) return setFormError(new ApiError(422, 'invalid', 'Complétez le transfert.', fields));
    setFormError(null);
    void runAll('transférée', (ref) => post(`/api/v1/cases/${ref}/transfer`, { unit, reason: reason.trim() }));
  };

  return (
    <div className="bulk" role="region" aria-label="Actions sur la sélection">
      <p>
        <strong>{plural(references.length, 'demande sélectionnée', 'demandes sélectionnées')}</strong>{' '}
        <button type="button" className="button-link" onClick={onClear}>
          Désélectionner
        </button>
      </p>
      <div className="bulk-buttons">
        <button type="button" className="button button-secondary" disabled={pending} onClick={() => void assignTo(myId, 'attribuée à vous')}>
          Me les attribuer
        </button>
        <button type="button" className="button button-secondary" aria-expanded={mode === 'assign'} disabled={pending} onClick={() => setMode(mode === 'assign' ? 'none' : 'assign')}>
          Attribuer à un agent…
        </button>
        <button type="button" className="button button-secondary" aria-expanded={mode === 'transfer'} disabled={pending} onClick={() => setMode(mode === 'transfer' ? 'none' : 'transfer')}>
          Transférer…
        </button>
      </div>
      {mode === 'assign' && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const m = members?.find((x) => x.id === assignee);
            if (m) void assignTo(m.id, `attribuée à ${m.displayName}`);
          }}
        >
          <Field label="Agent">
            {(p) => (
              <select {...p} value={assignee} onChange={(e) => setAssignee(e.target.value)}>
                <option value="">{members === null ? 'Chargement…' : 'Choisir un agent'}</option>
                {members?.map((m) => (
                  <option key={m.id} value={m.id}>
                    {m.displayName}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <button type="submit" className="button button-primary" disabled={!assignee || pending}>
            Attribuer
          </button>
        </form>
      )}
      {mode === 'transfer' && (
        <form className="inline-form" onSubmit={transfer} noValidate>
          <Field label="Service destinataire" error={formError?.fields.unit}>
            {(p) => <UnitSelect {...p} emptyLabel="Choisir un service" value={unit} onChange={(e) => setUnit(e.target.value)} />}
          </Field>
          <Field label="Motif du transfert" error={formError?.fields.reason}>
            {(p) => <input {...p} value={reason} maxLength={2000} onChange={(e) => setReason(e.target.value)} />}
          </Field>
          <button type="submit" className="button button-primary" disabled={pending}>
            Transférer {plural(references.length, 'demande')}
          </button>
        </form>
      )}
      {formError && !formError.fields.unit && !formError.fields.reason && <FormError error={formError} shown={[]} />}
    </div>
  );
}
