// HTTP routes of the mail office (thin: each calls one service). Also registers the « Courrier » reply
// channel and, when MAIL_WATCH_DIR is set, runs the hot folder while the server is up.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { BadRequest, DomainError, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { registerReplyChannel } from '../../modules/replies/reply-channels.ts';
import { InlineContactSchema } from '../../modules/cases/cases.schema.ts';
import { intakeScan } from './intake.service.ts';
import { getBatch, getLetter, listBatches, listLetters, setPaperLocation, validateLetter } from './letters.service.ts';
import { printBatch } from './outgoing.service.ts';
import { confirmDisposalList, createDisposalList, disposalListFile, listPaperDue } from './paper.service.ts';
import { separatorSheetPdf } from './separator.ts';
import { SCAN_TYPES } from './inspect.ts';
import { renderPage } from './poppler.ts';
import { letterReplyChannel } from './reply-channel.ts';
import { closeSharedOcrPool } from './ocr-pool.ts';
import { watchFolder, type Watcher } from './watch.ts';

const Id = Type.Object({ id: Type.String({ format: 'uuid' }) });
const Any = Type.Object({}, { additionalProperties: true });
const BatchSchema = Type.Object({
  id: Type.String(), source: Type.String(), filename: Type.String(), sha256: Type.Union([Type.String(), Type.Null()]), mimeType: Type.Union([Type.String(), Type.Null()]),
  size: Type.Number(), status: Type.String(), statusLabel: Type.String(), reason: Type.Union([Type.String(), Type.Null()]), pagesTotal: Type.Number(),
  pagesScanned: Type.Number(), pagesDone: Type.Number(), progress: Type.Number(), lettersCount: Type.Number(), separators: Type.Number(),
  createdAt: Type.String(), finishedAt: Type.Union([Type.String(), Type.Null()]),
});

class ScanRejected extends DomainError {
  constructor(reason: string) {
    super(422, 'scan_rejected', reason, { file: reason });
  }
}

