// The frame of every signed-in page: skip link, header (search, agent, sign-out), queue navigation with
// counts, the live notice for new cases, and the main landmark.
import { useEffect, useState, type ReactNode } from 'react';
import { get } from '../api.ts';
import { can, queueKinds, useMyUnits, useSession } from '../session.tsx';
import { Link, useLocation } from '../router.tsx';
import { useLiveCases } from '../live.ts';
import { flash, useFlash } from '../flash.ts';
import { SearchBox } from './SearchBox.tsx';
import type { Counts } from '../types.ts';

interface NavQueue {
  to: string;
  label: string;
  countKey: string;
  countQuery: Record<string, string>;
}

export function useNavQueues(): NavQueue[] {
  const { session } = useSession();
  const units = useMyUnits();
  if (!can(session, 'case.list')) return [];
  const kinds = queueKinds(session);
  const out: NavQueue[] = [];
  if (kinds.mine) out.push({ to: '/files/mes-demandes', label: 'Mes demandes', countKey: 'open', countQuery: { mine: 'true' } });
  if (kinds.toQualify) out.push({ to: '/files/a-qualifier', label: 'Demandes à qualifier', countKey: 'new', countQuery: {} });
  if (kinds.units) for (const u of units) out.push({ to: `/files/service/${u.code}`, label: u.name, countKey: 'open', countQuery: { unit: u.code } });
  out.push({ to: '/files/toutes', label: 'Toutes les demandes ouvertes', countKey: 'open', countQuery: {} });
  return out;
}

function NavCounts({ queues, tick }: { queues: NavQueue[]; tick: number }) {
  const { path } = useLocation();
  const [counts, setCounts] = useState<Record<string, number>>({});
  const key = queues.map((q) => q.to).join('|');
  useEffect(() => {
    let stop = false;
    Promise.all(queues.map((q) => get<Counts>('/api/v1/cases/counts', q.countQuery).then((c) => [q.to, Number(c[q.countKey] ?? 0)] as const, () => [q.to, NaN] as const))).then(
      (rows) => !stop && setCounts(Object.fromEntries(rows)),
    );
    return () => {
      stop = true;
    };
  }, [key, tick]);
  return (
    <ul>
      {queues.map((q) => {
        const n = counts[q.to];
        const current = path === q.to;
        return (
          <li key={q.to}>
            <Link to={q.to} aria-current={current ? 'page' : undefined} className={current ? 'current' : undefined}>
              <span>{q.label}</span>
              {Number.isFinite(n) && (
                <span className="nav-count">
                  {n}
                  <span className="visually-hidden"> {q.countKey === 'new' ? 'à qualifier' : 'ouvertes'}</span>
                </span>
              )}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const here = path + location.search;
  const queues = useNavQueues();
  const flashed = useFlash();
  useEffect(() => {
    if (flashed && flashed.path !== here) flash(null);
    // only on navigation: a message set for the page being opened must survive its arrival
  }, [here]);
  const [tick, setTick] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  const isAdmin = ['org.manage', 'taxonomy.manage', 'jobs.manage', 'agent.manage'].some((a) => can(session, a));

  useLiveCases((e) => {
    setTick((t) => t + 1);
    const mine = e.unitId !== null && session.agent.unitIds.includes(e.unitId);
    if (!e.left && mine && (e.kind === 'created' || e.kind === 'routed') && e.previousUnitId !== e.unitId) setNotice(e.reference);
  });

  return (
    <>
      <a className="skip-link" href="#contenu">
        Aller au contenu
      </a>
      <header className="app-header">
        <Link to="/" className="brand">
          Guichet <span className="brand-sub">back office</span>
        </Link>
        {can(session, 'case.list') && <SearchBox />}
        <div className="whoami">
          <span className="whoami-name">{session.agent.displayName}</span>
          <span className="whoami-role">{session.agent.roleLabels.join(', ')}</span>
          <button type="button" className="button-link" onClick={() => void signOut()}>
            Se déconnecter
          </button>
        </div>
      </header>
      <div className="app-body">
        <nav className="app-nav" aria-label="Navigation principale">
          {queues.length > 0 && (
            <>
              <h2 className="nav-title">Files de travail</h2>
              <NavCounts queues={queues} tick={tick} />
            </>
          )}
          <ul>
            {can(session, 'case.list') && (
              <li>
                <Link to="/recherche" aria-current={path === '/recherche' ? 'page' : undefined} className={path === '/recherche' ? 'current' : undefined}>
                  Recherche avancée
                </Link>
              </li>
            )}
            {can(session, 'mail.qualify') && (
              <li>
                <Link to="/courrier" aria-current={path.startsWith('/courrier') ? 'page' : undefined} className={path.startsWith('/courrier') ? 'current' : undefined}>
                  Bureau du courrier
                </Link>
              </li>
            )}
            {can(session, 'call.handle') && (
              <li>
                <Link to="/telephone" aria-current={path === '/telephone' ? 'page' : undefined} className={path === '/telephone' ? 'current' : undefined}>
                  Console téléphonique
                </Link>
              </li>
            )}
            {can(session, 'phone.supervise') && (
              <li>
                <Link to="/telephone/tableau" aria-current={path === '/telephone/tableau' ? 'page' : undefined} className={path === '/telephone/tableau' ? 'current' : undefined}>
                  Tableau de bord téléphonique
                </Link>
              </li>
            )}
            {isAdmin && (
              <li>
                <Link to="/admin" aria-current={path.startsWith('/admin') ? 'page' : undefined} className={path.startsWith('/admin') ? 'current' : undefined}>
                  Administration
                </Link>
              </li>
            )}
          </ul>
        </nav>
        <main id="contenu" tabIndex={-1}>
          <div className="live-notice" role="status" aria-live="polite">
            {flashed && flashed.path === here && <p className="alert alert-success">{flashed.message}</p>}
            {notice && (
              <div className="notice">
                <span>
                  Nouvelle demande dans votre file : <Link to={`/demandes/${notice}`}>{notice}</Link>
                </span>
                <button type="button" className="button-link" onClick={() => setNotice(null)}>
                  Masquer<span className="visually-hidden"> l’avis</span>
                </button>
              </div>
            )}
          </div>
          {children}
        </main>
      </div>
    </>
  );
}
