// The partial "recent" full-text indexes: created by the migration from 1 January of the previous year,
// rolled when a year has passed, and named in the queries of recent tiers only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { recentCutoff, rollRecentIndexes } from './recent-index.ts';
import { searchTierSql } from './search.service.ts';
import type { Actor } from '../../platform/actor.ts';

const RECENT_INDEXES = ['cases_search_recent_idx', 'cases_search_recent_sensitive_idx', 'interactions_search_recent_idx', 'interactions_search_recent_sensitive_idx'];

describe('recent full-text indexes', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => ctx.close());

  const indexDefs = async () =>
    (await ctx.rt.db.query<{ indexname: string; indexdef: string }>(
      `SELECT indexname, indexdef FROM pg_indexes WHERE indexname LIKE '%search_recent%' ORDER BY indexname`,
    )).rows;
  const januaryLastYear = () => {
    const year = Number(new Date().toLocaleString('en-CA', { timeZone: 'Europe/Paris', year: 'numeric' })) - 1;
    return `${year}-01-01`;
  };

  it('start at 1 January of last year (Paris), with the date inside the index', async () => {
    const cutoff = await recentCutoff(ctx.rt.db);
    expect(new Date(cutoff!).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' })).toBe(`${januaryLastYear()} 00:00:00`);
    const defs = await indexDefs();
    expect(defs.map((d) => d.indexname)).toEqual(RECENT_INDEXES);
    // the month is a key where btree_gin exists (PostgreSQL servers), not on the embedded PGlite
    const keys = ctx.rt.db.kind === 'postgres' ? "\\(\\(search \\|\\| ''::tsvector\\)\\), search_month\\(created_at\\)" : "\\(\\(search \\|\\| ''::tsvector\\)\\)";
    for (const d of defs) {
      const sensitivity = d.indexname.includes('sensitive') ? 'sensitive' : '\\(NOT sensitive\\)';
      expect(d.indexdef).toMatch(new RegExp(`USING gin \\(${keys}\\) WHERE \\(\\(created_at >= '.+'::timestamp with time zone\\) AND ${sensitivity}\\)`));
    }
    expect(await rollRecentIndexes(ctx.rt.db)).toBe(false);
  });

  it('roll forward when the recorded cutoff is from an earlier year, and searches keep answering', async () => {
    await ctx.rt.db.query(`UPDATE settings SET value = to_jsonb('2019-01-01T00:00:00+01:00'::timestamptz) WHERE key = 'search_recent_cutoff'`);
    expect(await rollRecentIndexes(ctx.rt.db)).toBe(true);
    const cutoff = await recentCutoff(ctx.rt.db);
    expect(new Date(cutoff!).toLocaleString('sv-SE', { timeZone: 'Europe/Paris' })).toBe(`${januaryLastYear()} 00:00:00`);
    const defs = await indexDefs();
    expect(defs.map((d) => d.indexname)).toEqual(RECENT_INDEXES);
    const { rows } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE indexname LIKE '%search_recent_idx_next'`);
    expect(rows[0].n).toBe(0);
    await ctx.rt.db.query(`INSERT INTO cases (reference, channel, subject, created_by_type) VALUES ('2026-999999', 'api', 'Élagage des platanes', 'system')`);
    const system: Actor = { kind: 'system', id: null, label: 't', roles: [], unitIds: [] };
    const tier = searchTierSql(system, { q: 'elagage' }, 'elagage', { lower: Date.now() - 30 * 86_400_000, upper: null, recentCutoff: cutoff }, 21);
    expect((await ctx.rt.db.query(tier.text, tier.params)).rows.map((r) => r.subject)).toEqual(['Élagage des platanes']);
  });

  it('are named in the SQL of a tier inside their range only', () => {
    const actor: Actor = { kind: 'agent', id: null, label: 't', roles: ['supervisor'], unitIds: [] };
    const cutoff = Date.parse('2025-01-01T00:00:00+01:00');
    const recent = searchTierSql(actor, { q: 'route' }, 'route', { lower: Date.now() - 30 * 86_400_000, upper: null, recentCutoff: cutoff }, 21);
    const older = searchTierSql(actor, { q: 'route' }, 'route', { lower: Date.parse('2020-01-01'), upper: cutoff, recentCutoff: cutoff }, 21);
    expect(recent.text).toContain(`created_at >= '2024-12-31T23:00:00.000Z'::timestamptz`);
    expect(older.text).not.toContain(`'2024-12-31T23:00:00.000Z'`);
  });
});
