// Mon espace over HTTP (portal scope: citizens only): my cases, one case's timeline, secure messages
// and answers to requests for documents (multipart), my documents, file downloads.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { getMyCase, findMyFile, readable, listMyCases, listMyDocuments, postCitizenMessage } from './espace.service.ts';
import { requireCitizen } from './portal-auth.ts';
import { readMultipart } from './uploads.ts';
import { Invalid } from '../../platform/errors.ts';

const Ref = Type.Object({ reference: Type.String({ maxLength: 64 }) });

export function espaceRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/v1/portal/cases', { schema: { tags: ['portal'], summary: 'Mes demandes (et celles de mes organisations)' } }, async (req) => ({ items: await listMyCases(rt.db, requireCitizen(req)) }));
    app.get('/api/v1/portal/cases/:reference', { schema: { tags: ['portal'], summary: 'Une de mes demandes : statut et historique', params: Ref } }, async (req) =>
      getMyCase(rt.db, requireCitizen(req), (req.params as { reference: string }).reference),
    );
    app.post('/api/v1/portal/cases/:reference/messages', { schema: { tags: ['portal'], summary: 'Écrire au service (multipart : body, documentRequestId, fichiers)', params: Ref } }, async (req, reply) => {
      const actor = requireCitizen(req);
      await readable(rt.db, actor, (req.params as { reference: string }).reference); // before storing any upload
      let body = '';
      let documentRequestId: string | null = null;
      let files: Awaited<ReturnType<typeof readMultipart>>['files'] = [];
      if (req.isMultipart()) {
        const m = await readMultipart(rt, req, { maxFiles: 10 });
        body = m.fields.body ?? '';
        documentRequestId = m.fields.documentRequestId || null;
        files = m.files;
      } else {
        const b = (req.body ?? {}) as { body?: unknown; documentRequestId?: unknown };
        body = typeof b.body === 'string' ? b.body.slice(0, 20_000) : '';
        documentRequestId = typeof b.documentRequestId === 'string' ? b.documentRequestId : null;
      }
      if (!body.trim() && !files.length) throw new Invalid({ body: 'Écrivez un message ou joignez un fichier.' });
      return reply.status(201).send(await postCitizenMessage(rt.db, actor, (req.params as { reference: string }).reference, { body, files, documentRequestId }));
    });
    app.get('/api/v1/portal/cases/:reference/files/:sha256', { schema: { tags: ['portal'], summary: 'Télécharger un document de ma demande', params: Type.Object({ reference: Type.String({ maxLength: 64 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }) } }, async (req, reply) => {
      const { reference, sha256 } = req.params as { reference: string; sha256: string };
      const f = await findMyFile(rt.db, requireCitizen(req), reference, sha256);
      reply.header('content-type', f.mimeType).header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(f.filename)}`).header('x-content-type-options', 'nosniff');
      return reply.send(rt.files.open(sha256));
    });
    app.get('/api/v1/portal/documents', { schema: { tags: ['portal'], summary: 'Mes documents' } }, async (req) => ({ items: await listMyDocuments(rt.db, requireCitizen(req)) }));
  };
}