function sendPdf(reply: FastifyReply, pdf: Buffer | NodeJS.ReadableStream, filename: string) {
  reply.header('content-type', 'application/pdf');
  reply.header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(filename)}`);
  reply.header('cache-control', 'private, max-age=300');
  reply.header('content-security-policy', "default-src 'none'; sandbox");
  return reply.send(pdf);
}

export function mailRoutes(rt: Runtime) {
  registerReplyChannel(letterReplyChannel());
  return async (app: FastifyInstance) => {
    let watcher: Watcher | null = null;
    app.addHook('onReady', async () => {
      if (rt.config.mail.watchDir) {
        watcher = watchFolder(rt, rt.config.mail.watchDir);
        rt.log.info({ dir: rt.config.mail.watchDir }, 'mail hot folder watched');
      }
    });
    app.addHook('onClose', async () => {
      await watcher?.stop();
      await closeSharedOcrPool();
    });

    app.post(
      '/api/v1/mail/batches',
      {
        schema: {
          tags: ['mail'], summary: 'Déposer un fichier numérisé (PDF multipage, TIFF, JPEG, PNG ; champ « file »)', consumes: ['multipart/form-data'],
          response: { 201: Type.Object({ batchId: Type.String(), status: Type.String(), pages: Type.Number(), sha256: Type.String(), duplicateOf: Type.Union([Type.String(), Type.Null()]) }), ...ErrorResponses },
        },
      },
      async (req, reply) => {
        authorize(req.actor, 'mail.intake');
        if (!req.isMultipart()) throw new BadRequest('Envoyez le fichier en multipart/form-data (champ « file »).');
        const part = await req.file({ limits: { fileSize: rt.config.maxFileBytes, files: 1 } });
        if (!part) throw new BadRequest('Aucun fichier reçu (champ « file »).');
        const r = await intakeScan(rt, req.actor, { filename: part.filename || 'numerisation', data: part.file, declaredType: part.mimetype, source: 'upload', truncated: () => part.file.truncated });
        reply.header('x-mail-batch-id', r.batchId);
        if (r.status === 'rejected') throw new ScanRejected(r.reason!);
        return reply.status(201).send({ batchId: r.batchId, status: r.status, pages: r.pages, sha256: r.sha256, duplicateOf: r.duplicateOf });
      },
    );

    app.get(
      '/api/v1/mail/intake-limits',
      {
        schema: {
          tags: ['mail'], summary: 'Ce que le dépôt accepte : types, taille et nombre de pages par fichier',
          response: { 200: Type.Object({ types: Type.Array(Type.String()), maxBytes: Type.Number(), maxPages: Type.Number() }), ...ErrorResponses },
        },
      },
      async (req) => {
        authorize(req.actor, 'mail.intake');
        return { types: [...SCAN_TYPES], maxBytes: rt.config.maxFileBytes, maxPages: rt.config.mail.maxPages };
      },
    );

    app.get('/api/v1/mail/batches', { schema: { tags: ['mail'], summary: 'Derniers lots déposés, avec leur avancement', response: { 200: Type.Object({ items: Type.Array(BatchSchema) }), ...ErrorResponses } } }, async (req) =>
      listBatches(rt.db, req.actor),
    );
    app.get('/api/v1/mail/batches/:id', { schema: { tags: ['mail'], summary: 'Un lot : état et avancement (pages traitées / total)', params: Id, response: { 200: BatchSchema, ...ErrorResponses } } }, async (req) =>
      getBatch(rt.db, req.actor, (req.params as any).id),
    );

    app.get(
      '/api/v1/mail/letters',
      {
        schema: {
          tags: ['mail'], summary: 'Courriers (d’un lot, ou la file à qualifier)',
          querystring: Type.Object({
            batch: Type.Optional(Type.String({ format: 'uuid' })), status: Type.Optional(Type.String({ maxLength: 200 })),
            direction: Type.Optional(Type.Union([Type.Literal('in'), Type.Literal('out')])), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          }),
          response: { 200: Type.Object({ items: Type.Array(Any) }), ...ErrorResponses },
        },
      },
      async (req) => {
        const q = req.query as any;
        return listLetters(rt.db, req.actor, { batch: q.batch, status: q.status ? String(q.status).split(',') : undefined, direction: q.direction, limit: q.limit });
      },
    );
    app.get('/api/v1/mail/letters/:id', { schema: { tags: ['mail'], summary: 'Un courrier : texte par page, propositions, état', params: Id, response: { 200: Any, ...ErrorResponses } } }, async (req) =>
      getLetter(rt.db, req.actor, (req.params as any).id),
    );
    app.get('/api/v1/mail/letters/:id/scan.pdf', { schema: { tags: ['mail'], summary: 'Le courrier numérisé (PDF)', params: Id } }, async (req, reply) => {
      const l = await getLetter(rt.db, req.actor, (req.params as any).id);
      if (!l.sha256 || !rt.files.exists(l.sha256)) throw new NotFound('Fichier introuvable.');
      return sendPdf(reply, rt.files.open(l.sha256), `courrier-${l.chrono}.pdf`);
    });
    app.get(
      '/api/v1/mail/letters/:id/pages/:page',
      { schema: { tags: ['mail'], summary: 'Une page du courrier en image (visionneuse)', params: Type.Object({ id: Type.String({ format: 'uuid' }), page: Type.Integer({ minimum: 1, maximum: 5000 }) }) } },
      async (req, reply) => {
        const { id, page } = req.params as any;
        const l = await getLetter(rt.db, req.actor, id);
        if (!l.sha256 || page > l.pageCount) throw new NotFound('Page introuvable.');
        const png = await renderPage(rt.files.pathOf(l.sha256), page, 100, 'png');
        reply.header('content-type', 'image/png').header('cache-control', 'private, max-age=3600');
        return reply.send(png);
      },
    );
    app.post(
      '/api/v1/mail/letters/:id/validate',
      {
        schema: {
          tags: ['mail'], summary: 'Qualifier un courrier : nouvelle demande ou demande existante, ou réponse de niveau 1', params: Id,
          body: Type.Object(
            {
              contact: Type.Optional(InlineContactSchema), contactId: Type.Optional(Type.String({ format: 'uuid' })),
              topic: Type.String({ minLength: 1, maxLength: 63 }), subject: Type.String({ minLength: 1, maxLength: 500 }),
              caseReference: Type.Optional(Type.Union([Type.String({ maxLength: 64 }), Type.Null()])), level1: Type.Optional(Type.Boolean()),
              knowledgeArticle: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])), paperLocation: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            },
            { additionalProperties: false },
          ),
          response: { 200: Any, ...ErrorResponses },
        },
      },
      async (req) => {
        const b = req.body as any;
        return validateLetter(rt, req.actor, (req.params as any).id, { ...b, contact: b.contactId ? { id: b.contactId } : b.contact });
      },
    );
    app.put(
      '/api/v1/mail/letters/:id/paper',
      { schema: { tags: ['mail'], summary: 'Emplacement de l’original papier (boîte, étagère)', params: Id, body: Type.Object({ location: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }), response: { 200: Any, ...ErrorResponses } } },
      async (req) => setPaperLocation(rt, req.actor, (req.params as any).id, (req.body as any).location),
    );
    app.get('/api/v1/mail/letters/:id/acknowledgement.pdf', { schema: { tags: ['mail'], summary: 'L’accusé de réception envoyé pour ce courrier', params: Id } }, async (req, reply) => {
      const l = await getLetter(rt.db, req.actor, (req.params as any).id);
      const { rows } = await rt.db.query(`SELECT chrono, sha256 FROM mail_letters WHERE in_reply_to = $1 AND kind = 'acknowledgement' LIMIT 1`, [l.id]);
      if (!rows[0]) throw new NotFound('Aucun accusé de réception pour ce courrier.');
      return sendPdf(reply, rt.files.open(rows[0].sha256), `accuse-reception-${rows[0].chrono}.pdf`);
    });

    app.get(
      '/api/v1/mail/print-batches/:file',
      { schema: { tags: ['mail'], summary: 'Courriers sortants du jour en un PDF à imprimer (AAAA-MM-JJ.pdf)', params: Type.Object({ file: Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}\\.pdf$' }) }) } },
      async (req, reply) => {
        const day = (req.params as any).file.replace(/\.pdf$/, '');
        const { pdf } = await printBatch(rt, req.actor, day);
        return sendPdf(reply, pdf, `courriers-sortants-${day}.pdf`);
      },
    );
    app.get('/api/v1/mail/separator-sheet.pdf', { schema: { tags: ['mail'], summary: 'Feuille de séparation à imprimer', querystring: Type.Object({ copies: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })) }) } }, async (req, reply) => {
      authorize(req.actor, 'mail.read');
      return sendPdf(reply, await separatorSheetPdf((req.query as any).copies ?? 1), 'feuille-de-separation.pdf');
    });

    app.get(
      '/api/v1/mail/paper/due',
      { schema: { tags: ['mail'], summary: 'Originaux papier dont la durée de conservation est échue', querystring: Type.Object({ action: Type.Union([Type.Literal('destroy'), Type.Literal('archive')]) }), response: { 200: Type.Object({ items: Type.Array(Any) }), ...ErrorResponses } } },
      async (req) => listPaperDue(rt.db, req.actor, (req.query as any).action),
    );
    app.post(
      '/api/v1/mail/disposal-lists',
      {
        schema: {
          tags: ['mail'], summary: 'Établir un bordereau d’élimination ou de versement (refusé si une demande est ouverte)',
          body: Type.Object({ action: Type.Union([Type.Literal('destroy'), Type.Literal('archive')]), letterIds: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 }) }, { additionalProperties: false }),
          response: { 201: Any, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await createDisposalList(rt, req.actor, req.body as any)),
    );
    app.get('/api/v1/mail/disposal-lists/:id', { schema: { tags: ['mail'], summary: 'Le bordereau à imprimer et signer (PDF)', params: Id } }, async (req, reply) => {
      const sha = await disposalListFile(rt.db, req.actor, (req.params as any).id);
      return sendPdf(reply, rt.files.open(sha), 'bordereau.pdf');
    });
    app.post('/api/v1/mail/disposal-lists/:id/confirm', { schema: { tags: ['mail'], summary: 'Bordereau signé : originaux détruits ou versés', params: Id, response: { 200: Any, ...ErrorResponses } } }, async (req) =>
      confirmDisposalList(rt, req.actor, (req.params as any).id),
    );
  };
}
