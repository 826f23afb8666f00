// Back-office routes of the portal channel (agent authentication): requests for missing documents,
// confirmation that a person represents an organisation.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { listDocumentRequests, requestDocuments } from './document-requests.service.ts';
import { confirmOrganisationLink, listPendingOrganisationLinks } from '../../modules/citizens/accounts.service.ts';

const Ref = Type.Object({ reference: Type.String({ maxLength: 64 }) });

export function portalAgentRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/cases/:reference/document-requests',
      { schema: { tags: ['cases'], summary: 'Demander des pièces complémentaires à l’usager (la demande passe en attente de l’usager)', params: Ref, body: Type.Object({
        items: Type.Array(Type.String({ maxLength: 300 }), { minItems: 1, maxItems: 20 }),
        message: Type.Optional(Type.Union([Type.String({ maxLength: 5000 }), Type.Null()])),
        dueDate: Type.Optional(Type.Union([Type.String({ maxLength: 10, description: 'Date limite (AAAA-MM-JJ), montrée à l’usager' }), Type.Null()])),
      }) } },
      async (req, reply) => reply.status(201).send(await requestDocuments(rt.db, req.actor, rt.config.publicUrl, (req.params as { reference: string }).reference, req.body as any)),
    );
    app.get('/api/v1/cases/:reference/document-requests', { schema: { tags: ['cases'], summary: 'Pièces complémentaires demandées, et si l’usager peut y répondre sur l’espace citoyens', params: Ref } }, async (req) =>
      listDocumentRequests(rt.db, req.actor, (req.params as { reference: string }).reference),
    );
    app.get('/api/v1/organisation-links/pending', { schema: { tags: ['contacts'], summary: 'Rattachements à une organisation demandés sur le portail, à confirmer' } }, async (req) => ({
      items: await listPendingOrganisationLinks(rt.db, req.actor),
    }));
    app.post(
      '/api/v1/organisation-links/confirm',
      { schema: { tags: ['contacts'], summary: 'Confirmer qu’une personne représente une organisation (accès à ses demandes sur le portail)', body: Type.Object({ personId: Type.String({ format: 'uuid' }), organisationId: Type.String({ format: 'uuid' }), role: Type.String({ maxLength: 100 }) }) } },
      async (req) => confirmOrganisationLink(rt.db, req.actor, req.body as any),
    );
  };
}
