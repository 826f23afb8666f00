// Directions and units (services) of the authority: a small hierarchy every case is routed within.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';

export interface Unit {
  id: string;
  code: string;
  name: string;
  kind: 'direction' | 'unit';
  parentId: string | null;
  parentCode: string | null;
  email: string | null;
  phone: string | null;
  active: boolean;
}

const SELECT = `SELECT u.id, u.code, u.name, u.kind, u.parent_id AS "parentId", p.code AS "parentCode",
                       u.email, u.phone, u.active
                  FROM units u LEFT JOIN units p ON p.id = u.parent_id`;

export async function listUnits(sql: Sql, actor: Actor): Promise<Unit[]> {
  authorize(actor, 'org.read');
  const { rows } = await sql.query<Unit>(`${SELECT} ORDER BY coalesce(p.name, u.name), u.kind, u.name`);
  return rows;
}

export async function getUnitByCode(sql: Sql, code: string): Promise<Unit | null> {
  const { rows } = await sql.query<Unit>(`${SELECT} WHERE u.code = $1`, [code]);
  return rows[0] ?? null;
}

export interface UnitInput {
  code: string;
  name: string;
  kind?: 'direction' | 'unit';
  parentCode?: string | null;
  email?: string | null;
  phone?: string | null;
}

const CODE_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;

export async function createUnit(db: Database, actor: Actor, input: UnitInput): Promise<Unit> {
  authorize(actor, 'org.manage');
  const fields: Record<string, string> = {};
  if (!CODE_RE.test(input.code)) fields.code = 'Code : lettres minuscules, chiffres et tirets (2 à 63 caractères).';
  if (!input.name?.trim()) fields.name = 'Nom obligatoire.';
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    let parentId: string | null = null;
    if (input.parentCode) {
      const parent = await getUnitByCode(tx, input.parentCode);
      if (!parent) throw new Invalid({ parentCode: `Direction inconnue : ${input.parentCode}` });
      parentId = parent.id;
    }
    // ON CONFLICT rather than a prior SELECT: one statement on the common path.
    const { rows } = await tx.query<Unit>(
      `INSERT INTO units (code, name, kind, parent_id, email, phone) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (code) DO NOTHING
       RETURNING id, code, name, kind, parent_id AS "parentId", email, phone, active`,
      [input.code, input.name.trim(), input.kind ?? 'unit', parentId, input.email || null, input.phone || null],
    );
    if (!rows[0]) throw new Conflict(`Le code « ${input.code} » est déjà utilisé.`, 'unit_exists');
    tx.audit({ actor, action: 'unit.create', objectType: 'unit', objectId: rows[0].id, after: input });
    return { ...rows[0], parentCode: input.parentCode || null };
  });
}

export async function requireUnit(sql: Sql, code: string): Promise<Unit> {
  const u = await getUnitByCode(sql, code);
  if (!u) throw new NotFound(`Service introuvable : ${code}`);
  return u;
}

export interface UnitMember {
  id: string;
  displayName: string;
  roles: string[];
}

/** Active agents of a unit (e.g. to pick whom a manager assigns a case to). */
export async function listUnitAgents(sql: Sql, actor: Actor, code: string): Promise<UnitMember[]> {
  authorize(actor, 'org.read');
  const unit = await requireUnit(sql, code);
  const { rows } = await sql.query<UnitMember>(
    `SELECT a.id, a.display_name AS "displayName", a.roles FROM agent_units au JOIN agents a ON a.id = au.agent_id
      WHERE au.unit_id = $1 AND a.active ORDER BY lower(a.display_name)`,
    [unit.id],
  );
  return rows;
}
