// HTTP routes of the knowledge base, and the portal's public FAQ.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { archiveArticle, createArticle, getArticle, listArticles, publicFaq, updateArticle } from './knowledge.service.ts';

const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
const ArticleBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    answer: Type.String({ minLength: 1, maxLength: 20000 }),
    topic: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])),
    keywords: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 })),
    validFrom: Type.Optional(Type.Union([Day, Type.Null()])),
    validUntil: Type.Optional(Type.Union([Day, Type.Null()])),
    public: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
const Search = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  topic: Type.Optional(Type.String({ maxLength: 64 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
});
const IdParams = Type.Object({ id: Type.String() });

export function knowledgeRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/v1/knowledge', { schema: { tags: ['knowledge'], summary: 'Rechercher dans la base de connaissances (suggestions par objet et mots saisis)', querystring: Search, response: ErrorResponses } }, async (req) =>
      ({ items: await listArticles(rt.db, req.actor, req.query as any) }));
    app.get('/api/v1/knowledge/:id', { schema: { tags: ['knowledge'], summary: 'Lire un article', params: IdParams, response: ErrorResponses } }, async (req) =>
      getArticle(rt.db, req.actor, (req.params as any).id));
    app.post('/api/v1/knowledge', { schema: { tags: ['knowledge'], summary: 'Créer un article', body: ArticleBody, response: { 201: Type.Object({}, { additionalProperties: true }), ...ErrorResponses } } }, async (req, reply) =>
      reply.status(201).send(await createArticle(rt.db, req.actor, req.body as any)));
    app.patch('/api/v1/knowledge/:id', { schema: { tags: ['knowledge'], summary: 'Modifier un article', params: IdParams, body: Type.Partial(ArticleBody), response: ErrorResponses } }, async (req) =>
      updateArticle(rt.db, req.actor, (req.params as any).id, req.body as any));
    app.delete('/api/v1/knowledge/:id', { schema: { tags: ['knowledge'], summary: 'Archiver un article', params: IdParams, response: { 204: Type.Null(), ...ErrorResponses } } }, async (req, reply) => {
      await archiveArticle(rt.db, req.actor, (req.params as any).id);
      return reply.status(204).send();
    });
    app.get('/api/v1/public/faq', { config: { public: true }, schema: { tags: ['portal'], summary: 'Questions fréquentes (portail)', querystring: Search, response: ErrorResponses } }, async (req) =>
      ({ items: await publicFaq(rt.db, req.query as any) }));
  };
}
