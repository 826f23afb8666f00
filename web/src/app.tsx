// The back office: checks the session on load, shows the sign-in page when signed out (keeping the
// requested address, so a deep link opens after signing in), and routes the signed-in screens.
import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, ApiError, setCsrfToken, setUnauthorizedHandler } from './api.ts';
import { can, queueKinds, RefDataProvider, SessionContext } from './session.tsx';
import { match, navigate, useLocation } from './router.tsx';
import { startLive, stopLive } from './live.ts';
import { Layout } from './components/Layout.tsx';
import { Loading } from './components/ui.tsx';
import { SignInPage } from './pages/SignIn.tsx';
import { QueuePage } from './pages/Queue.tsx';
import { CasePage } from './pages/Case.tsx';
import { SearchPage } from './pages/Search.tsx';
import { ContactPage } from './pages/Contact.tsx';
import { NotFoundPage } from './pages/NotFound.tsx';
import { PhonePages } from './pages/console/PhonePages.tsx';
import { MailPages } from './pages/mail/MailPages.tsx';
import type { Session } from './types.ts';

// The administration screens are a separate chunk: most agents never load them.
const AdminPage = lazy(() => import('./admin/Admin.tsx'));

type State = { kind: 'loading' } | { kind: 'signedOut'; notice?: string } | { kind: 'signedIn'; session: Session };

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signedIn = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    setState({ kind: 'signedIn', session });
    startLive();
  }, []);

  useEffect(() => {
    setUnauthorizedHandler(() => {
      setCsrfToken(null);
      stopLive();
      setState({ kind: 'signedOut', notice: 'Votre session a expiré. Reconnectez-vous pour continuer.' });
    });
    api<Session>('GET', '/api/v1/auth/session', undefined, { quiet401: true }).then(signedIn, (err) => {
      setState({ kind: 'signedOut', notice: err instanceof ApiError && err.status !== 401 ? err.message : undefined });
    });
  }, [signedIn]);

  const signOut = useCallback(async () => {
    await api('POST', '/api/v1/auth/sign-out').catch(() => undefined);
    setCsrfToken(null);
    stopLive();
    setState({ kind: 'signedOut', notice: 'Vous êtes déconnecté.' });
    navigate('/', { replace: true });
  }, []);

  const ctx = useMemo(() => (state.kind === 'signedIn' ? { session: state.session, signOut } : null), [state, signOut]);

  if (state.kind === 'loading') {
    return (
      <main id="contenu" className="centered">
        <Loading label="Ouverture du back office…" />
      </main>
    );
  }
  if (state.kind === 'signedOut' || !ctx) return <SignInPage notice={state.kind === 'signedOut' ? state.notice : undefined} onSignedIn={signedIn} />;
  return (
    <SessionContext.Provider value={ctx}>
      <RefDataProvider>
        <Layout>
          <Routes session={ctx.session} />
        </Layout>
      </RefDataProvider>
    </SessionContext.Provider>
  );
}

function defaultPath(session: Session): string {
  if (!can(session, 'case.list')) return '/admin';
  const k = queueKinds(session);
  if (k.toQualify) return '/files/a-qualifier';
  if (k.mine) return '/files/mes-demandes';
  return '/files/toutes';
}

function Routes({ session }: { session: Session }) {
  const { path } = useLocation();
  const previous = useRef<string | null>(null);

  // After each navigation (not the first load), move focus to the page's heading for screen readers.
  useEffect(() => {
    const before = previous.current;
    previous.current = path;
    if (before === null || before === path) return;
    const h1 = document.querySelector<HTMLElement>('main h1');
    if (h1) {
      h1.tabIndex = -1;
      h1.focus({ preventScroll: false });
    }
  }, [path]);

  useEffect(() => {
    if (path === '/') navigate(defaultPath(session), { replace: true });
  }, [path, session]);

  let m: Record<string, string> | null;
  if (path === '/') return null;
  if (path === '/files/mes-demandes') return <QueuePage key={path} queue={{ kind: 'mine' }} />;
  if (path === '/files/a-qualifier') return <QueuePage key={path} queue={{ kind: 'toQualify' }} />;
  if (path === '/files/toutes') return <QueuePage key={path} queue={{ kind: 'all' }} />;
  if ((m = match('/files/service/:code', path))) return <QueuePage key={path} queue={{ kind: 'unit', unitCode: m.code }} />;
  if ((m = match('/demandes/:ref', path))) return <CasePage key={m.ref} reference={m.ref} />;
  if (path === '/recherche') return <SearchPage />;
  if ((m = match('/usagers/:id', path))) return <ContactPage key={m.id} id={m.id} />;
  if (path === '/telephone' || path.startsWith('/telephone/')) return <PhonePages path={path} />;
  if (path === '/courrier' || path.startsWith('/courrier/')) return <MailPages path={path} />;
  if (path === '/admin' || path.startsWith('/admin/')) {
    return (
      <Suspense fallback={<Loading />}>
        <AdminPage />
      </Suspense>
    );
  }
  return <NotFoundPage />;
}

