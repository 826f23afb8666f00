// HTTP surface of reply templates: any case worker lists and reads them; administrators write them.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import {
  TEMPLATE_CHANNELS,
  createTemplate,
  deleteTemplate,
  listTemplates,
  readTemplate,
  updateTemplate,
  type TemplateFilter,
  type TemplateInput,
  type TemplatePatch,
} from './templates.service.ts';

const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);

const TemplateSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  channel: Type.String(),
  topicCode: Type.Union([Type.String(), Type.Null()]),
  topicName: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  body: Type.String(),
  active: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

// Sizes and types here; the service gives the French messages for the rest (code pattern, blank text).
const templateFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  channel: Type.Enum([...TEMPLATE_CHANNELS]),
  topicCode: Type.Optional(Nullable(Type.String({ maxLength: 63 }))),
  subject: Type.Optional(Nullable(Type.String({ maxLength: 300 }))),
  body: Type.String({ minLength: 1, maxLength: 100_000 }),
  active: Type.Optional(Type.Boolean()),
};

const CodeParams = Type.Object({ code: Type.String({ maxLength: 63 }) });

export function templateRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/reply-templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Modèles de réponse (ceux du canal et de l’objet, plus les modèles généraux)',
          querystring: Type.Object({
            channel: Type.Optional(Type.Enum(['email', 'letter', 'portal'])),
            topic: Type.Optional(Type.String({ maxLength: 63 })),
            includeInactive: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Type.Object({ items: Type.Array(TemplateSchema) }), ...ErrorResponses },
        },
      },
      async (req) => {
        const q = req.query as { channel?: TemplateFilter['channel']; topic?: string; includeInactive?: boolean };
        return { items: await listTemplates(rt.db, req.actor, { channel: q.channel, topicCode: q.topic, includeInactive: q.includeInactive === true }) };
      },
    );

    app.get(
      '/api/v1/reply-templates/:code',
      { schema: { tags: ['templates'], summary: 'Un modèle de réponse', params: CodeParams, response: { 200: TemplateSchema, ...ErrorResponses } } },
      async (req) => readTemplate(rt.db, req.actor, (req.params as { code: string }).code),
    );

    app.post(
      '/api/v1/reply-templates',
      {
        schema: {
          tags: ['templates'],
          summary: 'Créer un modèle de réponse',
          body: Type.Object({ code: Type.String({ minLength: 2, maxLength: 63 }), ...templateFields }, { additionalProperties: false }),
          response: { 201: TemplateSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createTemplate(rt.db, req.actor, req.body as TemplateInput)),
    );

    app.patch(
      '/api/v1/reply-templates/:code',
      {
        schema: {
          tags: ['templates'],
          summary: 'Modifier un modèle de réponse (le code ne change pas)',
          params: CodeParams,
          body: Type.Partial(Type.Object(templateFields), { additionalProperties: false }),
          response: { 200: TemplateSchema, ...ErrorResponses },
        },
      },
      async (req) => updateTemplate(rt.db, req.actor, (req.params as { code: string }).code, req.body as TemplatePatch),
    );

    app.delete(
      '/api/v1/reply-templates/:code',
      { schema: { tags: ['templates'], summary: 'Supprimer un modèle de réponse', params: CodeParams, response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        await deleteTemplate(rt.db, req.actor, (req.params as { code: string }).code);
        return reply.status(204).send();
      },
    );
  };
}
