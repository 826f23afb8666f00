// The partial "recent" GIN indexes of full-text search (migrations 0014 and 0016): rows since 1 January
// of the previous year, one index for the non-sensitive rows and one for the sensitive ones, of cases
// and of interactions. The cutoff is kept in `settings`; the search repeats it as a literal so the
// planner can prove a recent window lies inside the index. Rolling it once a year keeps the indexes
// small; a process still using the old cutoff for a few minutes only falls back to the older tiers'
// path (slower, same answers).
import type pg from 'pg';
import type { Database, Sql } from '../../platform/db/database.ts';

const INDEXES = (['cases', 'interactions'] as const).flatMap((table) => [
  { table, name: `${table}_search_recent_idx`, sensitive: false },
  { table, name: `${table}_search_recent_sensitive_idx`, sensitive: true },
]);

/**
 * The text vector as the recent indexes hold it: the same lexemes as `search`, under an expression of
 * their own that only the recent tiers name, so that for them the planner cannot pick the whole-table
 * index instead (it misjudges phrases by 10^4, then filters ten years of matches by date).
 */
export function recentSearchVector(alias: string): string {
  return `(${alias}.search || ''::tsvector)`;
}

const CACHE_MS = 10 * 60_000;
const cache = new WeakMap<pg.Pool, { cutoff: number | null; at: number }>();

/** The cutoff in force (ms since epoch), or null when unknown; cached per pool for a few minutes. */
export async function recentCutoff(db: Database): Promise<number | null> {
  const hit = cache.get(db.pool);
  if (hit && Date.now() - hit.at < CACHE_MS) return hit.cutoff;
  const { rows } = await db.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = 'search_recent_cutoff'`);
  const cutoff = rows[0] ? Date.parse(rows[0].value) : null;
  cache.set(db.pool, { cutoff: Number.isFinite(cutoff) ? cutoff : null, at: Date.now() });
  return cache.get(db.pool)!.cutoff;
}

/** 1 January of the previous year, midnight in Paris, as PostgreSQL computes it. */
async function targetCutoff(sql: Sql): Promise<string> {
  const { rows } = await sql.query<{ t: string }>(
    `SELECT to_jsonb((date_trunc('year', now() AT TIME ZONE 'Europe/Paris') - interval '1 year') AT TIME ZONE 'Europe/Paris') #>> '{}' AS t`,
  );
  return rows[0].t;
}

/**
 * Moves the cutoff when a new year has begun: builds the new indexes beside the old ones (concurrently on
 * a server), records the new cutoff, then drops the old indexes. Idempotent; returns whether it rolled.
 */
export async function rollRecentIndexes(db: Database): Promise<boolean> {
  const target = await targetCutoff(db);
  const { rows } = await db.query<{ value: string }>(`SELECT value #>> '{}' AS value FROM settings WHERE key = 'search_recent_cutoff'`);
  if (rows[0] && Date.parse(rows[0].value) >= Date.parse(target)) return false;
  const concurrently = db.kind === 'postgres' ? 'CONCURRENTLY ' : '';
  const keys = `(search || ''::tsvector)${(await hasBtreeGin(db)) ? ', search_month(created_at)' : ''}`;
  const literal = `'${new Date(Date.parse(target)).toISOString()}'::timestamptz`;
  for (const { table, name, sensitive } of INDEXES) {
    await db.query(`DROP INDEX ${concurrently}IF EXISTS ${name}_next`); // a half-built one from an interrupted run
    await db.query(`CREATE INDEX ${concurrently}${name}_next ON ${table} USING gin (${keys}) WHERE created_at >= ${literal} AND ${sensitive ? '' : 'NOT '}sensitive`);
  }
  await db.query(
    `INSERT INTO settings (key, value) VALUES ('search_recent_cutoff', to_jsonb($1::timestamptz))
     ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [target],
  );
  for (const { name } of INDEXES) {
    await db.query(`DROP INDEX ${concurrently}IF EXISTS ${name}`);
    await db.query(`ALTER INDEX ${name}_next RENAME TO ${name}`);
  }
  cache.delete(db.pool);
  return true;
}

/** Whether the month can be a key of the GIN indexes (migration 0014 installs btree_gin where it exists). */
async function hasBtreeGin(sql: Sql): Promise<boolean> {
  const { rows } = await sql.query(`SELECT 1 FROM pg_extension WHERE extname = 'btree_gin'`);
  return rows.length > 0;
}
