// POST /api/v1/cases/:reference/replies dispatches to the channel chosen in the composer;
// GET …/reply-channels tells the composer which tabs to show for this case.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { Invalid } from '../../platform/errors.ts';
import { findCase } from '../cases/cases.repository.ts';
import { assertCanAct, assertCanRead } from '../policy/case-policy.ts';
import { replyChannel, replyChannels, type ReplyInput } from './reply-channels.ts';

export function replyRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/cases/:reference/reply-channels',
      {
        schema: {
          tags: ['cases'],
          summary: 'Canaux de réponse possibles pour cette demande',
          params: Type.Object({ reference: Type.String({ maxLength: 64 }) }),
          response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), label: Type.String(), available: Type.Boolean(), reason: Type.Optional(Type.String()) })) }), ...ErrorResponses },
        },
      },
      async (req) => {
        const c = await findCase(rt.db, (req.params as { reference: string }).reference);
        assertCanRead(req.actor, c);
        const items = [];
        for (const ch of replyChannels()) items.push({ id: ch.id, label: ch.label, ...(await ch.availableFor(rt.db, c!)) });
        return { items };
      },
    );
    app.post(
      '/api/v1/cases/:reference/replies',
      {
        schema: {
          tags: ['cases'],
          summary: "Répondre à l'usager (courriel, courrier, message du portail…)",
          params: Type.Object({ reference: Type.String({ maxLength: 64 }) }),
          body: Type.Object(
            {
              channel: Type.String({ minLength: 1, maxLength: 30 }),
              subject: Type.Optional(Type.Union([Type.String({ maxLength: 500 }), Type.Null()])),
              body: Type.String({ minLength: 1, maxLength: 100_000 }),
              templateCode: Type.Optional(Type.Union([Type.String({ maxLength: 63 }), Type.Null()])),
              attachments: Type.Optional(Type.Array(Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }), filename: Type.String({ minLength: 1, maxLength: 255 }) }), { maxItems: 20 })),
              options: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ interactionId: Type.String(), details: Type.Optional(Type.Record(Type.String(), Type.Unknown())) }), ...ErrorResponses },
        },
      },
      async (req, reply) => {
        const input = req.body as ReplyInput;
        const c = await findCase(rt.db, (req.params as { reference: string }).reference);
        assertCanRead(req.actor, c);
        assertCanAct(req.actor, c!);
        const ch = replyChannel(input.channel);
        if (!ch) throw new Invalid({ channel: `Canal de réponse inconnu : ${input.channel}` });
        const avail = await ch.availableFor(rt.db, c!);
        if (!avail.available) throw new Invalid({ channel: avail.reason ?? 'Ce canal de réponse n’est pas disponible pour cette demande.' });
        return reply.status(201).send(await ch.send(rt, req.actor, c!, input));
      },
    );
  };
}
