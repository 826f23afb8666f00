// In-process notifications of case changes, published after COMMIT and relayed to agents' browsers
// by server-sent events. (Several server processes: each relays its own; see docs/ARCHITECTURE.md.)
import { EventEmitter } from 'node:events';

export interface CaseChange {
  caseId: string;
  reference: string;
  kind: 'created' | 'updated' | 'routed' | 'assigned' | 'status' | 'interaction';
  unitId: string | null;
  previousUnitId?: string | null;
  assigneeId: string | null;
  sensitive: boolean;
  /** The topic's handling units (default + topic_units): with unitId and sensitive, what canReadCase needs. */
  handlingUnitIds?: string[];
  topicId: string | null;
  at: string;
}

export const caseBus = new EventEmitter();
caseBus.setMaxListeners(0);

export function publishCaseChange(change: CaseChange) {
  caseBus.emit('change', change);
}
