// The taxonomy of requests: domains → topics (objets). A topic says where its cases go by default, how
// long the authority has to answer (business days), whether its cases are sensitive (seen only by the
// units handling it), how long they are kept, and how replies on closed cases are treated.
import type { Database, Sql, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';

export interface Topic {
  id: string;
  code: string;
  name: string;
  domainId: string;
  domainCode: string;
  domainName: string;
  defaultUnitId: string;
  defaultUnitCode: string;
  deadlineDays: number;
  sensitive: boolean;
  retentionYears: number;
  retentionAction: 'destroy' | 'archive';
  acknowledge: boolean;
  onReplyClosed: 'reopen' | 'new_case';
  /** The default unit first, then the other handling units (topic_units). */
  handlingUnitIds: string[];
  active: boolean;
  description: string | null;
}

/** A topic as the API shows it: the same facts plus unit codes and names for people. */
export interface TopicView extends Topic {
  defaultUnitName: string;
  /** Handling units besides the default one (topic_units), by code. */
  extraUnitCodes: string[];
}

export interface Domain {
  id: string;
  code: string;
  name: string;
  position: number;
  topicCount: number;
}

export interface DomainInput {
  code: string;
  name: string;
  position?: number;
}

export interface TopicInput {
  code: string;
  name: string;
  description?: string | null;
  domainCode: string;
  defaultUnitCode: string;
  deadlineDays?: number;
  sensitive?: boolean;
  retentionYears?: number;
  retentionAction?: 'destroy' | 'archive';
  acknowledge?: boolean;
  onReplyClosed?: 'reopen' | 'new_case';
  /** Units handling the topic besides the default one (they see its cases, even sensitive ones). */
  extraUnitCodes?: string[];
  active?: boolean;
}

/** Everything but the code (a stable identifier, used by routing rules, templates and integrations). */
export type TopicPatch = Partial<Omit<TopicInput, 'code'>>;

export const CODE_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;
const CODE_MESSAGE = 'Code : lettres minuscules, chiffres et tirets (2 à 63 caractères).';

const SELECT = `
  SELECT t.id, t.code, t.name, t.description,
         t.domain_id AS "domainId", d.code AS "domainCode", d.name AS "domainName",
         t.default_unit_id AS "defaultUnitId", u.code AS "defaultUnitCode", u.name AS "defaultUnitName",
         t.deadline_days AS "deadlineDays", t.sensitive,
         t.retention_years AS "retentionYears", t.retention_action AS "retentionAction",
         t.acknowledge, t.on_reply_closed AS "onReplyClosed", t.active,
         ARRAY[t.default_unit_id::text] || coalesce(x.ids, '{}') AS "handlingUnitIds",
         coalesce(x.codes, '{}') AS "extraUnitCodes"
    FROM topics t
    JOIN domains d ON d.id = t.domain_id
    JOIN units u ON u.id = t.default_unit_id
    LEFT JOIN LATERAL (
      SELECT array_agg(tu.unit_id::text ORDER BY eu.code COLLATE "C") AS ids, array_agg(eu.code ORDER BY eu.code COLLATE "C") AS codes
        FROM topic_units tu JOIN units eu ON eu.id = tu.unit_id
       WHERE tu.topic_id = t.id AND tu.unit_id <> t.default_unit_id
    ) x ON true`;

export async function getTopicByCode(sql: Sql, code: string): Promise<TopicView | null> {
  const { rows } = await sql.query<TopicView>(`${SELECT} WHERE t.code = $1`, [code]);
  return rows[0] ?? null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getTopicById(sql: Sql, id: string): Promise<TopicView | null> {
  if (!UUID_RE.test(id)) return null;
  const { rows } = await sql.query<TopicView>(`${SELECT} WHERE t.id = $1`, [id]);
  return rows[0] ?? null;
}

/** Every topic, active or not, as the reference-data cache holds them. */
export async function loadAllTopics(sql: Sql): Promise<TopicView[]> {
  return (await sql.query<TopicView>(SELECT)).rows;
}

export async function requireTopic(sql: Sql, code: string): Promise<TopicView> {
  const topic = await getTopicByCode(sql, code);
  if (!topic) throw new NotFound(`Objet introuvable : ${code}`, 'topic_not_found');
  return topic;
}

export interface TopicFilter {
  domainCode?: string;
  /** Only active topics (what a qualifying agent may choose). */
  activeOnly?: boolean;
}

/** Every topic, by domain then name: any signed-in case worker needs them to qualify requests. */
export async function listTopics(sql: Sql, actor: Actor, filter: TopicFilter = {}): Promise<TopicView[]> {
  authorize(actor, 'org.read');
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.domainCode) {
    params.push(filter.domainCode);
    where.push(`d.code = $${params.length}`);
  }
  if (filter.activeOnly) where.push('t.active');
  const { rows } = await sql.query<TopicView>(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY d.position, lower(immutable_unaccent(d.name)), lower(immutable_unaccent(t.name)), t.code`,
    params,
  );
  return rows;
}

// ------------------------------------------------------------------------------------------------
// Domains
// ------------------------------------------------------------------------------------------------

export async function listDomains(sql: Sql, actor: Actor): Promise<Domain[]> {
  authorize(actor, 'org.read');
  const { rows } = await sql.query<Domain>(
    `SELECT d.id, d.code, d.name, d.position, (SELECT count(*)::int FROM topics t WHERE t.domain_id = d.id) AS "topicCount"
       FROM domains d ORDER BY d.position, lower(immutable_unaccent(d.name)), d.code`,
  );
  return rows;
}

export async function createDomain(db: Database, actor: Actor, input: DomainInput): Promise<Domain> {
  authorize(actor, 'taxonomy.manage');
  const fields: FieldErrors = {};
  if (!CODE_RE.test(input.code ?? '')) fields.code = CODE_MESSAGE;
  const name = input.name?.trim();
  if (!name) fields.name = 'Nom obligatoire.';
  if (input.position !== undefined && (!Number.isInteger(input.position) || input.position < 0 || input.position > 10_000)) {
    fields.position = 'Position : un entier entre 0 et 10 000.';
  }
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    // Without a position, a new domain comes after the others.
    const { rows } = await tx.query<Domain>(
      `INSERT INTO domains (code, name, position)
       VALUES ($1, $2, coalesce($3::int, (SELECT coalesce(max(position), 0) + 1 FROM domains)))
       ON CONFLICT (code) DO NOTHING
       RETURNING id, code, name, position, 0 AS "topicCount"`,
      [input.code, name, input.position ?? null],
    );
    if (!rows[0]) throw new Conflict(`Le code « ${input.code} » est déjà utilisé par un autre domaine.`, 'domain_exists');
    tx.audit({ actor, action: 'domain.create', objectType: 'domain', objectId: rows[0].id, after: rows[0] });
    return rows[0];
  });
}

// ------------------------------------------------------------------------------------------------
// Topics
// ------------------------------------------------------------------------------------------------

interface ResolvedRefs {
  domainId?: string;
  defaultUnitId?: string;
  extraUnitIds?: string[];
}

/** Checks the plain fields of a topic; fills `fields` with French messages. */
function checkTopicFields(input: TopicPatch & { code?: string }, fields: FieldErrors, creating: boolean) {
  if (creating && !CODE_RE.test(input.code ?? '')) fields.code = CODE_MESSAGE;
  if (input.name !== undefined || creating) {
    if (!input.name?.trim()) fields.name = 'Nom obligatoire.';
    else if (input.name.trim().length > 200) fields.name = 'Au plus 200 caractères.';
  }
  if (input.description != null && input.description.length > 4000) fields.description = 'Au plus 4 000 caractères.';
  if (creating && !input.domainCode) fields.domainCode = 'Domaine obligatoire.';
  if (creating && !input.defaultUnitCode) fields.defaultUnitCode = 'Service par défaut obligatoire.';
  if (input.deadlineDays !== undefined && (!Number.isInteger(input.deadlineDays) || input.deadlineDays < 0 || input.deadlineDays > 365)) {
    fields.deadlineDays = 'Délai : un nombre entier de jours ouvrés entre 0 et 365.';
  }
  if (input.retentionYears !== undefined && (!Number.isInteger(input.retentionYears) || input.retentionYears < 0 || input.retentionYears > 100)) {
    fields.retentionYears = 'Durée de conservation : un nombre entier d’années entre 0 et 100.';
  }
  if (input.retentionAction !== undefined && !['destroy', 'archive'].includes(input.retentionAction)) {
    fields.retentionAction = 'Sort final : « destroy » (destruction) ou « archive » (versement aux archives).';
  }
  if (input.onReplyClosed !== undefined && !['reopen', 'new_case'].includes(input.onReplyClosed)) {
    fields.onReplyClosed = 'Réponse sur une demande close : « reopen » (rouvrir) ou « new_case » (nouvelle demande liée).';
  }
}

/** Turns the domain and unit codes of an input into ids; unknown or inactive ones become field errors. */
async function resolveRefs(sql: Sql, input: TopicPatch, fields: FieldErrors): Promise<ResolvedRefs> {
  const out: ResolvedRefs = {};
  if (input.domainCode) {
    const { rows } = await sql.query<{ id: string }>(`SELECT id FROM domains WHERE code = $1`, [input.domainCode]);
    if (rows[0]) out.domainId = rows[0].id;
    else fields.domainCode = `Domaine inconnu : ${input.domainCode}`;
  }
  const codes = [...new Set([...(input.defaultUnitCode ? [input.defaultUnitCode] : []), ...(input.extraUnitCodes ?? [])])];
  if (!codes.length) return out;
  const { rows } = await sql.query<{ id: string; code: string; active: boolean }>(
    `SELECT id, code, active FROM units WHERE code = ANY($1::text[])`,
    [codes],
  );
  const byCode = new Map(rows.map((r) => [r.code, r]));
  if (input.defaultUnitCode) {
    const u = byCode.get(input.defaultUnitCode);
    if (!u) fields.defaultUnitCode = `Service inconnu : ${input.defaultUnitCode}`;
    else if (!u.active) fields.defaultUnitCode = `Le service « ${input.defaultUnitCode} » est désactivé.`;
    else out.defaultUnitId = u.id;
  }
  if (input.extraUnitCodes) {
    const unknown = input.extraUnitCodes.filter((c) => !byCode.has(c));
    if (unknown.length) fields.extraUnitCodes = `Services inconnus : ${unknown.join(', ')}`;
    else out.extraUnitIds = [...new Set(input.extraUnitCodes.map((c) => byCode.get(c)!.id))];
  }
  return out;
}

async function setExtraUnits(tx: Tx, topicId: string, unitIds: string[]) {
  await tx.query(`DELETE FROM topic_units WHERE topic_id = $1 AND NOT (unit_id = ANY($2::uuid[]))`, [topicId, unitIds]);
  // The default unit is never stored twice: it handles the topic by definition.
  await tx.query(
    `INSERT INTO topic_units (topic_id, unit_id)
     SELECT $1, u FROM unnest($2::uuid[]) AS u WHERE u <> (SELECT default_unit_id FROM topics WHERE id = $1)
     ON CONFLICT DO NOTHING`,
    [topicId, unitIds],
  );
}

function normaliseDescription(d: string | null | undefined): string | null | undefined {
  if (d === undefined) return undefined;
  const t = d?.trim();
  return t ? t : null;
}

export async function createTopic(db: Database, actor: Actor, input: TopicInput): Promise<TopicView> {
  authorize(actor, 'taxonomy.manage');
  const fields: FieldErrors = {};
  checkTopicFields(input, fields, true);
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    const refs = await resolveRefs(tx, input, fields);
    if (Object.keys(fields).length) throw new Invalid(fields);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO topics (code, domain_id, name, description, default_unit_id, deadline_days, sensitive,
                           retention_years, retention_action, acknowledge, on_reply_closed, active)
       VALUES ($1, $2, $3, $4, $5, coalesce($6::int, 15), coalesce($7::boolean, false), coalesce($8::int, 5),
               coalesce($9::text, 'destroy'), coalesce($10::boolean, true), coalesce($11::text, 'reopen'), coalesce($12::boolean, true))
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [
        input.code, refs.domainId, input.name.trim(), normaliseDescription(input.description) ?? null, refs.defaultUnitId,
        input.deadlineDays ?? null, input.sensitive ?? null, input.retentionYears ?? null, input.retentionAction ?? null,
        input.acknowledge ?? null, input.onReplyClosed ?? null, input.active ?? null,
      ],
    );
    if (!rows[0]) throw new Conflict(`Le code « ${input.code} » est déjà utilisé par un autre objet.`, 'topic_exists');
    if (refs.extraUnitIds?.length) await setExtraUnits(tx, rows[0].id, refs.extraUnitIds);
    const topic = (await getTopicById(tx, rows[0].id))!;
    tx.audit({ actor, action: 'topic.create', objectType: 'topic', objectId: topic.id, after: topic });
    return topic;
  });
}

const COLUMNS: Record<string, string> = {
  name: 'name',
  description: 'description',
  deadlineDays: 'deadline_days',
  sensitive: 'sensitive',
  retentionYears: 'retention_years',
  retentionAction: 'retention_action',
  acknowledge: 'acknowledge',
  onReplyClosed: 'on_reply_closed',
  active: 'active',
};

/**
 * Changes a topic. Cases keep the unit and due date they were given; but sensitivity is a matter of who
 * may read, so it follows the topic at once for every case on it (cases.sensitive is a copy kept for
 * fast visibility filters).
 */
export async function updateTopic(db: Database, actor: Actor, code: string, patch: TopicPatch): Promise<TopicView> {
  authorize(actor, 'taxonomy.manage');
  const fields: FieldErrors = {};
  checkTopicFields(patch, fields, false);
  if (patch.domainCode === '') fields.domainCode = 'Domaine obligatoire.';
  if (patch.defaultUnitCode === '') fields.defaultUnitCode = 'Service par défaut obligatoire.';
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    const { rows: locked } = await tx.query<{ id: string }>(`SELECT id FROM topics WHERE code = $1 FOR UPDATE`, [code]);
    if (!locked[0]) throw new NotFound(`Objet introuvable : ${code}`, 'topic_not_found');
    const before = (await getTopicById(tx, locked[0].id))!;
    const refs = await resolveRefs(tx, patch, fields);
    if (Object.keys(fields).length) throw new Invalid(fields);

    const sets: string[] = [];
    const params: unknown[] = [before.id];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    for (const [key, column] of Object.entries(COLUMNS)) {
      const value = (patch as Record<string, unknown>)[key];
      if (value === undefined) continue;
      if (key === 'name') set(column, (value as string).trim());
      else if (key === 'description') set(column, normaliseDescription(value as string | null));
      else set(column, value);
    }
    if (refs.domainId) set('domain_id', refs.domainId);
    if (refs.defaultUnitId) set('default_unit_id', refs.defaultUnitId);
    if (sets.length) await tx.query(`UPDATE topics SET ${sets.join(', ')} WHERE id = $1`, params);
    if (refs.defaultUnitId) await tx.query(`DELETE FROM topic_units WHERE topic_id = $1 AND unit_id = $2`, [before.id, refs.defaultUnitId]);
    if (refs.extraUnitIds) await setExtraUnits(tx, before.id, refs.extraUnitIds);

    if (patch.sensitive !== undefined && patch.sensitive !== before.sensitive) {
      await tx.query(`UPDATE cases SET sensitive = $2 WHERE topic_id = $1`, [before.id, patch.sensitive]);
    }
    const after = (await getTopicById(tx, before.id))!;
    tx.audit({ actor, action: 'topic.update', objectType: 'topic', objectId: after.id, before, after });
    return after;
  });
}
