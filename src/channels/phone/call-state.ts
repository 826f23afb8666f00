// The call state machine: folds CTI events, in whatever order and however often they arrive, into one
// call record. Pure: the service loads the row, applies the event, writes back only when it changed.
import type { CtiEvent, HangupCause } from './cti.parse.ts';

export const CALL_OUTCOMES = ['ringing', 'in_progress', 'answered', 'abandoned', 'out_of_hours', 'missed', 'busy', 'failed', 'forwarded'] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const OUTCOME_LABELS: Record<CallOutcome, string> = {
  ringing: 'En attente',
  in_progress: 'En cours',
  answered: 'Répondu',
  abandoned: 'Abandonné avant réponse',
  out_of_hours: 'Hors horaires',
  missed: 'Sans réponse',
  busy: 'Occupé',
  failed: 'Échec',
  forwarded: 'Renvoyé',
};

export interface CallState {
  direction: 'inbound' | 'outbound';
  fromNumber: string | null;
  toNumber: string | null;
  partyE164: string | null;
  queue: string | null;
  startedAt: Date;
  answeredAt: Date | null;
  endedAt: Date | null;
  agentId: string | null;
  answeringNumber: string | null;
  hangupCause: HangupCause | null;
  outOfHours: boolean;
  outcome: CallOutcome;
}

/** Facts the service looked up for this event (agent by extension, opening hours, normalised number). */
export interface EventFacts {
  agentId: string | null;
  /** Only meaningful for the event that creates an inbound call (or a newCall). */
  outOfHours: boolean;
  partyE164: string | null;
}

export function deriveOutcome(s: Omit<CallState, 'outcome'>): CallOutcome {
  if (!s.endedAt) return s.answeredAt ? 'in_progress' : 'ringing';
  if (s.answeredAt) return 'answered';
  if (s.outOfHours) return 'out_of_hours';
  switch (s.hangupCause) {
    case 'busy':
      return 'busy';
    case 'noAnswer':
      return 'missed';
    case 'congestion':
    case 'notFound':
      return 'failed';
    case 'forwarded':
      return 'forwarded';
    default:
      // the caller hung up (normalClearing / cancel) before anybody answered
      return s.direction === 'inbound' ? 'abandoned' : 'missed';
  }
}

function earliest(a: Date, b: Date) {
  return a.getTime() <= b.getTime() ? a : b;
}

function directionOf(e: CtiEvent): 'inbound' | 'outbound' {
  return e.direction === 'out' ? 'outbound' : 'inbound';
}

/** The next state of a call after `e` received at `at`, and whether anything changed. */
export function applyCtiEvent(prev: CallState | null, e: CtiEvent, at: Date, facts: EventFacts): { next: CallState; changed: boolean } {
  const base: Omit<CallState, 'outcome'> = prev
    ? { ...prev }
    : {
        direction: directionOf(e), fromNumber: e.from, toNumber: e.to, partyE164: facts.partyE164, queue: e.queue,
        startedAt: at, answeredAt: null, endedAt: null, agentId: null, answeringNumber: null, hangupCause: null,
        outOfHours: !prev && e.event === 'newCall' && directionOf(e) === 'inbound' ? facts.outOfHours : false,
      };
  // any event may bring facts an earlier one lacked (the call was first seen through answer/hangup)
  if (prev) {
    if (e.event === 'newCall') {
      if (e.direction) base.direction = directionOf(e);
      base.startedAt = earliest(base.startedAt, at);
      if (base.direction === 'inbound' && !prev.answeredAt) base.outOfHours = prev.outOfHours || facts.outOfHours;
    }
    base.fromNumber ??= e.from;
    base.toNumber ??= e.to;
    base.queue ??= e.queue;
    base.partyE164 ??= facts.partyE164;
  }
  if (e.event === 'answer') {
    if (!base.answeredAt) base.answeredAt = base.endedAt ? earliest(at, base.endedAt) : at;
    if (!base.agentId && facts.agentId) base.agentId = facts.agentId;
    base.answeringNumber ??= e.answeringNumber;
    base.outOfHours = false; // somebody took it: it was served
  } else if (e.event === 'hangup') {
    if (!base.endedAt) {
      base.endedAt = at;
      base.hangupCause = e.cause;
    }
    if (!base.agentId && facts.agentId && base.answeredAt) base.agentId = facts.agentId;
    base.answeringNumber ??= e.answeringNumber;
  }
  // Times are those at which each request reached Guichet: events sent nearly at once (a very short call)
  // may be received in one order and applied in another. Keep them in the order a call lives them.
  if (base.endedAt && base.answeredAt && base.endedAt < base.answeredAt) base.endedAt = base.answeredAt;
  if (base.answeredAt && base.answeredAt < base.startedAt) base.startedAt = base.answeredAt;
  if (base.endedAt && base.endedAt < base.startedAt) base.startedAt = base.endedAt;
  const next: CallState = { ...base, outcome: deriveOutcome(base) };
  return { next, changed: !prev || !sameState(prev, next) };
}

function sameState(a: CallState, b: CallState): boolean {
  const keys = Object.keys(b) as (keyof CallState)[];
  return keys.every((k) => {
    const x = a[k];
    const y = b[k];
    if (x instanceof Date && y instanceof Date) return x.getTime() === y.getTime();
    return x === y;
  });
}
