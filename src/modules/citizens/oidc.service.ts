// Sign-in with OpenID Connect, FranceConnect-compatible: authorization code + PKCE, `state` bound to the
// browser (cookie) and single-use (oidc_states), `nonce` checked in the ID token, `acr_values=eidas1`;
// sign-out through the provider's end-session endpoint. Identity received this way is stored as verified
// and locked. Library: openid-client 6 (see ADR 0009).
import * as client from 'openid-client';
import type { Database } from '../../platform/db/database.ts';
import type { OidcConfig } from '../../platform/config.ts';
import { BadRequest, NotFound, Unauthorized } from '../../platform/errors.ts';
import { randomToken, sha256Hex } from '../auth/secrets.ts';
import { normalizeEmail } from '../contacts/email.ts';
import { resolveContactForCase } from '../contacts/contacts.service.ts';
import { createCitizenSession } from './citizen-sessions.ts';
import { findAccountByEmail, findAccountBySubject } from './citizens.repository.ts';
import type { Actor } from '../../platform/actor.ts';

const STATE_MINUTES = 10;
const configs = new Map<string, Promise<client.Configuration>>();

function discover(cfg: OidcConfig): Promise<client.Configuration> {
  const key = `${cfg.issuer}|${cfg.clientId}`;
  let p = configs.get(key);
  if (!p) {
    const insecure = cfg.issuer.startsWith('http://');
    p = client.discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined, insecure ? { execute: [client.allowInsecureRequests] } : undefined);
    p.catch(() => configs.delete(key)); // retry discovery next time
    configs.set(key, p);
  }
  return p;
}

export function requireOidc(cfg: OidcConfig | null): OidcConfig {
  if (!cfg) throw new NotFound('La connexion avec FranceConnect n’est pas configurée.');
  return cfg;
}

export const redirectUri = (publicUrl: string) => `${publicUrl}/api/v1/portal/oidc/callback`;

/** Starts a sign-in: returns the provider URL and the state to keep in a cookie. */
export async function beginOidcSignIn(db: Database, cfg: OidcConfig, publicUrl: string, returnTo?: string) {
  const config = await discover(cfg).catch(() => {
    throw new BadRequest('Le fournisseur d’identité est injoignable. Réessayez plus tard.', 'oidc_unavailable');
  });
  const codeVerifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const safeReturn = returnTo && /^\/(?!\/)[\w\-/.?=&%]*$/.test(returnTo) ? returnTo : null;
  await db.query(
    `INSERT INTO oidc_states (state_hash, code_verifier, nonce, return_to, expires_at) VALUES ($1, $2, $3, $4, now() + $5 * interval '1 minute')`,
    [sha256Hex(state), codeVerifier, nonce, safeReturn, STATE_MINUTES],
  );
  const params: Record<string, string> = {
    redirect_uri: redirectUri(publicUrl),
    scope: cfg.scopes,
    code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
    nonce,
  };
  if (cfg.acrValues) params.acr_values = cfg.acrValues;
  return { url: client.buildAuthorizationUrl(config, params).href, state };
}

/**
 * Completes a sign-in. `cookieState` is the state kept in the browser: a callback whose state differs
 * (forged or replayed in another browser) is refused, as is an unknown, used or expired state.
 */
