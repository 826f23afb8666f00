// Procedures (démarches en ligne): seeded from procedures/*.json at start, kept in the database,
// listed in the public catalogue, edited by administrators (an edited procedure stops following its file).
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { checkDefinition, type ProcedureDefinition } from './definition.ts';

export const DEFAULT_PROCEDURES_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../procedures');

export interface Procedure {
  slug: string;
  title: string;
  definition: ProcedureDefinition;
  active: boolean;
  source: 'file' | 'admin';
  version: number;
  updatedAt: Date;
}

const COLUMNS = `slug, title, definition, active, source, version, updated_at AS "updatedAt"`;

/** Loads every procedures/*.json: new ones are inserted, changed files update rows still following them. */
export async function seedProcedures(db: Database, dir = DEFAULT_PROCEDURES_DIR): Promise<{ loaded: number; problems: string[] }> {
  if (!fs.existsSync(dir)) return { loaded: 0, problems: [] };
  const problems: string[] = [];
  let loaded = 0;
  for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8');
    let def: ProcedureDefinition;
    try {
      def = JSON.parse(text);
    } catch (err) {
      problems.push(`${file} : JSON invalide (${(err as Error).message})`);
      continue;
    }
    const errors = checkDefinition(def);
    if (errors.length) {
      problems.push(`${file} : ${errors.join(' ; ')}`);
      continue;
    }
    const hash = crypto.createHash('sha256').update(text).digest('hex');
    await db.query(
      `INSERT INTO procedures (slug, title, definition, source, file_hash) VALUES ($1, $2, $3, 'file', $4)
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, definition = EXCLUDED.definition, file_hash = EXCLUDED.file_hash,
              version = procedures.version + 1, updated_at = now()
        WHERE procedures.source = 'file' AND procedures.file_hash IS DISTINCT FROM EXCLUDED.file_hash`,
      [def.slug, def.title, JSON.stringify(def), hash],
    );
    loaded++;
  }
  return { loaded, problems };
}

export async function listProcedures(sql: Sql, opts: { includeInactive?: boolean } = {}): Promise<Procedure[]> {
  const { rows } = await sql.query<Procedure>(`SELECT ${COLUMNS} FROM procedures ${opts.includeInactive ? '' : 'WHERE active'} ORDER BY title`);
  return rows;
}

export async function getProcedure(sql: Sql, slug: string, opts: { includeInactive?: boolean } = {}): Promise<Procedure> {
  const { rows } = await sql.query<Procedure>(`SELECT ${COLUMNS} FROM procedures WHERE slug = $1`, [slug]);
  const p = rows[0];
  if (!p || (!p.active && !opts.includeInactive)) throw new NotFound('Démarche introuvable.');
  return p;
}

/** Administrators replace a definition (checked, versioned, audited); the file no longer overrides it. */
export async function saveProcedure(db: Database, actor: Actor, slug: string, input: { definition: unknown; active?: boolean }): Promise<Procedure> {
  authorize(actor, 'procedure.manage');
  const errors = checkDefinition(input.definition);
  const def = input.definition as ProcedureDefinition;
  if (!errors.length && def.slug !== slug) errors.push('slug : doit être celui de l’adresse');
  if (errors.length) throw new Invalid(Object.fromEntries(errors.map((e, i) => [`definition.${i}`, e])), 'La définition de la démarche est invalide.');
  return db.tx(async (tx) => {
    const before = (await tx.query(`SELECT definition, active FROM procedures WHERE slug = $1 FOR UPDATE`, [slug])).rows[0] ?? null;
    for (const code of [def.topic, ...Object.values(def.topicFrom?.map ?? {})]) {
      if (!(await tx.query('SELECT 1 FROM topics WHERE code = $1', [code])).rowCount) throw new Invalid({ 'definition.topic': `Objet inconnu : ${code}` });
    }
    if (!(await tx.query('SELECT 1 FROM units WHERE code = $1', [def.workflow.unit])).rowCount) throw new Invalid({ 'definition.workflow.unit': `Service inconnu : ${def.workflow.unit}` });
    const { rows } = await tx.query<Procedure>(
      `INSERT INTO procedures (slug, title, definition, active, source) VALUES ($1, $2, $3, $4, 'admin')
       ON CONFLICT (slug) DO UPDATE SET title = EXCLUDED.title, definition = EXCLUDED.definition, active = EXCLUDED.active,
              source = 'admin', version = procedures.version + 1, updated_at = now()
       RETURNING ${COLUMNS}`,
      [slug, def.title, JSON.stringify(def), input.active ?? true],
    );
    tx.audit({ actor, action: 'procedure.save', objectType: 'procedure', objectId: slug, before, after: { definition: def, active: input.active ?? true } });
    return rows[0];
  });
}
