// SQL of the contacts module. Rows come back camelCase, shaped like the API; dates as ISO strings.
import { PREPARED_READ, type Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { caseVisibilitySql } from '../policy/case-policy.ts';
import { formatPhoneForDisplay } from './phone.ts';
import type { AddressValues, Identity } from './contacts.validation.ts';
import type {
  ContactAddress,
  ContactBrief,
  ContactCase,
  ContactEmail,
  ContactInteraction,
  ContactLink,
  ContactListItem,
  ContactPhone,
  LinkedContact,
} from './contacts.schema.ts';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids arrive from URLs and bodies: a malformed one must read as "not found", not as an SQL error. */
export function isUuid(v: unknown): v is string {
  return typeof v === 'string' && UUID_RE.test(v);
}

export interface ContactRow extends Identity {
  id: string;
  toCheck: boolean;
  mergedInto: string | null;
  createdAt: string;
  updatedAt: string;
}

const iso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : d);

const CONTACT_COLUMNS = `c.id, c.kind, c.segment, c.org_type AS "orgType", c.civility, c.first_name AS "firstName",
  c.last_name AS "lastName", c.org_name AS "orgName", c.display_name AS "displayName", c.birth_date AS "birthDate",
  c.siret, c.siren, c.rna, c.insee_code AS "inseeCode", c.notes, c.to_check AS "toCheck",
  c.merged_into AS "mergedInto", c.created_at AS "createdAt", c.updated_at AS "updatedAt"`;

function toContactRow(r: any): ContactRow {
  return { ...r, createdAt: iso(r.createdAt)!, updatedAt: iso(r.updatedAt)! };
}

/**
 * `lock`: 'write' serialises changes to one contact (and waits for a merge in progress); 'share' is
 * taken by readers that are about to reference the contact (a new case), so a concurrent merge
 * either sees that case or happens first.
 */
export async function findContact(sql: Sql, id: string, lock?: 'write' | 'share' | 'merge'): Promise<ContactRow | null> {
  if (!isUuid(id)) return null;
  const clause = lock === 'merge' ? 'FOR UPDATE' : lock === 'write' ? 'FOR NO KEY UPDATE' : lock === 'share' ? 'FOR KEY SHARE' : '';
  const { rows } = await sql.query(`SELECT ${CONTACT_COLUMNS} FROM contacts c WHERE c.id = $1 ${clause}`, [id]);
  return rows[0] ? toContactRow(rows[0]) : null;
}

