// Read side of cases: the case page (detail, timeline, abilities), queues and lists with filters,
// counts per filter. Every query is restricted by the policy's SQL predicate.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { assertCanRead, canActOnCase, canAnnotateCase, canAssign, canReadCase, caseVisibilitySql } from '../policy/case-policy.ts';
import { findCase, type CaseRow } from './cases.repository.ts';
import { allowedTransitions, STATUSES, type CaseStatus } from './transitions.ts';
import { parisToday, shiftDay } from '../../platform/calendar/calendar.ts';

export type SlaState = 'overdue' | 'due_soon' | 'on_time' | 'none';

export { parisToday };
const addDays = shiftDay;

export function slaState(status: string, dueDate: string | null, today = parisToday()): SlaState {
  if (!dueDate || status === 'closed' || status === 'answered') return 'none';
  if (dueDate < today) return 'overdue';
  if (dueDate <= addDays(today, 2)) return 'due_soon';
  return 'on_time';
}

export async function getCaseDetail(db: Database, actor: Actor, ref: string) {
  const c = await findCase(db, ref);
  assertCanRead(actor, c);
  if (c.sensitive) {
    // Reads of sensitive cases are traced (who looked at which child-protection file, when).
    await db.tx(async (tx) => tx.audit({ actor, action: 'case.read', objectType: 'case', objectId: c.id, after: { reference: c.reference } }));
  }
  const [contact, topic, unit, assignee, interactions, events, links] = await Promise.all([
    c.contactId
      ? db.query(
          `SELECT c.id, c.display_name AS "displayName", c.kind, c.segment, c.to_check AS "toCheck",
                  coalesce((SELECT array_agg(email ORDER BY is_primary DESC, created_at) FROM contact_emails WHERE contact_id = c.id), '{}') AS emails,
                  coalesce((SELECT array_agg(e164 ORDER BY is_primary DESC, created_at) FROM contact_phones WHERE contact_id = c.id), '{}') AS phones
             FROM contacts c WHERE c.id = $1`,
          [c.contactId],
        ).then((r) => r.rows[0] ?? null)
      : null,
    c.topicId
      ? db.query(`SELECT t.code, t.name, t.sensitive, t.deadline_days AS "deadlineDays", d.code AS "domainCode", d.name AS "domainName" FROM topics t JOIN domains d ON d.id = t.domain_id WHERE t.id = $1`, [c.topicId]).then((r) => r.rows[0] ?? null)
      : null,
    c.unitId ? db.query(`SELECT id, code, name FROM units WHERE id = $1`, [c.unitId]).then((r) => r.rows[0] ?? null) : null,
    c.assigneeId ? db.query(`SELECT id, display_name AS "displayName" FROM agents WHERE id = $1`, [c.assigneeId]).then((r) => r.rows[0] ?? null) : null,
    db.query(
      `SELECT i.id, i.kind, i.direction, i.occurred_at AS "occurredAt", i.author_type AS "authorType", i.author_label AS "authorLabel",
              i.subject, i.body, i.body_html AS "bodyHtml", i.metadata,
              coalesce((SELECT json_agg(json_build_object('id', a.id, 'sha256', a.sha256, 'filename', a.filename, 'mimeType', a.mime_type, 'size', a.size, 'contentId', a.content_id) ORDER BY a.position)
                          FROM interaction_attachments a WHERE a.interaction_id = i.id), '[]') AS attachments
         FROM interactions i WHERE i.case_id = $1 ORDER BY i.occurred_at, i.created_at`,
      [c.id],
    ).then((r) => r.rows),
    db.query(
      `SELECT id, kind, from_value AS "from", to_value AS "to", reason, actor_type AS "actorType", actor_label AS "actorLabel", data, occurred_at AS "occurredAt"
         FROM case_events WHERE case_id = $1 ORDER BY id`,
      [c.id],
    ).then((r) => r.rows),
    db.query(
      `SELECT l.kind, o.reference, o.subject, o.status, 'out' AS direction FROM case_links l JOIN cases o ON o.id = l.linked_case_id WHERE l.case_id = $1
       UNION ALL
       SELECT l.kind, o.reference, o.subject, o.status, 'in' FROM case_links l JOIN cases o ON o.id = l.case_id WHERE l.linked_case_id = $1`,
      [c.id],
    ).then((r) => r.rows),
  ]);
  // Unit ids in events are shown by name.
  const unitIds = [...new Set(events.flatMap((e: any) => (['routed', 'transferred', 'escalated'].includes(e.kind) ? [e.from, e.to] : [])).filter(Boolean))];
  const unitNames = unitIds.length ? Object.fromEntries((await db.query(`SELECT id, name FROM units WHERE id = ANY($1::uuid[])`, [unitIds])).rows.map((u) => [u.id, u.name])) : {};
  const agentIds = [...new Set(events.filter((e: any) => e.kind === 'assigned').flatMap((e: any) => [e.from, e.to]).filter(Boolean))];
  const agentNames = agentIds.length ? Object.fromEntries((await db.query(`SELECT id, display_name FROM agents WHERE id = ANY($1::uuid[])`, [agentIds])).rows.map((a) => [a.id, a.display_name])) : {};
  const visibleLinks = [];
  for (const l of links) {
    const other = await findCase(db, l.reference);
    if (other && canReadCase(actor, other)) visibleLinks.push(l);
  }
  return {
    id: c.id,
    reference: c.reference,
    subject: c.subject,
    description: c.description,
    channel: c.channel,
    status: c.status,
    resolvedLevel1: c.resolvedLevel1,
    priority: c.priority,
    tags: c.tags,
    sensitive: c.sensitive,
    dueDate: c.dueDate,
    sla: slaState(c.status, c.dueDate),
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    closedAt: c.closedAt?.toISOString() ?? null,
    contact,
    topic,
    unit,
    assignee,
    interactions: interactions.map((i: any) => ({ ...i, occurredAt: new Date(i.occurredAt).toISOString() })),
    events: events.map((e: any) => ({
      ...e,
      occurredAt: new Date(e.occurredAt).toISOString(),
      fromLabel: unitNames[e.from] ?? agentNames[e.from] ?? null,
      toLabel: unitNames[e.to] ?? agentNames[e.to] ?? null,
    })),
    links: visibleLinks,
    abilities: caseAbilities(actor, c),
  };
}

