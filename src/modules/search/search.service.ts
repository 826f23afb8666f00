// One search over cases, contacts and interactions: a reference, a name, an email, a phone number in any
// written form, or French full text (stemmed, accent-insensitive), ranked, filtered and restricted by the
// policy's SQL predicate — a search never reveals a case the actor may not read, not even as a count.
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { authorize, can } from '../policy/policy.ts';
import { caseVisibilitySql, mayReadSensitive } from '../policy/case-policy.ts';
import { normalizePhone } from '../contacts/phone.ts';
import { parisToday, slaState } from '../cases/cases.queries.ts';
import { recentCutoff as recentCutoffOf, recentSearchVector } from './recent-index.ts';

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
  const cases = types.includes('case') ? await searchCases(db, actor, f, { q, phone, email, limit, offset }) : { items: [], more: false, complete: true, since: null };
  return {
    contacts,
    cases: cases.items,
    nextCursor: cases.more ? Buffer.from(String(offset + limit)).toString('base64url') : null,
    /** False when older history was not searched (or not in time): dates reach it. */
    complete: cases.complete,
    notice: cases.complete ? null : incompleteNotice(cases.since),
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

/** The SQL conditions every case hit must meet: the actor's visibility and the requested filters. */
function caseFilters(actor: Actor, f: SearchFilters, p: (v: unknown) => string, params: unknown[]): string {
  const filters = [caseVisibilitySql(actor, params)];
  if (f.status?.length) filters.push(`c.status = ANY(${p(f.status)}::text[])`);
  if (f.unit) filters.push(`c.unit_id = (SELECT id FROM units WHERE code = ${p(f.unit)})`);
  if (f.topic) filters.push(`c.topic_id = (SELECT id FROM topics WHERE code = ${p(f.topic)})`);
  if (f.channel?.length) filters.push(`c.channel = ANY(${p(f.channel)}::text[])`);
  if (f.from) filters.push(`c.created_at >= ${p(f.from)}::date`);
  if (f.to) filters.push(`c.created_at < ${p(f.to)}::date + 1`);
  return filters.join(' AND ');
}

function paramList() {
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  return { params, p };
}

const HIT_COLUMNS = `c.id, c.reference, c.subject, c.status, c.channel, c.due_date AS "dueDate", c.created_at AS "createdAt",
       ct.display_name AS "contactName", t.name AS "topicName", u.name AS "unitName"`;
const HIT_JOINS = `LEFT JOIN contacts ct ON ct.id = c.contact_id
         LEFT JOIN topics t ON t.id = c.topic_id
         LEFT JOIN units u ON u.id = c.unit_id`;

interface HitRow {
  id: string;
  sourceId: string | null;
  reference: string;
  subject: string;
  status: string;
  channel: string;
  dueDate: string | null;
  createdAt: Date;
  contactName: string | null;
  topicName: string | null;
  unitName: string | null;
  matchedIn: CaseHit['matchedIn'];
  rank: number;
  snippet?: string | null;
}

function toHits(rows: HitRow[]): CaseHit[] {
  const today = parisToday();
  return rows.map(({ id: _id, sourceId: _s, ...r }) => ({
    type: 'case' as const,
    ...r,
    snippet: r.snippet ?? null,
    rank: Number(r.rank),
    createdAt: new Date(r.createdAt).toISOString(),
    sla: slaState(r.status, r.dueDate, today),
  }));
}

async function searchCases(
  db: Database,
  actor: Actor,
  f: SearchFilters,
  k: { q: string; phone: string | null; email: string | null; limit: number; offset: number },
): Promise<{ items: CaseHit[]; more: boolean; complete: boolean; since: number | null }> {
  if (!REFERENCE.test(k.q) && !k.phone && !k.email) return searchCasesFullText(db, actor, f, k);
  const { params, p } = paramList();
  const filters = caseFilters(actor, f, p, params);
  let match: string;
  let rank: string;
  let matched: CaseHit['matchedIn'];
  if (REFERENCE.test(k.q)) {
    match = `c.reference = ${p(k.q)}`;
    rank = '10.0::float4';
    matched = 'reference';
  } else {
    match = k.phone
      ? `EXISTS (SELECT 1 FROM contact_phones cp WHERE cp.contact_id = c.contact_id AND cp.e164 = ${p(k.phone)})`
      : `EXISTS (SELECT 1 FROM contact_emails ce WHERE ce.contact_id = c.contact_id AND ce.email = ${p(k.email)})`;
    rank = '(1.0 / (1 + extract(epoch FROM now() - c.created_at) / 86400 / 365))::float4';
    matched = 'contact';
  }
  const { rows } = await db.query<HitRow>(
    `SELECT ${HIT_COLUMNS}, NULL::uuid AS "sourceId", '${matched}' AS "matchedIn", ${rank} AS rank
       FROM cases c ${HIT_JOINS}
      WHERE ${match} AND ${filters}
      ORDER BY rank DESC, c.created_at DESC
      LIMIT ${p(k.limit + 1)} OFFSET ${p(k.offset)}`,
    params,
  );
  return { items: toHits(rows.slice(0, k.limit)), more: rows.length > k.limit, complete: true, since: null };
}

/**
 * French full text over cases and their interactions (letters' OCR text, emails, notes), by recency
 * tiers: the last 30 days first, then the year, three years, everything older — each tier a window on
 * `created_at`. Recent tiers are served by partial GIN indexes of their own, split by sensitivity
 * (recent-index.ts, ADRs 0013 and 0015), so a common word costs its matches of the window, not of ten
 * years. Within a tier, the most recent TIER_CAP matches of each source are ranked (ts_rank_cd, case
 * text weighted double), one row per case with its best match; tiers follow one another until the page
 * is full. Agents mostly look for recent requests; older ones
 * come next, or first with the date filters.
 */
async function searchCasesFullText(
  db: Database,
  actor: Actor,
  f: SearchFilters,
  k: { q: string; limit: number; offset: number },
): Promise<{ items: CaseHit[]; more: boolean; complete: boolean; since: number | null }> {
  const need = k.offset + k.limit + 1;
  const found: HitRow[] = [];
  const seen = new Set<string>();
  // The date filters clamp the tiers: only the windows that overlap [from, to] are asked.
  const oldest = f.from ? Date.parse(`${f.from}T00:00:00Z`) - DAY_MS : -Infinity;
  const newest = f.to ? Date.parse(`${f.to}T00:00:00Z`) + 2 * DAY_MS : Infinity;
  const recentCutoff = await recentCutoffOf(db);
  const bounds = tierBounds(Date.now(), recentCutoff, !!(f.from || f.to));
  let upper: number | null = null;
  let complete = true;
  let since: number | null = null;
  for (const lower of bounds) {
    if (lower === null || lower < newest) {
      const window: TierWindow = { lower, upper: upper === null ? (newest === Infinity ? null : newest) : Math.min(upper, newest), recentCutoff };
      const rows = await searchTierBounded(db, actor, f, k.q, window, need); // may repeat cases of newer tiers
      if (!rows) {
        complete = false;
        since = upper;
        break;
      }
      for (const r of rows) {
        if (seen.has(r.id)) continue;
        seen.add(r.id);
        found.push(r);
      }
    }
    if (found.length >= need || lower === null || lower <= oldest) break;
    if (lower === bounds[bounds.length - 1]) {
      complete = false; // the recent range is exhausted and no date filter asks for older years
      since = lower;
    }
    upper = lower;
  }
  const page = found.slice(k.offset, k.offset + k.limit);
  await addSnippets(db, k.q, page);
  return { items: toHits(page), more: found.length > k.offset + k.limit, complete, since };
}

/**
 * Lower bounds of the tiers, newest first: 30 days, a year, then back to the recent indexes' cutoff (at
 * least a year, at most two). Older history — three years, then everything — only when the agent gives
 * dates: a common word over ten years is then bounded by the window asked for.
 */
export function tierBounds(now: number, recentCutoff: number | null, withDates: boolean): Array<number | null> {
  const cutoff = recentCutoff ?? now - 365 * DAY_MS;
  const bounds: Array<number | null> = [now - 30 * DAY_MS, now - 365 * DAY_MS, cutoff].filter((b, i, all) => i === 0 || b < all[i - 1]);
  if (withDates) bounds.push(...[now - 3 * 365 * DAY_MS].filter((b) => b < cutoff), null);
  return bounds;
}

/**
 * Tiers older than the recent indexes may have to read many matches (a common word under a narrow
 * filter): they get a time budget, and when it runs out the search answers with what it has and says
 * so (`complete: false`), inviting a date filter, rather than keeping the agent waiting.
 */
async function searchTierBounded(db: Database, actor: Actor, f: SearchFilters, q: string, w: TierWindow, limit: number): Promise<HitRow[] | null> {
  const recent = w.lower !== null && w.recentCutoff !== null && w.lower >= w.recentCutoff;
  if (recent) return searchTier(db, actor, f, q, w, limit);
  try {
    return await db.tx(async (tx) => {
      await tx.query(`SET LOCAL statement_timeout = ${OLDER_TIER_BUDGET_MS}`);
      return searchTier(tx, actor, f, q, w, limit);
    });
  } catch (err: any) {
    if (err?.code === '57014') return null; // query_canceled: the budget ran out
    throw err;
  }
}

const OLDER_TIER_BUDGET_MS = 2000;
const dayFormat = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: 'numeric', month: 'long', year: 'numeric' });

