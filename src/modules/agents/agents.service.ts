// Creating and updating agent accounts (CLI `guichet user create`, administration screens, demo seed).
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { isRole } from '../../platform/actor.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { checkPasswordStrength, hashPassword } from '../auth/passwords.ts';
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
