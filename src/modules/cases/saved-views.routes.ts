// HTTP routes of saved views (GET/POST/DELETE /api/v1/saved-views): each agent sees only their own.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { createSavedView, deleteSavedView, listSavedViews } from './saved-views.service.ts';

const Filters = Type.Record(Type.String({ maxLength: 40 }), Type.String({ maxLength: 200 }), { maxProperties: 30 });
const SavedViewSchema = Type.Object({ id: Type.String(), name: Type.String(), filters: Filters, createdAt: Type.String() });

export function savedViewRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/saved-views',
      { schema: { tags: ['cases'], summary: 'Mes vues enregistrées (filtres de file)', response: { 200: Type.Object({ items: Type.Array(SavedViewSchema) }), ...ErrorResponses } } },
      async (req) => ({ items: await listSavedViews(rt.db, req.actor) }),
    );
    app.post(
      '/api/v1/saved-views',
      {
        schema: {
          tags: ['cases'],
          summary: 'Enregistrer une vue',
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 80 }), filters: Filters }, { additionalProperties: false }),
          response: { 201: SavedViewSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createSavedView(rt.db, req.actor, req.body as any)),
    );
    app.delete(
      '/api/v1/saved-views/:id',
      { schema: { tags: ['cases'], summary: 'Supprimer une vue', params: Type.Object({ id: Type.String({ maxLength: 64 }) }), response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        await deleteSavedView(rt.db, req.actor, (req.params as { id: string }).id);
        return reply.status(204).send();
      },
    );
  };
}
