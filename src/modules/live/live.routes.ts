// Live updates for the agent back office: GET /api/v1/events relays case changes (caseBus) as
// server-sent events, only for cases the signed-in agent may read (the policy's canReadCase), so the
// stream never reveals a case the agent could not open. A comment line every 25 s keeps proxies from
// closing the connection and re-checks that the session still exists (sign-out ends the stream).
import type { FastifyInstance } from 'fastify';
import type { Runtime } from '../../platform/runtime.ts';
import type { Actor } from '../../platform/actor.ts';
import { Unauthorized } from '../../platform/errors.ts';
import { canReadCase } from '../policy/case-policy.ts';
import { caseBus, type CaseChange } from '../cases/case-bus.ts';
import { findSession } from '../auth/sessions.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';

export const HEARTBEAT_MS = 25_000;

/** What the browser receives for one change; `left` when the case moved out of one of the agent's units. */
export interface LiveCaseEvent {
  reference: string;
  kind: CaseChange['kind'];
  unitId: string | null;
  previousUnitId: string | null;
  assigneeId: string | null;
  at: string;
  left: boolean;
}

/**
 * The event an actor may receive for a change, or null. A case still readable is relayed as is; a case
 * that just left a unit the actor could read it through is relayed as `left` (so that queue drops it).
 */
export function eventFor(actor: Actor, change: CaseChange): LiveCaseEvent | null {
  const access = { unitId: change.unitId, sensitive: change.sensitive, handlingUnitIds: change.handlingUnitIds ?? [], assigneeId: change.assigneeId };
  const readable = canReadCase(actor, access);
  const moved = change.previousUnitId !== undefined && change.previousUnitId !== change.unitId;
  const readableBefore = moved && canReadCase(actor, { ...access, unitId: change.previousUnitId ?? null });
  if (!readable && !readableBefore) return null;
  return {
    reference: change.reference,
    kind: change.kind,
    unitId: readable ? change.unitId : null,
    previousUnitId: change.previousUnitId ?? null,
    assigneeId: readable ? change.assigneeId : null,
    at: change.at,
    left: !readable,
  };
}

export function liveRoutes(rt: Runtime, opts: { heartbeatMs?: number } = {}) {
  const heartbeatMs = opts.heartbeatMs ?? HEARTBEAT_MS;
  return async (app: FastifyInstance) => {
    // Open streams would hold the server open: end them when it closes.
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const close of [...streams]) close();
    });
    app.get(
      '/api/v1/events',
      { schema: { tags: ['live'], summary: 'Flux des changements de demandes visibles (server-sent events)', produces: ['text/event-stream'] } },
      async (req, reply) => {
        const actor = req.actor;
        if (actor.kind !== 'agent') throw new Unauthorized();
        const sid = req.cookies[SESSION_COOKIE];
        reply.hijack();
        const res = reply.raw;
        res.writeHead(200, {
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-cache, no-transform',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
          'x-request-id': req.id,
        });
        res.write(`retry: 5000\nevent: ready\ndata: {}\n\n`);

        const onChange = (change: CaseChange) => {
          const e = eventFor(actor, change);
          if (e) res.write(`event: case\ndata: ${JSON.stringify(e)}\n\n`);
        };
        caseBus.on('change', onChange);
        const heartbeat = setInterval(() => {
          res.write(`: ping\n\n`);
          if (sid) {
            findSession(rt.db, sid).then(
              (s) => (s && s.agent.id === actor.id ? undefined : close()),
              () => undefined, // a database hiccup does not end the stream; the next beat checks again
            );
          }
        }, heartbeatMs);
        heartbeat.unref();
        let closed = false;
        function close() {
          if (closed) return;
          closed = true;
          clearInterval(heartbeat);
          caseBus.off('change', onChange);
          streams.delete(close);
          res.end();
        }
        streams.add(close);
        req.raw.on('close', close);
        res.on('error', close);
      },
    );
  };
}
