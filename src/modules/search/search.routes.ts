import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { search } from './search.service.ts';

const N = (t: any) => Type.Union([t, Type.Null()]);
const S = Type.String();

export function searchRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/search',
      {
        schema: {
          tags: ['search'],
          summary: 'Recherche unique : référence, nom, courriel, téléphone, texte intégral',
          querystring: Type.Object({
            q: Type.String({ minLength: 1, maxLength: 200 }),
            type: Type.Optional(Type.String({ description: 'case,contact' })),
            status: Type.Optional(Type.String()),
            unit: Type.Optional(Type.String()),
            topic: Type.Optional(Type.String()),
            channel: Type.Optional(Type.String()),
            from: Type.Optional(Type.String({ format: 'date' })),
            to: Type.Optional(Type.String({ format: 'date' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
            cursor: Type.Optional(Type.String({ maxLength: 100 })),
          }),
          response: {
            200: Type.Object({
              contacts: Type.Array(Type.Object({ type: S, id: S, displayName: S, kind: S, segment: S, email: N(S), phone: N(S), city: N(S), matchedIn: S })),
              cases: Type.Array(
                Type.Object({
                  type: S, reference: S, subject: S, status: S, channel: S, dueDate: N(S), sla: S, createdAt: S, contactName: N(S), topicName: N(S), unitName: N(S),
                  snippet: N(S), matchedIn: S, rank: Type.Number(),
                }),
              ),
              nextCursor: N(S),
              complete: Type.Boolean({ description: "false : l'historique le plus ancien n'a pas été entièrement parcouru (précisez les dates)" }),
              notice: N(S),
            }),
            ...ErrorResponses,
          },
        },
      },
      async (req) => {
        const q = req.query as Record<string, any>;
        const csv = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
        return search(rt.db, req.actor, {
          q: q.q, types: csv(q.type) as any, status: csv(q.status), unit: q.unit, topic: q.topic, channel: csv(q.channel),
          from: q.from, to: q.to, limit: q.limit, cursor: q.cursor,
        });
      },
    );
  };
}
