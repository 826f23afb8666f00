import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { createDomain, createTopic, getTopicByCode, getTopicById, listTopics, updateTopic } from './topics.service.ts';

describe('topics', () => {
  let ctx: TestContext;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  const units: Record<string, string> = {};

  beforeAll(async () => {
    ctx = await createTestContext();
    for (const code of ['routes-giennois', 'routes-orleans', 'action-sociale', 'pmi']) units[code] = (await makeUnit(ctx, code, `Service ${code}`)).id;
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    await makeAgent(ctx, 'agent@test.fr', ['unit_agent'], ['routes-giennois']);
    admin = await signIn(ctx, 'admin@test.fr');
    agent = await signIn(ctx, 'agent@test.fr');
  });
  afterAll(async () => ctx.close());

  const post = (url: string, payload: object, headers = admin) => ctx.app.inject({ method: 'POST', url, headers, payload });
  const patch = (url: string, payload: object, headers = admin) => ctx.app.inject({ method: 'PATCH', url, headers, payload });

  it('creates domains, listed in creation order unless positioned', async () => {
    const a = await post('/api/v1/domains', { code: 'voirie', name: 'Routes et voirie' });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ code: 'voirie', name: 'Routes et voirie', topicCount: 0 });
    expect((await post('/api/v1/domains', { code: 'social', name: 'Action sociale' })).statusCode).toBe(201);
    expect((await post('/api/v1/domains', { code: 'accueil', name: 'Accueil', position: 0 })).statusCode).toBe(201);
    const list = await ctx.app.inject({ url: '/api/v1/domains', headers: agent });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((d: any) => d.code)).toEqual(['accueil', 'voirie', 'social']);
  });

  it('refuses a duplicate or malformed domain', async () => {
    const dup = await post('/api/v1/domains', { code: 'voirie', name: 'Encore' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('domain_exists');
    const bad = await post('/api/v1/domains', { code: 'Voirie!', name: ' ' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual({ code: expect.stringContaining('minuscules'), name: 'Nom obligatoire.' });
  });

  it('creates a topic with defaults, by domain and unit codes', async () => {
    const res = await post('/api/v1/topics', {
      code: 'voirie-signalement',
      name: 'Signalement voirie',
      description: '  Nid-de-poule, chaussée dégradée  ',
      domainCode: 'voirie',
      defaultUnitCode: 'routes-orleans',
      extraUnitCodes: ['routes-giennois'],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      code: 'voirie-signalement',
      name: 'Signalement voirie',
      description: 'Nid-de-poule, chaussée dégradée',
      domainCode: 'voirie',
      domainName: 'Routes et voirie',
      defaultUnitCode: 'routes-orleans',
      defaultUnitId: units['routes-orleans'],
      defaultUnitName: 'Service routes-orleans',
      extraUnitCodes: ['routes-giennois'],
      handlingUnitIds: [units['routes-orleans'], units['routes-giennois']],
      deadlineDays: 15,
      sensitive: false,
      retentionYears: 5,
      retentionAction: 'destroy',
      acknowledge: true,
      onReplyClosed: 'reopen',
      active: true,
    });
  });

  it('creates a sensitive topic and reads it back through the service exports', async () => {
    const created = await createTopic(ctx.rt.db, systemActor(), {
      code: 'aide-sociale',
      name: 'Aide sociale',
      domainCode: 'social',
      defaultUnitCode: 'action-sociale',
      deadlineDays: 30,
      sensitive: true,
      retentionYears: 10,
      retentionAction: 'archive',
      acknowledge: false,
      onReplyClosed: 'new_case',
      extraUnitCodes: ['pmi', 'action-sociale'], // the default unit is not stored twice
    });
    const byCode = await getTopicByCode(ctx.rt.db, 'aide-sociale');
    const byId = await getTopicById(ctx.rt.db, created.id);
    expect(byCode).toEqual(byId);
    expect(byCode).toMatchObject({
      sensitive: true,
      deadlineDays: 30,
      retentionYears: 10,
      retentionAction: 'archive',
      acknowledge: false,
      onReplyClosed: 'new_case',
      description: null,
      handlingUnitIds: [units['action-sociale'], units.pmi],
      extraUnitCodes: ['pmi'],
    });
    expect(await getTopicByCode(ctx.rt.db, 'nope')).toBeNull();
    expect(await getTopicById(ctx.rt.db, 'not-a-uuid')).toBeNull();
    expect(await getTopicById(ctx.rt.db, '00000000-0000-0000-0000-000000000000')).toBeNull();
  });

  it('lists topics for any signed-in case worker, filtered by domain', async () => {
    const all = await ctx.app.inject({ url: '/api/v1/topics', headers: agent });
    expect(all.statusCode).toBe(200);
    expect(all.json().items.map((t: any) => t.code)).toEqual(['voirie-signalement', 'aide-sociale']);
    const social = await ctx.app.inject({ url: '/api/v1/topics?domain=social', headers: agent });
    expect(social.json().items.map((t: any) => t.code)).toEqual(['aide-sociale']);
    const domains = (await ctx.app.inject({ url: '/api/v1/domains', headers: agent })).json().items;
    expect(domains.find((d: any) => d.code === 'voirie').topicCount).toBe(1);
  });

  it('422: names the invalid fields in French', async () => {
    const res = await post('/api/v1/topics', { code: 'Mauvais Code', name: 'X', domainCode: 'voirie', defaultUnitCode: 'routes-orleans' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toEqual({ code: 'invalid', message: 'Certaines informations sont invalides.', fields: { code: expect.stringContaining('minuscules') } });

    const refs = await post('/api/v1/topics', { code: 'ok-code', name: 'X', domainCode: 'inconnu', defaultUnitCode: 'fantome', extraUnitCodes: ['pmi', 'autre'] });
    expect(refs.statusCode).toBe(422);
    expect(refs.json().error.fields).toEqual({
      domainCode: 'Domaine inconnu : inconnu',
      defaultUnitCode: 'Service inconnu : fantome',
      extraUnitCodes: 'Services inconnus : autre',
    });

    const bounds = await post('/api/v1/topics', { code: 'ok-code', name: 'X', domainCode: 'voirie', defaultUnitCode: 'pmi', deadlineDays: 400, retentionAction: 'burn' });
    expect(bounds.statusCode).toBe(422);
    expect(bounds.json().error.fields).toEqual({
      deadlineDays: 'Valeur hors limites (maximum 365).',
      retentionAction: 'Valeur non autorisée (possibles : destroy, archive).',
    });

    const missing = await post('/api/v1/topics', { code: 'ok-code' });
    expect(missing.statusCode).toBe(422);
    expect(Object.keys(missing.json().error.fields).sort()).toEqual(['defaultUnitCode', 'domainCode', 'name']);

    // the service checks on its own, for the CLI and jobs
    await expect(createTopic(ctx.rt.db, systemActor(), { code: 'x1', name: 'X', domainCode: 'voirie', defaultUnitCode: 'pmi', deadlineDays: -1 })).rejects.toMatchObject({
      status: 422,
      fields: { deadlineDays: expect.stringContaining('jours ouvrés') },
    });
  });

  it('409 on a duplicate topic code', async () => {
    const dup = await post('/api/v1/topics', { code: 'aide-sociale', name: 'Autre', domainCode: 'social', defaultUnitCode: 'pmi' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('topic_exists');
  });

  it('refuses an inactive unit as default unit', async () => {
    await ctx.rt.db.query(`INSERT INTO units (code, name, active) VALUES ('ancien', 'Ancien service', false)`);
    const res = await post('/api/v1/topics', { code: 'ok-code', name: 'X', domainCode: 'voirie', defaultUnitCode: 'ancien' });
    expect(res.statusCode).toBe(422);
    expect(res.json().error.fields.defaultUnitCode).toContain('désactivé');
  });

  it('updates a topic, its default unit and handling units; audited', async () => {
    const res = await patch('/api/v1/topics/voirie-signalement', {
      name: 'Signalement sur la voirie',
      description: '',
      defaultUnitCode: 'routes-giennois',
      extraUnitCodes: ['routes-orleans'],
      deadlineDays: 10,
      active: false,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      code: 'voirie-signalement',
      name: 'Signalement sur la voirie',
      description: null,
      defaultUnitCode: 'routes-giennois',
      extraUnitCodes: ['routes-orleans'],
      handlingUnitIds: [units['routes-giennois'], units['routes-orleans']],
      deadlineDays: 10,
      active: false,
    });
    // making the extra unit the default one drops it from the extras (the former default unit is
    // not kept unless listed)
    const swapped = await updateTopic(ctx.rt.db, systemActor(), 'voirie-signalement', { defaultUnitCode: 'routes-orleans' });
    expect(swapped.extraUnitCodes).toEqual([]);
    expect(swapped.handlingUnitIds).toEqual([units['routes-orleans']]);
    const back = await updateTopic(ctx.rt.db, systemActor(), 'voirie-signalement', { extraUnitCodes: ['routes-giennois', 'routes-orleans'], active: true });
    expect(back.extraUnitCodes).toEqual(['routes-giennois']);
    expect(back.handlingUnitIds).toEqual([units['routes-orleans'], units['routes-giennois']]);

    const { rows } = await ctx.rt.db.query(
      `SELECT action, actor_type, before, after FROM audit_events WHERE object_type = 'topic' AND object_id = $1 ORDER BY id`,
      [swapped.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['topic.create', 'topic.update', 'topic.update', 'topic.update']);
    expect(rows[1]).toMatchObject({ actor_type: 'agent', before: { name: 'Signalement voirie' }, after: { name: 'Signalement sur la voirie' } });
  });

  it('PATCH: 404 for an unknown topic, 422 for a bad value, the code cannot change', async () => {
    expect((await patch('/api/v1/topics/inconnu', { name: 'X' })).statusCode).toBe(404);
    const bad = await patch('/api/v1/topics/aide-sociale', { name: '', domainCode: 'nulle-part' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toMatchObject({ name: 'Champ obligatoire.' });
    const code = await patch('/api/v1/topics/aide-sociale', { code: 'autre' });
    expect(code.statusCode).toBe(422);
    expect(code.json().error.fields).toEqual({ code: 'Champ inconnu : code.' });
  });

  it('listTopics can keep only active topics', async () => {
    await updateTopic(ctx.rt.db, systemActor(), 'aide-sociale', { active: false });
    const active = await listTopics(ctx.rt.db, systemActor(), { activeOnly: true });
    expect(active.map((t) => t.code)).not.toContain('aide-sociale');
    const q = await ctx.app.inject({ url: '/api/v1/topics?active=true', headers: agent });
    expect(q.json().items.map((t: any) => t.code)).toEqual(['voirie-signalement']);
    await updateTopic(ctx.rt.db, systemActor(), 'aide-sociale', { active: true });
  });

  it('403: a unit agent may read but not change the taxonomy', async () => {
    const t = await post('/api/v1/topics', { code: 'pirate', name: 'X', domainCode: 'voirie', defaultUnitCode: 'pmi' }, agent);
    expect(t.statusCode).toBe(403);
    expect(t.json().error.code).toBe('forbidden');
    expect((await post('/api/v1/domains', { code: 'pirate', name: 'X' }, agent)).statusCode).toBe(403);
    expect((await patch('/api/v1/topics/aide-sociale', { sensitive: false }, agent)).statusCode).toBe(403);
    await expect(createDomain(ctx.rt.db, { kind: 'agent', id: null, label: 'x', roles: ['supervisor'], unitIds: [] }, { code: 'x-x', name: 'X' })).rejects.toMatchObject({ status: 403 });
  });

  it('401: anonymous callers', async () => {
    expect((await ctx.app.inject('/api/v1/topics')).statusCode).toBe(401);
    expect((await ctx.app.inject('/api/v1/domains')).statusCode).toBe(401);
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/topics', payload: { code: 'anon', name: 'X', domainCode: 'voirie', defaultUnitCode: 'pmi' } });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});
