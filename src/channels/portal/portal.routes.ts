// The citizen portal channel: one registration for the app. The citizen scope has its own authentication
// (portal-auth.ts: citizen cookie, CSRF); the back-office routes use the agents' authentication.
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../platform/runtime.ts';
import { registerPortalAuth } from './portal-auth.ts';
import { citizenRoutes } from '../../modules/citizens/citizens.routes.ts';
import { agentProcedureRoutes, publicProcedureRoutes } from '../../modules/procedures/procedures.routes.ts';
import { seedProcedures } from '../../modules/procedures/procedures.service.ts';
import { espaceRoutes } from './espace.routes.ts';
import { portalAgentRoutes } from './agent.routes.ts';
import { registerPortalReplyChannel } from './reply-channel.ts';
import { portalPages } from './web/pages.ts';

export function portalRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    const seeded = await seedProcedures(rt.db);
    for (const p of seeded.problems) rt.log.warn(`démarche ignorée : ${p}`);
    await rt.db.query(`INSERT INTO portal_notify_cursor (last_event_id) SELECT coalesce(max(id), 0) FROM case_events ON CONFLICT DO NOTHING`);
    registerPortalReplyChannel();
    await app.register(async (citizen) => {
      registerPortalAuth(citizen, rt);
      await citizen.register(citizenRoutes(rt));
      await citizen.register(publicProcedureRoutes(rt));
      await citizen.register(espaceRoutes(rt));
      await citizen.register(portalPages(rt));
    });
    await app.register(agentProcedureRoutes(rt));
    await app.register(portalAgentRoutes(rt));
  };
}
