// Sign-in with OpenID Connect against a real provider (oidc-provider, FranceConnect-like): the full flow
// (code + PKCE, state, nonce, acr eidas1), identity shown as verified and locked, sign-out at the
// provider; a tampered state and a wrong nonce are refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { followProvider, startTestProvider, type TestProvider } from '../../../test/oidc/provider.ts';

const PUBLIC = 'http://portail.test';

describe('OpenID Connect sign-in (FranceConnect-compatible)', () => {
  let op: TestProvider;
  let ctx: TestContext;

  beforeAll(async () => {
    op = await startTestProvider(PUBLIC);
    ctx = await createTestContext({ GUICHET_PUBLIC_URL: PUBLIC, OIDC_ISSUER: op.issuer, OIDC_CLIENT_ID: op.clientId, OIDC_CLIENT_SECRET: op.clientSecret });
  });
  afterAll(async () => {
    await ctx.close();
    await op.close();
  });

  async function start() {
    const r = await ctx.app.inject({ url: '/api/v1/portal/oidc/login?returnTo=/mon-espace/demandes' });
    expect(r.statusCode, r.body).toBe(302);
    const cookie = r.cookies.find((c) => c.name === 'guichet_oidc_state')!;
    return { location: new URL(r.headers.location as string), stateCookie: `guichet_oidc_state=${cookie.value}` };
  }

  const callback = (u: URL, cookie: string) => ctx.app.inject({ url: `${u.pathname}${u.search}`, headers: { cookie } });

  it('signs in with code + PKCE, state and nonce; the identity is verified and locked; signs out at the provider', async () => {
    const { location, stateCookie } = await start();
    const p = location.searchParams;
    expect(location.origin).toBe(op.issuer);
    expect(p.get('scope')).toBe('openid given_name family_name birthdate email');
    expect(p.get('acr_values')).toBe('eidas1');
    expect(p.get('code_challenge_method')).toBe('S256');
    expect(p.get('state')).toBeTruthy();
    expect(p.get('nonce')).toBeTruthy();
    expect(p.get('redirect_uri')).toBe(`${PUBLIC}/api/v1/portal/oidc/callback`);
    const back = await followProvider(location.href, `${PUBLIC}/api/v1/portal/oidc/callback`);
    const r = await callback(back, stateCookie);
    expect(r.statusCode, r.body).toBe(302);
    expect(r.headers.location).toBe('/mon-espace/demandes');
    const session = r.cookies.find((c) => c.name === 'guichet_citizen')!;
    const headers = { cookie: `guichet_citizen=${session.value}` };
    const s = (await ctx.app.inject({ url: '/api/v1/portal/auth/session', headers })).json();
    expect(s.profile).toMatchObject({
      email: 'angela.dubois@exemple.fr', firstName: 'Angela Claire Louise', lastName: 'DUBOIS', birthDate: '1962-08-24',
      identityVerified: true, signInMethod: 'franceconnect', lockedFields: ['firstName', 'lastName', 'birthDate'],
    });
    const edit = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/portal/me', headers: { ...headers, 'x-csrf-token': s.csrfToken }, payload: { lastName: 'Autre' } });
    expect(edit.statusCode).toBe(422);
    expect(edit.json().error.fields.lastName).toContain('FranceConnect');
    const phone = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/portal/me', headers: { ...headers, 'x-csrf-token': s.csrfToken }, payload: { phone: '06 12 34 56 78' } });
    expect(phone.statusCode, phone.body).toBe(200);
    // the account is tied to a contact
    const { rows } = await ctx.rt.db.query(`SELECT c.display_name FROM citizen_accounts a JOIN contacts c ON c.id = a.contact_id WHERE a.oidc_subject = 'fc-0001'`);
    expect(rows[0].display_name).toContain('DUBOIS');
    const out = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-out', headers: { ...headers, 'x-csrf-token': s.csrfToken } });
    expect(out.statusCode).toBe(200);
    const end = new URL(out.json().endSessionUrl);
    expect(end.origin).toBe(op.issuer);
    expect(end.searchParams.get('id_token_hint')).toBeTruthy();
    expect(end.searchParams.get('post_logout_redirect_uri')).toBe(`${PUBLIC}/`);
    expect(end.searchParams.get('state')).toBeTruthy();
    const logout = await fetch(end, { redirect: 'manual' });
    expect(logout.status).toBe(200); // the provider's logout confirmation page
    expect((await ctx.app.inject({ url: '/api/v1/portal/me', headers })).statusCode).toBe(401);
    // a second sign-in finds the same account
    const again = await start();
    const r2 = await callback(await followProvider(again.location.href, `${PUBLIC}/api/v1/portal/oidc/callback`), again.stateCookie);
    expect(r2.statusCode).toBe(302);
    expect((await ctx.rt.db.query(`SELECT count(*)::int AS n FROM citizen_accounts WHERE oidc_subject = 'fc-0001'`)).rows[0].n).toBe(1);
  });

  it('refuses a tampered state', async () => {
    const { location, stateCookie } = await start();
    const back = await followProvider(location.href, `${PUBLIC}/api/v1/portal/oidc/callback`);
    const forged = new URL(back);
    forged.searchParams.set('state', `${back.searchParams.get('state')}x`);
    const r = await callback(forged, stateCookie);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('oidc_state');
    expect(r.cookies.find((c) => c.name === 'guichet_citizen')).toBeUndefined();
    // the genuine state from another browser (no matching cookie) is refused too
    expect((await callback(back, 'guichet_oidc_state=autre')).statusCode).toBe(401);
  });

  it('refuses an ID token whose nonce is not the one sent', async () => {
    const { location, stateCookie } = await start();
    const back = await followProvider(location.href, `${PUBLIC}/api/v1/portal/oidc/callback`);
    await ctx.rt.db.query(`UPDATE oidc_states SET nonce = 'un-autre-nonce'`);
    const r = await callback(back, stateCookie);
    expect(r.statusCode).toBe(401);
    expect(r.json().error.code).toBe('oidc_failed');
    expect(r.json().error.message).toContain('nonce');
  });
});
