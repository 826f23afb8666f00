// Live updates: the SSE stream relays case changes only for cases the agent may read, tells a unit that
// a case left it, and ends with the session. Also the two small routes the back office needs.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { createCase, transferCase } from '../cases/cases.service.ts';
import { systemActor } from '../../platform/actor.ts';
import { eventFor } from './live.routes.ts';

let ctx: TestContext;
let org: Org;
let base: string;

beforeAll(async () => {
  ctx = await createTestContext();
  org = await makeOrg(ctx);
  base = (await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
});

afterAll(async () => {
  await ctx?.close();
});

/** Opens the stream as `agent`; `next()` resolves with the next `case` event. */
async function openStream(agent: string) {
  const h = await signIn(ctx, org.agents[agent].email);
  const ctl = new AbortController();
  const res = await fetch(`${base}/api/v1/events`, { headers: { cookie: h.cookie }, signal: ctl.signal });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const events: any[] = [];
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const waiters: Array<() => void> = [];
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let i: number;
        while ((i = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, i);
          buffer = buffer.slice(i + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type === 'ready') ready();
          if (type === 'case') {
            events.push(JSON.parse(data!));
            waiters.splice(0).forEach((w) => w());
          }
        }
      }
    } catch {
      /* aborted */
    }
  })();
  await isReady;
  return {
    events,
    headers: h,
    async waitFor(pred: (e: any) => boolean) {
      while (!events.some(pred)) await new Promise<void>((r) => waiters.push(r));
      return events.find(pred);
    },
    close: () => ctl.abort(),
  };
}

describe('GET /api/v1/events', () => {
  it('refuses anonymous callers', async () => {
    const res = await fetch(`${base}/api/v1/events`);
    expect(res.status).toBe(401);
  });

  it('relays changes of readable cases only, and cases leaving a unit', async () => {
    const routes = await openStream('routes');
    const cc = await openStream('cc');
    const sys = systemActor('test');
    const child = await createCase(ctx.rt.db, sys, { channel: 'phone', topic: 'protection-enfance', subject: 'Information préoccupante' });
    const road = await createCase(ctx.rt.db, sys, { channel: 'phone', topic: 'signalement-voirie', subject: 'Nid-de-poule' });
    const created = await routes.waitFor((e) => e.reference === road.reference);
    expect(created).toMatchObject({ kind: 'created', unitId: org.units.routes.id, left: false });
    await cc.waitFor((e) => e.reference === road.reference); // level 1 reads non-sensitive cases
    // Transferred away, the road case stays readable by the routes unit (its topic's handling unit).
    await transferCase(ctx.rt.db, sys, road.reference, { unit: 'vie-associative', reason: 'Mauvais service' });
    const moved = await routes.waitFor((e) => e.reference === road.reference && e.kind === 'routed');
    expect(moved).toMatchObject({ left: false, previousUnitId: org.units.routes.id, unitId: org.units.culture.id });
    // A grant case passing through the routes unit: readable while there, then announced as gone.
    const grant = await createCase(ctx.rt.db, sys, { channel: 'mail', topic: 'subvention-culture', subject: 'Subvention' });
    await transferCase(ctx.rt.db, sys, grant.reference, { unit: 'exploitation-routes', reason: 'Essai' });
    await routes.waitFor((e) => e.reference === grant.reference && e.unitId === org.units.routes.id);
    await transferCase(ctx.rt.db, sys, grant.reference, { unit: 'accueil', reason: 'Retour' });
    const left = await routes.waitFor((e) => e.reference === grant.reference && e.left);
    expect(left).toMatchObject({ kind: 'routed', previousUnitId: org.units.routes.id, unitId: null, assigneeId: null });
    // The sensitive case was published before the road case: had it been relayed, it would be here.
    expect(routes.events.some((e) => e.reference === child.reference)).toBe(false);
    expect(cc.events.some((e) => e.reference === child.reference)).toBe(false);
    routes.close();
    cc.close();
  });

  it('decides per actor with the case policy', () => {
    const change = { caseId: 'x', reference: '2026-000001', kind: 'created' as const, unitId: org.units.ase.id, assigneeId: null, sensitive: true, handlingUnitIds: [org.units.ase.id], topicId: null, at: new Date().toISOString() };
    const agent = (unitId: string, roles: any[]) => ({ kind: 'agent' as const, id: 'a', label: 'a', roles, unitIds: [unitId] });
    expect(eventFor(agent(org.units.ase.id, ['unit_agent']), change)).not.toBeNull();
    expect(eventFor(agent(org.units.centre.id, ['contact_center']), change)).toBeNull();
    expect(eventFor(agent(org.units.routes.id, ['unit_agent']), change)).toBeNull();
  });
});

describe('saved views and unit members', () => {
  it('keeps each agent’s views to themselves', async () => {
    const a = await signIn(ctx, org.agents.routes.email);
    const b = await signIn(ctx, org.agents.routes2.email);
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/saved-views', headers: a, payload: { name: 'Retards voirie', filters: { queue: '/files/service/exploitation-routes', overdue: 'true' } } });
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/saved-views', headers: a })).json().items.map((v: any) => v.name)).toEqual(['Retards voirie']);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/saved-views', headers: b })).json().items).toEqual([]);
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/saved-views/${id}`, headers: b })).statusCode).toBe(404);
    const noName = await ctx.app.inject({ method: 'POST', url: '/api/v1/saved-views', headers: a, payload: { name: '  ', filters: {} } });
    expect(noName.statusCode).toBe(422);
    expect(noName.json().error.fields.name).toBeTruthy();
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/saved-views/${id}`, headers: a })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/saved-views' })).statusCode).toBe(401);
  });

  it('lists the active agents of a unit', async () => {
    const h = await signIn(ctx, org.agents.routesmgr.email);
    const res = await ctx.app.inject({ method: 'GET', url: '/api/v1/units/exploitation-routes/agents', headers: h });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((m: any) => m.displayName).sort()).toEqual(['routes', 'routes2', 'routesmgr']);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/units/inconnu/agents', headers: h })).statusCode).toBe(404);
    expect((await ctx.app.inject({ method: 'GET', url: '/api/v1/units/exploitation-routes/agents' })).statusCode).toBe(401);
  });
});
