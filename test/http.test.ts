// The HTTP contract of the platform: error shapes, sign-in, lockout, CSRF, tokens and their scopes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, PASSWORD, type TestContext } from './helpers/runtime.ts';
import { createToken } from '../src/modules/auth/tokens.service.ts';
import { systemActor } from '../src/platform/actor.ts';

describe('HTTP platform', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'routes');
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    await makeAgent(ctx, 'agent@test.fr', ['unit_agent'], ['routes']);
    await makeAgent(ctx, 'lock@test.fr', ['unit_agent'], ['routes']);
  });
  afterAll(async () => ctx.close());

  it('health answers ok when the database answers', async () => {
    const res = await ctx.app.inject('/api/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('serves the OpenAPI document and its UI', async () => {
    const doc = (await ctx.app.inject('/api/openapi.json')).json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.paths)).toContain('/api/v1/auth/sign-in');
    expect((await ctx.app.inject('/api/docs/')).statusCode).toBe(200);
  });

  it('401: not signed in', async () => {
    const res = await ctx.app.inject('/api/v1/units');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthorized', message: 'Authentification requise.' } });
  });

  it('403: signed in but not allowed', async () => {
    const h = await signIn(ctx, 'agent@test.fr');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'x-unit', name: 'X' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
  });

  it('422: invalid fields, named, in French', async () => {
    const h = await signIn(ctx, 'admin@test.fr');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'Pas Bon!', name: 'X' } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toEqual({ error: { code: 'invalid', message: 'Certaines informations sont invalides.', fields: { code: expect.stringContaining('minuscules') } } });
    const missing = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'ok-code' } });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error.fields).toEqual({ name: 'Champ obligatoire.' });
  });

  it('400: malformed JSON is the client’s error, never a 500', async () => {
    const h = await signIn(ctx, 'admin@test.fr');
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: { ...h, 'content-type': 'application/json' }, payload: '{"code":' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('bad_request');
  });

  it('creates a unit under a direction, and one with every optional field null', async () => {
    const h = await signIn(ctx, 'admin@test.fr');
    const dir = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'dir-test', name: 'Direction test', kind: 'direction', parentCode: null, email: null, phone: null } });
    expect(dir.statusCode, dir.body).toBe(201);
    const unit = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'unit-test', name: 'Service test', parentCode: 'dir-test' } });
    expect(unit.json()).toMatchObject({ parentCode: 'dir-test', parentId: dir.json().id });
    const orphan = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'unit-x', name: 'X', parentCode: 'nope' } });
    expect(orphan.statusCode).toBe(422);
  });

  it('404 for unknown routes, 409 on conflicts', async () => {
    expect((await ctx.app.inject('/api/v1/nothing-here')).statusCode).toBe(404);
    const h = await signIn(ctx, 'admin@test.fr');
    const dup = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'routes', name: 'Routes bis' } });
    expect(dup.statusCode).toBe(409);
  });

  it('sign-in: same answer for an unknown account and a wrong password', async () => {
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'personne@test.fr', password: 'x' } });
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'agent@test.fr', password: 'x' } });
    expect(unknown.statusCode).toBe(401);
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
  });

  it('sign-in: the session cookie is httpOnly and SameSite=Lax; sign-out ends it', async () => {
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: 'agent@test.fr', password: PASSWORD } });
    const c = res.cookies.find((x) => x.name === 'guichet_session')!;
    expect(c).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const h = { cookie: `guichet_session=${c.value}`, 'x-csrf-token': res.json().csrfToken };
    expect((await ctx.app.inject({ url: '/api/v1/auth/session', headers: h })).statusCode).toBe(200);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-out', headers: h })).statusCode).toBe(204);
    expect((await ctx.app.inject({ url: '/api/v1/auth/session', headers: h })).statusCode).toBe(401);
  });

  it('locks an address after 5 failures, alike for a real and an unknown account', async () => {
    for (const email of ['lock@test.fr', 'inconnu@test.fr']) {
      for (let i = 0; i < 5; i++) {
        const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: 'mauvais' }, remoteAddress: `10.0.0.${i}` });
        expect(r.statusCode).toBe(401);
      }
      const locked = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password: PASSWORD }, remoteAddress: '10.0.1.1' });
      expect(locked.statusCode).toBe(429);
      expect(locked.json().error.code).toBe('too_many_requests');
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    }
    // the agent's own correct password is refused while locked, and the audit trail shows no sign-in
    const { rows } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM audit_events a JOIN agents g ON g.id::text = a.object_id WHERE g.email = 'lock@test.fr' AND a.action = 'agent.sign_in'`);
    expect(rows[0].n).toBe(0);
  });

  it('rate-limits sign-in attempts per IP', async () => {
    let last = 0;
    for (let i = 0; i < 22; i++) {
      last = (await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email: `x${i}@test.fr`, password: 'x' }, remoteAddress: '10.9.9.9' })).statusCode;
    }
    expect(last).toBe(429);
  });

  it('CSRF: a cookie-authenticated mutation without the token is refused', async () => {
    const h = await signIn(ctx, 'admin@test.fr');
    const without = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: { cookie: h.cookie }, payload: { code: 'csrf-1', name: 'X' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('csrf');
    const wrong = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: { cookie: h.cookie, 'x-csrf-token': 'forged' }, payload: { code: 'csrf-1', name: 'X' } });
    expect(wrong.statusCode).toBe(403);
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: h, payload: { code: 'csrf-1', name: 'X' } });
    expect(ok.statusCode).toBe(201);
  });

  it('API tokens: Bearer, scoped, revocable; a bad token is a 401', async () => {
    const admin = await createToken(ctx.rt.db, systemActor(), { name: 'admin-tool', role: 'admin' });
    const reader = await createToken(ctx.rt.db, systemActor(), { name: 'lecture', role: 'admin', scopes: ['reports:read'] });
    const auth = (t: string) => ({ authorization: `Bearer ${t}` });
    expect((await ctx.app.inject({ url: '/api/v1/units', headers: auth(admin.token) })).statusCode).toBe(200);
    // scope: a token without 'admin' scope may not create units even though its role could
    const denied = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: auth(reader.token), payload: { code: 'tok-1', name: 'X' } });
    expect(denied.statusCode).toBe(403);
    // tokens are not cookies: no CSRF token needed
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/units', headers: auth(admin.token), payload: { code: 'tok-1', name: 'X' } });
    expect(created.statusCode).toBe(201);
    const bad = await ctx.app.inject({ url: '/api/v1/units', headers: auth('gch_forged') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('invalid_token');
    const h = await signIn(ctx, 'admin@test.fr');
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/admin/tokens/${admin.id}`, headers: h })).statusCode).toBe(204);
    expect((await ctx.app.inject({ url: '/api/v1/units', headers: auth(admin.token) })).statusCode).toBe(401);
    // the token is stored hashed only
    const { rows } = await ctx.rt.db.query('SELECT token_hash FROM api_tokens WHERE id = $1', [admin.id]);
    expect(rows[0].token_hash).not.toContain(admin.token);
  });

  it('administrators see dead-letter jobs; others may not', async () => {
    const h = await signIn(ctx, 'admin@test.fr');
    expect((await ctx.app.inject({ url: '/api/v1/admin/jobs?status=dead', headers: h })).statusCode).toBe(200);
    const a = await signIn(ctx, 'agent@test.fr');
    expect((await ctx.app.inject({ url: '/api/v1/admin/jobs?status=dead', headers: a })).statusCode).toBe(403);
  });
});
