// Full-text search by recency tiers: recent matches first, older ones on the next pages or through the
// date filters, no case twice, and the actor's visibility applied inside every tier.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';

describe('full-text search over ten years', () => {
  let ctx: TestContext;
  let org: Org;
  const h: Record<string, Record<string, string>> = {};
  const refs: Record<string, string> = {};

  async function caseAged(key: string, who: string, days: number, payload: Record<string, unknown>, note?: string) {
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: h[who], payload: { channel: 'phone', ...payload } });
    expect(r.statusCode, r.body).toBe(201);
    refs[key] = r.json().reference;
    if (note) {
      const n = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${refs[key]}/interactions`, headers: h[who], payload: { kind: 'note', body: note } });
      expect(n.statusCode, n.body).toBe(201);
    }
    const at = `now() - interval '${days} days'`;
    await ctx.rt.db.query(`UPDATE cases SET created_at = ${at} WHERE reference = $1`, [refs[key]]);
    await ctx.rt.db.query(`UPDATE interactions SET created_at = ${at}, occurred_at = ${at} WHERE case_id = (SELECT id FROM cases WHERE reference = $1)`, [refs[key]]);
  }

  const search = async (who: string, query: string) => {
    const r = await ctx.app.inject({ url: `/api/v1/search?type=case&${query}`, headers: h[who] });
    expect(r.statusCode, r.body).toBe(200);
    return r.json() as { cases: Array<{ reference: string; matchedIn: string; snippet: string | null }>; nextCursor: string | null };
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    for (const k of ['cc', 'routes', 'culture', 'ase', 'super']) h[k] = await signIn(ctx, org.agents[k].email);
    await caseAged('recent', 'cc', 3, { topic: 'signalement-voirie', subject: 'Glissière de sécurité arrachée', description: 'Glissière arrachée sur la RD 2060.' });
    await caseAged('lastYear', 'cc', 200, { topic: 'signalement-voirie', subject: 'Glissière tordue', description: 'Une glissière est tordue à Ouzouer.' });
    await caseAged('old', 'cc', 2000, { topic: 'subvention-culture', subject: 'Festival de musique', description: 'Demande ancienne.' }, 'Le devis mentionne une glissière de scène.');
  });
  afterAll(async () => ctx.close());

  it('lists recent matches first, and says when older history needs dates', async () => {
    const recent = await search('cc', 'q=glissi%C3%A8res&limit=10');
    expect(recent.cases.map((c) => c.reference)).toEqual([refs.recent, refs.lastYear]);
    expect(recent).toMatchObject({ complete: false, nextCursor: null });
    expect((recent as any).notice).toMatch(/limitée aux demandes reçues depuis le 1er janvier \d{4} : .*précisez la période/);

    const all = await search('cc', 'q=glissi%C3%A8res&limit=10&from=2000-01-01');
    expect(all.cases.map((c) => c.reference)).toEqual([refs.recent, refs.lastYear, refs.old]);
    expect(all.cases[2]).toMatchObject({ matchedIn: 'interaction' });
    expect(all.cases[2].snippet).toContain('«glissière»');
    expect(all).toMatchObject({ complete: true, notice: null, nextCursor: null });
  });

  it('pages through the tiers with the cursor', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await search('cc', `q=glissiere&limit=1&from=2000-01-01${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.cases).toHaveLength(1);
      seen.push(page.cases[0].reference);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([refs.recent, refs.lastYear, refs.old]);
  });

  it('reaches old cases at once with the date filters', async () => {
    const from = new Date(Date.now() - 2100 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.now() - 1900 * 86_400_000).toISOString().slice(0, 10);
    const r = await search('cc', `q=glissiere&from=${from}&to=${to}`);
    expect(r.cases.map((c) => c.reference)).toEqual([refs.old]);
  });

  it('applies visibility in every tier: a unit agent finds only its units’ cases, however old', async () => {
    expect((await search('routes', 'q=glissiere&from=2000-01-01')).cases.map((c) => c.reference)).toEqual([refs.recent, refs.lastYear]);
    expect((await search('culture', 'q=glissiere&from=2000-01-01')).cases.map((c) => c.reference)).toEqual([refs.old]);
  });

  it('finds sensitive cases for their handling unit only, by their text and their interactions', async () => {
    await caseAged('child', 'ase', 5, { topic: 'protection-enfance', subject: 'Information préoccupante', description: 'Signalement concernant un enfant scolarisé.' }, 'Entretien avec la famille : hébergement chez une tante.');
    await caseAged('childOld', 'ase', 200, { topic: 'protection-enfance', subject: 'Information préoccupante', description: 'Premier signalement.' });
    const found = async (who: string, q: string) => (await search(who, `q=${encodeURIComponent(q)}`)).cases.map((c) => `${c.reference}:${c.matchedIn}`);
    expect(await found('ase', 'enfant scolarisé')).toEqual([`${refs.child}:case`]);
    expect(await found('ase', 'hébergement tante')).toEqual([`${refs.child}:interaction`]);
    expect(await found('ase', 'préoccupante')).toEqual([`${refs.child}:case`, `${refs.childOld}:case`]);
    for (const who of ['super', 'cc', 'routes']) {
      expect(await found(who, 'préoccupante')).toEqual([]);
      expect(await found(who, 'hébergement tante')).toEqual([]);
    }
  });

  it('keeps each interaction flagged like its case, through requalification', async () => {
    const flags = async (ref: string) =>
      (await ctx.rt.db.query(`SELECT DISTINCT i.sensitive FROM interactions i JOIN cases c ON c.id = i.case_id WHERE c.reference = $1`, [ref])).rows.map((r) => r.sensitive);
    await caseAged('mixed', 'cc', 2, { subject: 'Appel au sujet d’un enfant', description: 'À qualifier.' }, 'Le voisin signale un enfant seul le soir.');
    expect(await flags(refs.mixed)).toEqual([false]);
    const q = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${refs.mixed}/qualify`, headers: h.cc, payload: { topic: 'protection-enfance' } });
    expect(q.statusCode, q.body).toBe(200);
    expect(await flags(refs.mixed)).toEqual([true]);
    expect(await (async () => (await search('super', 'q=voisin%20seul')).cases)()).toEqual([]);
    expect((await search('ase', 'q=voisin%20seul')).cases.map((c) => c.reference)).toEqual([refs.mixed]);
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('answers in time with what it has when old history is slow, and says how to go further', async () => {
    // Another session holds the tables: the older tiers wait for it until their time budget runs out.
    const { default: pg } = await import('pg');
    const blocker = new pg.Client({ connectionString: (ctx.rt.db as any).url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE interactions IN ACCESS EXCLUSIVE MODE');
      const to = new Date(Date.now() - 1900 * 86_400_000).toISOString().slice(0, 10);
      const r = await search('cc', `q=glissiere&to=${to}`);
      expect(r).toMatchObject({ cases: [], complete: false });
      expect((r as any).notice).toContain('précisez la période');
      expect((r as any).notice).toContain('depuis le');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
    }
  });
});
