// Case-level rules of the policy module: who may read, annotate and act on a case. The same rules are
// given as an SQL predicate (caseVisibilitySql) so that lists, counts and searches never reveal a case
// the actor may not read.
import type { Actor, Role } from '../../platform/actor.ts';
import { Forbidden, NotFound, Unauthorized } from '../../platform/errors.ts';
import { scopeAllows } from './policy.ts';

/** What the rules need to know about a case. */
export interface CaseAccess {
  unitId: string | null;
  sensitive: boolean;
  /** The topic's default unit and its other handling units (topic_units). */
  handlingUnitIds: string[];
  assigneeId: string | null;
  /** Who the case is about (citizens read the cases of their own contact and organisations). */
  contactId?: string | null;
}

const UNIT_ROLES: Role[] = ['unit_agent', 'unit_manager'];
const FRONT_ROLES: Role[] = ['contact_center', 'counter_agent', 'mail_clerk'];
const READ_ALL_NON_SENSITIVE: Role[] = [...FRONT_ROLES, 'supervisor'];

function has(actor: Actor, roles: Role[]) {
  return actor.kind === 'system' || actor.roles.some((r) => roles.includes(r));
}

function inUnits(actor: Actor, unitId: string | null) {
  return unitId !== null && actor.unitIds.includes(unitId);
}

function isHandlingUnitMember(actor: Actor, c: CaseAccess) {
  return inUnits(actor, c.unitId) || c.handlingUnitIds.some((u) => actor.unitIds.includes(u));
}

function tokenIntegration(actor: Actor) {
  return actor.kind === 'token' && actor.roles.includes('integration');
}

/**
 * Citizens (portal) read their own cases, sensitive ones included (an APA request is theirs to follow),
 * and their organisations' non-sensitive cases: a sensitive case is never shown to the other members
 * of an organisation. `contactIds[0]` is the citizen's own contact (see Actor).
 */
function citizenOwns(actor: Actor, c: CaseAccess): boolean {
  if (!c.contactId) return false;
  const ids = actor.contactIds ?? [];
  return c.sensitive ? ids[0] === c.contactId : ids.includes(c.contactId);
}

export function canReadCase(actor: Actor, c: CaseAccess): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'citizen') return citizenOwns(actor, c);
  if (actor.kind === 'anonymous' || !scopeAllows(actor, 'case.read')) return false;
  // Integrations see non-sensitive cases (to attach calls, letters, emails to them).
  if (tokenIntegration(actor)) return !c.sensitive;
  if (has(actor, UNIT_ROLES) && isHandlingUnitMember(actor, c)) return true;
  if (has(actor, READ_ALL_NON_SENSITIVE) && !c.sensitive) return true;
  if (has(actor, FRONT_ROLES) && inUnits(actor, c.unitId)) return true;
  return false;
}

/** Adding an inbound contact or a note (e.g. a caller asking about an existing case). */
export function canAnnotateCase(actor: Actor, c: CaseAccess): boolean {
  if (!canReadCase(actor, c) || !scopeAllows(actor, 'case.act')) return false;
  if (actor.kind === 'system' || actor.kind === 'citizen' || tokenIntegration(actor)) return true;
  return has(actor, [...UNIT_ROLES, ...FRONT_ROLES]);
}

/** Changing status, qualification, routing, assignment, replying. */
export function canActOnCase(actor: Actor, c: CaseAccess): boolean {
  if (actor.kind === 'citizen') return false;
  if (!canReadCase(actor, c) || !scopeAllows(actor, 'case.act')) return false;
  if (actor.kind === 'system' || tokenIntegration(actor)) return true;
  if (has(actor, UNIT_ROLES) && inUnits(actor, c.unitId)) return true;
  // Level 1 (phone, counter, mail room) handles cases not yet routed to a back-office unit.
  if (has(actor, FRONT_ROLES) && (c.unitId === null || inUnits(actor, c.unitId))) return true;
  return false;
}

/** Assigning to someone else is a manager's decision; agents may take a case for themselves. */
export function canAssign(actor: Actor, c: CaseAccess, assigneeId: string | null): boolean {
  if (!canActOnCase(actor, c)) return false;
  if (actor.kind === 'system' || has(actor, ['unit_manager'])) return true;
  return assigneeId === actor.id || (assigneeId === null && c.assigneeId === actor.id);
}

/**
 * Reading a case the actor may not see answers 404, not 403, so that guessing references or ids
 * does not reveal which exist.
 */
export function assertCanRead(actor: Actor, c: CaseAccess | null): asserts c is CaseAccess {
  if (actor.kind === 'anonymous') throw new Unauthorized();
  if (!c || !canReadCase(actor, c)) throw new NotFound('Demande introuvable.');
}

export function assertCanAct(actor: Actor, c: CaseAccess) {
  if (!canActOnCase(actor, c)) throw new Forbidden("Vous ne pouvez pas modifier cette demande : elle ne relève pas de votre service.");
}

export function assertCanAnnotate(actor: Actor, c: CaseAccess) {
  if (!canAnnotateCase(actor, c)) throw new Forbidden("Vous ne pouvez pas ajouter d'échange à cette demande.");
}

/**
 * Whether any sensitive case can pass `caseVisibilitySql` for this actor: the search leaves out the
 * indexes of sensitive rows when none can (a supervisor's search would otherwise read every sensitive
 * match only to show none). Errs towards true: a wrong "false" would hide cases.
 */
export function mayReadSensitive(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous' || !scopeAllows(actor, 'case.read') || tokenIntegration(actor)) return false;
  if (actor.kind === 'citizen') return (actor.contactIds ?? []).length > 0;
  return has(actor, [...UNIT_ROLES, ...FRONT_ROLES]) && actor.unitIds.length > 0;
}

/**
 * The visibility rule as an SQL predicate over a `cases` row aliased `alias`. Parameters are appended to
 * `params` (numbered after those already there). Returns 'false' for actors who may read nothing.
 */
export function caseVisibilitySql(actor: Actor, params: unknown[], alias = 'c'): string {
  if (actor.kind === 'system') return 'true';
  if (actor.kind === 'anonymous' || !scopeAllows(actor, 'case.read')) return 'false';
  if (tokenIntegration(actor)) return `NOT ${alias}.sensitive`;
  if (actor.kind === 'citizen') {
    const ids = actor.contactIds ?? [];
    params.push(ids[0] ?? null, ids);
    return `(${alias}.contact_id = $${params.length - 1}::uuid OR (NOT ${alias}.sensitive AND ${alias}.contact_id = ANY($${params.length}::uuid[])))`;
  }
  const parts: string[] = [];
  const units = () => {
    params.push(actor.unitIds);
    return `$${params.length}::uuid[]`;
  };
  if (has(actor, UNIT_ROLES) && actor.unitIds.length) {
    const u = units();
    parts.push(`${alias}.unit_id = ANY(${u})`);
    parts.push(
      `EXISTS (SELECT 1 FROM topics vt WHERE vt.id = ${alias}.topic_id AND (vt.default_unit_id = ANY(${u})` +
        ` OR EXISTS (SELECT 1 FROM topic_units vtu WHERE vtu.topic_id = vt.id AND vtu.unit_id = ANY(${u}))))`,
    );
  }
  if (has(actor, READ_ALL_NON_SENSITIVE)) parts.push(`NOT ${alias}.sensitive`);
  if (has(actor, FRONT_ROLES) && actor.unitIds.length) parts.push(`${alias}.unit_id = ANY(${units()})`);
  return parts.length ? `(${parts.join(' OR ')})` : 'false';
}