function incompleteNotice(since: number | null): string {
  // French writes the first day of a month as an ordinal: « 1er janvier ».
  const day = since === null ? null : dayFormat.format(new Date(since)).replace(/^1 /, '1er ');
  const from = day === null ? 'les plus récentes' : `reçues depuis le ${day}`;
  return `Recherche dans le texte limitée aux demandes ${from} : pour remonter plus loin dans l'historique, précisez la période (dates « du » et « au »).`;
}

const DAY_MS = 86_400_000;
const TIER_CAP = 300;
const MONTH_KEY_SPAN_MS = 62 * DAY_MS;

export interface TierWindow {
  lower: number | null;
  upper: number | null;
  /** Where the partial "recent" indexes begin (recent-index.ts); null if unknown. */
  recentCutoff: number | null;
}

async function searchTier(db: Pick<Database, 'query'>, actor: Actor, f: SearchFilters, q: string, w: TierWindow, limit: number): Promise<HitRow[]> {
  const { text, params } = searchTierSql(actor, f, q, w, limit);
  return (await db.query<HitRow>(text, params)).rows;
}

/**
 * Orders by a date without letting the planner walk the date index backwards, filtering every row on
 * the text: with a LIMIT it bets matches come soon, and for a word rare in the window it reads millions
 * of rows (10 s measured). The matches come from the GIN indexes, then a top-N sort.
 */
