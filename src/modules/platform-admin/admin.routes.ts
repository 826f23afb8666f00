// Administration of the platform itself: dead-letter jobs, API tokens, audit chain check.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { authorize } from '../policy/policy.ts';
import { listJobs, retryDeadJob } from '../../platform/jobs/queue.ts';
import { verifyAuditChain } from '../../platform/audit/verify.ts';
import { createToken, revokeToken } from '../auth/tokens.service.ts';
import { NotFound } from '../../platform/errors.ts';

const JobSchema = Type.Object({
  id: Type.Number(),
  name: Type.String(),
  payload: Type.Any(),
  status: Type.String(),
  attempts: Type.Number(),
  maxAttempts: Type.Number(),
  runAt: Type.String(),
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
  finishedAt: Type.Union([Type.String(), Type.Null()]),
});

export function adminRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/admin/jobs',
      {
        schema: {
          tags: ['administration'],
          summary: 'Tâches de fond (dont les tâches en échec définitif)',
          querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('queued'), Type.Literal('running'), Type.Literal('done'), Type.Literal('dead')])) }),
          response: { 200: Type.Object({ items: Type.Array(JobSchema) }), ...ErrorResponses },
        },
      },
      async (req) => {
        authorize(req.actor, 'jobs.manage');
        const status = (req.query as { status?: 'queued' | 'running' | 'done' | 'dead' }).status ?? 'dead';
        const rows = await listJobs(rt.db, status);
        return {
          items: rows.map((j) => ({
            id: j.id, name: j.name, payload: j.payload, status: j.status, attempts: j.attempts, maxAttempts: j.max_attempts,
            runAt: j.run_at.toISOString(), lastError: j.last_error, createdAt: j.created_at.toISOString(),
            finishedAt: j.finished_at ? j.finished_at.toISOString() : null,
          })),
        };
      },
    );
    app.post(
      '/api/v1/admin/jobs/:id/retry',
      { schema: { tags: ['administration'], summary: 'Relancer une tâche en échec', params: Type.Object({ id: Type.Integer() }), response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        authorize(req.actor, 'jobs.manage');
        const id = (req.params as { id: number }).id;
        if (!(await retryDeadJob(rt.db, id))) throw new NotFound('Tâche introuvable ou pas en échec.');
        await rt.db.tx(async (tx) => tx.audit({ actor: req.actor, action: 'job.retry', objectType: 'job', objectId: String(id) }));
        rt.worker.nudge();
        return reply.status(204).send();
      },
    );
    app.post(
      '/api/v1/admin/tokens',
      {
        schema: {
          tags: ['administration'],
          summary: "Créer un jeton d'API (affiché une seule fois)",
          body: Type.Object({ name: Type.String({ minLength: 1, maxLength: 100 }), role: Type.String(), unit: Type.Optional(Type.String()), scopes: Type.Optional(Type.Array(Type.String())) }, { additionalProperties: false }),
          response: { 201: Type.Object({ id: Type.String(), token: Type.String(), scopes: Type.Array(Type.String()) }), ...ErrorResponses },
        },
      },
      async (req, reply) => {
        const b = req.body as { name: string; role: string; unit?: string; scopes?: string[] };
        return reply.status(201).send(await createToken(rt.db, req.actor, { name: b.name, role: b.role, unitCode: b.unit, scopes: b.scopes }));
      },
    );
    app.delete(
      '/api/v1/admin/tokens/:id',
      { schema: { tags: ['administration'], summary: "Révoquer un jeton d'API", params: Type.Object({ id: Type.String({ format: 'uuid' }) }), response: { 204: Type.Null(), ...ErrorResponses } } },
      async (req, reply) => {
        await revokeToken(rt.db, req.actor, (req.params as { id: string }).id);
        return reply.status(204).send();
      },
    );
    app.get(
      '/api/v1/admin/audit/verify',
      { schema: { tags: ['administration'], summary: "Vérifier la chaîne d'audit", response: { 200: Type.Object({ ok: Type.Boolean(), checked: Type.Number(), firstBad: Type.Optional(Type.Object({ seq: Type.Number(), reason: Type.String() })) }), ...ErrorResponses } } },
      async (req) => {
        authorize(req.actor, 'audit.read');
        return verifyAuditChain(rt.db);
      },
    );
  };
}
