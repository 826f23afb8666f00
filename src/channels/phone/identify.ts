// Who is calling: the number normalised to E.164, matched to contacts holding it (exact) and to the
// contacts of cases that earlier calls from this number were linked to (probable). Several matches are
// all shown; the agent picks. For each match: open cases and last interactions the agent may see.
import type { Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { normalizePhone, formatPhoneForDisplay } from '../../modules/contacts/phone.ts';
import { findBrief, visibleCases, visibleInteractions } from '../../modules/contacts/contacts.repository.ts';

const MAX_MATCHES = 5;
const ANONYMOUS = /^(anonymous|anonyme|unknown|restricted|private|\+?0*)$/i;

export interface IdentifiedContact {
  match: 'exact' | 'probable';
  contact: NonNullable<Awaited<ReturnType<typeof findBrief>>>;
  openCases: Awaited<ReturnType<typeof visibleCases>>['items'];
  lastInteractions: Awaited<ReturnType<typeof visibleInteractions>>;
}

export interface Identification {
  number: string | null;
  e164: string | null;
  display: string | null;
  matches: IdentifiedContact[];
}

/** E.164 for a number sent by the PBX or typed by an agent; null when withheld or not a phone number. */
export function callerE164(raw: string | null | undefined): string | null {
  if (!raw || ANONYMOUS.test(raw.trim())) return null;
  return normalizePhone(raw);
}

/** Contact ids for a number: exact (contact_phones) first, then probable (past calls linked to cases). */
export async function matchNumber(sql: Sql, e164: string): Promise<Array<{ id: string; match: 'exact' | 'probable' }>> {
  const { rows } = await sql.query<{ id: string; match: 'exact' | 'probable' }>(
    `WITH exact AS (
       SELECT DISTINCT ON (coalesce(c.merged_into, c.id)) coalesce(c.merged_into, c.id) AS id, c.updated_at
         FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
        WHERE p.e164 = $1
        ORDER BY coalesce(c.merged_into, c.id), c.updated_at DESC),
     probable AS (
       SELECT cs.contact_id AS id, max(k.started_at) AS last_call
         FROM calls k JOIN call_cases cc ON cc.call_id = k.id JOIN cases cs ON cs.id = cc.case_id
        WHERE k.party_e164 = $1 AND cs.contact_id IS NOT NULL AND cs.contact_id NOT IN (SELECT id FROM exact)
        GROUP BY cs.contact_id)
     SELECT id, 'exact' AS match FROM (SELECT id, updated_at FROM exact ORDER BY updated_at DESC LIMIT $2) e
     UNION ALL
     SELECT id, 'probable' FROM (SELECT id, last_call FROM probable ORDER BY last_call DESC LIMIT $2) p`,
    [e164, MAX_MATCHES],
  );
  return rows.slice(0, MAX_MATCHES);
}

export async function identifyNumber(sql: Sql, actor: Actor, number: string | null): Promise<Identification> {
  authorize(actor, 'contact.read');
  const e164 = callerE164(number);
  if (!e164) return { number, e164: null, display: null, matches: [] };
  const matches: IdentifiedContact[] = [];
  for (const m of await matchNumber(sql, e164)) {
    const contact = await findBrief(sql, m.id);
    if (!contact) continue;
    const cases = await visibleCases(sql, actor, m.id);
    const interactions = await visibleInteractions(sql, actor, m.id);
    matches.push({ match: m.match, contact, openCases: cases.items.filter((c) => c.status !== 'closed').slice(0, 10), lastInteractions: interactions.slice(0, 5) });
  }
  return { number, e164, display: formatPhoneForDisplay(e164), matches };
}
