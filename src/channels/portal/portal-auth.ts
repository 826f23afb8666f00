// The portal's own authentication scope: inside the portal routes the caller is a citizen (cookie
// guichet_citizen) or anonymous — never an agent or an API token, whose credentials mean nothing here.
// Cookie-authenticated mutations must echo the session's CSRF token in X-CSRF-Token.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../../platform/runtime.ts';
import { Forbidden, Unauthorized } from '../../platform/errors.ts';
import { safeEqual, sha256Hex } from '../../modules/auth/secrets.ts';
import { CITIZEN_COOKIE } from '../../modules/citizens/citizen-sessions.ts';
import { displayNameOf, findSessionActor } from '../../modules/citizens/citizens.repository.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    citizenIdToken: string | null;
  }
}

export function registerPortalAuth(app: FastifyInstance, rt: Runtime) {
  app.decorateRequest('citizenIdToken', null);
  app.addHook('onRequest', async (req) => {
    req.actor = { kind: 'anonymous', id: null, label: 'anonyme', roles: [], unitIds: [], requestId: req.id, ip: req.ip };
    req.csrfToken = null;
    const sid = req.cookies?.[CITIZEN_COOKIE];
    if (!sid) return;
    const session = await findSessionActor(rt.db, sha256Hex(sid));
    if (!session) return;
    const { account, orgIds } = session;
    req.actor = {
      kind: 'citizen', id: account.id, label: `${displayNameOf(account)} (espace citoyen)`, roles: [], unitIds: [],
      contactIds: account.contactId ? [account.contactId, ...orgIds] : [], requestId: req.id, ip: req.ip,
    };
    req.csrfToken = session.csrfToken;
    req.citizenIdToken = session.idToken;
    // API calls echo the token in a header; the HTML pages' forms carry it in a `_csrf` field (checked by them).
    if (!SAFE.has(req.method) && req.url.startsWith('/api/')) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) throw new Forbidden('Jeton anti-CSRF absent ou invalide. Rechargez la page.', 'csrf');
    }
  });
}

export function requireCitizen(req: FastifyRequest) {
  if (req.actor.kind !== 'citizen' || !req.actor.id) throw new Unauthorized('Connectez-vous à votre espace.');
  return req.actor;
}

export function setCitizenCookie(rt: Runtime, reply: FastifyReply, session: { id: string; expiresAt: Date }) {
  reply.setCookie(CITIZEN_COOKIE, session.id, { path: '/', httpOnly: true, sameSite: 'lax', secure: rt.config.secureCookies, expires: session.expiresAt });
}
