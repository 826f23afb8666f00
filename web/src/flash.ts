// One-off messages shown after an action that changes page (« Demande transférée à … »), announced politely.
import { useSyncExternalStore } from 'react';

export interface Flash {
  message: string;
  /** The page (path + query under /agents) it is shown on; the next navigation clears it. */
  path: string;
}

let message: Flash | null = null;
const listeners = new Set<() => void>();

export function flash(msg: string | null, path = lastQueue) {
  message = msg ? { message: msg, path } : null;
  for (const l of listeners) l();
}

export function useFlash(): Flash | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => message,
  );
}

/** The last queue the agent looked at, to return to after a case leaves their hands. */
let lastQueue = '/';
export function rememberQueue(path: string) {
  lastQueue = path;
}
export function lastQueuePath() {
  return lastQueue;
}
