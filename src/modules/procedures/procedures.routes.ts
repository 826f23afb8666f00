// Procedures over HTTP. Public (portal scope): the catalogue, one procedure, drafts, submission, tracking.
// Back office (agent scope): the structured submission of a case, and administration of definitions.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { BadRequest } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { requireReadableCase } from '../cases/cases.service.ts';
import { getProcedure, listProcedures, saveProcedure } from './procedures.service.ts';
import { addDraftFile, createDraft, listMyDrafts, loadDraft, removeDraftFile, saveDraft } from './drafts.service.ts';
import { findSubmissionByCase, submitDraft, trackSubmission } from './submission.service.ts';
import { requireCitizen } from '../../channels/portal/portal-auth.ts';

const Slug = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{1,62}$' });
const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });

export function publicProcedureRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/v1/portal/procedures', { config: { public: true }, schema: { tags: ['portal'], summary: 'Catalogue des démarches en ligne' } }, async () => {
      const list = await listProcedures(rt.db);
      const { rows: domains } = await rt.db.query<{ code: string; name: string }>('SELECT code, name FROM domains');
      const names = new Map(domains.map((d) => [d.code, d.name]));
      return {
        items: list.map((p) => ({
          slug: p.slug, title: p.title, description: p.definition.description ?? null, domain: p.definition.domain,
          domainName: names.get(p.definition.domain) ?? p.definition.domain, audience: p.definition.audience, anonymous: p.definition.anonymous,
          deadlineDays: p.definition.workflow.deadlineDays ?? null,
        })),
      };
    });
    app.get('/api/v1/portal/procedures/:slug', { config: { public: true }, schema: { tags: ['portal'], summary: 'Une démarche : pages, champs, conditions', params: Type.Object({ slug: Slug }) } }, async (req) => {
      const p = await getProcedure(rt.db, (req.params as { slug: string }).slug);
      const { workflow, ...def } = p.definition;
      return { ...def, version: p.version, workflow: { deadlineDays: workflow.deadlineDays ?? null, steps: workflow.steps ?? [] } };
    });

    app.post(
      '/api/v1/portal/drafts',
      { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Commencer une démarche (brouillon)', body: Type.Object({ procedure: Slug }) } },
      async (req, reply) => reply.status(201).send(await createDraft(rt.db, req.actor, (req.body as { procedure: string }).procedure)),
    );
    app.get('/api/v1/portal/drafts', { schema: { tags: ['portal'], summary: 'Mes brouillons' } }, async (req) => ({ items: await listMyDrafts(rt.db, requireCitizen(req)) }));
    app.get('/api/v1/portal/drafts/:id', { config: { public: true }, schema: { tags: ['portal'], summary: 'Reprendre un brouillon', params: Id } }, async (req) => loadDraft(rt.db, req.actor, (req.params as { id: string }).id));
    app.put(
      '/api/v1/portal/drafts/:id',
      { config: { public: true }, schema: { tags: ['portal'], summary: 'Enregistrer le brouillon (automatique)', params: Id, body: Type.Object({ data: Type.Record(Type.String(), Type.Unknown()) }) } },
      async (req) => saveDraft(rt.db, req.actor, (req.params as { id: string }).id, (req.body as { data: Record<string, unknown> }).data),
    );
    app.post(
      '/api/v1/portal/drafts/:id/files/:field',
      { config: { public: true, rateLimit: { max: 60, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Joindre un fichier à un champ du brouillon (multipart)', params: Type.Object({ id: Type.String({ maxLength: 64 }), field: Type.String({ maxLength: 63 }) }) } },
      async (req, reply) => {
        const { id, field } = req.params as { id: string; field: string };
        const part = await req.file();
        if (!part) throw new BadRequest('Aucun fichier reçu.');
        const r = await addDraftFile(rt.db, rt.files, req.actor, id, field, { stream: part.file, filename: part.filename, mimetype: part.mimetype });
        if (part.file.truncated) throw new BadRequest('Fichier tronqué : trop volumineux.');
        return reply.status(201).send(r);
      },
    );
    app.delete(
      '/api/v1/portal/drafts/:id/files/:field/:sha256',
      { config: { public: true }, schema: { tags: ['portal'], summary: 'Retirer un fichier du brouillon', params: Type.Object({ id: Type.String({ maxLength: 64 }), field: Type.String({ maxLength: 63 }), sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }) }) } },
      async (req) => {
        const { id, field, sha256 } = req.params as { id: string; field: string; sha256: string };
        return removeDraftFile(rt.db, req.actor, id, field, sha256);
      },
    );
    app.post(
      '/api/v1/portal/drafts/:id/submit',
      // per citizen session when signed in (a town hall's many users share one IP), else per IP
      { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute', keyGenerator: (req) => req.cookies?.guichet_citizen ?? req.ip } }, schema: { tags: ['portal'], summary: 'Envoyer la démarche', params: Id, body: Type.Optional(Type.Object({ organisationId: Type.Optional(Type.Union([Type.String({ format: 'uuid' }), Type.Null()])) })) } },
      async (req, reply) => reply.status(201).send(await submitDraft(rt.db, req.actor, (req.params as { id: string }).id, (req.body as any) ?? {})),
    );
    app.get(
      '/api/v1/portal/track/:code',
      { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Suivre une demande envoyée sans compte (code de suivi)', params: Type.Object({ code: Type.String({ minLength: 6, maxLength: 40 }) }) } },
      async (req) => trackSubmission(rt.db, (req.params as { code: string }).code),
    );
  };
}

export function agentProcedureRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get('/api/v1/cases/:reference/submission', { schema: { tags: ['cases'], summary: 'Données structurées de la démarche en ligne à l’origine de la demande', params: Type.Object({ reference: Type.String({ maxLength: 64 }) }) } }, async (req) => {
      const c = await requireReadableCase(rt.db, req.actor, (req.params as { reference: string }).reference);
      const s = await findSubmissionByCase(rt.db, c.id);
      if (!s) return { submission: null };
      const { definition: _d, ...rest } = s;
      return { submission: rest };
    });
    app.get('/api/v1/admin/procedures', { schema: { tags: ['admin'], summary: 'Démarches en ligne (définitions)' } }, async (req) => {
      authorize(req.actor, 'procedure.manage');
      return { items: await listProcedures(rt.db, { includeInactive: true }) };
    });
    app.put(
      '/api/v1/admin/procedures/:slug',
      { schema: { tags: ['admin'], summary: 'Créer ou remplacer la définition d’une démarche', params: Type.Object({ slug: Slug }), body: Type.Object({ definition: Type.Unknown(), active: Type.Optional(Type.Boolean()) }) } },
      async (req) => saveProcedure(rt.db, req.actor, (req.params as { slug: string }).slug, req.body as any),
    );
  };
}
