// A small router on the History API: paths under /agents/, links that navigate without reloading,
// and the query string as state (filters live in the URL so that views can be shared and reloaded).
import { useEffect, useSyncExternalStore, type ComponentPropsWithRef, type MouseEvent } from 'react';

export const BASE = '/agents';
const listeners = new Set<() => void>();

function notify() {
  for (const l of listeners) l();
}

window.addEventListener('popstate', notify);

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const snapshot = () => location.pathname + location.search;

/** The current location (path under /agents and query), re-rendering on navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const loc = useSyncExternalStore(subscribe, snapshot);
  const [p, q = ''] = loc.split('?');
  const path = p.startsWith(BASE) ? p.slice(BASE.length) || '/' : p;
  return { path, query: new URLSearchParams(q) };
}

export function href(to: string): string {
  return to.startsWith('/') ? BASE + to : to;
}

export function navigate(to: string, opts: { replace?: boolean } = {}) {
  const url = href(to);
  if (url === snapshot()) return;
  if (opts.replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  notify();
}

export function Link({ to, onClick, ...rest }: ComponentPropsWithRef<'a'> & { to: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={href(to)} onClick={handle} {...rest} />;
}

/** Matches "/demandes/:ref"-style patterns; returns the decoded parameters or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean);
  const b = path.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

/** Sets the page title and moves focus to the page's main heading after a navigation. */
export function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} — Guichet`;
  }, [title]);
}
