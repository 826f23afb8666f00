// The indexing assistant: from a letter's text, what the clerk will probably confirm — the sender and
// matching contacts, the case it refers to, its topic (from the referenced case, the sender's history
// or letters with similar subjects) and the unit (routing rules via decideRoute). Proposals only:
// nothing is changed until the clerk validates.
import type { Sql } from '../../platform/db/database.ts';
import { decideRoute } from '../../modules/routing/routing.service.ts';
import { parseLetter, type ParsedLetter, type Proposal } from './letter-parse.ts';

export interface ContactCandidate {
  id: string;
  displayName: string;
  reason: string;
}

export interface LetterProposals extends ParsedLetter {
  contacts: ContactCandidate[];
  case?: { reference: string; subject: string; status: string; topicCode: string | null } | null;
  topic?: Proposal<{ code: string; name: string }>;
  unit?: Proposal<{ code: string; name: string }>;
}

export async function proposeFor(sql: Sql, text: string): Promise<LetterProposals> {
  const parsed = parseLetter(text);
  const out: LetterProposals = { ...parsed, contacts: await matchContacts(sql, parsed) };

  if (parsed.caseReference) {
    const { rows } = await sql.query(
      `SELECT c.reference, c.subject, c.status, t.code AS "topicCode", t.name AS "topicName"
         FROM cases c LEFT JOIN topics t ON t.id = c.topic_id WHERE c.reference = $1`,
      [parsed.caseReference.value],
    );
    out.case = rows[0] ? { reference: rows[0].reference, subject: rows[0].subject, status: rows[0].status, topicCode: rows[0].topicCode } : null;
    if (rows[0]?.topicCode) out.topic = { value: { code: rows[0].topicCode, name: rows[0].topicName }, source: { kind: 'case', detail: `Objet de la demande ${rows[0].reference} citée en référence` } };
  }
  // what the letter is about first; the sender's usual topic only when its words say nothing (people
  // write about other things than last time, and a name-only match may be someone else)
  out.topic ??= await topicFromSimilarSubjects(sql, parsed.subject?.value ?? firstWords(text));
  out.topic ??= await topicFromTopicNames(sql, parsed.subject?.value ?? firstWords(text));
  out.topic ??= await topicFromSenderHistory(sql, out.contacts[0]?.id);

  if (out.topic) {
    const { rows } = await sql.query<{ id: string }>(`SELECT id FROM topics WHERE code = $1 AND active`, [out.topic.value.code]);
    if (rows[0]) {
      const facts = await contactFacts(sql, out.contacts[0]?.id);
      const d = await decideRoute(sql, {
        topicId: rows[0].id, channel: 'mail',
        segment: facts.segment ?? (parsed.sender.kind === 'organisation' ? 'professionnel' : 'particulier'),
        postcode: facts.postcode ?? parsed.sender.address?.value.postcode ?? null,
        commune: facts.commune ?? parsed.sender.address?.value.city ?? null,
        text: `${parsed.subject?.value ?? ''}\n${text.slice(0, 5000)}`,
      });
      const { rows: u } = await sql.query<{ name: string }>(`SELECT name FROM units WHERE id = $1`, [d.unitId]);
      out.unit = { value: { code: d.unitCode, name: u[0]?.name ?? d.unitCode }, source: { kind: 'rule', detail: d.reason } };
    }
  }
  return out;
}

function firstWords(text: string) {
  return text.split(/\s+/).slice(0, 80).join(' ');
}

async function matchContacts(sql: Sql, p: ParsedLetter): Promise<ContactCandidate[]> {
  const found = new Map<string, ContactCandidate>();
  const add = (rows: Array<{ id: string; displayName: string }>, reason: string) => {
    for (const r of rows) if (!found.has(r.id)) found.set(r.id, { id: r.id, displayName: r.displayName, reason });
  };
  const live = `c.merged_into IS NULL`;
  if (p.sender.email) {
    add((await sql.query(`SELECT c.id, c.display_name AS "displayName" FROM contact_emails e JOIN contacts c ON c.id = e.contact_id WHERE e.email = $1 AND ${live} LIMIT 3`, [p.sender.email.value])).rows, 'Même adresse électronique');
  }
  if (p.sender.phone) {
    add((await sql.query(`SELECT c.id, c.display_name AS "displayName" FROM contact_phones ph JOIN contacts c ON c.id = ph.contact_id WHERE ph.e164 = $1 AND ${live} LIMIT 3`, [p.sender.phone.value])).rows, 'Même numéro de téléphone');
  }
  if (p.siret) add((await sql.query(`SELECT c.id, c.display_name AS "displayName" FROM contacts c WHERE c.siret = $1 AND ${live} LIMIT 3`, [p.siret.value])).rows, 'Même SIRET');
  if (p.rna) add((await sql.query(`SELECT c.id, c.display_name AS "displayName" FROM contacts c WHERE c.rna = $1 AND ${live} LIMIT 3`, [p.rna.value])).rows, 'Même numéro RNA');
  if (p.sender.name) {
    const key = p.sender.name.value.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ');
    const postcode = p.sender.address?.value.postcode ?? null;
    add(
      (await sql.query(
        `SELECT c.id, c.display_name AS "displayName" FROM contacts c
          WHERE ${live} AND c.name_key % $1
            AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM contact_addresses a WHERE a.contact_id = c.id AND a.postcode = $2))
          ORDER BY similarity(c.name_key, $1) DESC LIMIT 3`,
        [key, postcode],
      )).rows,
      postcode ? 'Nom proche et même code postal' : 'Nom proche',
    );
  }
  return [...found.values()].slice(0, 5);
}

