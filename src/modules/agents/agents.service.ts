// Creating and updating agent accounts (CLI `guichet user create`, administration screens, demo seed).
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { isRole } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { findAgentByEmail, findAgentById, type AgentRow } from './agents.repository.ts';

export interface NewAgent {
  email: string;
  displayName?: string;
  password?: string;
  /** Precomputed argon2id hash (demo seed: one hash shared by many accounts). */
  passwordHash?: string;
  roles: string[];
  unitCodes?: string[];
  extension?: string;
}

const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export async function resolveUnitIds(tx: Tx, codes: string[]): Promise<string[]> {
  if (!codes.length) return [];
  const { rows } = await tx.query<{ id: string; code: string }>('SELECT id, code FROM units WHERE code = ANY($1)', [codes]);
  const missing = codes.filter((c) => !rows.some((r) => r.code === c));
  if (missing.length) throw new Invalid({ unit: `Service inconnu : ${missing.join(', ')}` });
  return rows.map((r) => r.id);
}

export async function createAgent(db: Database, actor: Actor, input: NewAgent): Promise<AgentRow> {
  authorize(actor, 'agent.manage');
  const email = input.email.trim().toLowerCase();
  if (!EMAIL_RE.test(email)) throw new Invalid({ email: 'Adresse électronique invalide.' });
  const badRole = input.roles.find((r) => !isRole(r) || r === 'integration');
  if (badRole !== undefined || !input.roles.length) {
    throw new Invalid({ role: `Rôle inconnu : ${badRole ?? '(aucun)'}` });
  }
  if (input.password !== undefined) checkPasswordStrength(input.password);
  const hash = input.passwordHash ?? (input.password !== undefined ? await hashPassword(input.password) : null);
  return db.tx(async (tx) => {
    if (await findAgentByEmail(tx, email)) throw new Conflict('Un compte existe déjà avec cette adresse.', 'agent_exists');
    const unitIds = await resolveUnitIds(tx, input.unitCodes ?? []);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO agents (email, display_name, password_hash, roles, extension) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [email, input.displayName?.trim() || email, hash, input.roles as Role[], input.extension ?? null],
    );
    const id = rows[0].id;
    for (const u of unitIds) await tx.query('INSERT INTO agent_units (agent_id, unit_id) VALUES ($1, $2)', [id, u]);
    tx.audit({ actor, action: 'agent.create', objectType: 'agent', objectId: id, after: { email, roles: input.roles, units: input.unitCodes ?? [] } });
    return (await findAgentById(tx, id))!;
  });
}

export interface AgentView {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  unitCodes: string[];
  extension: string | null;
  active: boolean;
  lastSignInAt: string | null;
}

export async function listAgents(db: Database, actor: Actor, filter: { unit?: string; q?: string } = {}): Promise<AgentView[]> {
  authorize(actor, 'agent.manage');
  const params: unknown[] = [];
  const where: string[] = ['true'];
  if (filter.unit) {
    params.push(filter.unit);
    where.push(`EXISTS (SELECT 1 FROM agent_units au JOIN units u ON u.id = au.unit_id WHERE au.agent_id = a.id AND u.code = $${params.length})`);
  }
  if (filter.q?.trim()) {
    params.push(`%${filter.q.trim().toLowerCase()}%`);
    where.push(`(lower(a.email) LIKE $${params.length} OR lower(immutable_unaccent(a.display_name)) LIKE immutable_unaccent($${params.length}))`);
  }
  const { rows } = await db.query(
    `SELECT a.id, a.email, a.display_name AS "displayName", a.roles, a.extension, a.active, a.last_sign_in_at AS "lastSignInAt",
            coalesce((SELECT array_agg(u.code ORDER BY u.code) FROM agent_units au JOIN units u ON u.id = au.unit_id WHERE au.agent_id = a.id), '{}') AS "unitCodes"
       FROM agents a WHERE ${where.join(' AND ')} ORDER BY lower(immutable_unaccent(a.display_name))`,
    params,
  );
  return rows.map((r) => ({ ...r, lastSignInAt: r.lastSignInAt ? new Date(r.lastSignInAt).toISOString() : null }));
}

