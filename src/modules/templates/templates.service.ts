// Reply templates (letters, emails, portal messages): written by administrators, picked by agents
// when answering a case, filled with renderTemplate.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';

export const TEMPLATE_CHANNELS = ['email', 'letter', 'portal', 'any'] as const;
export type TemplateChannel = (typeof TEMPLATE_CHANNELS)[number];

export interface ReplyTemplate {
  id: string;
  code: string;
  name: string;
  channel: TemplateChannel;
  topicId: string | null;
  topicCode: string | null;
  topicName: string | null;
  subject: string | null;
  body: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface TemplateInput {
  code: string;
  name: string;
  channel: TemplateChannel;
  /** A template for one topic only; without it, for every topic. */
  topicCode?: string | null;
  subject?: string | null;
  body: string;
  active?: boolean;
}

export type TemplatePatch = Partial<Omit<TemplateInput, 'code'>>;

export interface TemplateFilter {
  /** Templates usable on this channel: the channel's own and those for any channel. */
  channel?: 'email' | 'letter' | 'portal';
  /** Templates usable for this topic: the topic's own and the general ones. */
  topicCode?: string;
  includeInactive?: boolean;
}

const CODE_RE = /^[a-z0-9][a-z0-9-]{1,62}$/;
const MAX_BODY = 100_000;

const SELECT = `
  SELECT r.id, r.code, r.name, r.channel, r.topic_id AS "topicId", t.code AS "topicCode", t.name AS "topicName",
         r.subject, r.body, r.active, r.created_at AS "createdAt", r.updated_at AS "updatedAt"
    FROM reply_templates r LEFT JOIN topics t ON t.id = r.topic_id`;

export async function getTemplate(sql: Sql, code: string): Promise<ReplyTemplate | null> {
  const { rows } = await sql.query<ReplyTemplate>(`${SELECT} WHERE r.code = $1`, [code]);
  return rows[0] ?? null;
}

/** One template, for a signed-in case worker. */
export async function readTemplate(sql: Sql, actor: Actor, code: string): Promise<ReplyTemplate> {
  authorize(actor, 'org.read');
  const t = await getTemplate(sql, code);
  if (!t) throw new NotFound(`Modèle de réponse introuvable : ${code}`, 'template_not_found');
  return t;
}

/** Templates an agent may pick: by default the active ones; topic-specific ones first. */
export async function listTemplates(sql: Sql, actor: Actor, filter: TemplateFilter = {}): Promise<ReplyTemplate[]> {
  authorize(actor, 'org.read');
  const where: string[] = [];
  const params: unknown[] = [];
  if (!filter.includeInactive) where.push('r.active');
  if (filter.channel) {
    params.push(filter.channel);
    where.push(`r.channel IN ($${params.length}, 'any')`);
  }
  if (filter.topicCode) {
    params.push(filter.topicCode);
    where.push(`(r.topic_id IS NULL OR t.code = $${params.length})`);
  }
  const { rows } = await sql.query<ReplyTemplate>(
    `${SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY (r.topic_id IS NULL), lower(immutable_unaccent(r.name)), r.code`,
    params,
  );
  return rows;
}

function checkFields(input: TemplatePatch & { code?: string }, creating: boolean): FieldErrors {
  const fields: FieldErrors = {};
  if (creating && !CODE_RE.test(input.code ?? '')) fields.code = 'Code : lettres minuscules, chiffres et tirets (2 à 63 caractères).';
  if (creating || input.name !== undefined) {
    const name = input.name?.trim() ?? '';
    if (!name) fields.name = 'Nom obligatoire.';
    else if (name.length > 200) fields.name = 'Au plus 200 caractères.';
  }
  if ((creating || input.channel !== undefined) && !(TEMPLATE_CHANNELS as readonly string[]).includes(input.channel ?? '')) {
    fields.channel = 'Canal : email, letter (courrier), portal ou any (tous).';
  }
  if (input.subject != null && input.subject.length > 300) fields.subject = 'Au plus 300 caractères.';
  if (creating || input.body !== undefined) {
    if (!input.body?.trim()) fields.body = 'Texte obligatoire.';
    else if (input.body.length > MAX_BODY) fields.body = 'Au plus 100 000 caractères.';
  }
  return fields;
}

async function resolveTopic(sql: Sql, topicCode: string | null | undefined, fields: FieldErrors): Promise<string | null | undefined> {
  if (topicCode === undefined) return undefined;
  if (topicCode === null || topicCode === '') return null;
  const { rows } = await sql.query<{ id: string }>(`SELECT id FROM topics WHERE code = $1`, [topicCode]);
  if (!rows[0]) fields.topicCode = `Objet inconnu : ${topicCode}`;
  return rows[0]?.id;
}

const blankToNull = (s: string | null | undefined) => (s?.trim() ? s.trim() : null);

export async function createTemplate(db: Database, actor: Actor, input: TemplateInput): Promise<ReplyTemplate> {
  authorize(actor, 'template.manage');
  const fields = checkFields(input, true);
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    const topicId = await resolveTopic(tx, input.topicCode, fields);
    if (Object.keys(fields).length) throw new Invalid(fields);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO reply_templates (code, name, channel, topic_id, subject, body, active)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (code) DO NOTHING
       RETURNING id`,
      [input.code, input.name.trim(), input.channel, topicId ?? null, blankToNull(input.subject), input.body, input.active ?? true],
    );
    if (!rows[0]) throw new Conflict(`Le code « ${input.code} » est déjà utilisé par un autre modèle.`, 'template_exists');
    const created = (await getTemplate(tx, input.code))!;
    tx.audit({ actor, action: 'template.create', objectType: 'reply_template', objectId: created.id, after: auditView(created) });
    return created;
  });
}

export async function updateTemplate(db: Database, actor: Actor, code: string, patch: TemplatePatch): Promise<ReplyTemplate> {
  authorize(actor, 'template.manage');
  const fields = checkFields(patch, false);
  if (Object.keys(fields).length) throw new Invalid(fields);
  return db.tx(async (tx) => {
    const { rows: locked } = await tx.query(`SELECT id FROM reply_templates WHERE code = $1 FOR UPDATE`, [code]);
    if (!locked[0]) throw new NotFound(`Modèle de réponse introuvable : ${code}`, 'template_not_found');
    const before = (await getTemplate(tx, code))!;
    const topicId = await resolveTopic(tx, patch.topicCode, fields);
    if (Object.keys(fields).length) throw new Invalid(fields);
    await tx.query(
      `UPDATE reply_templates
          SET name = $2, channel = $3, topic_id = $4, subject = $5, body = $6, active = $7, updated_at = now()
        WHERE id = $1`,
      [
        before.id,
        patch.name !== undefined ? patch.name.trim() : before.name,
        patch.channel ?? before.channel,
        topicId !== undefined ? topicId : before.topicId,
        patch.subject !== undefined ? blankToNull(patch.subject) : before.subject,
        patch.body ?? before.body,
        patch.active ?? before.active,
      ],
    );
    const after = (await getTemplate(tx, code))!;
    tx.audit({ actor, action: 'template.update', objectType: 'reply_template', objectId: after.id, before: auditView(before), after: auditView(after) });
    return after;
  });
}

export async function deleteTemplate(db: Database, actor: Actor, code: string): Promise<void> {
  authorize(actor, 'template.manage');
  await db.tx(async (tx) => {
    await tx.query(`SELECT id FROM reply_templates WHERE code = $1 FOR UPDATE`, [code]);
    const before = await getTemplate(tx, code);
    if (!before) throw new NotFound(`Modèle de réponse introuvable : ${code}`, 'template_not_found');
    await tx.query(`DELETE FROM reply_templates WHERE id = $1`, [before.id]);
    tx.audit({ actor, action: 'template.delete', objectType: 'reply_template', objectId: before.id, before: auditView(before) });
  });
}

function auditView(t: ReplyTemplate) {
  return { code: t.code, name: t.name, channel: t.channel, topicCode: t.topicCode, subject: t.subject, body: t.body, active: t.active };
}
