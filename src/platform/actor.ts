// Who is acting: passed to every service call instead of loose user ids.
export type Role =
  | 'contact_center'
  | 'unit_agent'
  | 'unit_manager'
  | 'mail_clerk'
  | 'counter_agent'
  | 'supervisor'
  | 'admin'
  | 'integration';

export const ROLES: readonly Role[] = [
  'contact_center',
  'unit_agent',
  'unit_manager',
  'mail_clerk',
  'counter_agent',
  'supervisor',
  'admin',
  'integration',
];

export const ROLE_LABELS: Record<Role, string> = {
  contact_center: 'Agent du centre de contact (niveau 1)',
  unit_agent: 'Agent de service (niveau 2)',
  unit_manager: 'Responsable de service',
  mail_clerk: 'Agent du bureau du courrier',
  counter_agent: "Agent d'accueil",
  supervisor: 'Superviseur',
  admin: 'Administrateur',
  integration: 'Intégration (jeton API)',
};

export interface Actor {
  kind: 'agent' | 'token' | 'citizen' | 'system' | 'anonymous';
  id: string | null;
  label: string;
  roles: Role[];
  unitIds: string[];
  /** For API tokens: what the token may do, on top of its role. Undefined for people. */
  scopes?: string[];
  /** For citizens (portal): their own contact and the organisations they represent (confirmed links). */
  contactIds?: string[];
  requestId?: string;
  ip?: string;
}

export function systemActor(label = 'système'): Actor {
  return { kind: 'system', id: null, label, roles: [], unitIds: [] };
}

export function isRole(v: string): v is Role {
  return (ROLES as readonly string[]).includes(v);
}
