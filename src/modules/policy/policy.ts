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
  | 'cti.events'
  // mail office (scanned letters)
  | 'mail.intake'
  | 'mail.read'
  | 'mail.qualify'
  | 'mail.paper'
  // contact center (phone)
  | 'call.read'
  | 'call.handle'
  | 'phone.supervise'
  | 'phone.configure'
  | 'knowledge.write'
  // citizen portal
  | 'procedure.manage'
  | 'portal.use'
  // email channel
  | 'email.manage';

const CASE_WORKERS: Action[] = ['org.read', 'contact.read', 'contact.write', 'case.create', 'case.list'];

const ROLE_ACTIONS: Record<Role, readonly Action[]> = {
  contact_center: [...CASE_WORKERS, 'contact.merge', 'call.read', 'call.handle'],
  counter_agent: [...CASE_WORKERS, 'contact.merge'],
  mail_clerk: [...CASE_WORKERS, 'mail.intake', 'mail.read', 'mail.qualify', 'mail.paper'],
  unit_agent: [...CASE_WORKERS],
  unit_manager: [...CASE_WORKERS, 'contact.merge', 'reports.read', 'knowledge.write'],
  supervisor: ['org.read', 'contact.read', 'case.list', 'reports.read', 'contact.merge', 'call.read', 'phone.supervise'],
  admin: [
    'org.read', 'agent.manage', 'org.manage', 'taxonomy.manage', 'routing.manage', 'template.manage',
    'token.manage', 'jobs.manage', 'audit.read', 'reports.read', 'phone.configure', 'phone.supervise', 'call.read', 'knowledge.write',
    'procedure.manage', 'email.manage',
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
  'admin': ['agent.manage', 'org.manage', 'taxonomy.manage', 'routing.manage', 'template.manage', 'token.manage', 'jobs.manage', 'audit.read', 'org.read', 'email.manage'],
  'reports:read': ['reports.read', 'org.read'],
  'mail:write': ['mail.intake', 'mail.read', 'org.read'],
};
export const SCOPES = Object.keys(SCOPE_ACTIONS);

/**
 * A citizen (portal actor) may use the portal and open cases; contact.read/write only serve to match or
 * create their own contact record when a case is opened (the portal routes expose no directory).
 */
const CITIZEN_ACTIONS: readonly Action[] = ['portal.use', 'case.create', 'contact.read', 'contact.write'];

/** The integration role exists only for tokens: its powers come from its scopes alone. */
function roleAllows(actor: Actor, action: Action): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'citizen') return CITIZEN_ACTIONS.includes(action);
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
