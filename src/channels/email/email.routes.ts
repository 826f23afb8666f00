// Administration of the email channel: the quarantine (what was refused, with the reason), release
// (filed despite the attachment policy) and delete. Also registers the « Courriel » reply channel.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { NotFound } from '../../platform/errors.ts';
import { registerReplyChannel } from '../../modules/replies/reply-channels.ts';
import { emailReplyChannel } from './reply-channel.ts';
import { deleteQuarantined, listQuarantine, releaseQuarantined } from './quarantine.ts';

const Item = Type.Object({
  id: Type.String(),
  receivedAt: Type.String(),
  source: Type.String(),
  size: Type.Number(),
  reason: Type.Union([Type.String(), Type.Null()]),
  from: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  rawSha256: Type.String(),
});
const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export function emailRoutes(rt: Runtime) {
  registerReplyChannel(emailReplyChannel());
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/admin/email/quarantine',
      { schema: { tags: ['administration'], summary: 'Courriels en quarantaine (avec le motif)', response: { 200: Type.Object({ items: Type.Array(Item) }), ...ErrorResponses } } },
      async (req) => {
        authorize(req.actor, 'email.manage');
        return { items: await listQuarantine(rt) };
      },
    );
    app.post(
      '/api/v1/admin/email/quarantine/:id/release',
      { schema: { tags: ['administration'], summary: 'Libérer un courriel de la quarantaine (il est classé)', params: IdParams, response: { 200: Type.Object({ id: Type.String(), status: Type.String() }), ...ErrorResponses } } },
      async (req) => {
        authorize(req.actor, 'email.manage');
        const { id } = req.params as { id: string };
        if (!(await releaseQuarantined(rt, req.actor, id))) throw new NotFound('Courriel en quarantaine introuvable.');
        return { id, status: 'received' };
      },
    );
    app.delete(
      '/api/v1/admin/email/quarantine/:id',
      { schema: { tags: ['administration'], summary: 'Supprimer un courriel en quarantaine', params: IdParams, response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        authorize(req.actor, 'email.manage');
        const { id } = req.params as { id: string };
        if (!(await deleteQuarantined(rt, req.actor, id))) throw new NotFound('Courriel en quarantaine introuvable.');
        return reply.status(204).send(null);
      },
    );
  };
}