async function contactFacts(sql: Sql, contactId: string | undefined) {
  if (!contactId) return { segment: null, postcode: null, commune: null };
  const { rows } = await sql.query(
    `SELECT c.segment, a.postcode, a.city FROM contacts c
       LEFT JOIN LATERAL (SELECT postcode, city FROM contact_addresses WHERE contact_id = c.id ORDER BY is_primary DESC, created_at LIMIT 1) a ON true
      WHERE c.id = $1`,
    [contactId],
  );
  return { segment: rows[0]?.segment ?? null, postcode: rows[0]?.postcode ?? null, commune: rows[0]?.city ?? null };
}

/** The topic most often given to this sender's earlier cases. */
async function topicFromSenderHistory(sql: Sql, contactId: string | undefined): Promise<LetterProposals['topic']> {
  if (!contactId) return undefined;
  const { rows } = await sql.query(
    `SELECT t.code, t.name, count(*)::int AS n FROM cases c JOIN topics t ON t.id = c.topic_id
      WHERE c.contact_id = $1 AND t.active GROUP BY t.code, t.name ORDER BY n DESC, max(c.created_at) DESC LIMIT 1`,
    [contactId],
  );
  if (!rows[0]) return undefined;
  return { value: { code: rows[0].code, name: rows[0].name }, source: { kind: 'history', detail: `Objet le plus fréquent des demandes de cet usager (${rows[0].n})` } };
}

function orQuery(text: string): string | null {
  const words = [...new Set(text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().match(/[a-z]{4,}/g) ?? [])].slice(0, 30);
  return words.length ? words.join(' | ') : null;
}

/**
 * The topic of the routed letters whose subjects look most like this one: letters sharing at least half
 * of its words (three are enough), each counting for the number of words it shares.
 */
async function topicFromSimilarSubjects(sql: Sql, subject: string): Promise<LetterProposals['topic']> {
  const q = orQuery(subject);
  if (!q) return undefined;
  const { rows } = await sql.query(
    `WITH q AS (SELECT tsvector_to_array(to_tsvector('french_unaccent', $2)) AS lex),
     near AS (
       SELECT l.topic_id, ts_rank(l.subject_search, to_tsquery('french_unaccent', $1)) AS rank,
              (SELECT count(*) FROM unnest(tsvector_to_array(l.subject_search)) w WHERE w = ANY (q.lex))::int AS shared
         FROM mail_letters l, q
        WHERE l.status IN ('routed', 'answered', 'archived') AND l.topic_id IS NOT NULL
          AND l.subject_search @@ to_tsquery('french_unaccent', $1)
        ORDER BY rank DESC LIMIT 200)
     SELECT t.code, t.name, count(*)::int AS n FROM near s JOIN topics t ON t.id = s.topic_id, q
      WHERE t.active AND s.shared >= least(3, ceil(cardinality(q.lex) / 2.0))
      GROUP BY t.code, t.name ORDER BY sum(s.shared) DESC, max(s.rank) DESC LIMIT 1`,
    [q, subject.slice(0, 2000)],
  );
  if (!rows[0]) return undefined;
  return { value: { code: rows[0].code, name: rows[0].name }, source: { kind: 'history', detail: `Objet de demande des courriers déjà orientés dont l’objet ressemble le plus à celui-ci (${rows[0].n})` } };
}

/** Last resort: the topic whose name shares most words with the subject. */
async function topicFromTopicNames(sql: Sql, subject: string): Promise<LetterProposals['topic']> {
  const q = orQuery(subject);
  if (!q) return undefined;
  const { rows } = await sql.query(
    `SELECT code, name, ts_rank(to_tsvector('french_unaccent', name || ' ' || coalesce(description, '')), to_tsquery('french_unaccent', $1)) AS rank
       FROM topics WHERE active AND to_tsvector('french_unaccent', name || ' ' || coalesce(description, '')) @@ to_tsquery('french_unaccent', $1)
      ORDER BY rank DESC LIMIT 1`,
    [q],
  );
  if (!rows[0]) return undefined;
  return { value: { code: rows[0].code, name: rows[0].name }, source: { kind: 'topic', detail: `Mots communs avec l’objet « ${rows[0].name} »` } };
}
