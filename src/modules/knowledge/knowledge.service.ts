// Knowledge base for level 1: articles (question → answer) by topic, searched in French without accents,
// suggested during a call from the topic and the words typed, counted when used; public ones feed the
// portal FAQ. Unit managers and administrators write; every signed-in agent reads.
import type { Database, Sql, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize, requireSignedIn } from '../policy/policy.ts';
import { isUuid } from '../contacts/contacts.repository.ts';

export interface ArticleInput {
  title: string;
  answer: string;
  topic?: string | null;
  keywords?: string[];
  validFrom?: string | null;
  validUntil?: string | null;
  public?: boolean;
}

export interface Article {
  id: string;
  title: string;
  answer: string;
  topic: string | null;
  topicName: string | null;
  keywords: string[];
  validFrom: string | null;
  validUntil: string | null;
  public: boolean;
  authorLabel: string | null;
  useCount: number;
  updatedAt: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const SELECT = `SELECT a.id, a.title, a.answer, t.code AS topic, t.name AS "topicName", a.keywords, a.valid_from AS "validFrom",
  a.valid_until AS "validUntil", a.public, a.author_label AS "authorLabel", a.use_count AS "useCount", a.updated_at AS "updatedAt"
  FROM knowledge_articles a LEFT JOIN topics t ON t.id = a.topic_id`;
const SEARCH_VECTOR = `setweight(to_tsvector('french_unaccent', $1), 'A') || setweight(to_tsvector('french_unaccent', $2), 'A') || setweight(to_tsvector('french_unaccent', $3), 'B')`;

function view(r: any): Article {
  return { ...r, updatedAt: new Date(r.updatedAt).toISOString() };
}

async function checkInput(sql: Sql, i: ArticleInput) {
  const errors: Record<string, string> = {};
  const title = i.title?.trim();
  const answer = i.answer?.trim();
  if (!title || title.length > 300) errors.title = 'Titre obligatoire (300 caractères au plus).';
  if (!answer || answer.length > 20_000) errors.answer = 'Réponse obligatoire (20 000 caractères au plus).';
  if (i.validFrom && !DAY.test(i.validFrom)) errors.validFrom = 'Date attendue au format AAAA-MM-JJ.';
  if (i.validUntil && !DAY.test(i.validUntil)) errors.validUntil = 'Date attendue au format AAAA-MM-JJ.';
  if (i.validFrom && i.validUntil && i.validUntil < i.validFrom) errors.validUntil = 'La fin de validité précède son début.';
  const keywords = [...new Set((i.keywords ?? []).map((k) => k.trim().toLowerCase()).filter(Boolean))].slice(0, 30);
  let topicId: string | null = null;
  if (i.topic) {
    const { rows } = await sql.query<{ id: string }>('SELECT id FROM topics WHERE code = $1', [i.topic]);
    if (!rows[0]) errors.topic = `Objet inconnu : ${i.topic}`;
    else topicId = rows[0].id;
  }
  if (Object.keys(errors).length) throw new Invalid(errors);
  return { title: title!, answer: answer!, keywords, topicId };
}

export async function createArticle(db: Database, actor: Actor, input: ArticleInput): Promise<Article> {
  authorize(actor, 'knowledge.write');
  const id = await db.tx(async (tx) => {
    const c = await checkInput(tx, input);
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO knowledge_articles (title, answer, keywords, topic_id, valid_from, valid_until, public, author_id, author_label, search)
       VALUES ($1, $3, $4, $5, $6, $7, $8, $9, $10, ${SEARCH_VECTOR}) RETURNING id`,
      [c.title, c.keywords.join(' '), c.answer, c.keywords, c.topicId, input.validFrom || null, input.validUntil || null, !!input.public,
        actor.kind === 'agent' ? actor.id : null, actor.label],
    );
    tx.audit({ actor, action: 'knowledge.create', objectType: 'knowledge_article', objectId: rows[0].id, after: { title: c.title, topic: input.topic ?? null, public: !!input.public } });
    return rows[0].id;
  });
  return getArticle(db, actor, id);
}

export async function updateArticle(db: Database, actor: Actor, id: string, patch: Partial<ArticleInput>): Promise<Article> {
  authorize(actor, 'knowledge.write');
  const current = await getArticle(db, actor, id);
  const next: ArticleInput = { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  await db.tx(async (tx) => {
    const c = await checkInput(tx, next);
    await tx.query(
      `UPDATE knowledge_articles SET title = $1, answer = $3, keywords = $4, topic_id = $5, valid_from = $6, valid_until = $7, public = $8,
              search = ${SEARCH_VECTOR}, updated_at = now() WHERE id = $9`,
      [c.title, c.keywords.join(' '), c.answer, c.keywords, c.topicId, next.validFrom || null, next.validUntil || null, !!next.public, id],
    );
    tx.audit({ actor, action: 'knowledge.update', objectType: 'knowledge_article', objectId: id, before: current, after: next });
  });
  return getArticle(db, actor, id);
}

export async function archiveArticle(db: Database, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'knowledge.write');
  await getArticle(db, actor, id);
  await db.tx(async (tx) => {
    await tx.query('UPDATE knowledge_articles SET archived = true, updated_at = now() WHERE id = $1', [id]);
    tx.audit({ actor, action: 'knowledge.archive', objectType: 'knowledge_article', objectId: id });
  });
}

export async function getArticle(sql: Sql, actor: Actor, id: string): Promise<Article> {
  requireSignedIn(actor);
  if (!isUuid(id)) throw new NotFound('Article introuvable.');
  const { rows } = await sql.query(`${SELECT} WHERE a.id = $1 AND NOT a.archived`, [id]);
  if (!rows[0]) throw new NotFound('Article introuvable.');
  return view(rows[0]);
}

/** Words of a free text as an OR query: suggestions rank articles sharing any word typed during the call. */
export function orQuery(q: string): string | null {
  const words = q.toLowerCase().match(/[\p{L}\p{N}]{2,}/gu) ?? [];
  return words.length ? [...new Set(words)].slice(0, 20).join(' | ') : null;
}

export interface ArticleSearch {
  q?: string;
  topic?: string;
  publicOnly?: boolean;
  limit?: number;
}

/** Valid articles (today in Paris) matching the words and/or the topic; the topic's own articles first, then the most used. */
async function searchArticles(sql: Sql, s: ArticleSearch): Promise<Article[]> {
  const params: unknown[] = [s.q ? orQuery(s.q) : null, s.topic ?? null];
  const where = [
    'NOT a.archived',
    `(a.valid_from IS NULL OR a.valid_from <= (now() AT TIME ZONE 'Europe/Paris')::date)`,
    `(a.valid_until IS NULL OR a.valid_until >= (now() AT TIME ZONE 'Europe/Paris')::date)`,
    `($1::text IS NULL OR a.search @@ to_tsquery('french_unaccent', $1))`,
    // with words: any topic (the topic only boosts); without words: the topic's articles
    `($1::text IS NOT NULL OR $2::text IS NULL OR t.code = $2)`,
  ];
  if (s.publicOnly) where.push('a.public');
  params.push(Math.min(Math.max(s.limit ?? 20, 1), 100));
  const { rows } = await sql.query(
    `${SELECT} WHERE ${where.join(' AND ')}
      ORDER BY (t.code IS NOT DISTINCT FROM $2) DESC,
               CASE WHEN $1::text IS NULL THEN 0 ELSE ts_rank(a.search, to_tsquery('french_unaccent', $1)) END DESC,
               a.use_count DESC, a.title
      LIMIT $3`,
    params,
  );
  return rows.map(view);
}

export async function listArticles(sql: Sql, actor: Actor, s: ArticleSearch): Promise<Article[]> {
  requireSignedIn(actor);
  return searchArticles(sql, s);
}

/** The portal FAQ: public, valid articles, without internal details. */
export async function publicFaq(sql: Sql, s: Omit<ArticleSearch, 'publicOnly'>) {
  const items = await searchArticles(sql, { ...s, publicOnly: true });
  return items.map((a) => ({ id: a.id, question: a.title, answer: a.answer, topic: a.topic, topicName: a.topicName }));
}

/** Counts a use of an article (inside the qualification's transaction). */
export async function recordArticleUse(tx: Tx, articleId: string, ctx: { callId?: string; caseId?: string; agentId: string | null }) {
  const r = await tx.query('UPDATE knowledge_articles SET use_count = use_count + 1 WHERE id = $1', [articleId]);
  if (!r.rowCount) throw new Invalid({ articleId: 'Article inconnu.' });
  await tx.query('INSERT INTO knowledge_uses (article_id, call_id, case_id, agent_id) VALUES ($1, $2, $3, $4)', [articleId, ctx.callId ?? null, ctx.caseId ?? null, ctx.agentId]);
}
