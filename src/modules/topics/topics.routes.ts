// HTTP surface of the taxonomy: domains and topics (objets). Reading is open to every case worker
// (they qualify requests with it); changes belong to administrators ('taxonomy.manage').
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { createDomain, createTopic, listDomains, listTopics, updateTopic, type DomainInput, type TopicInput, type TopicPatch } from './topics.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

export const TopicSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  domainId: Type.String(),
  domainCode: Type.String(),
  domainName: Type.String(),
  defaultUnitId: Type.String(),
  defaultUnitCode: Type.String(),
  defaultUnitName: Type.String(),
  extraUnitCodes: Type.Array(Type.String()),
  handlingUnitIds: Type.Array(Type.String()),
  deadlineDays: Type.Integer(),
  sensitive: Type.Boolean(),
  retentionYears: Type.Integer(),
  retentionAction: Type.String(),
  acknowledge: Type.Boolean(),
  onReplyClosed: Type.String(),
  active: Type.Boolean(),
});

const DomainSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  position: Type.Integer(),
  topicCount: Type.Integer(),
});

// The service checks the code's pattern itself (clearer message); the schemas bound sizes and types.
const topicFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  domainCode: Type.String({ minLength: 1, maxLength: 63 }),
  defaultUnitCode: Type.String({ minLength: 1, maxLength: 63 }),
  deadlineDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 365 })),
  sensitive: Type.Optional(Type.Boolean()),
  retentionYears: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  retentionAction: Type.Optional(Type.Enum(['destroy', 'archive'])),
  acknowledge: Type.Optional(Type.Boolean()),
  onReplyClosed: Type.Optional(Type.Enum(['reopen', 'new_case'])),
  extraUnitCodes: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 63 }), { maxItems: 50 })),
  active: Type.Optional(Type.Boolean()),
};

export function topicRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/domains',
      { schema: { tags: ['taxonomy'], summary: 'Domaines de la nomenclature', response: { 200: Type.Object({ items: Type.Array(DomainSchema) }), ...ErrorResponses } } },
      async (req) => ({ items: await listDomains(rt.db, req.actor) }),
    );

    app.post(
      '/api/v1/domains',
      {
        schema: {
          tags: ['taxonomy'],
          summary: 'Créer un domaine',
          body: Type.Object(
            {
              code: Type.String({ minLength: 2, maxLength: 63 }),
              name: Type.String({ minLength: 1, maxLength: 200 }),
              position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
            },
            { additionalProperties: false },
          ),
          response: { 201: DomainSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createDomain(rt.db, req.actor, req.body as DomainInput)),
    );

    app.get(
      '/api/v1/topics',
      {
        schema: {
          tags: ['taxonomy'],
          summary: 'Objets de demande (par domaine)',
          querystring: Type.Object({
            domain: Type.Optional(Type.String({ maxLength: 63 })),
            active: Type.Optional(Type.Boolean({ description: 'true : seulement les objets actifs' })),
          }),
          response: { 200: Type.Object({ items: Type.Array(TopicSchema) }), ...ErrorResponses },
        },
      },
      async (req) => {
        const q = req.query as { domain?: string; active?: boolean };
        return { items: await listTopics(rt.db, req.actor, { domainCode: q.domain, activeOnly: q.active === true }) };
      },
    );

    app.post(
      '/api/v1/topics',
      {
        schema: {
          tags: ['taxonomy'],
          summary: 'Créer un objet de demande',
          body: Type.Object({ code: Type.String({ minLength: 2, maxLength: 63 }), ...topicFields }, { additionalProperties: false }),
          response: { 201: TopicSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createTopic(rt.db, req.actor, req.body as TopicInput)),
    );

    app.patch(
      '/api/v1/topics/:code',
      {
        schema: {
          tags: ['taxonomy'],
          summary: 'Modifier un objet de demande (le code ne change pas)',
          params: Type.Object({ code: Type.String({ maxLength: 63 }) }),
          body: Type.Partial(Type.Object(topicFields), { additionalProperties: false }),
          response: { 200: TopicSchema, ...ErrorResponses },
        },
      },
      async (req) => updateTopic(rt.db, req.actor, (req.params as { code: string }).code, req.body as TopicPatch),
    );
  };
}
