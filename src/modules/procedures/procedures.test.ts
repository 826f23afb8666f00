// Administrators edit procedure definitions through the API: checked, versioned, audited; the file no
// longer overrides an edited procedure; other agents may not edit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg } from '../../../test/helpers/fixtures.ts';
import { DEFAULT_PROCEDURES_DIR, seedProcedures } from './procedures.service.ts';

describe('procedure administration', () => {
  let ctx: TestContext;
  const h: Record<string, Record<string, string>> = {};
  const def = JSON.parse(fs.readFileSync(`${DEFAULT_PROCEDURES_DIR}/signalement-voirie.json`, 'utf8'));

  beforeAll(async () => {
    ctx = await createTestContext();
    const org = await makeOrg(ctx);
    h.admin = await signIn(ctx, org.agents.admin.email);
    h.routes = await signIn(ctx, org.agents.routes.email);
  });
  afterAll(async () => ctx.close());

  it('replaces a definition (new version, audited), which the seed file then leaves alone', async () => {
    const put = (who: string, payload: unknown) => ctx.app.inject({ method: 'PUT', url: '/api/v1/admin/procedures/signalement-voirie', headers: h[who], payload: payload as never });
    expect((await put('routes', { definition: def })).statusCode).toBe(403);
    const bad = await put('admin', { definition: { ...def, pages: [{ title: 'P', fields: [{ name: 'x', type: 'couleur', label: 'X' }] }] } });
    expect(bad.statusCode).toBe(422);
    expect(Object.values(bad.json().error.fields).join(' ')).toContain('type inconnu');
    const edited = { ...def, title: 'Signaler un problème sur la route' };
    const ok = await put('admin', { definition: edited });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ title: 'Signaler un problème sur la route', source: 'admin', version: 2 });
    await seedProcedures(ctx.rt.db);
    const pub = (await ctx.app.inject({ url: '/api/v1/portal/procedures/signalement-voirie' })).json();
    expect(pub.title).toBe('Signaler un problème sur la route');
    const audit = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'procedure.save'`);
    expect(audit.rows[0].n).toBe(1);
  });
});
