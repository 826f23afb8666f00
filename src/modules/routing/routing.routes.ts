// HTTP surface of routing rules: list (any case worker), write and test (administrators).
// Rules name topics and units by code; ids stay inside.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import {
  createRoutingRule,
  deleteRoutingRule,
  listRoutingRules,
  previewRoute,
  reorderRoutingRules,
  updateRoutingRule,
  type PreviewInput,
  type RoutingRule,
  type RoutingRuleInput,
  type RoutingRulePatch,
} from './routing.service.ts';

const StringList = (maxLength: number) => Type.Union([Type.Array(Type.String({ maxLength }), { maxItems: 200 }), Type.Null()]);

const ruleFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  active: Type.Optional(Type.Boolean()),
  topicCodes: Type.Optional(StringList(63)),
  channels: Type.Optional(StringList(20)),
  segments: Type.Optional(StringList(20)),
  postcodePrefixes: Type.Optional(StringList(10)),
  communes: Type.Optional(StringList(100)),
  keywords: Type.Optional(StringList(100)),
  targetUnitCode: Type.String({ minLength: 1, maxLength: 63 }),
  position: Type.Optional(Type.Integer({ minimum: 1 })),
};

const RuleSchema = Type.Object({
  id: Type.String(),
  position: Type.Integer(),
  name: Type.String(),
  active: Type.Boolean(),
  topicCodes: Type.Array(Type.String()),
  channels: Type.Array(Type.String()),
  segments: Type.Array(Type.String()),
  postcodePrefixes: Type.Array(Type.String()),
  communes: Type.Array(Type.String()),
  keywords: Type.Array(Type.String()),
  targetUnitCode: Type.String(),
  targetUnitName: Type.String(),
  targetUnitActive: Type.Boolean(),
  updatedAt: Type.String({ format: 'date-time' }),
});

const DecisionSchema = Type.Object({
  unitId: Type.String(),
  unitCode: Type.String(),
  ruleId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
});

const TraceSchema = Type.Object({
  ruleId: Type.Union([Type.String(), Type.Null()]),
  position: Type.Integer(),
  name: Type.String(),
  active: Type.Boolean(),
  outcome: Type.Enum(['applied', 'matched', 'no_match', 'inactive', 'target_inactive']),
  failedConditions: Type.Array(Type.String()),
  draft: Type.Boolean(),
});

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

const list = (rules: RoutingRule[]) => ({ items: rules });

export function routingRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/routing-rules',
      { schema: { tags: ['routing'], summary: 'Règles de routage, dans leur ordre d’application', response: { 200: Type.Object({ items: Type.Array(RuleSchema) }), ...ErrorResponses } } },
      async (req) => list(await listRoutingRules(rt.db, req.actor)),
    );

    app.post(
      '/api/v1/routing-rules',
      {
        schema: {
          tags: ['routing'],
          summary: 'Créer une règle de routage (à la fin, ou à la position donnée)',
          body: Type.Object(ruleFields, { additionalProperties: false }),
          response: { 201: RuleSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createRoutingRule(rt.db, req.actor, req.body as RoutingRuleInput)),
    );

    app.patch(
      '/api/v1/routing-rules/:id',
      {
        schema: {
          tags: ['routing'],
          summary: 'Modifier une règle de routage (une liste vide ou null retire la condition)',
          params: IdParams,
          body: Type.Partial(Type.Object(ruleFields), { additionalProperties: false }),
          response: { 200: RuleSchema, ...ErrorResponses },
        },
      },
      async (req) => updateRoutingRule(rt.db, req.actor, (req.params as { id: string }).id, req.body as RoutingRulePatch),
    );

    app.delete(
      '/api/v1/routing-rules/:id',
      { schema: { tags: ['routing'], summary: 'Supprimer une règle de routage', params: IdParams, response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        await deleteRoutingRule(rt.db, req.actor, (req.params as { id: string }).id);
        return reply.status(204).send();
      },
    );

    app.post(
      '/api/v1/routing-rules/reorder',
      {
        schema: {
          tags: ['routing'],
          summary: 'Réordonner les règles (la liste complète des identifiants, dans le nouvel ordre)',
          body: Type.Object({ ids: Type.Array(Type.String({ format: 'uuid' }), { maxItems: 1000 }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(RuleSchema) }), ...ErrorResponses },
        },
      },
      async (req) => list(await reorderRoutingRules(rt.db, req.actor, (req.body as { ids: string[] }).ids)),
    );

    app.post(
      '/api/v1/routing-rules/preview',
      {
        schema: {
          tags: ['routing'],
          summary: 'Tester le routage d’une demande, avec ou sans une règle à l’essai',
          body: Type.Object(
            {
              topicCode: Type.String({ minLength: 1, maxLength: 63 }),
              channel: Type.String({ minLength: 1, maxLength: 20 }),
              segment: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])),
              postcode: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])),
              commune: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
              text: Type.Optional(Type.Union([Type.String({ maxLength: 100_000 }), Type.Null()])),
              rule: Type.Optional(Type.Object({ id: Type.Optional(Type.String({ maxLength: 36 })), ...ruleFields }, { additionalProperties: false })),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              decision: DecisionSchema,
              trace: Type.Array(TraceSchema),
              draft: Type.Union([
                Type.Object({
                  matches: Type.Boolean(),
                  failedConditions: Type.Array(Type.String()),
                  decision: DecisionSchema,
                  changesUnit: Type.Boolean(),
                  summary: Type.String(),
                  trace: Type.Array(TraceSchema),
                }),
                Type.Null(),
              ]),
            }),
            ...ErrorResponses,
          },
        },
      },
      async (req) => previewRoute(rt.db, req.actor, req.body as PreviewInput),
    );
  };
}
