// The permission matrix: each role × read / list / search / act on a normal and a sensitive case, of its
// own unit and of another. Every refusal is asserted, and guessing a reference or id reveals nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { createCase } from './cases.service.ts';
import { systemActor } from '../../platform/actor.ts';
import { createToken } from '../auth/tokens.service.ts';

type Outcome = 'ok' | 404 | 403;
interface Expect { read: Outcome; list: boolean; search: boolean; act: Outcome; annotate: Outcome }

describe('case permission matrix', () => {
  let ctx: TestContext;
  let org: Org;
  let normal: string;
  let sensitive: string;
  const headers: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    normal = (await createCase(ctx.rt.db, systemActor(), { channel: 'phone', topic: 'signalement-voirie', subject: 'Nid-de-poule dangereux', description: 'Un trou profond sur la RD 2060 à Châteauneuf', contact: { email: 'usager@exemple.fr', name: 'Paul Usager' } })).reference;
    sensitive = (await createCase(ctx.rt.db, systemActor(), { channel: 'mail', topic: 'protection-enfance', subject: 'Information préoccupante', description: 'Signalement confidentiel concernant un enfant à Châteauneuf', contact: { email: 'voisin@exemple.fr', name: 'Jeanne Voisine' } })).reference;
    for (const key of Object.keys(org.agents)) headers[key] = await signIn(ctx, org.agents[key].email);
    const tok = await createToken(ctx.rt.db, systemActor(), { name: 'pbx', role: 'integration' });
    headers.token = { authorization: `Bearer ${tok.token}` };
    const ro = await createToken(ctx.rt.db, systemActor(), { name: 'lecture', role: 'integration', scopes: ['cti:events'] });
    headers.ctiOnly = { authorization: `Bearer ${ro.token}` };
  });
  afterAll(async () => ctx.close());

  const front: Expect = { read: 'ok', list: true, search: true, act: 403, annotate: 'ok' };
  const hidden: Expect = { read: 404, list: false, search: false, act: 404, annotate: 404 };
  const owner: Expect = { read: 'ok', list: true, search: true, act: 'ok', annotate: 'ok' };
  const MATRIX: Record<string, { normal: Expect; sensitive: Expect }> = {
    cc: { normal: front, sensitive: hidden },
    clerk: { normal: front, sensitive: hidden },
    counter: { normal: front, sensitive: hidden },
    routes: { normal: owner, sensitive: hidden },
    routesmgr: { normal: owner, sensitive: hidden },
    ase: { normal: hidden, sensitive: owner },
    culture: { normal: hidden, sensitive: hidden },
    super: { normal: { read: 'ok', list: true, search: true, act: 403, annotate: 403 }, sensitive: hidden },
    admin: { normal: { read: 404, list: false, search: false, act: 404, annotate: 404 }, sensitive: hidden },
    token: { normal: { read: 'ok', list: true, search: true, act: 'ok', annotate: 'ok' }, sensitive: hidden },
  };

  const status = (o: Outcome, okCode: number) => (o === 'ok' ? okCode : o);

  for (const [who, rows] of Object.entries(MATRIX)) {
    for (const kind of ['normal', 'sensitive'] as const) {
      it(`${who} × ${kind} case`, async () => {
        const e = rows[kind];
        const ref = kind === 'normal' ? normal : sensitive;
        const h = headers[who];
        const read = await ctx.app.inject({ url: `/api/v1/cases/${ref}`, headers: h });
        expect(read.statusCode, `read ${read.body}`).toBe(status(e.read, 200));
        if (e.read === 404) expect(read.json()).toEqual({ error: { code: 'not_found', message: 'Demande introuvable.' } });

        const list = await ctx.app.inject({ url: `/api/v1/cases?limit=200`, headers: h });
        if (who === 'admin') {
          expect(list.statusCode).toBe(403);
        } else {
          expect(list.statusCode).toBe(200);
          expect(list.json().items.some((c: any) => c.reference === ref)).toBe(e.list);
        }
        const found = await ctx.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('Châteauneuf')}`, headers: h });
        if (who === 'admin') expect(found.statusCode).toBe(403);
        else expect(found.json().cases.some((c: any) => c.reference === ref)).toBe(e.search);
        const byRef = await ctx.app.inject({ url: `/api/v1/search?q=${ref}`, headers: h });
        if (who !== 'admin') expect(byRef.json().cases.length).toBe(e.search ? 1 : 0);

        const annotate = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${ref}/interactions`, headers: h, payload: { kind: 'call', direction: 'inbound', body: "L'usager rappelle pour avoir des nouvelles." } });
        expect(annotate.statusCode, `annotate ${annotate.body}`).toBe(status(e.annotate, 201));
        const act = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${ref}/transitions`, headers: h, payload: { to: 'in_progress' } });
        // A successful act moves the case on: put it back so the next row of the matrix starts alike.
        expect(act.statusCode, `act ${act.body}`).toBe(status(e.act, 200));
        if (act.statusCode === 200) {
          await ctx.rt.db.query(`UPDATE cases SET status = 'qualified' WHERE reference = $1`, [ref]);
        }
      });
    }
  }

  it('a token without the cases scopes may not read cases at all', async () => {
    expect((await ctx.app.inject({ url: `/api/v1/cases/${normal}`, headers: headers.ctiOnly })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/api/v1/cases`, headers: headers.ctiOnly })).statusCode).toBe(403);
  });

  it('guessing references or ids gives the same 404 as a hidden case', async () => {
    const h = headers.cc;
    for (const url of ['/api/v1/cases/2026-999999', '/api/v1/cases/6b1f0a52-4d0c-4b7e-9a55-1c8e0b8f0e11', `/api/v1/cases/${sensitive}`, '/api/v1/cases/nimportequoi']) {
      const r = await ctx.app.inject({ url, headers: h });
      expect(r.statusCode).toBe(404);
      expect(r.json()).toEqual({ error: { code: 'not_found', message: 'Demande introuvable.' } });
    }
  });

  it('anonymous callers get 401', async () => {
    expect((await ctx.app.inject({ url: `/api/v1/cases/${normal}` })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: `/api/v1/search?q=route` })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/cases`, payload: { channel: 'api', subject: 'x' } })).statusCode).toBe(401);
  });

  it('every read of a sensitive case is an audit event', async () => {
    const before = (await ctx.rt.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'case.read'`)).rows[0].n;
    await ctx.app.inject({ url: `/api/v1/cases/${sensitive}`, headers: headers.ase });
    await ctx.app.inject({ url: `/api/v1/cases/${normal}`, headers: headers.routes });
    const { rows } = await ctx.rt.db.query(`SELECT actor_id, object_id FROM audit_events WHERE action = 'case.read' ORDER BY id DESC`);
    expect(rows.length).toBe(before + 1);
    expect(rows[0].actor_id).toBe(org.agents.ase.id);
  });

  it('counts never include cases the actor may not see', async () => {
    const cc = (await ctx.app.inject({ url: '/api/v1/cases/counts', headers: headers.cc })).json();
    const ase = (await ctx.app.inject({ url: '/api/v1/cases/counts', headers: headers.ase })).json();
    expect(cc.open).toBe(1);
    expect(ase.open).toBe(1);
  });
});
