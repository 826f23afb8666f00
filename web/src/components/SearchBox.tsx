// The header search: results as you type (contacts and cases), following the ARIA combobox pattern —
// arrows move through the list, Enter opens, Escape closes; Enter without a choice opens the full page.
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { get } from '../api.ts';
import { useDebounced } from '../hooks.ts';
import { navigate, useLocation } from '../router.tsx';
import { status as statusLabel } from '../labels.ts';
import type { SearchResult } from '../types.ts';

interface Option {
  id: string;
  to: string;
  group: 'contacts' | 'cases' | 'all';
  primary: string;
  secondary: string;
}

export function SearchBox() {
  const uid = useId();
  const listId = `${uid}-list`;
  const inputRef = useRef<HTMLInputElement>(null);
  const { path } = useLocation();
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const [result, setResult] = useState<SearchResult | null>(null);
  const [loading, setLoading] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const debounced = useDebounced(q.trim(), 200);

  // "/" focuses the search from anywhere (but not while typing in a field).
  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key !== '/' || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement;
      if (t.closest('input, textarea, select, [contenteditable="true"]')) return;
      e.preventDefault();
      inputRef.current?.focus();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    setOpen(false);
  }, [path]);

  useEffect(() => {
    if (debounced.length < 2) {
      setResult(null);
      setFailed(null);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    get<SearchResult>('/api/v1/search', { q: debounced, limit: 8 }, ctl.signal).then(
      (r) => {
        setResult(r);
        setFailed(null);
        setActive(-1);
        setLoading(false);
      },
      (err) => {
        if (err?.name === 'AbortError') return;
        setFailed(err.message);
        setLoading(false);
      },
    );
    return () => ctl.abort();
  }, [debounced]);

  const options: Option[] = [];
  if (result) {
    for (const c of result.contacts.slice(0, 4)) {
      options.push({ id: `${uid}-c-${c.id}`, to: `/usagers/${c.id}`, group: 'contacts', primary: c.displayName, secondary: [c.email, c.phone, c.city].filter(Boolean).join(' · ') });
    }
    for (const c of result.cases) {
      options.push({ id: `${uid}-d-${c.reference}`, to: `/demandes/${c.reference}`, group: 'cases', primary: `${c.reference} — ${c.subject}`, secondary: [statusLabel(c.status), c.contactName, c.unitName].filter(Boolean).join(' · ') });
    }
  }
  if (debounced.length >= 2) options.push({ id: `${uid}-all`, to: `/recherche?q=${encodeURIComponent(debounced)}`, group: 'all', primary: `Voir tous les résultats pour « ${debounced} »`, secondary: '' });
  const expanded = open && q.trim().length >= 2;

  const go = (o: Option) => {
    setOpen(false);
    setActive(-1);
    setQ('');
    navigate(o.to);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a + 1) % options.length : -1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (options.length ? (a <= 0 ? options.length - 1 : a - 1) : -1));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      const q2 = q.trim();
      if (expanded && active >= 0 && options[active]) go(options[active]);
      else if (q2.length >= 2) go({ id: '', to: `/recherche?q=${encodeURIComponent(q2)}`, group: 'all', primary: '', secondary: '' });
    } else if (e.key === 'Escape') {
      if (expanded) setOpen(false);
      else setQ('');
    }
  };

  const groups: Array<{ key: Option['group']; label: string | null }> = [
    { key: 'contacts', label: 'Usagers' },
    { key: 'cases', label: 'Demandes' },
    { key: 'all', label: null },
  ];
  const count = (result?.contacts.slice(0, 4).length ?? 0) + (result?.cases.length ?? 0);

  return (
    <div className="searchbox" role="search">
      <label htmlFor={`${uid}-input`} className="visually-hidden">
        Rechercher une demande ou un usager
      </label>
      <input
        ref={inputRef}
        id={`${uid}-input`}
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 && options[active] ? options[active].id : undefined}
        aria-describedby={`${uid}-help`}
        autoComplete="off"
        spellCheck={false}
        placeholder="Rechercher (référence, nom, courriel, téléphone, texte)…"
        value={q}
        onChange={(e) => {
          setQ(e.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
        onKeyDown={onKeyDown}
      />
      <span id={`${uid}-help`} className="visually-hidden">
        Raccourci : touche barre oblique. Flèches pour parcourir les résultats, Entrée pour ouvrir.
      </span>
      <div id={listId} role="listbox" aria-label="Résultats de recherche" className="search-results" hidden={!expanded}>
        {groups.map((g) => {
          const items = options.map((o, i) => ({ o, i })).filter(({ o }) => o.group === g.key);
          if (!items.length) return null;
          const labelId = `${uid}-g-${g.key}`;
          const list = items.map(({ o, i }) => (
            <div
              key={o.id}
              id={o.id}
              role="option"
              aria-selected={i === active}
              className={`search-option${i === active ? ' active' : ''}${o.group === 'all' ? ' search-all' : ''}`}
              onMouseDown={(e) => e.preventDefault()}
              onClick={() => go(o)}
            >
              <span className="search-primary">{o.primary}</span>
              {o.secondary && <span className="search-secondary">{o.secondary}</span>}
            </div>
          ));
          return g.label ? (
            <div key={g.key} role="group" aria-labelledby={labelId}>
              <div role="presentation" id={labelId} className="search-group">
                {g.label}
              </div>
              {list}
            </div>
          ) : (
            list
          );
        })}
      </div>
      <span className="visually-hidden" role="status">
        {expanded ? (loading ? 'Recherche…' : failed ? failed : result ? (count ? `${count} résultat${count > 1 ? 's' : ''}` : 'Aucun résultat') : '') : ''}
      </span>
    </div>
  );
}
