import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { createDomain, createTopic } from '../topics/topics.service.ts';
import { renderTemplate, templatePlaceholders } from './templates.render.ts';
import { getTemplate } from './templates.service.ts';

describe('renderTemplate', () => {
  const vars = {
    reference: '2026-000123',
    contact: { name: 'Mme Claire Dupont' },
    unit: { name: 'Routes du Giennois' },
    dueDate: '2026-12-01',
    agent: { name: 'Paul Martin', signature: null },
    today: '2026-05-14',
    count: 3,
    urgent: false,
  };

  it('fills placeholders, dotted paths included, with or without inner spaces', () => {
    const body = 'Bonjour {{contact.name}},\nVotre demande {{ reference }} est suivie par {{unit.name}}.\n{{agent.name}}';
    expect(renderTemplate(body, vars)).toBe('Bonjour Mme Claire Dupont,\nVotre demande 2026-000123 est suivie par Routes du Giennois.\nPaul Martin');
  });

  it('accepts flat dotted keys too', () => {
    expect(renderTemplate('{{contact.name}} ({{unit.name}})', { 'contact.name': 'M. Durand', unit: { name: 'PMI' } })).toBe('M. Durand (PMI)');
  });

  it('writes days as French dates', () => {
    expect(renderTemplate('Réponse avant le {{dueDate}}, le {{today}}.', vars)).toBe('Réponse avant le 1er décembre 2026, le 14 mai 2026.');
    // an instant is written as its day in Paris
    expect(renderTemplate('{{d}}', { d: new Date('2026-11-30T23:30:00Z') })).toBe('1er décembre 2026');
    // not a real day: left as given
    expect(renderTemplate('{{d}}', { d: '2026-02-30' })).toBe('2026-02-30');
    // {{today}} defaults to today in Paris
    expect(renderTemplate('{{today}}', {})).toMatch(/^(1er|\d{1,2}) \p{L}+ \d{4}$/u);
  });

  it('leaves unknown placeholders visible, prints null as nothing', () => {
    expect(renderTemplate('{{contact.nmae}} / {{inconnu}} / {{ contact }} / {{agent.signature}}.', vars)).toBe('{{contact.nmae}} / {{inconnu}} / {{ contact }} / .');
    expect(renderTemplate('{{constructor.name}} {{contact.name.length}} {{__proto__}}', vars)).toBe('{{constructor.name}} {{contact.name.length}} {{__proto__}}');
    expect(renderTemplate('{{count}} pièces, urgent : {{urgent}}', vars)).toBe('3 pièces, urgent : non');
    // not placeholders at all
    expect(renderTemplate('{{ }} {{a b}} {reference} {{{reference}}}', vars)).toBe('{{ }} {{a b}} {reference} {2026-000123}');
  });

  it('does not interpret values: no second pass, no special replacement patterns', () => {
    expect(renderTemplate('{{a}}', { a: '{{reference}} $& $1' , reference: 'X' })).toBe('{{reference}} $& $1');
  });

  it('lists the placeholders a template uses', () => {
    expect(templatePlaceholders('{{a}} {{ b.c }} {{a}}')).toEqual(['a', 'b.c']);
  });
});