/**
 * What the agent may do on this case, for the UI. Qualifying and assigning have their own actions, so
 * the status list leaves out 'qualified' (from new) and 'assigned'.
 */
export function caseAbilities(actor: Actor, c: CaseRow) {
  const open = c.status !== 'closed';
  const act = canActOnCase(actor, c);
  return {
    act,
    annotate: canAnnotateCase(actor, c),
    assign: open && canAssign(actor, c, '00000000-0000-0000-0000-000000000000'),
    takeOwnership: open && c.assigneeId !== actor.id && canAssign(actor, c, actor.id),
    transitions: act ? allowedTransitions(c.status).filter((t) => t !== 'assigned' && !(t === 'qualified' && c.status === 'new')) : [],
  };
}

export interface CaseFilters {
  q?: string;
  status?: string[];
  open?: boolean;
  unit?: string;
  mine?: boolean;
  assignee?: string;
  topic?: string;
  channel?: string[];
  contact?: string;
  overdue?: boolean;
  dueSoon?: boolean;
  unassigned?: boolean;
  level1?: boolean;
  dueBefore?: string;
  from?: string;
  to?: string;
  sort?: 'due' | 'created' | '-created' | 'updated' | 'priority';
  limit?: number;
  cursor?: string;
}

const PRIORITY_RANK = `CASE c.priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`;

