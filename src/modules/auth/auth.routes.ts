// Agent sign-in, sign-out and "who am I" (with the CSRF token the web app must echo on mutations).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { Unauthorized } from '../../platform/errors.ts';
import { ROLE_LABELS } from '../../platform/actor.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';
import { signIn } from './signin.service.ts';
import { deleteSession } from './sessions.ts';
import { findAgentById } from '../agents/agents.repository.ts';
import { can, type Action } from '../policy/policy.ts';
import { ErrorResponses } from '../../server/schemas.ts';

const AgentSession = Type.Object({
  agent: Type.Object({
    id: Type.String(),
    email: Type.String(),
    displayName: Type.String(),
    roles: Type.Array(Type.String()),
    roleLabels: Type.Array(Type.String()),
    unitIds: Type.Array(Type.String()),
  }),
  csrfToken: Type.String(),
  abilities: Type.Record(Type.String(), Type.Boolean()),
});

const GLOBAL_ABILITIES: Action[] = [
  'agent.manage', 'org.manage', 'taxonomy.manage', 'routing.manage', 'template.manage', 'token.manage',
  'jobs.manage', 'audit.read', 'contact.read', 'contact.write', 'contact.merge', 'case.create', 'case.list', 'reports.read',
  'call.handle', 'phone.supervise', 'mail.intake', 'mail.qualify', 'email.manage', 'procedure.manage',
];

export function authRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/auth/sign-in',
      {
        schema: {
          tags: ['auth'],
          summary: 'Connexion agent',
          body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 256 }) }),
          response: { 200: AgentSession, ...ErrorResponses },
        },
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
      },
      async (req, reply) => {
        const { email, password } = req.body as { email: string; password: string };
        const { session, agent } = await signIn(rt.db, { email, password }, {
          ip: req.ip,
          userAgent: req.headers['user-agent'],
          requestId: req.id,
          sessionTtlHours: rt.config.sessionTtlHours,
        });
        reply.setCookie(SESSION_COOKIE, session.id, {
          path: '/',
          httpOnly: true,
          sameSite: 'lax',
          secure: rt.config.secureCookies,
          expires: session.expiresAt,
        });
        return sessionBody(agent, session.csrfToken);
      },
    );

    app.post('/api/v1/auth/sign-out', { config: { public: true }, schema: { tags: ['auth'], summary: 'Déconnexion', response: { 204: Type.Null() } } }, async (req, reply) => {
      const sid = req.cookies[SESSION_COOKIE];
      if (sid) await deleteSession(rt.db, sid);
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send();
    });

    app.get('/api/v1/auth/session', { schema: { tags: ['auth'], summary: 'Agent connecté et ses droits', response: { 200: AgentSession, ...ErrorResponses } } }, async (req) => {
      if (req.actor.kind !== 'agent' || !req.csrfToken) throw new Unauthorized();
      const agent = (await findAgentById(rt.db, req.actor.id!))!;
      return sessionBody(agent, req.csrfToken);
    });
  };
}

function sessionBody(agent: { id: string; email: string; display_name: string; roles: string[]; unit_ids: string[] }, csrfToken: string) {
  const actor = { kind: 'agent' as const, id: agent.id, label: agent.display_name, roles: agent.roles as any, unitIds: agent.unit_ids };
  return {
    agent: {
      id: agent.id,
      email: agent.email,
      displayName: agent.display_name,
      roles: agent.roles,
      roleLabels: agent.roles.map((r) => ROLE_LABELS[r as keyof typeof ROLE_LABELS] ?? r),
      unitIds: agent.unit_ids,
    },
    csrfToken,
    abilities: Object.fromEntries(GLOBAL_ABILITIES.map((a) => [a, can(actor, a)])),
  };
}