export interface AgentPatch {
  displayName?: string;
  roles?: string[];
  unitCodes?: string[];
  extension?: string | null;
  active?: boolean;
  password?: string;
}

/** Administrators change roles, units, extension, activation and reset passwords; all audited. */
export async function updateAgent(db: Database, actor: Actor, id: string, patch: AgentPatch): Promise<AgentRow> {
  authorize(actor, 'agent.manage');
  if (patch.roles) {
    const badRole = patch.roles.find((r) => !isRole(r) || r === 'integration');
    if (badRole !== undefined || !patch.roles.length) throw new Invalid({ roles: `Rôle inconnu : ${badRole ?? '(aucun)'}` });
  }
  if (patch.password !== undefined) checkPasswordStrength(patch.password);
  if (patch.active === false && id === actor.id) throw new Invalid({ active: 'Vous ne pouvez pas désactiver votre propre compte.' });
  const hash = patch.password !== undefined ? await hashPassword(patch.password) : null;
  return db.tx(async (tx) => {
    const before = await findAgentById(tx, id);
    if (!before) throw new NotFound('Agent introuvable.');
    await tx.query(
      `UPDATE agents SET display_name = coalesce($2, display_name), roles = coalesce($3, roles),
              extension = CASE WHEN $4 THEN $5 ELSE extension END, active = coalesce($6, active),
              password_hash = coalesce($7, password_hash)
        WHERE id = $1`,
      [id, patch.displayName?.trim() || null, patch.roles ?? null, patch.extension !== undefined, patch.extension?.trim() || null, patch.active ?? null, hash],
    ).catch((err) => {
      if (err.code === '23505') throw new Conflict('Ce poste téléphonique est déjà attribué.', 'extension_taken');
      throw err;
    });
    if (patch.unitCodes) {
      const unitIds = await resolveUnitIds(tx, patch.unitCodes);
      await tx.query('DELETE FROM agent_units WHERE agent_id = $1', [id]);
      for (const u of unitIds) await tx.query('INSERT INTO agent_units (agent_id, unit_id) VALUES ($1, $2)', [id, u]);
    }
    // Deactivated or reset accounts lose their open sessions.
    if (patch.active === false || hash) await tx.query('DELETE FROM sessions WHERE agent_id = $1', [id]);
    const after = (await findAgentById(tx, id))!;
    const view = (a: AgentRow) => ({ displayName: a.display_name, roles: a.roles, unitIds: a.unit_ids, extension: a.extension, active: a.active });
    tx.audit({ actor, action: hash ? 'agent.update_password' : 'agent.update', objectType: 'agent', objectId: id, before: view(before), after: view(after) });
    return after;
  });
}

/** An agent's own settings: the signature put under replies, and their password (current one required). */
export async function updateOwnProfile(db: Database, actor: Actor, input: { signature?: string | null; currentPassword?: string; newPassword?: string }) {
  if (actor.kind !== 'agent' || !actor.id) throw new Invalid({ agent: 'Réservé aux agents connectés.' });
  let hash: string | null = null;
  if (input.newPassword !== undefined) {
    checkPasswordStrength(input.newPassword);
    const me = await findAgentById(db, actor.id);
    if (!input.currentPassword || !(await verifyPassword(me?.password_hash ?? null, input.currentPassword))) {
      throw new Invalid({ currentPassword: 'Mot de passe actuel incorrect.' });
    }
    hash = await hashPassword(input.newPassword);
  }
  await db.tx(async (tx) => {
    await tx.query(
      `UPDATE agents SET signature = CASE WHEN $2 THEN $3 ELSE signature END, password_hash = coalesce($4, password_hash) WHERE id = $1`,
      [actor.id, input.signature !== undefined, input.signature?.trim() || null, hash],
    );
    tx.audit({ actor, action: hash ? 'agent.change_own_password' : 'agent.update_profile', objectType: 'agent', objectId: actor.id, after: { signature: input.signature !== undefined } });
  });
}
