// HTTP routes of the case API (fixed names: outside tools depend on them).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import {
  addInteraction, assignCase, createCase, escalateCase, linkCases, mergeDuplicateCase, qualifyCase, transferCase,
  transitionCase, updateCase, type NewCaseInput,
} from './cases.service.ts';
import { countCases, getCaseDetail, listCases, type CaseFilters } from './cases.queries.ts';
import {
  CaseCreatedSchema, CaseDetailSchema, CaseListSchema, InteractionInputSchema, NewCaseSchema, PrioritySchema, Reference, StatusSchema,
} from './cases.schema.ts';
import type { InteractionInput } from './interactions.service.ts';

const RefParams = Type.Object({ reference: Reference });
const Ok = Type.Object({ reference: Type.String() }, { additionalProperties: true });
const csv = (v?: string) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
const bool = (v?: string) => v === 'true' || v === '1';

function interactionFrom(body: any): InteractionInput {
  return { ...body, occurredAt: body.occurredAt ? new Date(body.occurredAt) : undefined };
}

export function caseRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/cases',
      { schema: { tags: ['cases'], summary: 'Créer une demande', body: NewCaseSchema, response: { 201: CaseCreatedSchema, ...ErrorResponses } } },
      async (req, reply) => {
        const b = req.body as any;
        const input: NewCaseInput = {
          ...b,
          contact: b.contactId ? { id: b.contactId } : b.contact,
          receivedAt: b.receivedAt ? new Date(b.receivedAt) : undefined,
          interaction: b.interaction ? interactionFrom(b.interaction) : undefined,
          unitCode: b.unit,
        };
        return reply.status(201).send(await createCase(rt.db, req.actor, input));
      },
    );

    app.get(
      '/api/v1/cases',
      {
        schema: {
          tags: ['cases'],
          summary: 'Lister / filtrer les demandes (files de travail)',
          querystring: Type.Object({
            q: Type.Optional(Type.String({ maxLength: 200 })),
            status: Type.Optional(Type.String({ description: 'statuts séparés par des virgules' })),
            open: Type.Optional(Type.String()),
            unit: Type.Optional(Type.String()),
            mine: Type.Optional(Type.String()),
            assignee: Type.Optional(Type.String({ format: 'uuid' })),
            topic: Type.Optional(Type.String()),
            channel: Type.Optional(Type.String()),
            contact: Type.Optional(Type.String({ format: 'uuid' })),
            overdue: Type.Optional(Type.String()),
            dueSoon: Type.Optional(Type.String()),
            unassigned: Type.Optional(Type.String()),
            level1: Type.Optional(Type.String()),
            dueBefore: Type.Optional(Type.String({ format: 'date' })),
            from: Type.Optional(Type.String({ format: 'date' })),
            to: Type.Optional(Type.String({ format: 'date' })),
            sort: Type.Optional(Type.Union(['due', 'created', '-created', 'updated', 'priority'].map((s) => Type.Literal(s)))),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
            cursor: Type.Optional(Type.String({ maxLength: 500 })),
          }),
          response: { 200: CaseListSchema, ...ErrorResponses },
        },
      },
      async (req) => {
        const q = req.query as Record<string, any>;
        const filters: CaseFilters = {
          q: q.q, status: csv(q.status), open: bool(q.open), unit: q.unit, mine: bool(q.mine), assignee: q.assignee, topic: q.topic,
          channel: csv(q.channel), contact: q.contact, overdue: bool(q.overdue), dueSoon: bool(q.dueSoon), unassigned: bool(q.unassigned),
          level1: bool(q.level1), dueBefore: q.dueBefore, from: q.from, to: q.to, sort: q.sort, limit: q.limit, cursor: q.cursor,
        };
        return listCases(rt.db, req.actor, filters);
      },
    );

    app.get(
      '/api/v1/cases/counts',
      {
        schema: {
          tags: ['cases'],
          summary: 'Compteurs des files (par statut, en retard, à échéance, non attribuées)',
          querystring: Type.Object({ unit: Type.Optional(Type.String()), mine: Type.Optional(Type.String()) }),
          response: { 200: Type.Record(Type.String(), Type.Number()), ...ErrorResponses },
        },
      },
      async (req) => {
        const q = req.query as Record<string, string | undefined>;
        return countCases(rt.db, req.actor, { unit: q.unit, mine: bool(q.mine) });
      },
    );

    app.get(
      '/api/v1/cases/:reference',
      { schema: { tags: ['cases'], summary: 'Une demande, sa chronologie et les actions permises', params: RefParams, response: { 200: CaseDetailSchema, ...ErrorResponses } } },
      async (req) => getCaseDetail(rt.db, req.actor, (req.params as any).reference),
    );

    app.patch(
      '/api/v1/cases/:reference',
      {
        schema: {
          tags: ['cases'], summary: 'Modifier objet, description, priorité, étiquettes', params: RefParams,
          body: Type.Object({ subject: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })), description: Type.Optional(Type.Union([Type.String({ maxLength: 50_000 }), Type.Null()])), priority: Type.Optional(PrioritySchema), tags: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => updateCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/interactions',
      { schema: { tags: ['cases'], summary: 'Ajouter un échange (appel, courrier, courriel, note…)', params: RefParams, body: InteractionInputSchema, response: { 201: Type.Object({ reference: Type.String(), interaction: Type.Object({ id: Type.String(), kind: Type.String(), direction: Type.String(), occurredAt: Type.String() }) }), ...ErrorResponses } } },
      async (req, reply) => {
        const r = await addInteraction(rt.db, req.actor, (req.params as any).reference, interactionFrom(req.body));
        return reply.status(201).send({ reference: r.reference, interaction: { ...r.interaction, occurredAt: r.interaction.occurredAt.toISOString() } });
      },
    );

    app.post(
      '/api/v1/cases/:reference/transitions',
      {
        schema: {
          tags: ['cases'], summary: 'Changer le statut (transitions permises uniquement)', params: RefParams,
          body: Type.Object({ to: StatusSchema, reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])), resolvedLevel1: Type.Optional(Type.Boolean()), knowledgeArticle: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => transitionCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/qualify',
      {
        schema: {
          tags: ['cases'], summary: "Qualifier (choisir l'objet) : oriente la demande et calcule l'échéance", params: RefParams,
          body: Type.Object({ topic: Type.String({ minLength: 1 }), reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])), priority: Type.Optional(PrioritySchema) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => qualifyCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/transfer',
      {
        schema: {
          tags: ['cases'], summary: 'Transférer à un autre service, avec un motif', params: RefParams,
          body: Type.Object({ unit: Type.String({ minLength: 1 }), reason: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => transferCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/escalate',
      {
        schema: {
          tags: ['cases'], summary: 'Transmettre au niveau 2 (service désigné par l’objet ou une règle)', params: RefParams,
          body: Type.Object({ reason: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])), callbackRequested: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => escalateCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/assign',
      {
        schema: {
          tags: ['cases'], summary: 'Attribuer (ou se retirer : assigneeId null)', params: RefParams,
          body: Type.Object({ assigneeId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => assignCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/links',
      {
        schema: {
          tags: ['cases'], summary: 'Lier à une autre demande', params: RefParams,
          body: Type.Object({ other: Type.String({ minLength: 1 }), kind: Type.Optional(Type.Union(['related', 'duplicate', 'follow_up', 'reference_mismatch'].map((k) => Type.Literal(k)))), note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => linkCases(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );

    app.post(
      '/api/v1/cases/:reference/merge',
      {
        schema: {
          tags: ['cases'], summary: 'Fusionner une demande en double dans celle-ci', params: RefParams,
          body: Type.Object({ duplicate: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
          response: { 200: Ok, ...ErrorResponses },
        },
      },
      async (req) => mergeDuplicateCase(rt.db, req.actor, (req.params as any).reference, req.body as any),
    );
  };
}