export async function insertContact(sql: Sql, i: Identity, toCheck: boolean): Promise<string> {
  const { rows } = await sql.query<{ id: string }>(
    `INSERT INTO contacts (kind, segment, org_type, civility, first_name, last_name, org_name, display_name, birth_date,
                           siret, siren, rna, insee_code, notes, to_check)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
    [i.kind, i.segment, i.orgType, i.civility, i.firstName, i.lastName, i.orgName, i.displayName, i.birthDate,
      i.siret, i.siren, i.rna, i.inseeCode, i.notes, toCheck],
  );
  return rows[0].id;
}

export async function updateContactIdentity(sql: Sql, id: string, i: Identity, toCheck: boolean): Promise<void> {
  await sql.query(
    `UPDATE contacts SET segment = $2, org_type = $3, civility = $4, first_name = $5, last_name = $6, org_name = $7,
            display_name = $8, birth_date = $9, siret = $10, siren = $11, rna = $12, insee_code = $13, notes = $14,
            to_check = $15, updated_at = now()
      WHERE id = $1`,
    [id, i.segment, i.orgType, i.civility, i.firstName, i.lastName, i.orgName, i.displayName, i.birthDate,
      i.siret, i.siren, i.rna, i.inseeCode, i.notes, toCheck],
  );
}

/** "Most recently updated" decides between contacts sharing an email or a phone: keep it meaningful. */
export async function touchContact(sql: Sql, id: string): Promise<void> {
  await sql.query('UPDATE contacts SET updated_at = now() WHERE id = $1', [id]);
}

// ---------------------------------------------------------------------------------------------
// Emails, phones, addresses. The first one added is the primary one; removing it promotes the next.
// clock_timestamp() (not now()) keeps the order of several rows added in one transaction.
// ---------------------------------------------------------------------------------------------
const EMAIL_COLUMNS = `id, email, label, is_primary AS "isPrimary", failing_since AS "failingSince", failure_reason AS "failureReason"`;
const PHONE_COLUMNS = `id, e164, label, is_primary AS "isPrimary"`;
const ADDRESS_COLUMNS = `id, line1, line2, postcode, city, country, label, is_primary AS "isPrimary"`;
const DETAIL_ORDER = 'ORDER BY is_primary DESC, created_at, id';

const toEmail = (r: any): ContactEmail => ({ ...r, failingSince: iso(r.failingSince) });
const toPhone = (r: any): ContactPhone => ({ id: r.id, e164: r.e164, display: formatPhoneForDisplay(r.e164), label: r.label, isPrimary: r.isPrimary });

const noPrimaryYet = (table: string) => `NOT EXISTS (SELECT 1 FROM ${table} WHERE contact_id = $1 AND is_primary)`;

export async function listEmails(sql: Sql, contactId: string): Promise<ContactEmail[]> {
  const { rows } = await sql.query(`SELECT ${EMAIL_COLUMNS} FROM contact_emails WHERE contact_id = $1 ${DETAIL_ORDER}`, [contactId]);
  return rows.map(toEmail);
}

/** Returns null when the contact already has this address. */
export async function insertEmail(sql: Sql, contactId: string, email: string, label: string | null): Promise<ContactEmail | null> {
  const { rows } = await sql.query(
    `INSERT INTO contact_emails (contact_id, email, label, is_primary, created_at)
     VALUES ($1, $2, $3, ${noPrimaryYet('contact_emails')}, clock_timestamp())
     ON CONFLICT (contact_id, email) DO NOTHING RETURNING ${EMAIL_COLUMNS}`,
    [contactId, email, label],
  );
  return rows[0] ? toEmail(rows[0]) : null;
}

export async function listPhones(sql: Sql, contactId: string): Promise<ContactPhone[]> {
  const { rows } = await sql.query(`SELECT ${PHONE_COLUMNS} FROM contact_phones WHERE contact_id = $1 ${DETAIL_ORDER}`, [contactId]);
  return rows.map(toPhone);
}

export async function insertPhone(sql: Sql, contactId: string, e164: string, label: string | null): Promise<ContactPhone | null> {
  const { rows } = await sql.query(
    `INSERT INTO contact_phones (contact_id, e164, label, is_primary, created_at)
     VALUES ($1, $2, $3, ${noPrimaryYet('contact_phones')}, clock_timestamp())
     ON CONFLICT (contact_id, e164) DO NOTHING RETURNING ${PHONE_COLUMNS}`,
    [contactId, e164, label],
  );
  return rows[0] ? toPhone(rows[0]) : null;
}

export async function listAddresses(sql: Sql, contactId: string): Promise<ContactAddress[]> {
  const { rows } = await sql.query(`SELECT ${ADDRESS_COLUMNS} FROM contact_addresses WHERE contact_id = $1 ${DETAIL_ORDER}`, [contactId]);
  return rows;
}

export async function insertAddress(sql: Sql, contactId: string, a: AddressValues): Promise<ContactAddress> {
  const { rows } = await sql.query(
    `INSERT INTO contact_addresses (contact_id, line1, line2, postcode, city, country, label, is_primary, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, ${noPrimaryYet('contact_addresses')}, clock_timestamp())
     RETURNING ${ADDRESS_COLUMNS}`,
    [contactId, a.line1, a.line2, a.postcode, a.city, a.country, a.label],
  );
  return rows[0];
}

export type DetailTable = 'contact_emails' | 'contact_phones' | 'contact_addresses';

/** Deletes one email/phone/address of the contact; returns the deleted row, or null if it is not the contact's. */
export async function deleteDetail(sql: Sql, table: DetailTable, contactId: string, itemId: string): Promise<Record<string, unknown> | null> {
  if (!isUuid(itemId)) return null;
  const { rows } = await sql.query(`DELETE FROM ${table} WHERE id = $2 AND contact_id = $1 RETURNING *`, [contactId, itemId]);
  if (rows[0]) await ensurePrimary(sql, table, contactId);
  return rows[0] ?? null;
}

/** After a removal or a merge: exactly one primary row if there is any row. */
export async function ensurePrimary(sql: Sql, table: DetailTable, contactId: string): Promise<void> {
  await sql.query(
    `UPDATE ${table} SET is_primary = true
      WHERE id = (SELECT id FROM ${table} WHERE contact_id = $1 ${DETAIL_ORDER} LIMIT 1) AND NOT is_primary`,
    [contactId],
  );
}

// ---------------------------------------------------------------------------------------------
// Links between persons and organisations
// ---------------------------------------------------------------------------------------------
export async function listOrganisationsOf(sql: Sql, personId: string): Promise<LinkedContact[]> {
  const { rows } = await sql.query(
    `SELECT o.id, o.display_name AS "displayName", o.kind, l.role, l.confirmed
       FROM contact_links l JOIN contacts o ON o.id = l.organisation_id
      WHERE l.person_id = $1 ORDER BY o.name_key, l.role`,
    [personId],
  );
  return rows;
}

export async function listPeopleOf(sql: Sql, organisationId: string): Promise<LinkedContact[]> {
  const { rows } = await sql.query(
    `SELECT p.id, p.display_name AS "displayName", p.kind, l.role, l.confirmed
       FROM contact_links l JOIN contacts p ON p.id = l.person_id
      WHERE l.organisation_id = $1 ORDER BY p.name_key, l.role`,
    [organisationId],
  );
  return rows;
}

/** Returns null when the same link (same role) already exists. */
export async function insertLink(sql: Sql, link: ContactLink): Promise<ContactLink | null> {
  const { rows } = await sql.query(
    `INSERT INTO contact_links (person_id, organisation_id, role) VALUES ($1, $2, $3)
     ON CONFLICT DO NOTHING RETURNING person_id AS "personId", organisation_id AS "organisationId", role`,
    [link.personId, link.organisationId, link.role],
  );
  return rows[0] ?? null;
}

export async function deleteLink(sql: Sql, contactId: string, otherId: string, role: string): Promise<ContactLink | null> {
  if (!isUuid(otherId)) return null;
  const { rows } = await sql.query(
    `DELETE FROM contact_links
      WHERE role = $3 AND ((person_id = $1 AND organisation_id = $2) OR (person_id = $2 AND organisation_id = $1))
      RETURNING person_id AS "personId", organisation_id AS "organisationId", role`,
    [contactId, otherId, role],
  );
  return rows[0] ?? null;
}

// ---------------------------------------------------------------------------------------------
// The contact's history, filtered by what the reader may see (same predicate as every case list)
// ---------------------------------------------------------------------------------------------
const CASES_SHOWN = 100;
const INTERACTIONS_SHOWN = 50;

export async function visibleCases(sql: Sql, actor: Actor, contactId: string): Promise<{ items: ContactCase[]; total: number }> {
  const params: unknown[] = [contactId];
  const visible = caseVisibilitySql(actor, params, 'c');
  const { rows } = await sql.query(
    `SELECT c.id, c.reference, c.subject, c.status, c.channel, t.name AS "topicName", u.name AS "unitName",
            c.created_at AS "createdAt", count(*) OVER () AS total
       FROM cases c LEFT JOIN topics t ON t.id = c.topic_id LEFT JOIN units u ON u.id = c.unit_id
      WHERE c.contact_id = $1 AND ${visible}
      ORDER BY c.created_at DESC, c.id DESC
      LIMIT ${CASES_SHOWN}`,
    params,
  );
  return {
    items: rows.map(({ total: _total, ...r }) => ({ ...r, createdAt: iso(r.createdAt)! })),
    total: rows[0]?.total ?? 0,
  };
}

export async function visibleInteractions(sql: Sql, actor: Actor, contactId: string): Promise<ContactInteraction[]> {
  const params: unknown[] = [contactId];
  const visible = caseVisibilitySql(actor, params, 'c');
  const { rows } = await sql.query(
    `SELECT i.id, i.kind, i.direction, i.occurred_at AS "occurredAt", i.subject, c.id AS "caseId", c.reference AS "caseReference"
       FROM interactions i JOIN cases c ON c.id = i.case_id
      WHERE i.contact_id = $1 AND ${visible}
      ORDER BY i.occurred_at DESC, i.id DESC
      LIMIT ${INTERACTIONS_SHOWN}`,
    params,
  );
  return rows.map((r) => ({ ...r, occurredAt: iso(r.occurredAt)! }));
}

// ---------------------------------------------------------------------------------------------
// Matching and search
// ---------------------------------------------------------------------------------------------
/**
 * Serialises "find or create" for the same email or phone until commit: two messages from an unknown
 * sender handled at once must not create the same contact twice. Keys are locked in a fixed order.
 */
export async function lockMatchKeys(sql: Sql, keys: string[]): Promise<void> {
  for (const key of [...new Set(keys)].sort()) {
    await sql.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`contact-match:${key}`]);
  }
}

/** What routing needs to know about a case's contact. */
export interface ContactRoutingFacts {
  segment: string | null;
  postcode: string | null;
  city: string | null;
}

/**
 * The live (not merged) contact holding this email, else this phone — the most recently updated when
 * several share it — with its routing facts, share-locked so that no merge moves it away before the
 * caller's transaction ends. One round trip: it is on the path of every case creation.
 */
export async function matchLiveContact(sql: Sql, email: string | null, e164: string | null): Promise<({ id: string } & ContactRoutingFacts) | null> {
  if (!email && !e164) return null;
  // A prepared read (ADR 0016): one text per set of keys given, none with an optional value, and the
  // contact fetched (and locked) by its key for each address found, in a subquery of its own, so that its
  // generic plan is index-driven even without statistics — joined as a whole, contacts was scanned
  // (12 ms a lookup at 10,000 contacts on a database never analysed).
  const params = [email, e164].filter((v): v is string => !!v);
  const sources = [
    email ? `SELECT contact_id, 1 AS pref FROM contact_emails WHERE email = $1` : null,
    e164 ? `SELECT contact_id, 2 AS pref FROM contact_phones WHERE e164 = $${params.length}` : null,
  ].filter(Boolean);
  const { rows } = await sql.query<{ id: string } & ContactRoutingFacts>(
    `${PREPARED_READ}SELECT c.id, c.segment, a.postcode, a.city
       FROM (${sources.join(' UNION ALL ')}) m
       CROSS JOIN LATERAL (SELECT k.id, k.segment, k.updated_at FROM contacts k WHERE k.id = m.contact_id AND k.merged_into IS NULL FOR SHARE) c
       LEFT JOIN LATERAL (SELECT postcode, city FROM contact_addresses WHERE contact_id = c.id
                           ORDER BY is_primary DESC, created_at, id LIMIT 1) a ON true
      ORDER BY m.pref, c.updated_at DESC, c.id
      LIMIT 1`,
    params,
  );
  return rows[0] ?? null;
}

/** Routing facts of a known contact (segment, primary address). */
export async function contactRoutingFacts(sql: Sql, id: string): Promise<ContactRoutingFacts> {
  const { rows } = await sql.query<ContactRoutingFacts>(
    `SELECT c.segment, a.postcode, a.city FROM contacts c
       LEFT JOIN LATERAL (SELECT postcode, city FROM contact_addresses WHERE contact_id = c.id
                           ORDER BY is_primary DESC, created_at, id LIMIT 1) a ON true
      WHERE c.id = $1`,
    [id],
  );
  return rows[0] ?? { segment: null, postcode: null, city: null };
}

const BRIEF_DETAILS = `
  coalesce((SELECT array_agg(e.email ORDER BY e.is_primary DESC, e.created_at, e.id) FROM contact_emails e WHERE e.contact_id = c.id), '{}') AS emails,
  coalesce((SELECT array_agg(p.e164 ORDER BY p.is_primary DESC, p.created_at, p.id) FROM contact_phones p WHERE p.contact_id = c.id), '{}') AS phones`;
const PRIMARY_PLACE = `
  (SELECT a.postcode FROM contact_addresses a WHERE a.contact_id = c.id ORDER BY a.is_primary DESC, a.created_at, a.id LIMIT 1) AS postcode,
  (SELECT a.city FROM contact_addresses a WHERE a.contact_id = c.id ORDER BY a.is_primary DESC, a.created_at, a.id LIMIT 1) AS city`;
const BRIEF_COLUMNS = `c.id, c.display_name AS "displayName", c.kind, c.segment, c.to_check AS "toCheck", c.merged_into AS "mergedInto"`;

export async function findBrief(sql: Sql, id: string): Promise<ContactBrief | null> {
  if (!isUuid(id)) return null;
  const { rows } = await sql.query<ContactBrief>(`SELECT ${BRIEF_COLUMNS}, ${BRIEF_DETAILS} FROM contacts c WHERE c.id = $1`, [id]);
  return rows[0] ?? null;
}

/** List items for the given ids, in that order. */
export async function listItems(sql: Sql, ids: string[]): Promise<ContactListItem[]> {
  if (!ids.length) return [];
  const { rows } = await sql.query<ContactListItem>(
    `SELECT ${BRIEF_COLUMNS}, ${BRIEF_DETAILS}, ${PRIMARY_PLACE}
       FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted(id, n) JOIN contacts c ON c.id = wanted.id
      ORDER BY wanted.n`,
    [ids],
  );
  return rows;
}

export interface SearchCriteria {
  /** A name, already stripped of LIKE wildcards and extra spaces. */
  name?: string;
  email?: string;
  e164?: string;
  siret?: string;
  siren?: string;
  rna?: string;
}

/** Position in the result order: exact and prefix matches of the name first, then fuzzy ones. */
export interface SearchPosition {
  rank: number;
  nameKey: string;
  id: string;
}

function searchFilters(c: SearchCriteria, params: unknown[]): { where: string[]; rank: string } {
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where = ['c.merged_into IS NULL'];
  let rank = '0';
  if (c.email) where.push(`EXISTS (SELECT 1 FROM contact_emails e WHERE e.contact_id = c.id AND e.email = ${p(c.email)})`);
  if (c.e164) where.push(`EXISTS (SELECT 1 FROM contact_phones ph WHERE ph.contact_id = c.id AND ph.e164 = ${p(c.e164)})`);
  if (c.siret) where.push(`c.siret = ${p(c.siret)}`);
  if (c.siren) where.push(`c.siren = ${p(c.siren)}`);
  if (c.rna) where.push(`c.rna = ${p(c.rna)}`);
  if (c.name) {
    // same normalisation as the generated column name_key: lower case, no accents
    const key = `lower(immutable_unaccent(${p(c.name)}::text))`;
    const prefix = `(c.name_key LIKE ${key} || '%' OR c.name_key LIKE '% ' || ${key} || '%')`;
    where.push(`(${prefix} OR ${key} <% c.name_key OR c.search @@ plainto_tsquery('french_unaccent', ${p(c.name)}))`);
    rank = `CASE WHEN ${prefix} THEN 0 ELSE 1 END`;
  }
  return { where, rank };
}

export async function searchContactPositions(sql: Sql, c: SearchCriteria, after: SearchPosition | null, limit: number): Promise<SearchPosition[]> {
  const params: unknown[] = [];
  const { where, rank } = searchFilters(c, params);
  let keyset = '';
  if (after) {
    params.push(after.rank, after.nameKey, after.id);
    const n = params.length;
    keyset = `WHERE (m.rank, m."nameKey", m.id) > ($${n - 2}::int, $${n - 1}::text, $${n}::uuid)`;
  }
  params.push(limit);
  const { rows } = await sql.query<SearchPosition>(
    `SELECT m.* FROM (SELECT c.id, c.name_key AS "nameKey", ${rank} AS rank FROM contacts c WHERE ${where.join(' AND ')}) m
      ${keyset}
      ORDER BY m.rank, m."nameKey", m.id
      LIMIT $${params.length}`,
    params,
  );
  return rows;
}
