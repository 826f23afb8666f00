import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, PASSWORD, type TestContext } from '../../../test/helpers/runtime.ts';

describe('agent administration', () => {
  let ctx: TestContext;
  let admin: Record<string, string>;
  let agentId: string;
  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'routes', 'Routes');
    await makeUnit(ctx, 'culture', 'Culture');
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    agentId = (await makeAgent(ctx, 'agent@test.fr', ['unit_agent'], ['routes'])).id;
    admin = await signIn(ctx, 'admin@test.fr');
  });
  afterAll(async () => ctx.close());

  it('lists, creates and changes accounts, audited', async () => {
    const list = await ctx.app.inject({ url: '/api/v1/agents', headers: admin });
    expect(list.json().items.map((a: any) => a.email)).toEqual(['admin@test.fr', 'agent@test.fr']);
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/agents', headers: admin, payload: { email: 'Nouvel.Agent@test.fr', displayName: 'Nouvel Agent', password: 'un-mot-de-passe-long', roles: ['contact_center'], unitCodes: ['routes'], extension: '301' } });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ email: 'nouvel.agent@test.fr', unitCodes: ['routes'], extension: '301' });
    const dupExt = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/agents/${agentId}`, headers: admin, payload: { extension: '301' } });
    expect(dupExt.statusCode).toBe(409);
    const moved = await ctx.app.inject({ method: 'PATCH', url: `/api/v1/agents/${agentId}`, headers: admin, payload: { roles: ['unit_manager'], unitCodes: ['culture'] } });
    expect(moved.json()).toMatchObject({ roles: ['unit_manager'], unitCodes: ['culture'] });
    const audit = await ctx.rt.db.query(`SELECT before, after FROM audit_events WHERE action = 'agent.update' AND object_id = $1`, [agentId]);
    expect(audit.rows[0].before.roles).toEqual(['unit_agent']);
    expect(audit.rows[0].after.roles).toEqual(['unit_manager']);
  });

  it('a deactivated account loses its sessions and cannot sign in', async () => {
    const h = await signIn(ctx, 'agent@test.fr');
    await ctx.app.inject({ method: 'PATCH', url: `/api/v1/agents/${agentId}`, headers: admin, payload: { active: false } });
    expect((await ctx.app.inject({ url: '/api/v1/auth/session', headers: h })).statusCode).toBe(401);
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'agent@test.fr', password: PASSWORD } });
    expect(r.statusCode).toBe(401);
  });

  it('only administrators manage accounts; an agent edits their own signature and password', async () => {
    await makeAgent(ctx, 'moi@test.fr', ['unit_agent'], ['routes']);
    const me = await signIn(ctx, 'moi@test.fr');
    expect((await ctx.app.inject({ url: '/api/v1/agents', headers: me })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'PATCH', url: `/api/v1/agents/${agentId}`, headers: me, payload: { active: true } })).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: me, payload: { signature: 'Service des routes' } })).statusCode).toBe(204);
    const wrong = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: me, payload: { currentPassword: 'faux', newPassword: 'nouveau-mot-de-passe' } });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().error.fields.currentPassword).toContain('incorrect');
    const ok = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/me', headers: me, payload: { currentPassword: PASSWORD, newPassword: 'nouveau-mot-de-passe' } });
    expect(ok.statusCode).toBe(204);
    await signIn(ctx, 'moi@test.fr', 'nouveau-mot-de-passe');
  });
});
