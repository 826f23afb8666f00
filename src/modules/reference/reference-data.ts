// The reference data every case creation needs — topics, active routing rules, active units, closures —
// kept in memory per connection pool. Freshness comes from the database: triggers bump the single row
// `reference_version` on any change to those tables (migration 0013); callers read that number in a
// query they make anyway and pass it here, and a newer number reloads everything. A process therefore
// never routes with a taxonomy older than the one committed when its transaction read the version.
import type pg from 'pg';
import type { Sql } from '../../platform/db/database.ts';
import { loadAllTopics, type TopicView } from '../topics/topics.service.ts';
import { loadActiveRules, type RoutingRule } from '../routing/routing.service.ts';

export interface ReferenceData {
  version: number;
  topicsByCode: ReadonlyMap<string, TopicView>;
  topicsById: ReadonlyMap<string, TopicView>;
  activeRules: RoutingRule[];
  activeUnitIdsByCode: ReadonlyMap<string, string>;
  closures: ReadonlySet<string>;
}

/**
 * SQL expression giving the current version, to add to a query the caller makes anyway. It is -1 when
 * the caller's own transaction changed reference data: what it sees is not committed, so it is loaded
 * for that transaction and never cached.
 */
export const REFERENCE_VERSION_SQL = `(SELECT CASE WHEN xmin::text = (pg_current_xact_id_if_assigned()::text::bigint % 4294967296)::text
                                                THEN -1 ELSE version END
                                         FROM reference_version)`;

const cache = new WeakMap<pg.Pool, ReferenceData>();
const loading = new WeakMap<pg.Pool, { version: number; promise: Promise<ReferenceData> }>();

/**
 * The reference data at `version` or newer. `pool` identifies the database (one cache per pool);
 * `sql` is where to load from when needed (the caller's transaction).
 */
export async function referenceData(pool: pg.Pool, sql: Sql, version: number): Promise<ReferenceData> {
  if (version < 0) return load(sql, version);
  const cached = cache.get(pool);
  if (cached && cached.version >= version) return cached;
  const pending = loading.get(pool);
  if (pending && pending.version >= version) return pending.promise;
  const promise = load(sql, version).then((data) => {
    const current = cache.get(pool);
    if (!current || current.version <= data.version) cache.set(pool, data);
    return data;
  });
  loading.set(pool, { version, promise });
  try {
    return await promise;
  } finally {
    if (loading.get(pool)?.promise === promise) loading.delete(pool);
  }
}

async function load(sql: Sql, version: number): Promise<ReferenceData> {
  // Sequential on purpose: `sql` may be a transaction's single connection.
  const topics = await loadAllTopics(sql);
  const activeRules = await loadActiveRules(sql);
  const units = (await sql.query<{ id: string; code: string }>('SELECT id, code FROM units WHERE active')).rows;
  const closures = (await sql.query<{ day: string }>('SELECT day::text AS day FROM closures')).rows;
  return {
    version,
    topicsByCode: new Map(topics.map((t) => [t.code, t])),
    topicsById: new Map(topics.map((t) => [t.id, t])),
    activeRules,
    activeUnitIdsByCode: new Map(units.map((u) => [u.code, u.id])),
    closures: new Set(closures.map((c) => c.day)),
  };
}