/** Builds the WHERE clause shared by the list and the counts. */
async function whereFor(sql: Sql, actor: Actor, f: CaseFilters, params: unknown[]): Promise<string[]> {
  const where = [caseVisibilitySql(actor, params)];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (f.status?.length) {
    const bad = f.status.find((s) => !(STATUSES as readonly string[]).includes(s));
    if (bad) throw new Invalid({ status: `Statut inconnu : ${bad}` });
    where.push(`c.status = ANY(${p(f.status)}::text[])`);
  }
  if (f.open) where.push(`c.status <> 'closed'`);
  if (f.unit) {
    const { rows } = await sql.query('SELECT id FROM units WHERE code = $1', [f.unit]);
    if (!rows[0]) throw new Invalid({ unit: `Service inconnu : ${f.unit}` });
    where.push(`c.unit_id = ${p(rows[0].id)}::uuid`);
  }
  if (f.mine) where.push(`c.assignee_id = ${p(actor.id)}::uuid`);
  if (f.assignee) where.push(`c.assignee_id = ${p(f.assignee)}::uuid`);
  if (f.topic) where.push(`c.topic_id = (SELECT id FROM topics WHERE code = ${p(f.topic)})`);
  if (f.channel?.length) where.push(`c.channel = ANY(${p(f.channel)}::text[])`);
  if (f.contact) where.push(`c.contact_id = ${p(f.contact)}::uuid`);
  const today = parisToday();
  if (f.overdue) where.push(`c.status NOT IN ('closed', 'answered') AND c.due_date < ${p(today)}::date`);
  if (f.dueSoon) where.push(`c.status NOT IN ('closed', 'answered') AND c.due_date BETWEEN ${p(today)}::date AND ${p(addDays(today, 2))}::date`);
  if (f.unassigned) where.push(`c.assignee_id IS NULL AND c.status <> 'closed'`);
  if (f.level1) where.push(`c.resolved_level1`);
  if (f.dueBefore) where.push(`c.due_date <= ${p(f.dueBefore)}::date`);
  if (f.from) where.push(`c.created_at >= ${p(f.from)}::date`);
  if (f.to) where.push(`c.created_at < (${p(f.to)}::date + 1)`);
  if (f.q?.trim()) {
    const q = f.q.trim();
    if (/^\d{4}-\d{6,}$/.test(q)) where.push(`c.reference = ${p(q)}`);
    else where.push(`c.search @@ websearch_to_tsquery('french_unaccent', ${p(q)})`);
  }
  return where;
}

interface Cursor {
  k: (string | number | null)[];
  id: string;
}

function encodeCursor(c: Cursor) {
  return Buffer.from(JSON.stringify(c)).toString('base64url');
}

function decodeCursor(s: string): Cursor {
  try {
    const c = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
    // A forged cursor must be a 422, never an SQL error: keys are scalars, the id a uuid.
    const scalar = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number';
    if (!Array.isArray(c.k) || c.k.length > 3 || !c.k.every(scalar) || typeof c.id !== 'string' || !/^[0-9a-f-]{36}$/i.test(c.id)) {
      throw new Error('bad');
    }
    return c;
  } catch {
    throw new Invalid({ cursor: 'Curseur de pagination invalide.' });
  }
}

/** Sort keys: each with its SQL expression and the value read back from the row for the next cursor. */
const SORTS = {
  due: { cols: [`coalesce(c.due_date, 'infinity'::date)`], dirs: ['ASC'], read: (r: any) => [r.dueDate ?? 'infinity'] },
  created: { cols: ['c.created_at'], dirs: ['ASC'], read: (r: any) => [new Date(r.createdAt).toISOString()] },
  '-created': { cols: ['c.created_at'], dirs: ['DESC'], read: (r: any) => [new Date(r.createdAt).toISOString()] },
  updated: { cols: ['c.updated_at'], dirs: ['DESC'], read: (r: any) => [new Date(r.updatedAt).toISOString()] },
  priority: { cols: [PRIORITY_RANK, `coalesce(c.due_date, 'infinity'::date)`], dirs: ['ASC', 'ASC'], read: (r: any) => [rank(r.priority), r.dueDate ?? 'infinity'] },
} as const;

function rank(p: string) {
  return ({ urgent: 0, high: 1, normal: 2, low: 3 } as Record<string, number>)[p] ?? 3;
}

