// Possible duplicates of a contact: the same person or organisation entered twice (by phone, then by
// mail...). Only suggested to agents, who decide to merge; nothing is merged automatically.
import type { Sql } from '../../platform/db/database.ts';
import { isUuid, listItems } from './contacts.repository.ts';
import type { DuplicateCandidate } from './contacts.schema.ts';

export const DUPLICATE_REASONS = {
  email: 'même adresse électronique',
  phone: 'même numéro de téléphone',
  name_postcode: 'même nom et même code postal',
  siret: 'même SIRET',
  rna: 'même numéro RNA',
} as const;
export type DuplicateReason = keyof typeof DUPLICATE_REASONS;

const MAX_CANDIDATES = 50;

// Each branch is served by an index: contact_emails(email), contact_phones(e164), contacts(name_key)
// with contact_addresses(contact_id), contacts(siret), contacts(rna).
const CANDIDATES_SQL = `
  WITH me AS (SELECT id, name_key, siret, rna FROM contacts WHERE id = $1),
  found AS (
    SELECT o.contact_id AS id, 'email' AS reason
      FROM contact_emails m JOIN contact_emails o ON o.email = m.email
     WHERE m.contact_id = $1
    UNION
    SELECT o.contact_id, 'phone'
      FROM contact_phones m JOIN contact_phones o ON o.e164 = m.e164
     WHERE m.contact_id = $1
    UNION
    SELECT c.id, 'name_postcode'
      FROM me JOIN contacts c ON c.name_key = me.name_key
     WHERE EXISTS (SELECT 1 FROM contact_addresses a JOIN contact_addresses b ON b.postcode = a.postcode
                    WHERE a.contact_id = me.id AND b.contact_id = c.id)
    UNION
    SELECT c.id, 'siret' FROM me JOIN contacts c ON c.siret = me.siret
    UNION
    SELECT c.id, 'rna' FROM me JOIN contacts c ON c.rna = me.rna
  )
  SELECT f.id, array_agg(f.reason ORDER BY f.reason) AS reasons
    FROM found f JOIN contacts c ON c.id = f.id
   WHERE f.id <> $1 AND c.merged_into IS NULL
   GROUP BY f.id, c.name_key
   ORDER BY count(*) DESC, c.name_key, f.id
   LIMIT ${MAX_CANDIDATES}`;

/**
 * Live contacts that may be the same as `contactId`, strongest first (most reasons), each with its
 * reasons in French. Unknown or malformed ids have no duplicates.
 */
export async function findDuplicates(sql: Sql, contactId: string): Promise<DuplicateCandidate[]> {
  if (!isUuid(contactId)) return [];
  const { rows } = await sql.query<{ id: string; reasons: DuplicateReason[] }>(CANDIDATES_SQL, [contactId]);
  const items = await listItems(sql, rows.map((r) => r.id));
  return items.map((item, n) => ({
    ...item,
    reasonCodes: rows[n].reasons,
    reasons: rows[n].reasons.map((r) => DUPLICATE_REASONS[r]),
  }));
}