export async function completeOidcSignIn(
  db: Database,
  cfg: OidcConfig,
  publicUrl: string,
  callbackUrl: URL,
  cookieState: string | undefined,
  meta: { ip?: string; userAgent?: string; requestId?: string; sessionTtlHours: number },
) {
  const state = callbackUrl.searchParams.get('state') ?? '';
  if (callbackUrl.searchParams.get('error')) {
    throw new Unauthorized(`Connexion refusée par le fournisseur d’identité (${callbackUrl.searchParams.get('error')}).`, 'oidc_denied');
  }
  if (!state || !cookieState || state !== cookieState) throw new Unauthorized('Réponse du fournisseur d’identité refusée (paramètre state invalide).', 'oidc_state');
  const { rows } = await db.query<{ code_verifier: string; nonce: string; return_to: string | null }>(
    `DELETE FROM oidc_states WHERE state_hash = $1 AND expires_at > now() RETURNING code_verifier, nonce, return_to`,
    [sha256Hex(state)],
  );
  const pending = rows[0];
  if (!pending) throw new Unauthorized('Cette tentative de connexion a expiré. Recommencez.', 'oidc_state');
  const config = await discover(cfg);
  let tokens: client.TokenEndpointResponse & client.TokenEndpointResponseHelpers;
  try {
    tokens = await client.authorizationCodeGrant(config, new URL(`${redirectUri(publicUrl)}${callbackUrl.search}`), {
      pkceCodeVerifier: pending.code_verifier,
      expectedState: state,
      expectedNonce: pending.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    let claim: unknown;
    for (let e: any = err, i = 0; e && i < 5 && claim === undefined; e = e.cause, i++) claim = e?.claim;
    const detail = typeof claim === 'string' ? `${(err as Error).message} : ${claim}` : (err as Error).message;
    throw new Unauthorized(`Connexion refusée : la réponse du fournisseur d’identité est invalide (${detail}).`, 'oidc_failed');
  }
  const claims = tokens.claims()!;
  let info: client.UserInfoResponse = { sub: claims.sub };
  try {
    info = await client.fetchUserInfo(config, tokens.access_token, claims.sub);
  } catch {
    // some providers put everything in the ID token
  }
  const pick = (k: string) => (typeof info[k] === 'string' ? (info[k] as string) : typeof claims[k] === 'string' ? (claims[k] as string) : null);
  const identity = {
    firstName: pick('given_name'),
    lastName: pick('family_name'),
    birthDate: pick('birthdate') && /^\d{4}-\d{2}-\d{2}$/.test(pick('birthdate')!) ? pick('birthdate') : null,
    email: normalizeEmail(pick('email') ?? ''),
  };
  const issuer = config.serverMetadata().issuer;
  return db.tx(async (tx) => {
    let account = await findAccountBySubject(tx, issuer, claims.sub);
    if (!account && identity.email) {
      const byEmail = await findAccountByEmail(tx, identity.email, true);
      // Joins an existing account only when its owner has proven the same address.
      if (byEmail && byEmail.emailVerifiedAt && !byEmail.oidcSubject) account = byEmail;
    }
    let id = account?.id;
    if (!id) {
      const email = identity.email ?? `${sha256Hex(`${issuer}|${claims.sub}`).slice(0, 24)}@sans-adresse.invalid`;
      id = (await tx.query<{ id: string }>(`INSERT INTO citizen_accounts (email, email_verified_at) VALUES ($1, CASE WHEN $2 THEN now() END) RETURNING id`, [email, !!identity.email])).rows[0].id;
    }
    await tx.query(
      `UPDATE citizen_accounts SET oidc_issuer = $2, oidc_subject = $3, first_name = coalesce($4, first_name), last_name = coalesce($5, last_name),
              birth_date = coalesce($6::date, birth_date), identity_verified = true, last_sign_in_at = now(), updated_at = now()
        WHERE id = $1`,
      [id, issuer, claims.sub, identity.firstName, identity.lastName, identity.birthDate],
    );
    const actor: Actor = { kind: 'citizen', id, label: `${[identity.firstName, identity.lastName].filter(Boolean).join(' ') || 'usager'} (FranceConnect)`, roles: [], unitIds: [], ip: meta.ip, requestId: meta.requestId };
    const { rows: acc } = await tx.query<{ contact_id: string | null; email: string }>('SELECT contact_id, email FROM citizen_accounts WHERE id = $1', [id]);
    if (!acc[0].contact_id) {
      const contact = await resolveContactForCase(tx, actor, {
        email: identity.email ?? undefined, firstName: identity.firstName ?? undefined, lastName: identity.lastName ?? undefined, kind: 'person', segment: 'particulier',
      });
      await tx.query('UPDATE citizen_accounts SET contact_id = $2 WHERE id = $1', [id, contact.id]);
    }
    const session = await createCitizenSession(tx, id, meta.sessionTtlHours, { ...meta, idToken: tokens.id_token ?? null });
    tx.audit({ actor, action: 'citizen.sign_in_oidc', objectType: 'citizen_account', objectId: id, after: { issuer, subject: claims.sub, acr: claims.acr ?? null } });
    return { session, accountId: id, returnTo: pending.return_to ?? '/mon-espace' };
  });
}

/** Where to send the browser to sign out at the provider too (null when not signed in that way). */
export async function endSessionUrl(cfg: OidcConfig | null, publicUrl: string, idToken: string | null): Promise<string | null> {
  if (!cfg || !idToken) return null;
  try {
    const config = await discover(cfg);
    return client.buildEndSessionUrl(config, { id_token_hint: idToken, post_logout_redirect_uri: `${publicUrl}/`, state: randomToken(16) }).href;
  } catch {
    return null;
  }
}