describe('reply templates API', () => {
  let ctx: TestContext;
  let admin: Record<string, string>;
  let agent: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'routes');
    await createDomain(ctx.rt.db, systemActor(), { code: 'voirie', name: 'Routes' });
    await createTopic(ctx.rt.db, systemActor(), { code: 'voirie-signalement', name: 'Signalement voirie', domainCode: 'voirie', defaultUnitCode: 'routes' });
    await createTopic(ctx.rt.db, systemActor(), { code: 'elagage', name: 'Élagage', domainCode: 'voirie', defaultUnitCode: 'routes' });
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    await makeAgent(ctx, 'agent@test.fr', ['unit_agent'], ['routes']);
    admin = await signIn(ctx, 'admin@test.fr');
    agent = await signIn(ctx, 'agent@test.fr');
  });
  afterAll(async () => ctx.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers = admin) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const codes = (res: { json(): any }) => res.json().items.map((t: any) => t.code);

  it('creates templates; reads them back with getTemplate', async () => {
    const res = await api('POST', '/api/v1/reply-templates', {
      code: 'accuse-reception',
      name: 'Accusé de réception',
      channel: 'any',
      subject: 'Votre demande {{reference}}',
      body: 'Bonjour {{contact.name}},\nNous avons bien reçu votre demande {{reference}}.',
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ code: 'accuse-reception', channel: 'any', topicCode: null, subject: 'Votre demande {{reference}}', active: true });
    expect(res.json().updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    for (const body of [
      { code: 'voirie-mail', name: 'Voirie (mail)', channel: 'email', topicCode: 'voirie-signalement', body: 'Intervention prévue.' },
      { code: 'voirie-courrier', name: 'Voirie (courrier)', channel: 'letter', topicCode: 'voirie-signalement', body: 'Madame, Monsieur,' },
      { code: 'elagage-mail', name: 'Élagage (mail)', channel: 'email', topicCode: 'elagage', body: 'Élagage planifié.' },
      { code: 'ancien', name: 'Ancien', channel: 'email', body: 'Obsolète', active: false },
    ]) {
      expect((await api('POST', '/api/v1/reply-templates', body)).statusCode).toBe(201);
    }
    const t = await getTemplate(ctx.rt.db, 'voirie-mail');
    expect(t).toMatchObject({ code: 'voirie-mail', channel: 'email', topicCode: 'voirie-signalement', topicName: 'Signalement voirie', subject: null, body: 'Intervention prévue.' });
    expect(await getTemplate(ctx.rt.db, 'inconnu')).toBeNull();
  });

  it('lists for any case worker, filtered by channel and topic (plus general templates)', async () => {
    expect(codes(await api('GET', '/api/v1/reply-templates', undefined, agent))).toEqual(['elagage-mail', 'voirie-courrier', 'voirie-mail', 'accuse-reception']);
    expect(codes(await api('GET', '/api/v1/reply-templates?channel=email', undefined, agent))).toEqual(['elagage-mail', 'voirie-mail', 'accuse-reception']);
    expect(codes(await api('GET', '/api/v1/reply-templates?channel=email&topic=voirie-signalement', undefined, agent))).toEqual(['voirie-mail', 'accuse-reception']);
    expect(codes(await api('GET', '/api/v1/reply-templates?topic=elagage', undefined, agent))).toEqual(['elagage-mail', 'accuse-reception']);
    expect(codes(await api('GET', '/api/v1/reply-templates?channel=email&includeInactive=true', undefined, agent))).toContain('ancien');
    expect((await api('GET', '/api/v1/reply-templates?channel=fax', undefined, agent)).statusCode).toBe(422);
    const one = await api('GET', '/api/v1/reply-templates/accuse-reception', undefined, agent);
    expect(one.statusCode).toBe(200);
    expect(one.json().body).toContain('{{reference}}');
    expect((await api('GET', '/api/v1/reply-templates/inconnu', undefined, agent)).statusCode).toBe(404);
  });

  it('updates and deletes, audited', async () => {
    const res = await api('PATCH', '/api/v1/reply-templates/voirie-mail', { subject: 'Intervention {{reference}}', topicCode: null, channel: 'portal' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ subject: 'Intervention {{reference}}', topicCode: null, channel: 'portal', body: 'Intervention prévue.', name: 'Voirie (mail)' });
    const cleared = await api('PATCH', '/api/v1/reply-templates/voirie-mail', { subject: '  ' });
    expect(cleared.json().subject).toBeNull();

    expect((await api('DELETE', '/api/v1/reply-templates/ancien')).statusCode).toBe(204);
    expect(await getTemplate(ctx.rt.db, 'ancien')).toBeNull();
    expect((await api('DELETE', '/api/v1/reply-templates/ancien')).statusCode).toBe(404);
    expect((await api('PATCH', '/api/v1/reply-templates/ancien', { name: 'X' })).statusCode).toBe(404);

    const { rows } = await ctx.rt.db.query(
      `SELECT action, before, after FROM audit_events WHERE object_type = 'reply_template' AND action <> 'template.create' ORDER BY id`,
    );
    expect(rows.map((r) => r.action)).toEqual(['template.update', 'template.update', 'template.delete']);
    expect(rows[0]).toMatchObject({ before: { channel: 'email', topicCode: 'voirie-signalement' }, after: { channel: 'portal', topicCode: null } });
    expect(rows[2]).toMatchObject({ before: { code: 'ancien', body: 'Obsolète' }, after: null });
  });

  it('422 with French messages, 409 on a duplicate code', async () => {
    const bad = await api('POST', '/api/v1/reply-templates', { code: 'Pas Bon', name: 'X', channel: 'email', body: '   ', topicCode: 'inconnu' });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().error.fields).toEqual({ code: expect.stringContaining('minuscules'), body: 'Texte obligatoire.' });
    const topic = await api('POST', '/api/v1/reply-templates', { code: 'ok-code', name: 'X', channel: 'email', body: 'B', topicCode: 'inconnu' });
    expect(topic.statusCode).toBe(422);
    expect(topic.json().error.fields).toEqual({ topicCode: 'Objet inconnu : inconnu' });
    const channel = await api('POST', '/api/v1/reply-templates', { code: 'ok-code', name: 'X', channel: 'sms', body: 'B' });
    expect(channel.statusCode).toBe(422);
    expect(channel.json().error.fields.channel).toContain('Valeur non autorisée');
    const missing = await api('POST', '/api/v1/reply-templates', { code: 'ok-code' });
    expect(missing.json().error.fields).toEqual({ name: 'Champ obligatoire.', channel: 'Champ obligatoire.', body: 'Champ obligatoire.' });
    const dup = await api('POST', '/api/v1/reply-templates', { code: 'accuse-reception', name: 'X', channel: 'email', body: 'B' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('template_exists');
  });

  it('403 for a case worker writing, 401 for anonymous callers', async () => {
    const body = { code: 'pirate', name: 'X', channel: 'email', body: 'B' };
    expect((await api('POST', '/api/v1/reply-templates', body, agent)).statusCode).toBe(403);
    expect((await api('PATCH', '/api/v1/reply-templates/accuse-reception', { body: 'X' }, agent)).statusCode).toBe(403);
    expect((await api('DELETE', '/api/v1/reply-templates/accuse-reception', undefined, agent)).statusCode).toBe(403);
    expect((await ctx.app.inject('/api/v1/reply-templates')).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/reply-templates', payload: body })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'DELETE', url: '/api/v1/reply-templates/accuse-reception' })).statusCode).toBe(401);
    expect(await getTemplate(ctx.rt.db, 'accuse-reception')).not.toBeNull();
  });
});
