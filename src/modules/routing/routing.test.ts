import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { createDomain, createTopic, type Topic } from '../topics/topics.service.ts';
import { createRoutingRule, decideRoute, deleteRoutingRule, type RoutingInput } from './routing.service.ts';

describe('routing rules', () => {
  let ctx: TestContext;
  let admin: Record<string, string>;
  let agent: Record<string, string>;
  let voirie: Topic;
  let social: Topic;

  beforeAll(async () => {
    ctx = await createTestContext();
    for (const code of ['routes-orleans', 'routes-giennois', 'espaces-verts', 'courrier-pro', 'action-sociale', 'mairies', 'fermee']) {
      await makeUnit(ctx, code, `Service ${code}`);
    }
    const sys = systemActor();
    await createDomain(ctx.rt.db, sys, { code: 'voirie', name: 'Routes' });
    voirie = await createTopic(ctx.rt.db, sys, { code: 'voirie-signalement', name: 'Signalement voirie', domainCode: 'voirie', defaultUnitCode: 'routes-orleans' });
    social = await createTopic(ctx.rt.db, sys, { code: 'aide-sociale', name: 'Aide sociale', domainCode: 'voirie', defaultUnitCode: 'action-sociale' });
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    await makeAgent(ctx, 'agent@test.fr', ['contact_center'], []);
    admin = await signIn(ctx, 'admin@test.fr');
    agent = await signIn(ctx, 'agent@test.fr');
  });
  afterAll(async () => ctx.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = admin) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const create = async (body: object) => {
    const res = await api('POST', '/api/v1/routing-rules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const route = (input: Partial<RoutingInput>) => decideRoute(ctx.rt.db, { topicId: voirie.id, channel: 'email', ...input });
  const unitOf = async (input: Partial<RoutingInput>) => (await route(input)).unitCode;
  /** Runs `fn` with only the given rule saved, then removes it. */
  const withRule = async (body: object, fn: (rule: any) => Promise<void>) => {
    const rule = await create(body);
    try {
      await fn(rule);
    } finally {
      await deleteRoutingRule(ctx.rt.db, systemActor(), rule.id);
    }
  };

  it('without rules, the topic’s default unit, with the reason in French', async () => {
    expect(await route({})).toEqual({
      unitId: voirie.defaultUnitId,
      unitCode: 'routes-orleans',
      ruleId: null,
      reason: "Service par défaut de l'objet « Signalement voirie »",
    });
    await expect(decideRoute(ctx.rt.db, { topicId: '00000000-0000-0000-0000-000000000000', channel: 'email' })).rejects.toMatchObject({ status: 404 });
  });

  it('condition: topics', async () => {
    await withRule({ name: 'Social à la mairie', topicCodes: ['aide-sociale'], targetUnitCode: 'mairies' }, async () => {
      expect(await unitOf({ topicId: social.id })).toBe('mairies');
      expect(await unitOf({})).toBe('routes-orleans');
    });
  });

  it('conditions: channels and segments (AND between them, OR within a list)', async () => {
    await withRule({ name: 'Courriers des pros', channels: ['mail', 'counter'], segments: ['professionnel', 'association'], targetUnitCode: 'courrier-pro' }, async (rule) => {
      expect(rule).toMatchObject({ position: 1, channels: ['mail', 'counter'], segments: ['professionnel', 'association'], topicCodes: [], targetUnitCode: 'courrier-pro' });
      expect(await unitOf({ channel: 'mail', segment: 'professionnel' })).toBe('courrier-pro');
      expect(await unitOf({ channel: 'counter', segment: 'association' })).toBe('courrier-pro');
      expect(await unitOf({ channel: 'email', segment: 'professionnel' })).toBe('routes-orleans');
      expect(await unitOf({ channel: 'mail', segment: 'particulier' })).toBe('routes-orleans');
      expect(await unitOf({ channel: 'mail', segment: null })).toBe('routes-orleans');
    });
  });

  it('condition: postcode prefixes', async () => {
    await withRule({ name: 'Routes du Giennois', topicCodes: ['voirie-signalement'], postcodePrefixes: ['452', '45 5'], targetUnitCode: 'routes-giennois' }, async (rule) => {
      expect(rule.postcodePrefixes).toEqual(['452', '455']);
      expect(await route({ postcode: '45200' })).toEqual({
        unitId: expect.any(String),
        unitCode: 'routes-giennois',
        ruleId: rule.id,
        reason: 'Règle « Routes du Giennois » (n° 1)',
      });
      expect(await unitOf({ postcode: '45 250' })).toBe('routes-giennois');
      expect(await unitOf({ postcode: '45500' })).toBe('routes-giennois');
      expect(await unitOf({ postcode: '45000' })).toBe('routes-orleans');
      expect(await unitOf({ postcode: null })).toBe('routes-orleans');
      expect(await unitOf({ topicId: social.id, postcode: '45200' })).toBe('action-sociale');
    });
  });

  it('condition: communes, whatever the case, accents and hyphens', async () => {
    await withRule({ name: 'Saint-Jean', communes: ['Saint-Jean-de-Braye', 'Orléans'], targetUnitCode: 'mairies' }, async () => {
      expect(await unitOf({ commune: 'ST JEAN DE BRAYE' })).toBe('mairies');
      expect(await unitOf({ commune: 'orleans' })).toBe('mairies');
      expect(await unitOf({ commune: 'Saint-Jean-le-Blanc' })).toBe('routes-orleans');
      expect(await unitOf({ commune: null })).toBe('routes-orleans');
    });
  });

  it('condition: keywords, whole words, accent- and case-insensitive', async () => {
    await withRule({ name: 'Élagage', keywords: ['elagage', 'branches tombées'], targetUnitCode: 'espaces-verts' }, async () => {
      expect(await unitOf({ text: 'Demande d’Élagage rue du Moulin' })).toBe('espaces-verts');
      expect(await unitOf({ text: 'DES BRANCHES TOMBEES sur la chaussée' })).toBe('espaces-verts');
      expect(await unitOf({ text: 'Les élagages annuels' })).toBe('routes-orleans');
      expect(await unitOf({ text: 'Nid-de-poule' })).toBe('routes-orleans');
      expect(await unitOf({ text: null })).toBe('routes-orleans');
    });
  });

  it('the first active matching rule wins; order and activity can change', async () => {
    const giennois = await create({ name: 'Routes du Giennois', postcodePrefixes: ['452'], targetUnitCode: 'routes-giennois' });
    const elagage = await create({ name: 'Élagage', keywords: ['élagage'], targetUnitCode: 'espaces-verts' });
    expect(elagage.position).toBe(2);
    const both = { postcode: '45200', text: 'élagage' };
    expect(await route(both)).toMatchObject({ unitCode: 'routes-giennois', ruleId: giennois.id, reason: 'Règle « Routes du Giennois » (n° 1)' });

    const reordered = await api('POST', '/api/v1/routing-rules/reorder', { ids: [elagage.id, giennois.id] });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().items.map((r: any) => [r.name, r.position])).toEqual([['Élagage', 1], ['Routes du Giennois', 2]]);
    expect(await route(both)).toMatchObject({ unitCode: 'espaces-verts', reason: 'Règle « Élagage » (n° 1)' });

    // an inactive rule is ignored
    const off = await api('PATCH', `/api/v1/routing-rules/${elagage.id}`, { active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json()).toMatchObject({ active: false, keywords: ['élagage'], position: 1 });
    expect(await route(both)).toMatchObject({ unitCode: 'routes-giennois', reason: 'Règle « Routes du Giennois » (n° 2)' });

    // a rule whose unit was deactivated is passed over, and can still be edited
    await api('PATCH', `/api/v1/routing-rules/${elagage.id}`, { active: true });
    await ctx.rt.db.query(`UPDATE units SET active = false WHERE code = 'espaces-verts'`);
    expect(await unitOf(both)).toBe('routes-giennois');
    expect((await api('PATCH', `/api/v1/routing-rules/${elagage.id}`, { name: 'Élagage (ancien)' })).statusCode).toBe(200);
    const toClosed = await api('PATCH', `/api/v1/routing-rules/${giennois.id}`, { targetUnitCode: 'espaces-verts' });
    expect(toClosed.statusCode).toBe(422);
    expect(toClosed.json().error.fields.targetUnitCode).toContain('désactivé');
    await ctx.rt.db.query(`UPDATE units SET active = true WHERE code = 'espaces-verts'`);

    // moving by position, and deleting, keep positions 1..n
    const third = await create({ name: 'Pros', segments: ['professionnel'], targetUnitCode: 'courrier-pro', position: 1 });
    let items = (await api('GET', '/api/v1/routing-rules', undefined, agent)).json().items;
    expect(items.map((r: any) => [r.name, r.position])).toEqual([['Pros', 1], ['Élagage (ancien)', 2], ['Routes du Giennois', 3]]);
    await api('PATCH', `/api/v1/routing-rules/${third.id}`, { position: 3 });
    expect((await api('DELETE', `/api/v1/routing-rules/${elagage.id}`)).statusCode).toBe(204);
    items = (await api('GET', '/api/v1/routing-rules')).json().items;
    expect(items.map((r: any) => [r.name, r.position])).toEqual([['Routes du Giennois', 1], ['Pros', 2]]);
    expect((await api('DELETE', `/api/v1/routing-rules/${elagage.id}`)).statusCode).toBe(404);

    // clearing a condition with null or []
    const cleared = await api('PATCH', `/api/v1/routing-rules/${third.id}`, { segments: [], channels: ['phone'] });
    expect(cleared.json()).toMatchObject({ segments: [], channels: ['phone'] });
    const noCondition = await api('PATCH', `/api/v1/routing-rules/${third.id}`, { channels: null });
    expect(noCondition.statusCode).toBe(422);

    for (const r of items) await deleteRoutingRule(ctx.rt.db, systemActor(), r.id);
  });

  it('refuses invalid rules with French messages', async () => {
    const empty = await api('POST', '/api/v1/routing-rules', { name: 'Tout', targetUnitCode: 'mairies' });
    expect(empty.statusCode).toBe(422);
    expect(empty.json().error.fields.conditions).toContain('au moins une condition');

    const bad = await api('POST', '/api/v1/routing-rules', {
      name: ' ',
      topicCodes: ['inconnu'],
      channels: ['fax'],
      segments: ['entreprise'],
      postcodePrefixes: ['AB1'],
      keywords: ['!!'],
      targetUnitCode: 'nulle-part',
    });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual({
      name: 'Nom obligatoire.',
      topicCodes: 'Objet inconnu : inconnu',
      channels: expect.stringContaining('Canal inconnu : fax'),
      segments: expect.stringContaining('Type d’usager inconnu : entreprise'),
      postcodePrefixes: expect.stringContaining('AB1'),
      keywords: expect.stringContaining('Mot-clé invalide'),
      targetUnitCode: 'Service inconnu : nulle-part',
    });

    const unknownField = await api('POST', '/api/v1/routing-rules', { name: 'X', channels: ['mail'], targetUnitCode: 'mairies', unit: 'x' });
    expect(unknownField.statusCode).toBe(422);
    expect((await api('PATCH', '/api/v1/routing-rules/not-a-uuid', { name: 'X' })).statusCode).toBe(422);
    expect((await api('PATCH', '/api/v1/routing-rules/00000000-0000-0000-0000-000000000000', { name: 'X' })).statusCode).toBe(404);

    const r = await create({ name: 'Seule', channels: ['mail'], targetUnitCode: 'mairies' });
    const reorder = await api('POST', '/api/v1/routing-rules/reorder', { ids: [r.id, r.id] });
    expect(reorder.statusCode).toBe(422);
    expect(reorder.json().error.fields.ids).toContain('une seule fois');
    await deleteRoutingRule(ctx.rt.db, systemActor(), r.id);
  });

  it('403 for case workers writing, 401 for anonymous callers; reading is open to case workers', async () => {
    expect((await api('GET', '/api/v1/routing-rules', undefined, agent)).statusCode).toBe(200);
    const body = { name: 'X', channels: ['mail'], targetUnitCode: 'mairies' };
    expect((await api('POST', '/api/v1/routing-rules', body, agent)).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/routing-rules/preview', { topicCode: 'voirie-signalement', channel: 'email' }, agent)).statusCode).toBe(403);
    expect((await api('POST', '/api/v1/routing-rules/reorder', { ids: [] }, agent)).statusCode).toBe(403);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/routing-rules', payload: body })).statusCode).toBe(401);
    expect((await ctx.app.inject('/api/v1/routing-rules')).statusCode).toBe(401);
  });

  it('preview: the decision with every rule explained, and what a draft rule would change', async () => {
    const giennois = await create({ name: 'Routes du Giennois', topicCodes: ['voirie-signalement'], postcodePrefixes: ['452'], targetUnitCode: 'routes-giennois' });
    await create({ name: 'Courriers', channels: ['mail'], active: false, targetUnitCode: 'courrier-pro' });
    const request = { topicCode: 'voirie-signalement', channel: 'mail', postcode: '45200', commune: 'Gien', text: 'Élagage des platanes' };

    const plain = await api('POST', '/api/v1/routing-rules/preview', request);
    expect(plain.statusCode).toBe(200);
    expect(plain.json()).toEqual({
      decision: { unitId: expect.any(String), unitCode: 'routes-giennois', ruleId: giennois.id, reason: 'Règle « Routes du Giennois » (n° 1)' },
      trace: [
        { ruleId: giennois.id, position: 1, name: 'Routes du Giennois', active: true, outcome: 'applied', failedConditions: [], draft: false },
        { ruleId: expect.any(String), position: 2, name: 'Courriers', active: false, outcome: 'inactive', failedConditions: [], draft: false },
      ],
      draft: null,
    });

    // a draft at the end: matches, but the Giennois rule comes first
    const late = (await api('POST', '/api/v1/routing-rules/preview', { ...request, rule: { name: 'Élagage', keywords: ['elagage'], targetUnitCode: 'espaces-verts' } })).json();
    expect(late.draft).toMatchObject({ matches: true, failedConditions: [], changesUnit: false, decision: { unitCode: 'routes-giennois' } });
    expect(late.draft.summary).toContain('« Routes du Giennois » (n° 1) passe avant');
    expect(late.draft.trace.map((t: any) => [t.name, t.position, t.outcome, t.draft])).toEqual([
      ['Routes du Giennois', 1, 'applied', false],
      ['Courriers', 2, 'inactive', false],
      ['Élagage', 3, 'matched', true],
    ]);

    // the same draft first: it would change the unit
    const first = (await api('POST', '/api/v1/routing-rules/preview', { ...request, rule: { name: 'Élagage', keywords: ['elagage'], targetUnitCode: 'espaces-verts', position: 1 } })).json();
    expect(first.decision.unitCode).toBe('routes-giennois');
    expect(first.draft).toMatchObject({
      matches: true,
      changesUnit: true,
      decision: { unitCode: 'espaces-verts', ruleId: 'draft', reason: 'Règle « Élagage » (n° 1) (règle à l’essai)' },
    });
    expect(first.draft.summary).toBe('Avec cette règle (n° 1), la demande irait à « espaces-verts » au lieu de « routes-giennois ».');

    // a draft that does not match says which conditions fail
    const miss = (await api('POST', '/api/v1/routing-rules/preview', { ...request, rule: { name: 'Tél', channels: ['phone'], communes: ['Briare'], targetUnitCode: 'mairies', position: 1 } })).json();
    expect(miss.draft).toMatchObject({ matches: false, failedConditions: ['channels', 'communes'], changesUnit: false });
    expect(miss.draft.summary).toContain('« canal », « commune »');

    // editing a saved rule: the draft stands in for it, in its place
    const edit = (await api('POST', '/api/v1/routing-rules/preview', {
      ...request,
      rule: { id: giennois.id, name: 'Routes du Giennois', topicCodes: ['voirie-signalement'], postcodePrefixes: ['451'], targetUnitCode: 'routes-giennois' },
    })).json();
    expect(edit.draft).toMatchObject({ matches: false, changesUnit: true, decision: { unitCode: 'routes-orleans', ruleId: null } });
    expect(edit.draft.trace).toHaveLength(2);

    // invalid request or draft: 422 naming the fields
    const invalid = await api('POST', '/api/v1/routing-rules/preview', { topicCode: 'inconnu', channel: 'fax', rule: { name: 'X', targetUnitCode: 'mairies' } });
    expect(invalid.statusCode).toBe(422);
    expect(Object.keys(invalid.json().error.fields).sort()).toEqual(['channel', 'rule.conditions', 'topicCode']);
  });

  it('audits every change', async () => {
    const { rows } = await ctx.rt.db.query(
      `SELECT action, count(*)::int AS n FROM audit_events WHERE object_type = 'routing_rule' GROUP BY action ORDER BY action`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.action, r.n]))).toMatchObject({
      'routing_rule.create': expect.any(Number),
      'routing_rule.update': expect.any(Number),
      'routing_rule.delete': expect.any(Number),
      'routing_rule.reorder': 1,
    });
    const { rows: created } = await ctx.rt.db.query(
      `SELECT actor_type, after FROM audit_events WHERE action = 'routing_rule.create' ORDER BY id LIMIT 1`,
    );
    expect(created[0]).toMatchObject({ actor_type: 'agent', after: { name: 'Social à la mairie', topicCodes: ['aide-sociale'], targetUnitCode: 'mairies' } });
    // services called directly are audited too
    const r = await createRoutingRule(ctx.rt.db, systemActor('import'), { name: 'Import', channels: ['api'], targetUnitCode: 'mairies' });
    const { rows: sys } = await ctx.rt.db.query(`SELECT actor_type, actor_label FROM audit_events WHERE object_id = $1`, [r.id]);
    expect(sys).toEqual([{ actor_type: 'system', actor_label: 'import' }]);
  });
});
