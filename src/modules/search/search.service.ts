// One search over cases, contacts and interactions: a reference, a name, an email, a phone number in any
// written form, or French full text (stemmed, accent-insensitive), ranked, filtered and restricted by the
// policy's SQL predicate — a search never reveals a case the actor may not read, not even as a count.
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize, can } from '../policy/policy.ts';
import { caseVisibilitySql } from '../policy/case-policy.ts';
import { normalizePhone } from '../contacts/phone.ts';
import { parisToday, slaState } from '../cases/cases.queries.ts';

export interface SearchFilters {
  q: string;
  types?: Array<'case' | 'contact'>;
  status?: string[];
  unit?: string;
  topic?: string;
  channel?: string[];
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export interface CaseHit {
  type: 'case';
  reference: string;
  subject: string;
  status: string;
  channel: string;
  dueDate: string | null;
  sla: string;
  createdAt: string;
  contactName: string | null;
  topicName: string | null;
  unitName: string | null;
  snippet: string | null;
  matchedIn: 'reference' | 'case' | 'interaction' | 'contact';
  rank: number;
}

export interface ContactHit {
  type: 'contact';
  id: string;
  displayName: string;
  kind: string;
  segment: string;
  email: string | null;
  phone: string | null;
  city: string | null;
  matchedIn: 'name' | 'email' | 'phone' | 'identifier';
}

const REFERENCE = /^\d{4}-\d{1,}$/;
const MAX_MATCHES = 5000;
const HEADLINE = 'MaxFragments=1, MaxWords=18, MinWords=6, StartSel=«, StopSel=»';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE_LIKE = /^[+\d][\d\s.\-()]{5,}$/;

function decodeOffset(cursor?: string): number {
  if (!cursor) return 0;
  const n = Number(Buffer.from(cursor, 'base64url').toString());
  if (!Number.isInteger(n) || n < 0 || n > 10_000) throw new Invalid({ cursor: 'Curseur de pagination invalide.' });
  return n;
}

export async function search(db: Database, actor: Actor, f: SearchFilters) {
  authorize(actor, 'case.list');
  const q = f.q.trim();
  if (q.length < 2) throw new Invalid({ q: 'Saisissez au moins deux caractères.' });
  const limit = Math.min(Math.max(f.limit ?? 20, 1), 100);
  const offset = decodeOffset(f.cursor);
  const types = f.types?.length ? f.types : ['case', 'contact'];
  const phone = PHONE_LIKE.test(q) ? normalizePhone(q) : null;
  const email = EMAIL.test(q) ? q.toLowerCase() : null;

  const contacts: ContactHit[] = types.includes('contact') && can(actor, 'contact.read') && offset === 0 ? await searchContacts(db, q, { phone, email }) : [];
  const cases = types.includes('case') ? await searchCases(db, actor, f, { q, phone, email, limit, offset }) : { items: [], more: false };
  return {
    contacts,
    cases: cases.items,
    nextCursor: cases.more ? Buffer.from(String(offset + limit)).toString('base64url') : null,
  };
}

async function searchContacts(db: Database, q: string, k: { phone: string | null; email: string | null }): Promise<ContactHit[]> {
  let where: string;
  let matchedIn: ContactHit['matchedIn'];
  let param: string;
  if (k.phone) {
    where = `EXISTS (SELECT 1 FROM contact_phones p WHERE p.contact_id = c.id AND p.e164 = $1)`;
    matchedIn = 'phone';
    param = k.phone;
  } else if (k.email) {
    where = `EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.email = $1)`;
    matchedIn = 'email';
    param = k.email;
  } else if (/^(\d{9}|\d{14}|W\d{9})$/i.test(q.replace(/\s/g, ''))) {
    where = `(c.siret = $1 OR c.siren = $1 OR c.rna = upper($1) OR left(c.siret, 9) = $1)`;
    matchedIn = 'identifier';
    param = q.replace(/\s/g, '');
  } else {
    // Name: every word as a prefix of a word of the normalised name ("dup mar" finds "Marie Dupont").
    where = `c.search @@ to_tsquery('french_unaccent', $1) OR c.name_key % lower(immutable_unaccent($2))`;
    matchedIn = 'name';
    param = q
      .split(/\s+/)
      .map((w) => w.replace(/[^\p{L}\p{N}]/gu, ''))
      .filter(Boolean)
      .map((w) => `${w}:*`)
      .join(' & ');
    if (!param) return [];
  }
  const params: unknown[] = [param];
  if (matchedIn === 'name') params.push(q);
  const { rows } = await db.query(
    `SELECT c.id, c.display_name AS "displayName", c.kind, c.segment,
            (SELECT email FROM contact_emails WHERE contact_id = c.id ORDER BY is_primary DESC, created_at LIMIT 1) AS email,
            (SELECT e164 FROM contact_phones WHERE contact_id = c.id ORDER BY is_primary DESC, created_at LIMIT 1) AS phone,
            (SELECT city FROM contact_addresses WHERE contact_id = c.id ORDER BY is_primary DESC, created_at LIMIT 1) AS city
       FROM contacts c
      WHERE c.merged_into IS NULL AND (${where})
      ORDER BY ${matchedIn === 'name' ? `similarity(c.name_key, lower(immutable_unaccent($2))) DESC,` : ''} c.updated_at DESC
      LIMIT 10`,
    params,
  );
  return rows.map((r) => ({ type: 'contact' as const, ...r, matchedIn }));
}

async function searchCases(
  db: Database,
  actor: Actor,
  f: SearchFilters,
  k: { q: string; phone: string | null; email: string | null; limit: number; offset: number },
): Promise<{ items: CaseHit[]; more: boolean }> {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const filters = [caseVisibilitySql(actor, params)];
  if (f.status?.length) filters.push(`c.status = ANY(${p(f.status)}::text[])`);
  if (f.unit) filters.push(`c.unit_id = (SELECT id FROM units WHERE code = ${p(f.unit)})`);
  if (f.topic) filters.push(`c.topic_id = (SELECT id FROM topics WHERE code = ${p(f.topic)})`);
  if (f.channel?.length) filters.push(`c.channel = ANY(${p(f.channel)}::text[])`);
  if (f.from) filters.push(`c.created_at >= ${p(f.from)}::date`);
  if (f.to) filters.push(`c.created_at < ${p(f.to)}::date + 1`);

  let candidates: string;
  let snippet = 'NULL::text';
  if (REFERENCE.test(k.q)) {
    candidates = `SELECT c.id, 10.0::float4 AS rank, 'reference' AS matched, NULL::uuid AS source_id FROM cases c WHERE c.reference = ${p(k.q)}`;
  } else if (k.phone || k.email) {
    const contactFilter = k.phone
      ? `EXISTS (SELECT 1 FROM contact_phones cp WHERE cp.contact_id = c.contact_id AND cp.e164 = ${p(k.phone)})`
      : `EXISTS (SELECT 1 FROM contact_emails ce WHERE ce.contact_id = c.contact_id AND ce.email = ${p(k.email)})`;
    candidates = `SELECT c.id, (1.0 / (1 + extract(epoch FROM now() - c.created_at) / 86400 / 365))::float4 AS rank, 'contact' AS matched, NULL::uuid AS source_id
                    FROM cases c WHERE ${contactFilter}`;
  } else {
    const tsq = `websearch_to_tsquery('french_unaccent', ${p(k.q)})`;
    // Matches in the case itself and in its interactions (letters' OCR text, emails, notes), ranked;
    // one row per case with its best match. Ranking is bounded to the most recent MAX_MATCHES matches of
    // each source, so a very common word over ten years of history stays fast.
    candidates = `
      SELECT DISTINCT ON (id) id, rank, matched, source_id FROM (
        SELECT m.id, ts_rank_cd(m.search, ${tsq}) * 2 AS rank, 'case' AS matched, NULL::uuid AS source_id
          FROM (SELECT c.id, c.search FROM cases c WHERE c.search @@ ${tsq} ORDER BY c.created_at DESC LIMIT ${MAX_MATCHES}) m
        UNION ALL
        SELECT m.case_id, ts_rank_cd(m.search, ${tsq}), 'interaction', m.id
          FROM (SELECT i.id, i.case_id, i.search FROM interactions i WHERE i.search @@ ${tsq} ORDER BY i.created_at DESC LIMIT ${MAX_MATCHES}) m
      ) m ORDER BY id, rank DESC`;
    // Extracts are costly: computed only for the page of results, after the LIMIT.
    snippet = `CASE WHEN top."matchedIn" = 'case'
        THEN (SELECT ts_headline('french_unaccent', coalesce(c2.description, c2.subject), ${tsq}, '${HEADLINE}') FROM cases c2 WHERE c2.id = top.id)
        ELSE (SELECT ts_headline('french_unaccent', left(coalesce(i2.body, i2.subject, ''), 5000), ${tsq}, '${HEADLINE}') FROM interactions i2 WHERE i2.id = top.source_id) END`;
  }
  params.push(k.limit + 1, k.offset);
  const { rows } = await db.query(
    `WITH hits AS (${candidates})
     SELECT top.*, ${snippet} AS snippet FROM (
       SELECT c.id, h.source_id, c.reference, c.subject, c.status, c.channel, c.due_date AS "dueDate", c.created_at AS "createdAt",
              ct.display_name AS "contactName", t.name AS "topicName", u.name AS "unitName",
              h.matched AS "matchedIn", h.rank
         FROM hits h JOIN cases c ON c.id = h.id
         LEFT JOIN contacts ct ON ct.id = c.contact_id
         LEFT JOIN topics t ON t.id = c.topic_id
         LEFT JOIN units u ON u.id = c.unit_id
        WHERE ${filters.join(' AND ')}
        ORDER BY h.rank DESC, c.created_at DESC
        LIMIT $${params.length - 1} OFFSET $${params.length}) top
     ORDER BY top.rank DESC, top."createdAt" DESC`,
    params,
  );
  const today = parisToday();
  return {
    items: rows.slice(0, k.limit).map(({ id: _id, source_id: _s, ...r }) => ({
      type: 'case' as const,
      ...r,
      rank: Number(r.rank),
      createdAt: new Date(r.createdAt).toISOString(),
      sla: slaState(r.status, r.dueDate, today),
    })),
    more: rows.length > k.limit,
  };
}
