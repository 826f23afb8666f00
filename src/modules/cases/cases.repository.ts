// SQL for cases: loading one case with what the policy needs, the timeline, and list queries.
import type { Sql } from '../../platform/db/database.ts';
import type { CaseAccess } from '../policy/case-policy.ts';
import type { CaseStatus } from './transitions.ts';

export interface CaseRow extends CaseAccess {
  id: string;
  reference: string;
  contactId: string | null;
  topicId: string | null;
  channel: string;
  subject: string;
  description: string | null;
  status: CaseStatus;
  resolvedLevel1: boolean;
  priority: string;
  dueDate: string | null;
  tags: string[];
  createdByType: string;
  createdById: string | null;
  createdAt: Date;
  updatedAt: Date;
  qualifiedAt: Date | null;
  answeredAt: Date | null;
  closedAt: Date | null;
  reopenedCount: number;
}

const CASE_COLUMNS = `
  c.id, c.reference, c.contact_id AS "contactId", c.topic_id AS "topicId", c.channel, c.subject, c.description,
  c.status, c.resolved_level1 AS "resolvedLevel1", c.unit_id AS "unitId", c.assignee_id AS "assigneeId",
  c.priority, c.due_date AS "dueDate", c.tags, c.sensitive, c.created_by_type AS "createdByType",
  c.created_by_id AS "createdById", c.created_at AS "createdAt", c.updated_at AS "updatedAt",
  c.qualified_at AS "qualifiedAt", c.answered_at AS "answeredAt", c.closed_at AS "closedAt",
  c.reopened_count AS "reopenedCount",
  coalesce((SELECT array_agg(u) FROM (
     SELECT t.default_unit_id AS u FROM topics t WHERE t.id = c.topic_id
     UNION SELECT tu.unit_id FROM topic_units tu WHERE tu.topic_id = c.topic_id) h), '{}') AS "handlingUnitIds"`;

export const REFERENCE_RE = /^\d{4}-\d{6,}$/;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** By reference (YYYY-NNNNNN) or id. `forUpdate` locks the row for the rest of the transaction. */
export async function findCase(sql: Sql, refOrId: string, forUpdate = false): Promise<CaseRow | null> {
  const byRef = REFERENCE_RE.test(refOrId);
  if (!byRef && !UUID_RE.test(refOrId)) return null;
  const { rows } = await sql.query<CaseRow>(
    `SELECT ${CASE_COLUMNS} FROM cases c WHERE ${byRef ? 'c.reference' : 'c.id'} = $1${forUpdate ? ' FOR UPDATE OF c' : ''}`,
    [refOrId],
  );
  return rows[0] ?? null;
}

export interface CaseEventInput {
  kind: string;
  from?: string | null;
  to?: string | null;
  reason?: string | null;
  data?: unknown;
}

export async function insertCaseEvent(
  sql: Sql,
  caseId: string,
  actor: { kind: string; id: string | null; label: string },
  e: CaseEventInput,
): Promise<void> {
  await sql.query(
    `INSERT INTO case_events (case_id, kind, from_value, to_value, reason, actor_type, actor_id, actor_label, data)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    [caseId, e.kind, e.from ?? null, e.to ?? null, e.reason ?? null, actor.kind, actor.id, actor.label, e.data === undefined ? null : JSON.stringify(e.data)],
  );
}

/** SQL inserting `events` for the case `$1` in their order; its parameters follow `firstParam`. */
export function caseEventsInsert(
  events: CaseEventInput[],
  actor: { kind: string; id: string | null; label: string },
  firstParam: number,
): { text: string; params: unknown[] } {
  const p = (i: number) => `$${firstParam + i}`;
  return {
    text: `INSERT INTO case_events (case_id, kind, from_value, to_value, reason, actor_type, actor_id, actor_label, data)
           SELECT $1, e.kind, e.from_value, e.to_value, e.reason, ${p(5)}, ${p(6)}, ${p(7)}, e.data::jsonb
             FROM unnest(${p(0)}::text[], ${p(1)}::text[], ${p(2)}::text[], ${p(3)}::text[], ${p(4)}::text[])
                  WITH ORDINALITY AS e(kind, from_value, to_value, reason, data, n)
            ORDER BY e.n`,
    params: [
      events.map((e) => e.kind),
      events.map((e) => e.from ?? null),
      events.map((e) => e.to ?? null),
      events.map((e) => e.reason ?? null),
      events.map((e) => (e.data === undefined ? null : JSON.stringify(e.data))),
      actor.kind,
      actor.id,
      actor.label,
    ],
  };
}
