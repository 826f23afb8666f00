// HTTP routes of the contact center: call log and qualification, callbacks, caller identification,
// the agent's call stream (screen pop), presence, wallboard, staffing and opening hours.
import type { FastifyInstance } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { Invalid, Unauthorized } from '../../platform/errors.ts';
import { authorize, requireSignedIn } from '../../modules/policy/policy.ts';
import { ctiRoutes } from './cti.routes.ts';
import { getCall, listCalls, qualifyCall } from './calls.service.ts';
import { completeCallback, listCallbacks } from './callbacks.service.ts';
import { identifyNumber, type Identification } from './identify.ts';
import type { Actor } from '../../platform/actor.ts';
import { getPresence, setPresence } from './presence.service.ts';
import { wallboard } from './wallboard.service.ts';
import { checkStaffingInput, staffing } from './erlang.ts';
import { planDay, WORKING_DAYS_PER_MONTH } from './intraday.ts';
import { getSchedule, isOpen, setSchedule } from './hours.ts';
import { PHONE_EVENT, type PhoneNotice } from './phone-bus.ts';
import { findSession } from '../../modules/auth/sessions.ts';
import { SESSION_COOKIE } from '../../server/plugins/auth.ts';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
const HEARTBEAT_MS = 25_000;

export function phoneRoutes(rt: Runtime) {
  return async (app: FastifyInstance) => {
    await app.register(ctiRoutes(rt));

    app.get('/api/v1/calls', {
      schema: { tags: ['phone'], summary: 'Journal des appels d’une journée', querystring: Type.Object({
        date: Type.Optional(Type.String({ maxLength: 10 })), agent: Type.Optional(Type.String({ maxLength: 64 })),
        outcome: Type.Optional(Type.String({ maxLength: 32 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
      }), response: ErrorResponses },
    }, async (req) => ({ items: await listCalls(rt.db, req.actor, req.query as any) }));

    app.get('/api/v1/calls/:id', { schema: { tags: ['phone'], summary: 'Un appel', params: IdParams, response: ErrorResponses } }, async (req) =>
      getCall(rt.db, req.actor, (req.params as any).id));

    app.post('/api/v1/calls/:id/qualify', {
      schema: { tags: ['phone'], summary: 'Qualifier un appel : réponse de niveau 1 ou transmission au niveau 2',
        description: 'En-tête facultatif Idempotency-Key : une même clé renvoie la première réponse sans rien refaire (double clic, nouvel essai du réseau).', params: IdParams, body: Type.Object({
        topic: Type.String({ minLength: 1, maxLength: 64 }),
        outcome: Type.Union([Type.Literal('level1'), Type.Literal('escalate')]),
        caseReference: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{6,}$' })),
        articleId: Type.Optional(Type.String({ maxLength: 64 })),
        contactId: Type.Optional(Type.String({ maxLength: 64 })),
        subject: Type.String({ minLength: 1, maxLength: 300 }),
        note: Type.Optional(Type.String({ maxLength: 10000 })),
        callback: Type.Optional(Type.Boolean()),
      }, { additionalProperties: false }), response: ErrorResponses },
    }, async (req) => {
      // Idempotency-Key (optional): the console sends one per qualification form, so a double click or a
      // network retry returns the first answer; without it, a digest of the request plays that part.
      const key = req.headers['idempotency-key'];
      return qualifyCall(rt.db, req.actor, (req.params as any).id, req.body as any, { idempotencyKey: typeof key === 'string' ? key : null });
    });

    app.get('/api/v1/callbacks', {
      schema: { tags: ['phone'], summary: 'Liste de rappels', querystring: Type.Object({ status: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done')])) }), response: ErrorResponses },
    }, async (req) => ({ items: await listCallbacks(rt.db, req.actor, req.query as any) }));

    app.post('/api/v1/callbacks/:id/done', {
      schema: { tags: ['phone'], summary: 'Rappel effectué (consigné comme appel sortant)', params: IdParams, body: Type.Object({
        reached: Type.Boolean(), note: Type.Optional(Type.String({ maxLength: 10000 })),
        caseReference: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{6,}$' })), subject: Type.Optional(Type.String({ maxLength: 300 })),
        topic: Type.Optional(Type.String({ maxLength: 64 })),
      }, { additionalProperties: false }), response: ErrorResponses },
    }, async (req) => completeCallback(rt.db, req.actor, (req.params as any).id, req.body as any));

    app.get('/api/v1/phone/identify', {
      schema: { tags: ['phone'], summary: 'Identifier un appelant par son numéro', querystring: Type.Object({ number: Type.String({ minLength: 1, maxLength: 64 }) }), response: ErrorResponses },
    }, async (req) => identifyNumber(rt.db, req.actor, (req.query as any).number));

    app.get('/api/v1/phone/presence', { schema: { tags: ['phone'], summary: 'Ma présence', response: ErrorResponses } }, async (req) => {
      if (req.actor.kind !== 'agent' || !req.actor.id) throw new Unauthorized();
      return getPresence(rt.db, req.actor.id);
    });
    app.put('/api/v1/phone/presence', {
      schema: { tags: ['phone'], summary: 'Changer ma présence', body: Type.Object({ status: Type.String({ maxLength: 20 }) }, { additionalProperties: false }), response: ErrorResponses },
    }, async (req) => setPresence(rt.db, req.actor, (req.body as any).status));

    app.get('/api/v1/phone/wallboard', {
      schema: { tags: ['phone'], summary: 'Tableau de bord des superviseurs', querystring: Type.Object({ date: Type.Optional(Type.String({ maxLength: 10 })) }), response: ErrorResponses },
    }, async (req) => wallboard(rt.db, req.actor, (req.query as any).date));

    app.get('/api/v1/phone/staffing', {
      schema: { tags: ['phone'], summary: 'Dimensionnement (Erlang C)', querystring: Type.Object({
        callsPerHour: Type.Optional(Type.Number()), callsPerDay: Type.Optional(Type.Number()), callsPerMonth: Type.Optional(Type.Number()),
        aht: Type.Number(), target: Type.Optional(Type.Number()), within: Type.Optional(Type.Number()), shrinkage: Type.Optional(Type.Number()),
      }), response: ErrorResponses },
    }, async (req) => {
      authorize(req.actor, 'reports.read');
      const q = req.query as any;
      const params = { ahtSeconds: q.aht, target: q.target ?? 0.8, withinSeconds: q.within ?? 20, shrinkage: q.shrinkage ?? 0 };
      const errors = checkStaffingInput({ ...params, callsPerHour: q.callsPerHour ?? 0 });
      if (Object.keys(errors).length) throw new Invalid(errors);
      const perDay = q.callsPerDay ?? (q.callsPerMonth !== undefined ? q.callsPerMonth / WORKING_DAYS_PER_MONTH : undefined);
      if (perDay !== undefined) {
        if (!(perDay >= 0 && perDay <= 1_000_000)) throw new Invalid({ callsPerDay: 'Volume quotidien invalide.' });
        return { mode: 'day', ...planDay(perDay, params) };
      }
      if (q.callsPerHour === undefined) throw new Invalid({ callsPerHour: 'Indiquez callsPerHour, callsPerDay ou callsPerMonth.' });
      return { mode: 'interval', ...staffing({ ...params, callsPerHour: q.callsPerHour }) };
    });

    app.get('/api/v1/phone/hours', { schema: { tags: ['phone'], summary: 'Horaires d’ouverture du centre de contact', response: ErrorResponses } }, async (req) => {
      requireSignedIn(req.actor);
      return { schedule: await getSchedule(rt.db), openNow: await isOpen(rt.db), timeZone: 'Europe/Paris' };
    });
    app.put('/api/v1/phone/hours', {
      schema: { tags: ['phone'], summary: 'Définir les horaires d’ouverture (administrateurs)', body: Type.Object({ schedule: Type.Record(Type.String(), Type.Any()) }), response: ErrorResponses },
    }, async (req) => ({ schedule: await setSchedule(rt.db, req.actor, (req.body as any).schedule) }));

    // The signed-in agent's calls: ringing, answered (with who is calling), ended.
    const streams = new Set<() => void>();
    // One identification per notice and per kind of reader (what an agent may see depends on roles and units
    // only): a call ringing on every console of a queue is looked up once, not once per console.
    const identifications = new WeakMap<PhoneNotice, Map<string, Promise<Identification>>>();
    const identifyFor = (n: PhoneNotice, actor: Actor) => {
      let byReader = identifications.get(n);
      if (!byReader) identifications.set(n, (byReader = new Map()));
      const reader = JSON.stringify([[...actor.roles].sort(), [...actor.unitIds].sort(), actor.scopes ?? null]);
      let found = byReader.get(reader);
      if (!found) byReader.set(reader, (found = identifyNumber(rt.db, actor, n.number)));
      return found;
    };
    app.addHook('preClose', async () => {
      for (const close of [...streams]) close();
    });
    app.get('/api/v1/phone/stream', { schema: { tags: ['phone'], summary: 'Flux des appels de l’agent connecté (server-sent events)', produces: ['text/event-stream'] } }, async (req, reply) => {
      const actor = req.actor;
      if (actor.kind !== 'agent' || !actor.id) throw new Unauthorized();
      const sid = req.cookies[SESSION_COOKIE];
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no', 'x-request-id': req.id });
      res.write(`retry: 5000\nevent: ready\ndata: {}\n\n`);
      let closed = false;
      const onNotice = (n: PhoneNotice) => {
        if (!n.agentIds.includes(actor.id!)) return;
        const send = (data: unknown) => !closed && res.write(`event: ${n.type}\ndata: ${JSON.stringify(data)}\n\n`);
        if (n.type === 'call.ended') return void send(n);
        identifyFor(n, actor).then(
          (identification) => send({ ...n, identification }),
          () => send({ ...n, identification: null }),
        );
      };
      rt.bus.on(PHONE_EVENT, onNotice);
      const heartbeat = setInterval(() => {
        res.write(`: ping\n\n`);
        if (sid) findSession(rt.db, sid).then((s) => (s && s.agent.id === actor.id ? undefined : close()), () => undefined);
      }, HEARTBEAT_MS);
      heartbeat.unref();
      function close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        rt.bus.off(PHONE_EVENT, onNotice);
        streams.delete(close);
        res.end();
      }
      streams.add(close);
      req.raw.on('close', close);
      res.on('error', close);
    });
  };
}
