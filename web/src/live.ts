// One EventSource on GET /api/v1/events per signed-in tab; components subscribe to case changes.
// The browser reconnects by itself (retry: 5 s); a lost stream only delays refreshes.
import { useEffect, useRef } from 'react';
import type { LiveCaseEvent } from './types.ts';

type Listener = (e: LiveCaseEvent) => void;
const listeners = new Set<Listener>();
let source: EventSource | null = null;

export function startLive() {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource('/api/v1/events');
  // The stream's state, visible on <html data-live> (tests wait for it; handy when debugging).
  source.addEventListener('ready', () => (document.documentElement.dataset.live = 'on'));
  source.addEventListener('error', () => (document.documentElement.dataset.live = 'off'));
  source.addEventListener('case', (msg) => {
    let e: LiveCaseEvent;
    try {
      e = JSON.parse((msg as MessageEvent).data);
    } catch {
      return;
    }
    for (const l of listeners) l(e);
  });
}

export function stopLive() {
  source?.close();
  source = null;
  delete document.documentElement.dataset.live;
}

/** Calls `fn` for every case change relayed to this agent (latest `fn` without resubscribing). */
export function useLiveCases(fn: Listener) {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    const l: Listener = (e) => ref.current(e);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}
