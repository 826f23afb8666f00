// The one policy module: who may do what. Routes, services, jobs and the CLI all ask here;
// list and search queries apply the same rules in SQL (see case-visibility.ts).
import type { Actor, Role } from '../../platform/actor.ts';
import { Forbidden, Unauthorized } from '../../platform/errors.ts';

export type Action =
  // platform administration
  | 'agent.manage'
  | 'org.manage'
  | 'taxonomy.manage'
  | 'routing.manage'
  | 'template.manage'
  | 'token.manage'
  | 'jobs.manage'
  | 'audit.read'
  // directory
  | 'org.read'
  | 'contact.read'
  | 'contact.write'
  | 'contact.merge'
  // cases (resource-level checks in case-policy.ts)
  | 'case.create'
  | 'case.list'
  | 'reports.read'
  // channels
  | 'cti.events';

const CASE_WORKERS: Action[] = ['org.read', 'contact.read', 'contact.write', 'case.create', 'case.list'];

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  contact_center: [...CASE_WORKERS, 'contact.merge'],
  counter_agent: [...CASE_WORKERS, 'contact.merge'],
  mail_clerk: [...CASE_WORKERS],
  unit_agent: [...CASE_WORKERS],
  unit_manager: [...CASE_WORKERS, 'contact.merge', 'reports.read'],
  supervisor: ['org.read', 'contact.read', 'case.list', 'reports.read', 'contact.merge'],
  admin: [
    'org.read', 'agent.manage', 'org.manage', 'taxonomy.manage', 'routing.manage', 'template.manage',
    'token.manage', 'jobs.manage', 'audit.read', 'reports.read',
  ],
  integration: ['org.read'],
};

/**
 * Scopes an API token may hold, and the actions each one opens. A token needs both: its role allows
 * the action and one of its scopes covers it.
 */
export const SCOPE_ACTIONS: Record<string, readonly Action[]> = {
  'cases:read': ['org.read', 'contact.read', 'case.list'],
  'cases:write': ['org.read', 'contact.read', 'contact.write', 'case.create', 'case.list'],
  'cti:events': ['cti.events', 'org.read'],
  'admin': ['agent.manage', 'org.manage', 'taxonomy.manage', 'routing.manage', 'template.manage', 'token.manage', 'jobs.manage', 'audit.read', 'org.read'],
  'reports:read': ['reports.read', 'org.read'],
};
export const SCOPES = Object.keys(SCOPE_ACTIONS);

/** The integration role exists only for tokens: its powers come from its scopes alone. */
function roleAllows(actor: Actor, action: Action): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'token' && actor.roles.includes('integration')) return true;
  return actor.roles.some((r) => ROLE_ACTIONS[r]?.includes(action));
}

export function scopeAllows(actor: Actor, action: Action | 'case.read' | 'case.act'): boolean {
  if (actor.kind !== 'token') return true;
  const scopes = actor.scopes ?? [];
  if (action === 'case.read') return scopes.some((s) => s === 'cases:read' || s === 'cases:write');
  if (action === 'case.act') return scopes.includes('cases:write');
  return scopes.some((s) => SCOPE_ACTIONS[s]?.includes(action));
}

export function can(actor: Actor, action: Action): boolean {
  if (actor.kind === 'anonymous') return false;
  return roleAllows(actor, action) && scopeAllows(actor, action);
}

/** Throws 401 for nobody, 403 for someone who may not. */
export function authorize(actor: Actor, action: Action): void {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  if (!can(actor, action)) throw new Forbidden();
}

export function requireSignedIn(actor: Actor): void {
  if (actor.kind === 'anonymous') throw new Unauthorized();
}