export async function listCases(db: Database, actor: Actor, f: CaseFilters) {
  authorize(actor, 'case.list');
  const params: unknown[] = [];
  const where = await whereFor(db, actor, f, params);
  const sort = SORTS[f.sort ?? 'due'] ?? SORTS.due;
  const limit = Math.min(Math.max(f.limit ?? 50, 1), 200);
  if (f.cursor) {
    const cur = decodeCursor(f.cursor);
    // Keyset pagination: (k1, k2, id) strictly after the cursor, in the sort's direction.
    const cols = [...sort.cols, 'c.id'];
    const dirs = [...sort.dirs, sort.dirs[0]];
    const vals = [...cur.k, cur.id];
    const ors: string[] = [];
    for (let i = 0; i < cols.length; i++) {
      const eqs = cols.slice(0, i).map((col, j) => {
        params.push(vals[j]);
        return `${col} = $${params.length}`;
      });
      params.push(vals[i]);
      eqs.push(`${cols[i]} ${dirs[i] === 'ASC' ? '>' : '<'} $${params.length}`);
      ors.push(`(${eqs.join(' AND ')})`);
    }
    where.push(`(${ors.join(' OR ')})`);
  }
  params.push(limit + 1);
  const order = [...sort.cols.map((c, i) => `${c} ${sort.dirs[i]}`), `c.id ${sort.dirs[0]}`].join(', ');
  const { rows } = await db.query(
    `SELECT c.id, c.reference, c.subject, c.status, c.channel, c.priority, c.due_date AS "dueDate", c.tags, c.sensitive,
            c.resolved_level1 AS "resolvedLevel1", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
            ct.display_name AS "contactName", t.code AS "topicCode", t.name AS "topicName",
            u.code AS "unitCode", u.name AS "unitName", a.id AS "assigneeId", a.display_name AS "assigneeName"
       FROM cases c
       LEFT JOIN contacts ct ON ct.id = c.contact_id
       LEFT JOIN topics t ON t.id = c.topic_id
       LEFT JOIN units u ON u.id = c.unit_id
       LEFT JOIN agents a ON a.id = c.assignee_id
      WHERE ${where.join(' AND ')}
      ORDER BY ${order}
      LIMIT $${params.length}`,
    params,
  );
  const page = rows.slice(0, limit);
  const today = parisToday();
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString(), sla: slaState(r.status, r.dueDate, today) })),
    nextCursor: rows.length > limit && last ? encodeCursor({ k: sort.read(last) as any, id: last.id }) : null,
  };
}

/** Counts for the queue's filter chips, under the same visibility and base filters. */
export async function countCases(db: Database, actor: Actor, f: Pick<CaseFilters, 'unit' | 'mine' | 'assignee'>) {
  authorize(actor, 'case.list');
  const params: unknown[] = [];
  const where = await whereFor(db, actor, f, params);
  const today = parisToday();
  params.push(today, addDays(today, 2));
  const t = `$${params.length - 1}::date`;
  const s = `$${params.length}::date`;
  const { rows } = await db.query(
    `SELECT
        count(*) FILTER (WHERE c.status <> 'closed') AS open,
        count(*) FILTER (WHERE c.status = 'new') AS "new",
        count(*) FILTER (WHERE c.status = 'qualified') AS qualified,
        count(*) FILTER (WHERE c.status = 'assigned') AS assigned,
        count(*) FILTER (WHERE c.status = 'in_progress') AS in_progress,
        count(*) FILTER (WHERE c.status = 'waiting_on_contact') AS waiting_on_contact,
        count(*) FILTER (WHERE c.status = 'answered') AS answered,
        count(*) FILTER (WHERE c.status NOT IN ('closed', 'answered') AND c.due_date < ${t}) AS overdue,
        count(*) FILTER (WHERE c.status NOT IN ('closed', 'answered') AND c.due_date BETWEEN ${t} AND ${s}) AS due_soon,
        count(*) FILTER (WHERE c.status <> 'closed' AND c.assignee_id IS NULL) AS unassigned
       FROM cases c WHERE ${where.join(' AND ')} AND (c.status <> 'closed')`,
    params,
  );
  return rows[0] as Record<string, number>;
}

export { allowedTransitions, type CaseStatus };
