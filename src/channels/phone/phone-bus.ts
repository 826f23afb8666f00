// In-process call notifications for the agents' consoles (SSE), published after COMMIT on rt.bus.
import type { EventEmitter } from 'node:events';

export interface PhoneNotice {
  type: 'call.ringing' | 'call.answered' | 'call.ended';
  /** The agents concerned: those ringing, then the one who answered. */
  agentIds: string[];
  callId: string;
  number: string | null;
  at: string;
}

export const PHONE_EVENT = 'phone';

export function publishPhoneNotice(bus: EventEmitter, n: PhoneNotice) {
  bus.emit(PHONE_EVENT, n);
}