function unindexed(column: string): string {
  return `extract(epoch FROM ${column})`;
}

/** Same as the SQL function search_month (migration 0014): months of 30.44 days since the epoch. */
function searchMonth(ms: number): number {
  return Math.floor(ms / 1000 / 2629746);
}

/** The SQL of one tier (exported for bench:cases, which runs it raw as its baseline). */
export function searchTierSql(actor: Actor, f: SearchFilters, q: string, w: TierWindow, limit: number) {
  const { lower, upper, recentCutoff } = w;
  const { params, p } = paramList();
  const filters = caseFilters(actor, f, p, params);
  const tsq = `websearch_to_tsquery('french_unaccent', ${p(q)})`;
  // Inside the recent indexes' range, their exact predicate is repeated as a literal: the planner can
  // only use a partial index when it can prove the query stays within it.
  const recent = lower !== null && recentCutoff !== null && lower >= recentCutoff ? new Date(recentCutoff).toISOString() : null;
  // Inside the recent range the window's exact bounds are only checked on the rows the index returns:
  // as conditions on the date index they would tempt the planner into intersecting that index with the
  // text index rather than reading the recent one alone. The month key of the recent indexes narrows a
  // short window inside the GIN scan; over a long window GIN would first collect every row of those
  // months (a range of a btree_gin key: 75 ms a tier for a word with no match at all), so there the date
  // is checked on the word's matches instead.
  const monthKey = lower !== null && (upper ?? Date.now()) - lower <= MONTH_KEY_SPAN_MS;
  const bound = (col: string, op: '>=' | '<', t: number) =>
    recent === null ? `${col} ${op} ${p(new Date(t))}::timestamptz` : `${unindexed(col)} ${op} extract(epoch FROM ${p(new Date(t))}::timestamptz)`;
  const window = (col: string) =>
    [
      lower === null ? null : bound(col, '>=', lower),
      upper === null ? null : bound(col, '<', upper),
      recent === null ? null : `${col} >= '${recent}'::timestamptz`,
      // The months of a short window, for the GIN scan of the recent indexes (the exact bounds recheck).
      recent === null || !monthKey ? null : `search_month(${col}) >= ${searchMonth(lower!)}`,
      recent === null || upper === null || !monthKey ? null : `search_month(${col}) <= ${searchMonth(upper)}`,
    ]
      .filter(Boolean)
      .map((w) => ` AND ${w}`)
      .join('');
  // Inside the recent range, one source per sensitivity class the actor may read, each served by its
  // own partial index (migration 0016); older tiers read the whole-table indexes.
  const vector = (alias: string) => (recent === null ? `${alias}.search` : recentSearchVector(alias));
  const classes = recent === null ? [null] : mayReadSensitive(actor) ? [false, true] : [false];
  const sensitivity = (alias: string, cls: boolean | null) => (cls === null ? '' : ` AND ${cls ? '' : 'NOT '}${alias}.sensitive`);
  const sources = classes.flatMap((cls) => [
    `SELECT m.id, ts_rank_cd(m.search, ${tsq}) * 2 AS rank, 'case' AS matched, NULL::uuid AS source_id
           FROM (SELECT c.id, c.search FROM cases c
                  WHERE ${vector('c')} @@ ${tsq}${sensitivity('c', cls)}${window('c.created_at')} AND ${filters}
                  ORDER BY ${unindexed('c.created_at')} DESC LIMIT ${TIER_CAP}) m`,
    `SELECT m.case_id, ts_rank_cd(m.search, ${tsq}), 'interaction', m.id
           FROM (SELECT i.id, i.case_id, i.search FROM interactions i JOIN cases c ON c.id = i.case_id
                  WHERE ${vector('i')} @@ ${tsq}${sensitivity('i', cls)}${window('i.created_at')} AND ${filters}
                  ORDER BY ${unindexed('i.created_at')} DESC LIMIT ${TIER_CAP}) m`,
  ]);
  const text = `WITH hits AS (
       SELECT DISTINCT ON (id) id, rank, matched, source_id FROM (
         ${sources.join('\n         UNION ALL\n         ')}
       ) m ORDER BY id, rank DESC)
     SELECT ${HIT_COLUMNS}, h.source_id AS "sourceId", h.matched AS "matchedIn", h.rank
       FROM hits h JOIN cases c ON c.id = h.id ${HIT_JOINS}
      ORDER BY h.rank DESC, c.created_at DESC
      LIMIT ${p(limit)}`;
  return { text, params };
}

/** Extracts are costly: computed only for the page returned. */
async function addSnippets(db: Database, q: string, page: HitRow[]): Promise<void> {
  if (!page.length) return;
  const { rows } = await db.query<{ n: number; snippet: string | null }>(
    `SELECT x.n::int AS n, CASE WHEN x.matched = 'case'
        THEN (SELECT ts_headline('french_unaccent', coalesce(c.description, c.subject), q.tsq, '${HEADLINE}') FROM cases c WHERE c.id = x.id)
        ELSE (SELECT ts_headline('french_unaccent', left(coalesce(i.body, i.subject, ''), 5000), q.tsq, '${HEADLINE}') FROM interactions i WHERE i.id = x.source_id) END AS snippet
       FROM unnest($2::uuid[], $3::text[], $4::uuid[]) WITH ORDINALITY AS x(id, matched, source_id, n),
            (SELECT websearch_to_tsquery('french_unaccent', $1) AS tsq) q`,
    [q, page.map((r) => r.id), page.map((r) => r.matchedIn), page.map((r) => r.sourceId)],
  );
  for (const r of rows) page[r.n - 1].snippet = r.snippet;
}
