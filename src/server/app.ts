// Builds the Fastify application: plugins (security headers, cookies, rate limits, OpenAPI, auth,
// errors) then every module's routes. Used by `guichet serve`, the tests and the benchmarks.
import crypto from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../platform/runtime.ts';
import { registerErrorHandler } from './plugins/errors.ts';
import { registerAuth, requireAuthByDefault } from './plugins/auth.ts';
import { ErrorBody } from './schemas.ts';
import { authRoutes } from '../modules/auth/auth.routes.ts';
import { unitRoutes } from '../modules/org/units.routes.ts';
import { adminRoutes } from '../modules/platform-admin/admin.routes.ts';
import { contactRoutes } from '../modules/contacts/contacts.routes.ts';
import { topicRoutes } from '../modules/topics/topics.routes.ts';
import { routingRoutes } from '../modules/routing/routing.routes.ts';
import { templateRoutes } from '../modules/templates/templates.routes.ts';
import { caseRoutes } from '../modules/cases/cases.routes.ts';
import { searchRoutes } from '../modules/search/search.routes.ts';
import { fileRoutes } from '../modules/files/files.routes.ts';
import { replyRoutes } from '../modules/replies/replies.routes.ts';
import { agentRoutes } from '../modules/agents/agents.routes.ts';
import multipart from '@fastify/multipart';
import { liveRoutes } from '../modules/live/live.routes.ts';
import { phoneRoutes } from '../channels/phone/phone.routes.ts';
import { knowledgeRoutes } from '../modules/knowledge/knowledge.routes.ts';
import { savedViewRoutes } from '../modules/cases/saved-views.routes.ts';
import { portalRoutes } from '../channels/portal/portal.routes.ts';
import { registerWeb } from './web.ts';
import { mailRoutes } from '../channels/mail/mail.routes.ts';
import { emailRoutes } from '../channels/email/email.routes.ts';

export interface AppOptions {
  logger?: boolean;
}

export async function buildApp(rt: Runtime, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: opts.logger === false ? undefined : (rt.log as unknown as FastifyBaseLogger),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : crypto.randomUUID();
    },
    trustProxy: rt.config.trustProxy,
    bodyLimit: 2 * 1024 * 1024,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
  }).withTypeProvider<TypeBoxTypeProvider>() as unknown as FastifyInstance;

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    hsts: rt.config.secureCookies,
  });
  await app.register(cookie);
  await app.register(rateLimit, { global: false });
  await app.register(multipart, { limits: { fileSize: rt.config.maxFileBytes, files: 20, fields: 50, parts: 100 } });
  app.addSchema(ErrorBody);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Guichet API', version: '1', description: 'API de Guichet, plateforme de gestion de la relation citoyens.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'guichet_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
  app.get('/api/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());

  registerErrorHandler(app);
  registerAuth(app, rt);
  requireAuthByDefault(app);

  app.get(
    '/api/health',
    { config: { public: true }, schema: { tags: ['platform'], summary: 'État du service', response: { 200: Type.Object({ status: Type.Literal('ok') }), 503: Type.Object({ status: Type.String() }) } } },
    async (_req, reply) => {
      try {
        await rt.db.query('SELECT 1');
        return { status: 'ok' as const };
      } catch {
        return reply.status(503).send({ status: 'unavailable' });
      }
    },
  );

  await app.register(authRoutes(rt));
  await app.register(unitRoutes(rt));
  await app.register(adminRoutes(rt));
  await app.register(contactRoutes(rt));
  await app.register(topicRoutes(rt));
  await app.register(routingRoutes(rt));
  await app.register(templateRoutes(rt));
  await app.register(caseRoutes(rt));
  await app.register(searchRoutes(rt));
  await app.register(fileRoutes(rt));
  await app.register(replyRoutes(rt));
  await app.register(agentRoutes(rt));
  await app.register(savedViewRoutes(rt));
  await app.register(liveRoutes(rt));
  await app.register(phoneRoutes(rt));
  await app.register(knowledgeRoutes(rt));
  await app.register(emailRoutes(rt));
  await app.register(portalRoutes(rt));
  await app.register(mailRoutes(rt));
  await registerWeb(app);
  return app;
}
