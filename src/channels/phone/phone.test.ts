// The contact center through its API: the CTI webhook (tokens, signatures, malformed bodies stored raw,
// duplicated/reordered/unknown events), caller identification, screen pop, qualification at level 1 and
// escalation to the unit queue, callbacks, opening hours, presence, wallboard and knowledge base.
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { createToken } from '../../modules/auth/tokens.service.ts';
import { systemActor } from '../../platform/actor.ts';
import { signBody } from './cti.service.ts';

const ALWAYS_OPEN = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));

describe('contact center (phone)', () => {
  let ctx: TestContext;
  let org: Org;
  let token: string;
  let n = 0;
  const h: Record<string, Record<string, string>> = {};
  const get = (who: string, url: string) => ctx.app.inject({ url, headers: h[who] });
  const send = (who: string, method: 'POST' | 'PUT', url: string, payload: unknown) => ctx.app.inject({ method, url, headers: h[who], payload: payload as any });
  const cti = (body: Record<string, unknown> | string, headers: Record<string, string> = {}) =>
    ctx.app.inject({
      method: 'POST', url: '/api/v1/cti/events',
      headers: { authorization: `Bearer ${token}`, 'content-type': typeof body === 'string' ? 'application/x-www-form-urlencoded' : 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const lastRaw = async () => (await ctx.rt.db.query('SELECT * FROM cti_events ORDER BY id DESC LIMIT 1')).rows[0];
  const callByPbxId = async (callId: string) => (await ctx.rt.db.query('SELECT * FROM calls WHERE call_id = $1', [callId])).rows[0];
  const newId = () => `call-${++n}-${Date.now()}`;

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    for (const k of ['cc', 'super', 'admin', 'routes', 'routesmgr']) h[k] = await signIn(ctx, org.agents[k].email);
    token = (await createToken(ctx.rt.db, systemActor(), { name: 'PBX', role: 'integration' })).token;
    await ctx.rt.db.query(`UPDATE agents SET extension = '201' WHERE id = $1`, [org.agents.cc.id]);
    expect((await send('admin', 'PUT', '/api/v1/phone/hours', { schedule: { ...ALWAYS_OPEN, closedOnPublicHolidays: false } })).statusCode).toBe(200);
  });
  afterAll(async () => ctx.close());

  describe('CTI webhook', () => {
    it('refuses a bad token (401) and an agent session without the scope (403)', async () => {
      const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: 'Bearer gch_nope', 'content-type': 'application/json' }, payload: '{}' });
      expect(r.statusCode).toBe(401);
      const r2 = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { ...h.cc, 'content-type': 'application/json' }, payload: '{"event":"newCall"}' });
      expect(r2.statusCode).toBe(403);
      const scoped = (await createToken(ctx.rt.db, systemActor(), { name: 'lecture', role: 'integration', scopes: ['cases:read'] })).token;
      const r3 = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${scoped}`, 'content-type': 'application/json' }, payload: '{}' });
      expect(r3.statusCode).toBe(403);
    });

    it('stores malformed (400) and invalid (422) bodies raw before refusing them', async () => {
      const r = await cti('{"event": "newCall", broken', { 'content-type': 'application/json' });
      expect(r.statusCode).toBe(400);
      expect(await lastRaw()).toMatchObject({ raw_body: '{"event": "newCall", broken', outcome: 'malformed' });
      const r2 = await cti({ event: 'ring', callId: 'x-1', direction: 'sideways' });
      expect(r2.statusCode).toBe(422);
      expect(Object.keys(r2.json().error.fields).sort()).toEqual(['direction', 'event']);
      expect(await lastRaw()).toMatchObject({ outcome: 'invalid', call_id: 'x-1' });
      const r3 = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/xml' }, payload: '<call/>' });
      expect(r3.statusCode).toBe(400);
      expect((await lastRaw()).raw_body).toBe('<call/>');
      const empty = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      expect(empty.statusCode).toBe(400);
      expect(await lastRaw()).toMatchObject({ raw_body: '', outcome: 'malformed' });
      const tooBig = await cti({ event: 'newCall', callId: 'x'.repeat(300), direction: 'in' });
      expect(tooBig.statusCode).toBe(422);
    });

    it('requires a valid HMAC signature when a secret is configured (stored raw, 401)', async () => {
      const secret = 'un-secret-de-test-assez-long';
      ctx.rt.config.ctiHmacSecret = secret;
      try {
        const body = JSON.stringify({ event: 'newCall', callId: newId(), direction: 'in', from: '0611111111', to: '0238000000' });
        const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-guichet-signature': 'sha256=00' }, payload: body });
        expect(bad.statusCode).toBe(401);
        expect(await lastRaw()).toMatchObject({ raw_body: body, outcome: 'bad_signature' });
        const none = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: body });
        expect(none.statusCode).toBe(401);
        const good = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-guichet-signature': signBody(secret, body) }, payload: body });
        expect(good.statusCode, good.body).toBe(200);
        expect(good.json()).toEqual({});
      } finally {
        ctx.rt.config.ctiHmacSecret = null;
      }
    });

    it('builds one call from duplicated, reordered and unknown events (JSON and form)', async () => {
      const id = newId();
      // hangup first, for a call never announced; then answer; then newCall; then everything again
      const events = [
        `event=hangup&callId=${id}&cause=normalClearing&answeringNumber=201`,
        { event: 'answer', callId: id, answeringNumber: '201' },
        { event: 'newCall', callId: id, direction: 'in', from: '0622334455', to: '0238000000', user: ['201'] },
      ];
      for (const e of [...events, ...events]) expect((await cti(e as any)).statusCode).toBe(200);
      const { rows } = await ctx.rt.db.query('SELECT outcome FROM cti_events WHERE call_id = $1 ORDER BY id', [id]);
      expect(rows.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied', 'duplicate', 'duplicate', 'duplicate']);
      const c = await callByPbxId(id);
      expect(c).toMatchObject({ outcome: 'answered', agent_id: org.agents.cc.id, party_e164: '+33622334455', direction: 'inbound' });
      expect(c.started_at.getTime()).toBeLessThanOrEqual(c.answered_at.getTime());
      expect(c.talk_seconds).toBeGreaterThanOrEqual(0);
    });

    it('an abandoned call goes on the callback list, once per number', async () => {
      for (let i = 0; i < 2; i++) {
        const id = newId();
        await cti({ event: 'newCall', callId: id, direction: 'in', from: '07 98 76 54 32', to: '0238000000' });
        await cti({ event: 'hangup', callId: id, direction: 'in', cause: 'cancel' });
        expect((await callByPbxId(id)).outcome).toBe('abandoned');
      }
      const list = (await get('cc', '/api/v1/callbacks')).json().items;
      const mine = list.filter((b: any) => b.number === '+33798765432');
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ reason: 'abandoned', callsCount: 2, numberDisplay: '07 98 76 54 32' });
      // done: logged as an outbound call on a new case
      const done = await send('cc', 'POST', `/api/v1/callbacks/${mine[0].id}/done`, { reached: true, subject: 'Question sur un dossier', note: 'Rappelé, renseigné.' });
      expect(done.statusCode, done.body).toBe(200);
      const d = (await get('cc', `/api/v1/cases/${done.json().caseReference}`)).json();
      expect(d.interactions[0]).toMatchObject({ kind: 'call', direction: 'outbound' });
      expect((await send('cc', 'POST', `/api/v1/callbacks/${mine[0].id}/done`, { reached: true, subject: 'x' })).statusCode).toBe(409);
    });

    it('out of hours: rejected when configured, then on the callback list', async () => {
      expect((await send('admin', 'PUT', '/api/v1/phone/hours', { schedule: { closedOnPublicHolidays: false } })).statusCode).toBe(200);
      ctx.rt.config.ctiRejectWhenClosed = true;
      try {
        const id = newId();
        const r = await cti({ event: 'newCall', callId: id, direction: 'in', from: '0655555555', to: '0238000000' });
        expect(r.json()).toEqual({ action: 'reject', reason: 'closed' });
        await cti({ event: 'hangup', callId: id, cause: 'normalClearing' });
        expect((await callByPbxId(id)).outcome).toBe('out_of_hours');
        const list = (await get('cc', '/api/v1/callbacks')).json().items;
        expect(list.find((b: any) => b.number === '+33655555555')).toMatchObject({ reason: 'out_of_hours' });
      } finally {
        ctx.rt.config.ctiRejectWhenClosed = false;
        await send('admin', 'PUT', '/api/v1/phone/hours', { schedule: { ...ALWAYS_OPEN, closedOnPublicHolidays: false } });
      }
    });
  });

  describe('identification, screen pop, qualification', () => {
    let contactId: string;
    beforeAll(async () => {
      const r = await send('cc', 'POST', '/api/v1/cases', { channel: 'phone', topic: 'signalement-voirie', subject: 'Nid de poule RD 2020', contact: { phone: '+33612345678', firstName: 'Marie', lastName: 'Dupont' } });
      contactId = r.json().contactId;
    });

    it('identifies 06 12 34 56 78 as the contact stored with +33612345678, with open cases', async () => {
      const r = (await get('cc', `/api/v1/phone/identify?number=${encodeURIComponent('06 12 34 56 78')}`)).json();
      expect(r.e164).toBe('+33612345678');
      expect(r.matches).toHaveLength(1);
      expect(r.matches[0]).toMatchObject({ match: 'exact', contact: { id: contactId, displayName: 'Marie Dupont' } });
      expect(r.matches[0].openCases[0].subject).toBe('Nid de poule RD 2020');
      expect((await get('cc', '/api/v1/phone/identify?number=anonymous')).json().matches).toEqual([]);
    });

    it('pops the caller on the answering agent’s stream, qualifies at level 1 with an article', async () => {
      const art = await send('admin', 'POST', '/api/v1/knowledge', { title: 'Horaires de la déchetterie', answer: 'Ouverte du lundi au samedi, 9 h – 18 h.', topic: 'signalement-voirie', keywords: ['déchèterie', 'horaires'], public: true });
      expect(art.statusCode, art.body).toBe(201);
      await ctx.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (ctx.app.server.address() as any).port;
      const events: Array<{ event: string; data: any }> = [];
      const stream = await new Promise<http.IncomingMessage>((resolve) => http.get({ host: '127.0.0.1', port, path: '/api/v1/phone/stream', headers: { cookie: h.cc.cookie } }, resolve));
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (ev && data) events.push({ event: ev, data: JSON.parse(data) });
        }
      });
      const waitFor = async (name: string) => {
        for (let i = 0; i < 600 && !events.some((e) => e.event === name); i++) await new Promise((r) => setTimeout(r, 50));
        return events.find((e) => e.event === name)!;
      };
      await waitFor('ready');
      const id = newId();
      await cti({ event: 'newCall', callId: id, direction: 'in', from: '06.12.34.56.78', to: '0238000000', user: '201' });
      await cti({ event: 'answer', callId: id, direction: 'in', answeringNumber: '201' });
      const ringing = await waitFor('call.ringing');
      expect(ringing.data.identification.matches[0].contact.id).toBe(contactId);
      const answered = await waitFor('call.answered');
      expect(answered.data.identification.matches[0].contact.displayName).toBe('Marie Dupont');
      expect(answered.data.identification.matches[0].openCases).toHaveLength(1);
      expect((await get('cc', '/api/v1/phone/presence')).json().status).toBe('on_call');
      await cti({ event: 'hangup', callId: id, cause: 'normalClearing' });
      await waitFor('call.ended');
      stream.destroy();
      expect((await get('cc', '/api/v1/phone/presence')).json().status).toBe('wrap_up');

      const callUuid = answered.data.callId;
      const sugg = (await get('cc', `/api/v1/knowledge?topic=signalement-voirie&q=${encodeURIComponent('horaire dechetterie')}`)).json().items;
      expect(sugg[0].id).toBe(art.json().id);
      const q = await send('cc', 'POST', `/api/v1/calls/${callUuid}/qualify`, { topic: 'signalement-voirie', outcome: 'level1', subject: 'Horaires de la déchetterie', note: 'Renseignée', articleId: art.json().id });
      expect(q.statusCode, q.body).toBe(200);
      const c = (await get('cc', `/api/v1/cases/${q.json().reference}`)).json();
      expect(c).toMatchObject({ status: 'closed', resolvedLevel1: true });
      expect(c.interactions[0]).toMatchObject({ kind: 'call', direction: 'inbound' });
      const call = (await get('cc', `/api/v1/calls/${callUuid}`)).json();
      expect(call).toMatchObject({ qualification: 'level1', contactId, cases: [q.json().reference], outcome: 'answered' });
      expect((await get('cc', `/api/v1/knowledge/${art.json().id}`)).json().useCount).toBe(1);
      expect((await send('cc', 'PUT', '/api/v1/phone/presence', { status: 'available' })).json().status).toBe('available');
    });

    it('escalates: the case lands in the level-2 unit queue, with a callback request', async () => {
      const id = newId();
      await cti({ event: 'newCall', callId: id, direction: 'in', from: '+33 6 99 88 77 66', to: '0238000000' });
      await cti({ event: 'answer', callId: id, answeringNumber: '201' });
      await cti({ event: 'hangup', callId: id, cause: 'normalClearing' });
      const call = await callByPbxId(id);
      // the agent recognised Marie Dupont calling from another phone
      const q = await send('cc', 'POST', `/api/v1/calls/${call.id}/qualify`, { topic: 'signalement-voirie', outcome: 'escalate', subject: 'Arbre tombé sur la RD 951', note: 'Bloque une voie', callback: true, contactId });
      expect(q.statusCode, q.body).toBe(200);
      expect(q.json().unitId).toBe(org.units.routes.id);
      const queue = (await get('routes', '/api/v1/cases?unit=exploitation-routes')).json();
      expect(queue.items.map((c: any) => c.reference)).toContain(q.json().reference);
      const cb = (await get('cc', '/api/v1/callbacks')).json().items.find((b: any) => b.number === '+33699887766');
      expect(cb).toMatchObject({ reason: 'requested', caseReference: q.json().reference });
      // that number is now a probable match for her (a past call linked to her case)
      const idn = (await get('cc', '/api/v1/phone/identify?number=0699887766')).json();
      expect(idn.matches).toHaveLength(1);
      expect(idn.matches[0]).toMatchObject({ match: 'probable', contact: { id: contactId } });
    });

    it('calls log and wallboard for supervisors; level-1 agents cannot see the wallboard', async () => {
      const list = (await get('super', '/api/v1/calls')).json().items;
      expect(list.length).toBeGreaterThan(3);
      expect((await get('super', '/api/v1/calls?outcome=abandoned')).json().items.every((c: any) => c.outcome === 'abandoned')).toBe(true);
      expect((await get('super', '/api/v1/calls?date=yesterday')).statusCode).toBe(422);
      expect((await get('routes', '/api/v1/calls')).statusCode).toBe(403);
      const wb = (await get('super', '/api/v1/phone/wallboard')).json();
      expect(wb.answered).toBeGreaterThanOrEqual(3);
      expect(wb.abandoned).toBeGreaterThanOrEqual(2);
      expect(wb.level1Resolved).toBe(1);
      expect(wb.qualified).toBe(2);
      expect(wb.level1ResolutionRate).toBe(0.5);
      expect(wb.perAgent[0]).toMatchObject({ agentId: org.agents.cc.id });
      expect((await get('cc', '/api/v1/phone/wallboard')).statusCode).toBe(403);
    });
  });

  describe('knowledge base, FAQ, staffing, hours', () => {
    it('unit managers write, agents read, the portal sees public valid articles only', async () => {
      expect((await send('cc', 'POST', '/api/v1/knowledge', { title: 'x', answer: 'y' })).statusCode).toBe(403);
      const priv = await send('routesmgr', 'POST', '/api/v1/knowledge', { title: 'Procédure interne élagage', answer: 'Voir la note de service.', keywords: ['élagage'] });
      expect(priv.statusCode, priv.body).toBe(201);
      const expired = await send('routesmgr', 'POST', '/api/v1/knowledge', { title: 'Élagage 2020', answer: 'Campagne close.', public: true, validUntil: '2020-12-31' });
      expect(expired.statusCode).toBe(201);
      const found = (await get('cc', '/api/v1/knowledge?q=elagage')).json().items.map((a: any) => a.id);
      expect(found).toEqual([priv.json().id]);
      const faq = await ctx.app.inject({ url: '/api/v1/public/faq' });
      expect(faq.statusCode).toBe(200);
      const ids = faq.json().items.map((a: any) => a.id);
      expect(ids).not.toContain(priv.json().id);
      expect(ids).not.toContain(expired.json().id);
      expect(faq.json().items[0]).toHaveProperty('question');
    });

    it('staffing API reproduces Erlang C and plans 440 calls/day and 20,000 calls/month', async () => {
      expect((await get('super', '/api/v1/phone/staffing?callsPerHour=200&aht=180&target=0.8&within=20&shrinkage=0.3')).json()).toMatchObject({ agentsOnPhones: 14, agents: 20 });
      const day = (await get('super', '/api/v1/phone/staffing?callsPerDay=440&aht=180')).json();
      expect(day.slots).toHaveLength(23);
      const month = (await get('super', '/api/v1/phone/staffing?callsPerMonth=20000&aht=180')).json();
      expect(month.peakAgents).toBeGreaterThan(day.peakAgents);
      expect((await get('super', '/api/v1/phone/staffing?callsPerHour=200&aht=0')).statusCode).toBe(422);
    });

    it('opening hours: admins set them, with checks', async () => {
      expect((await send('cc', 'PUT', '/api/v1/phone/hours', { schedule: {} })).statusCode).toBe(403);
      expect((await send('admin', 'PUT', '/api/v1/phone/hours', { schedule: { 1: [{ from: '19:00', to: '07:30' }] } })).statusCode).toBe(422);
      expect((await get('cc', '/api/v1/phone/hours')).json().schedule['1']).toEqual([{ from: '00:00', to: '24:00' }]);
    });
  });
});
