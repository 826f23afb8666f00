// Resolves who is calling (Bearer token, or agent session cookie) into `req.actor` and enforces CSRF
// on cookie-authenticated mutations: the header X-CSRF-Token must equal the session's token.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { Forbidden, Unauthorized } from '../../platform/errors.ts';
import { findSession } from '../../modules/auth/sessions.ts';
import { actorFromToken } from '../../modules/auth/tokens.service.ts';
import { agentActor } from '../../modules/agents/agents.repository.ts';
import { safeEqual } from '../../modules/auth/secrets.ts';

export const SESSION_COOKIE = 'guichet_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor;
    csrfToken: string | null;
  }
}

export function registerAuth(app: FastifyInstance, rt: Runtime) {
  app.decorateRequest('actor', null as any);
  app.decorateRequest('csrfToken', null);
  app.addHook('onRequest', async (req) => {
    req.actor = { kind: 'anonymous', id: null, label: 'anonyme', roles: [], unitIds: [], requestId: req.id, ip: req.ip };
    if (!req.url.startsWith('/api/')) return;
    const authz = req.headers.authorization;
    if (authz) {
      const m = /^Bearer\s+(\S+)$/i.exec(authz);
      const actor = m ? await actorFromToken(rt.db, m[1]) : null;
      if (!actor) throw new Unauthorized('Jeton d’accès invalide ou révoqué.', 'invalid_token');
      req.actor = { ...actor, requestId: req.id, ip: req.ip };
      return; // tokens are not sent automatically by browsers: no CSRF exposure
    }
    const sid = req.cookies?.[SESSION_COOKIE];
    if (!sid) return;
    const session = await findSession(rt.db, sid);
    if (!session) return;
    req.actor = { ...agentActor(session.agent), requestId: req.id, ip: req.ip };
    req.csrfToken = session.csrfToken;
    if (!SAFE_METHODS.has(req.method)) {
      const sent = req.headers['x-csrf-token'];
      if (typeof sent !== 'string' || !safeEqual(sent, session.csrfToken)) {
        throw new Forbidden('Jeton anti-CSRF absent ou invalide. Rechargez la page.', 'csrf');
      }
    }
  });
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route answers anonymous callers (sign-in, health, public portal pages...). */
    public?: boolean;
  }
}

/**
 * Security by default: every /api route requires a signed-in caller unless it is declared public, and
 * this is checked before the body is validated (an anonymous caller learns nothing from a 422).
 */
export function requireAuthByDefault(app: FastifyInstance) {
  app.addHook('preValidation', async (req) => {
    if (!req.url.startsWith('/api/') || req.url.startsWith('/api/docs') || !req.routeOptions.url || req.routeOptions.config?.public) return;
    if (req.actor.kind === 'anonymous') throw new Unauthorized();
  });
}

export function actorOf(req: FastifyRequest): Actor {
  return req.actor;
}
