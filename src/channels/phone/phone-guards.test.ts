// The contact center's guards: a qualification sent twice at once (double click, network retry) makes one
// case; a qualification interrupted after the case was created leaves nothing, or (left by the earlier
// two-transaction version) is linked and taken over instead of duplicated; callbacks close when the caller
// called again and got through.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { createToken } from '../../modules/auth/tokens.service.ts';
import { addInteraction, createCase } from '../../modules/cases/cases.service.ts';
import { systemActor, type Actor } from '../../platform/actor.ts';
import { MIGRATIONS_DIR } from '../../platform/db/migrate.ts';

const ALWAYS_OPEN = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));

describe('contact center guards', () => {
  let ctx: TestContext;
  let org: Org;
  let token: string;
  let ccActor: Actor;
  let n = 0;
  const h: Record<string, Record<string, string>> = {};
  const get = (who: string, url: string) => ctx.app.inject({ url, headers: h[who] });
  const qualify = (callUuid: string, body: Record<string, unknown>, headers: Record<string, string> = {}, who = 'cc') =>
    ctx.app.inject({ method: 'POST', url: `/api/v1/calls/${callUuid}/qualify`, headers: { ...h[who], ...headers }, payload: body });
  const cti = async (body: Record<string, unknown>) => {
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
    expect(r.statusCode, r.body).toBe(200);
  };
  const q = async (sql: string, params: unknown[] = []) => (await ctx.rt.db.query(sql, params)).rows;
  /** An inbound call from `from`, answered by the cc agent, ended; returns its uuid. */
  const answeredCall = async (from: string) => {
    const callId = `guard-${++n}-${Date.now()}`;
    await cti({ event: 'newCall', callId, direction: 'in', from, to: '0238000000' });
    await cti({ event: 'answer', callId, answeringNumber: '201' });
    await cti({ event: 'hangup', callId, cause: 'normalClearing' });
    return (await q('SELECT id FROM calls WHERE call_id = $1', [callId]))[0].id as string;
  };
  const abandonedCall = async (from: string) => {
    const callId = `guard-${++n}-${Date.now()}`;
    await cti({ event: 'newCall', callId, direction: 'in', from, to: '0238000000' });
    await cti({ event: 'hangup', callId, cause: 'cancel' });
    return callId;
  };
  /** What carries the call: its call interactions' cases, its links, its qualifications. */
  const traces = async (callUuid: string) => ({
    interactions: (await q(`SELECT case_id FROM interactions WHERE kind = 'call' AND metadata->>'callId' = $1`, [callUuid])).length,
    links: (await q('SELECT case_id FROM call_cases WHERE call_id = $1', [callUuid])).length,
    qualifications: (await q('SELECT id FROM call_qualifications WHERE call_id = $1', [callUuid])).length,
  });
  const escalation = { topic: 'signalement-voirie', outcome: 'escalate', subject: 'Arbre tombé sur la RD 951', note: 'Bloque une voie' };

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    for (const k of ['cc', 'routes', 'super']) h[k] = await signIn(ctx, org.agents[k].email);
    token = (await createToken(ctx.rt.db, systemActor(), { name: 'PBX', role: 'integration' })).token;
    await ctx.rt.db.query(`UPDATE agents SET extension = '201' WHERE id = $1`, [org.agents.cc.id]);
    await ctx.rt.db.query(`INSERT INTO settings (key, value) VALUES ('phone.schedule', $1)`, [JSON.stringify({ ...ALWAYS_OPEN, closedOnPublicHolidays: false })]);
    ccActor = { kind: 'agent', id: org.agents.cc.id, label: 'cc', roles: ['contact_center'], unitIds: [org.units.centre.id] };
  });
  afterAll(async () => ctx?.close());

  describe('double submit', () => {
    it('the same Idempotency-Key sent twice at once: one case, one interaction, one link; both answers name it', async () => {
      const call = await answeredCall('06 10 00 00 01');
      const [a, b] = await Promise.all([qualify(call, escalation, { 'idempotency-key': 'console-abc-1' }), qualify(call, escalation, { 'idempotency-key': 'console-abc-1' })]);
      expect(a.statusCode, a.body).toBe(200);
      expect(b.statusCode, b.body).toBe(200);
      expect(a.json().reference).toBe(b.json().reference);
      expect([a.json().replayed, b.json().replayed].sort()).toEqual([false, true]);
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
      // the case is in the level-2 queue once
      const queue = (await get('routes', '/api/v1/cases?unit=exploitation-routes')).json().items.map((c: any) => c.reference);
      expect(queue.filter((r: string) => r === a.json().reference)).toHaveLength(1);
    });

    it('without a key, the same request twice at once is recognised by its content', async () => {
      const call = await answeredCall('06 10 00 00 02');
      const level1 = { topic: 'signalement-voirie', outcome: 'level1', subject: 'Horaires de la déchetterie' };
      const [a, b] = await Promise.all([qualify(call, level1), qualify(call, level1)]);
      expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
      expect(a.json().reference).toBe(b.json().reference);
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
      expect((await q(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'call.qualify' AND object_id = $1`, [call]))[0].n).toBe(1);
    });

    it('a key reused for another request is refused (422) and changes nothing; a new key is another request of the call', async () => {
      const call = await answeredCall('06 10 00 00 03');
      expect((await qualify(call, escalation, { 'idempotency-key': 'k-1' })).statusCode).toBe(200);
      const reused = await qualify(call, { ...escalation, subject: 'Autre chose' }, { 'idempotency-key': 'k-1' });
      expect(reused.statusCode).toBe(422);
      expect(reused.json().error.code).toBe('idempotency_key_reused');
      expect(reused.json().error.message).toMatch(/déjà été enregistrée/);
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
      const second = await qualify(call, { topic: 'subvention-culture', outcome: 'escalate', subject: 'Subvention pour le festival' }, { 'idempotency-key': 'k-2' });
      expect(second.statusCode, second.body).toBe(200);
      expect(await traces(call)).toEqual({ interactions: 2, links: 2, qualifications: 2 });
    });

    it('refuses bad keys (422), unknown calls (404) and agents without the contact-center role (403)', async () => {
      const call = await answeredCall('06 10 00 00 04');
      expect((await qualify(call, escalation, { 'idempotency-key': 'x'.repeat(201) })).statusCode).toBe(422);
      expect((await qualify(call, escalation, { 'idempotency-key': 'deux mots' })).statusCode).toBe(422);
      expect((await qualify('00000000-0000-4000-8000-000000000000', escalation)).statusCode).toBe(404);
      expect((await qualify(call, escalation, {}, 'routes')).statusCode).toBe(403);
      expect((await qualify(call, escalation, {}, 'super')).statusCode).toBe(403);
      expect(await traces(call)).toEqual({ interactions: 0, links: 0, qualifications: 0 });
    });

    it('the database itself refuses a second record of one qualification, or a second one of its interaction', async () => {
      const call = await answeredCall('06 10 00 00 05');
      const r = await qualify(call, escalation, { 'idempotency-key': 'db-1' });
      const [row] = await q('SELECT case_id, interaction_id FROM call_qualifications WHERE call_id = $1', [call]);
      const again = (key: string) => ctx.rt.db.query(
        `INSERT INTO call_qualifications (call_id, idempotency_key, request_hash, outcome, case_id, interaction_id) VALUES ($1, $2, 'x', 'escalate', $3, $4)`,
        [call, key, row.case_id, row.interaction_id],
      );
      await expect(again('db-1')).rejects.toThrow(/duplicate key|unique/);
      await expect(again('db-2')).rejects.toThrow(/duplicate key|unique/);
      expect(r.json().reference).toMatch(/^\d{4}-\d{6}$/);
    });
  });

  describe('CTI events of one call at once', () => {
    it('all the events of 15 calls sent together, one twice: each call is logged whole, no event lost or failed', async () => {
      const ids = Array.from({ length: 15 }, (_, i) => `burst-${i}-${Date.now()}`);
      const number = (i: number) => `06 30 00 00 ${String(10 + i)}`;
      const send = (body: Record<string, unknown>) =>
        ctx.app.inject({ method: 'POST', url: '/api/v1/cti/events', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(body) });
      const all = ids.flatMap((callId, i) => {
        const common = { callId, direction: 'in', from: number(i), to: '0238000000' };
        return [
          { event: 'newCall', ...common }, { event: 'answer', ...common, answeringNumber: '201' },
          { event: 'hangup', ...common, cause: 'normalClearing' }, { event: 'answer', ...common, answeringNumber: '201' },
        ];
      });
      const answers = await Promise.all(all.map(send));
      expect(answers.map((r) => r.statusCode)).toEqual(all.map(() => 200));
      for (const [i, callId] of ids.entries()) {
        const [c] = await q('SELECT outcome, agent_id, started_at, answered_at, ended_at FROM calls WHERE call_id = $1', [callId]);
        expect(c).toMatchObject({ outcome: 'answered', agent_id: org.agents.cc.id });
        expect(c.started_at.getTime()).toBeLessThanOrEqual(c.answered_at.getTime());
        expect(c.answered_at.getTime()).toBeLessThanOrEqual(c.ended_at.getTime());
        // every event answered for: applied, or adding nothing to what the others had already told
        // (a newCall processed after the answer and the hangup of its call adds nothing, for one)
        const outcomes = (await q('SELECT outcome FROM cti_events WHERE call_id = $1', [callId])).map((r) => r.outcome);
        expect(outcomes).toHaveLength(4);
        expect(outcomes.every((o) => o === 'applied' || o === 'duplicate')).toBe(true);
        expect(outcomes.filter((o) => o === 'duplicate').length).toBeGreaterThanOrEqual(1);
        // a hangup seen before the answer may have queued a callback: the answer closed it
        expect((await q(`SELECT 1 FROM callbacks WHERE party_e164 = $1 AND status = 'pending'`, [`+336300000${10 + i}`])).length).toBe(0);
      }
    });
  });

  describe('interrupted qualification', () => {
    it('stopped after the case was created: nothing remains, and the retry creates the case once', async () => {
      const call = await answeredCall('06 10 00 00 06');
      // the process "dies" right after createCase: the next statement of the qualification fails
      await ctx.rt.db.query(`CREATE FUNCTION test_crash_here() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'arrêt simulé'; END $$`);
      await ctx.rt.db.query(`CREATE TRIGGER test_crash_here BEFORE INSERT ON call_qualifications FOR EACH ROW EXECUTE FUNCTION test_crash_here()`);
      const casesBefore = (await q('SELECT count(*)::int AS n FROM cases'))[0].n;
      try {
        const cut = await qualify(call, escalation, { 'idempotency-key': 'crash-1' });
        expect(cut.statusCode).toBe(500);
      } finally {
        await ctx.rt.db.query('DROP TRIGGER test_crash_here ON call_qualifications');
        await ctx.rt.db.query('DROP FUNCTION test_crash_here()');
      }
      expect((await q('SELECT count(*)::int AS n FROM cases'))[0].n).toBe(casesBefore);
      expect(await traces(call)).toEqual({ interactions: 0, links: 0, qualifications: 0 });
      const retry = await qualify(call, escalation, { 'idempotency-key': 'crash-1' });
      expect(retry.statusCode, retry.body).toBe(200);
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
    });

    it('a case left unlinked by the earlier two-step version is linked and taken over, not created again', async () => {
      const call = await answeredCall('06 10 00 00 07');
      // what that version committed before dying: the case with the call interaction, no link, call unqualified
      const orphan = await createCase(ctx.rt.db, ccActor, {
        contact: { phone: '+33610000007' }, topic: 'signalement-voirie', channel: 'phone', subject: escalation.subject,
        interaction: { kind: 'call', direction: 'inbound', subject: escalation.subject, metadata: { callId: call } },
      });
      expect(await traces(call)).toEqual({ interactions: 1, links: 0, qualifications: 0 });
      const retry = await qualify(call, escalation);
      expect(retry.statusCode, retry.body).toBe(200);
      expect(retry.json()).toMatchObject({ reference: orphan.reference, adopted: true, replayed: false });
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
      expect((await get('cc', `/api/v1/calls/${call}`)).json()).toMatchObject({ qualification: 'escalate', cases: [orphan.reference] });
      const audit = await q(`SELECT after FROM audit_events WHERE action = 'call.link-repair' AND object_id = $1`, [call]);
      expect(audit.map((a) => a.after.case)).toEqual([orphan.reference]);
    });

    it('an existing case that already got the call interaction is linked without a second interaction', async () => {
      const existing = await createCase(ctx.rt.db, ccActor, { contact: { phone: '+33610000008' }, channel: 'phone', topic: 'signalement-voirie', subject: 'Nid de poule' });
      const call = await answeredCall('06 10 00 00 08');
      await addInteraction(ctx.rt.db, ccActor, existing.reference, { kind: 'call', direction: 'inbound', subject: 'Relance', metadata: { callId: call } });
      const r = await qualify(call, { ...escalation, subject: 'Relance', caseReference: existing.reference });
      expect(r.statusCode, r.body).toBe(200);
      expect(r.json().reference).toBe(existing.reference);
      expect(await traces(call)).toEqual({ interactions: 1, links: 1, qualifications: 1 });
      // already with its level-2 unit: recorded, not handed over again
      expect((await q(`SELECT count(*)::int AS n FROM case_events WHERE case_id = $1 AND kind = 'escalated'`, [existing.id]))[0].n).toBe(0);
    });

    it('the upgrade links every orphan left before it (migration 0012), audited', async () => {
      const call = await answeredCall('06 10 00 00 09');
      const orphan = await createCase(ctx.rt.db, ccActor, {
        contact: { phone: '+33610000009' }, topic: 'signalement-voirie', channel: 'phone', subject: 'Orphelin',
        interaction: { kind: 'call', direction: 'inbound', subject: 'Orphelin', metadata: { callId: call } },
      });
      const migration = fs.readFileSync(path.join(MIGRATIONS_DIR, '0012_phone_guards.sql'), 'utf8');
      const repair = migration.slice(migration.indexOf('-- Earlier versions'));
      await ctx.rt.db.query(repair);
      expect(await traces(call)).toMatchObject({ interactions: 1, links: 1 });
      expect((await get('cc', `/api/v1/calls/${call}`)).json()).toMatchObject({ qualification: 'escalate', topic: 'signalement-voirie', cases: [orphan.reference] });
      const audit = await q(`SELECT actor_type, after FROM audit_events WHERE action = 'call.link-repair' AND object_id = $1`, [call]);
      expect(audit).toEqual([{ actor_type: 'system', after: { case: orphan.reference, by: 'migration' } }]);
      // run again: nothing more to do
      await ctx.rt.db.query(repair);
      expect((await q(`SELECT count(*)::int AS n FROM audit_events WHERE action = 'call.link-repair' AND object_id = $1`, [call]))[0].n).toBe(1);
    });
  });

  describe('callbacks when the caller calls again', () => {
    const pending = async (e164: string) => (await get('cc', '/api/v1/callbacks')).json().items.filter((b: any) => b.number === e164);
    const closed = async (e164: string) => (await get('cc', '/api/v1/callbacks?status=done')).json().items.filter((b: any) => b.number === e164);

    it('an abandoned caller who calls again and is answered: the callback is closed, with its reason, audited', async () => {
      await abandonedCall('06 20 00 00 01');
      await abandonedCall('06 20 00 00 01');
      const [cb] = await pending('+33620000001');
      expect(cb).toMatchObject({ reason: 'abandoned', callsCount: 2 });
      const call = await answeredCall('06 20 00 00 01');
      expect(await pending('+33620000001')).toEqual([]);
      const [done] = await closed('+33620000001');
      expect(done).toMatchObject({ id: cb.id, closedReason: 'called_again', reached: true, satisfiedByCallId: call });
      expect(done.closedLabel).toMatch(/^L’usager a rappelé et a été pris en charge le \d\d\/\d\d\/\d{4} \d\d:\d\d, répondu par cc$/);
      const audit = await q(`SELECT actor_type, before, after FROM audit_events WHERE action = 'callback.satisfied' AND object_id = $1`, [cb.id]);
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_type: 'token', before: { status: 'pending', reason: 'abandoned', callsCount: 2 }, after: { closedReason: 'called_again', callId: call } });
      // an agent about to call back is told why it is already closed
      const again = await ctx.app.inject({ method: 'POST', url: `/api/v1/callbacks/${cb.id}/done`, headers: h.cc, payload: { reached: true, subject: 'x' } });
      expect(again.statusCode).toBe(409);
      expect(again.json().error.message).toMatch(/l’usager a rappelé/);
    });

    it('an agent’s outbound call that reaches the number closes it too', async () => {
      await abandonedCall('06 20 00 00 02');
      const callId = `guard-out-${Date.now()}`;
      await cti({ event: 'newCall', callId, direction: 'out', from: '201', to: '0620000002' });
      await cti({ event: 'answer', callId, direction: 'out', answeringNumber: '201' });
      expect(await pending('+33620000002')).toEqual([]);
      expect((await closed('+33620000002'))[0].closedLabel).toMatch(/^Usager joint par un appel sortant le /);
    });

    it('a late hangup of an unanswered call is closed when the later answered call is qualified; promised callbacks stay', async () => {
      // call A rings and is abandoned, but its hangup reaches Guichet only after call B was answered
      const a = `guard-late-${Date.now()}`;
      await cti({ event: 'newCall', callId: a, direction: 'in', from: '0620000003', to: '0238000000' });
      const b = `guard-b-${Date.now()}`;
      await cti({ event: 'newCall', callId: b, direction: 'in', from: '0620000003', to: '0238000000' });
      await cti({ event: 'answer', callId: b, answeringNumber: '201' });
      await cti({ event: 'hangup', callId: a, cause: 'cancel' });
      expect(await pending('+33620000003')).toHaveLength(1);
      const callB = (await q('SELECT id FROM calls WHERE call_id = $1', [b]))[0].id;
      const r = await qualify(callB, { ...escalation, callback: true });
      expect(r.statusCode, r.body).toBe(200);
      const left = await pending('+33620000003');
      expect(left).toHaveLength(1);
      expect(left[0]).toMatchObject({ reason: 'requested', caseReference: r.json().reference });
      expect((await closed('+33620000003'))[0]).toMatchObject({ reason: 'abandoned', closedReason: 'called_again' });
      // the promised callback is not closed by the next answered call: level 2 owes an answer
      await answeredCall('06 20 00 00 03');
      expect((await pending('+33620000003')).map((x: any) => x.reason)).toEqual(['requested']);
    });

    it('« Rappel effectué » clicked twice at once: one outbound call logged, the second is told it is done', async () => {
      await abandonedCall('06 20 00 00 04');
      const [cb] = await pending('+33620000004');
      const send = () => ctx.app.inject({ method: 'POST', url: `/api/v1/callbacks/${cb.id}/done`, headers: h.cc, payload: { reached: true, subject: 'Question sur un dossier' } });
      const [x, y] = await Promise.all([send(), send()]);
      expect([x.statusCode, y.statusCode].sort()).toEqual([200, 409]);
      const outbound = await q(`SELECT count(*)::int AS n FROM interactions WHERE kind = 'call' AND metadata->>'callbackId' = $1`, [cb.id]);
      expect(outbound[0].n).toBe(1);
      expect((await closed('+33620000004'))[0]).toMatchObject({ closedReason: 'called_back', closedLabel: 'Rappelé par un agent (cc)' });
    });
  });
});
