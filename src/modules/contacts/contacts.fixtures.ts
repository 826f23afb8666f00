// Test data for the contacts tests: cases, interactions and topics written with plain SQL, so that
// these tests do not depend on the case module's rules.
import type { Sql } from '../../platform/db/database.ts';

let referenceCounter = 0;

/** Unique per process: each test file has its own database, and references only need to be unique there. */
export function nextReference(): string {
  referenceCounter += 1;
  return `2026-${String(referenceCounter).padStart(6, '0')}`;
}

export async function insertTopic(sql: Sql, code: string, defaultUnitId: string, sensitive: boolean): Promise<string> {
  const { rows: d } = await sql.query<{ id: string }>(
    `INSERT INTO domains (code, name) VALUES ($1, $1) ON CONFLICT (code) DO UPDATE SET name = excluded.name RETURNING id`,
    [`dom-${code}`],
  );
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO topics (code, domain_id, name, default_unit_id, sensitive) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
    [code, d[0].id, `Objet ${code}`, defaultUnitId, sensitive],
  );
  return rows[0].id;
}

export interface CaseFixture {
  contactId: string | null;
  subject?: string;
  topicId?: string | null;
  unitId?: string | null;
  sensitive?: boolean;
  channel?: string;
}

export async function insertCase(sql: Sql, c: CaseFixture): Promise<{ id: string; reference: string }> {
  const reference = nextReference();
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO cases (reference, contact_id, topic_id, channel, subject, unit_id, sensitive, created_by_type)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'system') RETURNING id`,
    [reference, c.contactId, c.topicId ?? null, c.channel ?? 'phone', c.subject ?? `Demande ${reference}`, c.unitId ?? null, c.sensitive ?? false],
  );
  return { id: rows[0].id, reference };
}

export async function insertInteraction(sql: Sql, caseId: string, contactId: string | null, subject: string, kind = 'call'): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO interactions (case_id, contact_id, kind, direction, author_type, subject)
     VALUES ($1, $2, $3, 'inbound', 'system', $4) RETURNING id`,
    [caseId, contactId, kind, subject],
  );
  return rows[0].id;
}
