// The case lifecycle: new → qualified → assigned → in_progress → waiting_on_contact → answered → closed,
// with reopening. Every status change goes through `checkTransition`.
import { Conflict } from '../../platform/errors.ts';

export const STATUSES = ['new', 'qualified', 'assigned', 'in_progress', 'waiting_on_contact', 'answered', 'closed'] as const;
export type CaseStatus = (typeof STATUSES)[number];

export const STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'Nouvelle',
  qualified: 'Qualifiée',
  assigned: 'Attribuée',
  in_progress: 'En cours',
  waiting_on_contact: "En attente de l'usager",
  answered: 'Répondue',
  closed: 'Clôturée',
};

const ALLOWED: Record<CaseStatus, readonly CaseStatus[]> = {
  new: ['qualified', 'closed'],
  qualified: ['assigned', 'in_progress', 'waiting_on_contact', 'answered', 'closed'],
  assigned: ['qualified', 'in_progress', 'waiting_on_contact', 'answered', 'closed'],
  in_progress: ['waiting_on_contact', 'answered', 'closed'],
  waiting_on_contact: ['in_progress', 'answered', 'closed'],
  answered: ['in_progress', 'closed'],
  closed: ['in_progress'], // reopening
};

export function allowedTransitions(from: CaseStatus): readonly CaseStatus[] {
  return ALLOWED[from];
}

export function checkTransition(from: CaseStatus, to: CaseStatus): void {
  if (!ALLOWED[from].includes(to)) {
    throw new Conflict(
      `Impossible de passer une demande « ${STATUS_LABELS[from]} » à « ${STATUS_LABELS[to]} ».`,
      'invalid_transition',
    );
  }
}

export function isOpen(status: CaseStatus): boolean {
  return status !== 'closed';
}
