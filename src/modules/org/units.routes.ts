import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { createUnit, listUnitAgents, listUnits, type UnitInput } from './units.service.ts';

const UnitSchema = Type.Object({
  id: Type.String(),
  code: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  parentId: Type.Union([Type.String(), Type.Null()]),
  parentCode: Type.Union([Type.String(), Type.Null()]),
  email: Type.Union([Type.String(), Type.Null()]),
  phone: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
});

export function unitRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/v1/units', { schema: { tags: ['organisation'], summary: 'Directions et services', response: { 200: Type.Object({ items: Type.Array(UnitSchema) }), ...ErrorResponses } } }, async (req) => ({
      items: await listUnits(rt.db, req.actor),
    }));
    app.get(
      '/api/v1/units/:code/agents',
      {
        schema: {
          tags: ['organisation'],
          summary: "Agents actifs d'un service",
          params: Type.Object({ code: Type.String({ maxLength: 63 }) }),
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String(), roles: Type.Array(Type.String()) })) }), ...ErrorResponses },
        },
      },
      async (req) => ({ items: await listUnitAgents(rt.db, req.actor, (req.params as { code: string }).code) }),
    );
    app.post(
      '/api/v1/units',
      {
        schema: {
          tags: ['organisation'],
          summary: 'Créer une direction ou un service',
          body: Type.Object({
            code: Type.String({ minLength: 2, maxLength: 63 }),
            name: Type.String({ minLength: 1, maxLength: 200 }),
            kind: Type.Optional(Type.Union([Type.Literal('direction'), Type.Literal('unit')])),
            parentCode: Type.Optional(Type.Union([Type.String(), Type.Null()])),
            email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
            phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
          }, { additionalProperties: false }),
          response: { 201: UnitSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createUnit(rt.db, req.actor, req.body as UnitInput)),
    );
  };
}
