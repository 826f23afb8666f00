// Uploading files into the content-addressed store (then referenced by interactions) and downloading
// them — only when attached to something the caller may read.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { BadRequest, NotFound } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { caseVisibilitySql } from '../policy/case-policy.ts';

/** Types agents may attach: documents, images, mail. Executables and archives are refused. */
export const ATTACHMENT_TYPES = [
  'application/pdf', 'image/jpeg', 'image/png', 'image/tiff', 'image/gif', 'image/webp', 'text/plain', 'text/csv',
  'message/rfc822', 'application/vnd.oasis.opendocument.text', 'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/msword', 'application/vnd.ms-excel',
  'application/vnd.ms-tnef',
] as const;

export function fileRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Téléverser un fichier (multipart, champ « file ») ; à joindre ensuite à un échange',
          consumes: ['multipart/form-data'],
          response: { 201: Type.Object({ sha256: Type.String(), size: Type.Number(), mimeType: Type.String(), filename: Type.String() }), ...ErrorResponses },
        },
      },
      async (req, reply) => {
        authorize(req.actor, 'case.create');
        if (!req.isMultipart()) throw new BadRequest('Envoyez le fichier en multipart/form-data (champ « file »).');
        const part = await req.file({ limits: { fileSize: rt.config.maxFileBytes, files: 1 } });
        if (!part) throw new BadRequest('Aucun fichier reçu (champ « file »).');
        const stored = await rt.files.put(rt.db, part.file, { declaredType: part.mimetype, allowed: ATTACHMENT_TYPES });
        if (part.file.truncated) throw new BadRequest('Fichier trop volumineux.');
        return reply.status(201).send({ ...stored, filename: part.filename });
      },
    );

    app.get(
      '/api/v1/files/:sha256',
      {
        schema: {
          tags: ['files'],
          summary: "Télécharger une pièce jointe d'une demande visible",
          params: Type.Object({ sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }),
          // name: which of the names this content was attached under (identical files sent under two
          // names are stored once); any other value is ignored
          querystring: Type.Object({ download: Type.Optional(Type.String()), name: Type.Optional(Type.String({ maxLength: 255, pattern: '^[^\\u0000-\\u001f]*$' })) }),
        },
      },
      async (req, reply) => {
        authorize(req.actor, 'case.list');
        const { sha256 } = req.params as { sha256: string };
        const params: unknown[] = [sha256, (req.query as { name?: string }).name ?? null];
        const { rows } = await rt.db.query(
          `SELECT a.filename, a.mime_type FROM interaction_attachments a
             JOIN interactions i ON i.id = a.interaction_id JOIN cases c ON c.id = i.case_id
            WHERE a.sha256 = $1 AND ${caseVisibilitySql(req.actor, params)}
            ORDER BY a.filename = $2 DESC NULLS LAST LIMIT 1`,
          params,
        );
        if (!rows[0] || !rt.files.exists(sha256)) throw new NotFound('Fichier introuvable.');
        const inline = !(req.query as any).download && /^(image\/|application\/pdf$|text\/plain$)/.test(rows[0].mime_type);
        reply.header('content-type', rows[0].mime_type);
        reply.header('content-disposition', `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(rows[0].filename)}`);
        reply.header('cache-control', 'private, max-age=3600');
        // Never let a browser run uploaded content as a page of ours.
        reply.header('content-security-policy', "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox");
        return reply.send(rt.files.open(sha256));
      },
    );
  };
}
