// Agent accounts: administration (list, create, change roles/units, deactivate, reset password) and
// each agent's own profile (signature, password).
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { ROLES } from '../../platform/actor.ts';
import { createAgent, listAgents, updateAgent, updateOwnProfile } from './agents.service.ts';
import type { AgentRow } from './agents.repository.ts';

const RoleList = Type.Array(Type.Union(ROLES.filter((r) => r !== 'integration').map((r) => Type.Literal(r))), { minItems: 1, maxItems: 7 });
const AgentSchema = Type.Object({
  id: Type.String(),
  email: Type.String(),
  displayName: Type.String(),
  roles: Type.Array(Type.String()),
  unitCodes: Type.Array(Type.String()),
  extension: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  lastSignInAt: Type.Union([Type.String(), Type.Null()]),
});

async function view(rt: Runtime, a: AgentRow) {
  const { rows } = await rt.db.query(`SELECT coalesce(array_agg(code ORDER BY code), '{}') AS codes FROM units WHERE id = ANY($1::uuid[])`, [a.unit_ids]);
  return { id: a.id, email: a.email, displayName: a.display_name, roles: a.roles, unitCodes: rows[0].codes, extension: a.extension, active: a.active, lastSignInAt: null };
}

export function agentRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.get(
      '/api/v1/agents',
      { schema: { tags: ['administration'], summary: 'Comptes agents', querystring: Type.Object({ unit: Type.Optional(Type.String()), q: Type.Optional(Type.String({ maxLength: 100 })) }), response: { 200: Type.Object({ items: Type.Array(AgentSchema) }), ...ErrorResponses } } },
      async (req) => ({ items: await listAgents(rt.db, req.actor, req.query as any) }),
    );
    app.post(
      '/api/v1/agents',
      {
        schema: {
          tags: ['administration'], summary: 'Créer un compte agent',
          body: Type.Object({ email: Type.String({ minLength: 3, maxLength: 320 }), displayName: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 256 }), roles: RoleList, unitCodes: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })), extension: Type.Optional(Type.String({ maxLength: 20 })) }, { additionalProperties: false }),
          response: { 201: AgentSchema, ...ErrorResponses },
        },
      },
      async (req, reply) => reply.status(201).send(await view(rt, await createAgent(rt.db, req.actor, req.body as any))),
    );
    app.patch(
      '/api/v1/agents/:id',
      {
        schema: {
          tags: ['administration'], summary: 'Modifier un compte agent (rôles, services, poste, activation, mot de passe)',
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), roles: Type.Optional(RoleList), unitCodes: Type.Optional(Type.Array(Type.String(), { maxItems: 20 })), extension: Type.Optional(Type.Union([Type.String({ maxLength: 20 }), Type.Null()])), active: Type.Optional(Type.Boolean()), password: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) }, { additionalProperties: false }),
          response: { 200: AgentSchema, ...ErrorResponses },
        },
      },
      async (req) => view(rt, await updateAgent(rt.db, req.actor, (req.params as { id: string }).id, req.body as any)),
    );
    app.patch(
      '/api/v1/me',
      {
        schema: {
          tags: ['auth'], summary: 'Mon profil : signature, mot de passe',
          body: Type.Object({ signature: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])), currentPassword: Type.Optional(Type.String({ maxLength: 256 })), newPassword: Type.Optional(Type.String({ maxLength: 256 })) }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...ErrorResponses },
        },
      },
      async (req, reply) => {
        await updateOwnProfile(rt.db, req.actor, req.body as any);
        return reply.status(204).send();
      },
    );
  };
}
