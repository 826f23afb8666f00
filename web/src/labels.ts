// French words for the API's codes (display only: which actions are allowed always comes from the API).
import type { CaseEvent } from './types.ts';

export const STATUS_LABELS: Record<string, string> = {
  new: 'Nouvelle',
  qualified: 'Qualifiée',
  assigned: 'Attribuée',
  in_progress: 'En cours',
  waiting_on_contact: 'En attente de l’usager',
  answered: 'Répondue',
  closed: 'Clôturée',
};
export const STATUSES = Object.keys(STATUS_LABELS);

/** The button/option text for moving a case to a status. */
export const TRANSITION_LABELS: Record<string, string> = {
  qualified: 'Remettre à attribuer',
  assigned: 'Marquer attribuée',
  in_progress: 'Passer en cours',
  waiting_on_contact: 'Mettre en attente de l’usager',
  answered: 'Marquer répondue',
  closed: 'Clôturer',
};

export const CHANNEL_LABELS: Record<string, string> = {
  phone: 'Téléphone',
  email: 'Courriel',
  mail: 'Courrier',
  portal: 'Portail',
  counter: 'Accueil',
  api: 'Application tierce',
};

export const PRIORITY_LABELS: Record<string, string> = { low: 'Basse', normal: 'Normale', high: 'Haute', urgent: 'Urgente' };

export const INTERACTION_LABELS: Record<string, string> = {
  call: 'Appel',
  letter: 'Courrier',
  email: 'Courriel',
  portal_message: 'Message du portail',
  visit: 'Visite à l’accueil',
  note: 'Note interne',
};

export const DIRECTION_LABELS: Record<string, string> = { inbound: 'reçu', outbound: 'envoyé', internal: 'interne' };

export const LINK_LABELS: Record<string, string> = {
  related: 'Liée',
  duplicate: 'Doublon',
  follow_up: 'Suite',
  reference_mismatch: 'Référence erronée',
  merged: 'Fusionnée',
};

export const SORT_LABELS: Record<string, string> = {
  due: 'Échéance la plus proche',
  '-created': 'Plus récentes',
  created: 'Plus anciennes',
  updated: 'Dernière mise à jour',
  priority: 'Priorité',
};

export const status = (s: string) => STATUS_LABELS[s] ?? s;
export const channel = (c: string) => CHANNEL_LABELS[c] ?? c;

/** One line describing a timeline event. */
export function eventText(e: CaseEvent): string {
  switch (e.kind) {
    case 'created':
      return `Demande créée${typeof (e.data as any)?.channel === 'string' ? ` (${channel((e.data as any).channel).toLowerCase()})` : ''}`;
    case 'qualified':
      return `Qualifiée : ${e.reason ?? e.to ?? ''}`;
    case 'routed':
      return `Orientée vers ${e.toLabel ?? 'un service'}`;
    case 'transferred':
      return `Transférée${e.fromLabel ? ` de ${e.fromLabel}` : ''} à ${e.toLabel ?? 'un autre service'}`;
    case 'escalated':
      return `Transmise au niveau 2 : ${e.toLabel ?? 'service désigné'}`;
    case 'assigned':
      return e.to ? `Attribuée à ${e.toLabel ?? 'un agent'}` : `Attribution retirée${e.fromLabel ? ` (${e.fromLabel})` : ''}`;
    case 'status':
      return `Statut : ${status(e.from ?? '')} → ${status(e.to ?? '')}`;
    case 'reopened':
      return 'Demande rouverte';
    case 'linked':
      return `Liée à la demande ${e.to ?? ''}`;
    case 'merged':
      return e.reason ?? 'Fusion de demandes';
    case 'updated':
      return 'Demande modifiée';
    default:
      return e.kind;
  }
}

/** Whether the event's reason is worth a « Motif » line (not already in the main text). */
export function eventReason(e: CaseEvent): string | null {
  if (!e.reason || e.kind === 'qualified' || e.kind === 'merged') return null;
  return e.reason;
}
