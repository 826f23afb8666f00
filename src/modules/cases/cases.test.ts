// The case service through its API: creation from every channel, qualification and routing, due dates,
// the status lifecycle, assignment, transfer, escalation, interactions, links and merges, lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';

describe('cases', () => {
  let ctx: TestContext;
  let org: Org;
  const h: Record<string, Record<string, string>> = {};
  const post = (who: string, url: string, payload: unknown) => ctx.app.inject({ method: 'POST', url, headers: h[who], payload: payload as any });
  const get = (who: string, url: string) => ctx.app.inject({ url, headers: h[who] });

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    for (const k of Object.keys(org.agents)) h[k] = await signIn(ctx, org.agents[k].email);
  });
  afterAll(async () => ctx.close());

  it('creates a case with an inline contact, a reference YYYY-NNNNNN, routed to the topic unit with a due date', async () => {
    const r = await post('cc', '/api/v1/cases', {
      channel: 'phone', topic: 'signalement-voirie', subject: 'Arbre tombé sur la chaussée',
      description: "Un arbre bloque la RD 951 à la sortie de Jargeau, demande d'élagage urgente.",
      contact: { phone: '06 12 34 56 78', firstName: 'Marie', lastName: 'Dupont' },
      interaction: { kind: 'call', direction: 'inbound', body: 'Appel de Mme Dupont', metadata: { durationSeconds: 95 } },
    });
    expect(r.statusCode, r.body).toBe(201);
    const c = r.json();
    expect(c.reference).toMatch(new RegExp(`^${new Date().getFullYear()}-\\d{6}$`));
    expect(c).toMatchObject({ status: 'qualified', unitId: org.units.routes.id, contactCreated: true });
    expect(c.dueDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const d = (await get('routes', `/api/v1/cases/${c.reference}`)).json();
    expect(d.contact.phones).toEqual(['+33612345678']);
    expect(d.interactions).toHaveLength(1);
    expect(d.interactions[0]).toMatchObject({ kind: 'call', direction: 'inbound', metadata: { durationSeconds: 95 } });
    expect(d.events.map((e: any) => e.kind)).toEqual(['created', 'qualified', 'routed']);
    expect(d.events[2].reason).toContain('par défaut');
    expect(d.events[2].toLabel).toBe('Exploitation des routes');
    expect(d.abilities.transitions).toContain('in_progress');
  });

  it('recognises the same caller whatever way the number is written', async () => {
    const r = await post('cc', '/api/v1/cases', { channel: 'phone', subject: 'Rappel', contact: { phone: '+33 6 12 34 56 78' } });
    const r2 = await post('cc', '/api/v1/cases', { channel: 'phone', subject: 'Rappel encore', contact: { phone: '0033612345678' } });
    expect(r.json().contactCreated).toBe(false);
    expect(r2.json().contactId).toBe(r.json().contactId);
    expect(r.json().status).toBe('new');
  });

  it('references are unique under concurrent creation', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => post('cc', '/api/v1/cases', { channel: 'api', subject: `Demande ${i}` })));
    const refs = all.map((r) => r.json().reference);
    expect(new Set(refs).size).toBe(20);
  });

  it('level-1 answer: closed at once, marked resolved at level 1, with the knowledge article', async () => {
    const r = await post('cc', '/api/v1/cases', { channel: 'phone', topic: 'signalement-voirie', subject: 'Horaires de la déchetterie', resolvedLevel1: true, knowledgeArticle: 'kb-horaires' });
    expect(r.json()).toMatchObject({ status: 'closed', unitId: org.units.centre.id });
    const d = (await get('cc', `/api/v1/cases/${r.json().reference}`)).json();
    expect(d.resolvedLevel1).toBe(true);
    expect(d.events.at(-1)).toMatchObject({ kind: 'status', to: 'closed', reason: 'Répondue au niveau 1', data: { knowledgeArticle: 'kb-horaires' } });
    const level1 = (await get('cc', '/api/v1/cases?level1=true&limit=200')).json();
    expect(level1.items.map((i: any) => i.reference)).toContain(d.reference);
  });

  it('qualifies a new case: routes it and computes its due date; level 1 then loses the right to act', async () => {
    const ref = (await post('cc', '/api/v1/cases', { channel: 'phone', subject: 'Question sur une subvention', contact: { email: 'asso@exemple.fr', orgName: 'Harmonie de Gien', kind: 'organisation', segment: 'association' } })).json().reference;
    const q = await post('cc', `/api/v1/cases/${ref}/qualify`, { topic: 'subvention-culture' });
    expect(q.statusCode, q.body).toBe(200);
    expect(q.json()).toMatchObject({ status: 'qualified', unitCode: 'vie-associative' });
    expect((await post('cc', `/api/v1/cases/${ref}/transitions`, { to: 'in_progress' })).statusCode).toBe(403);
    const unknown = await post('culture', `/api/v1/cases/${ref}/qualify`, { topic: 'nope' });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.fields.topic).toContain('Objet inconnu');
  });

  it('checks every transition', async () => {
    const ref = (await post('routes', '/api/v1/cases', { channel: 'email', topic: 'signalement-voirie', subject: 'Panneau tombé' })).json().reference;
    const bad = await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'new' });
    expect(bad.statusCode).toBe(409); // no way back to 'new'
    const skip = await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'assigned' });
    expect(skip.statusCode).toBe(422);
    for (const to of ['in_progress', 'waiting_on_contact', 'in_progress', 'answered', 'closed']) {
      const r = await post('routes', `/api/v1/cases/${ref}/transitions`, { to });
      expect(r.statusCode, `${to}: ${r.body}`).toBe(200);
    }
    const again = await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'answered' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('invalid_transition');
    const reopenNoReason = await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'in_progress' });
    expect(reopenNoReason.statusCode).toBe(422);
    const reopen = await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'in_progress', reason: "L'usager signale que le panneau n'est pas reposé" });
    expect(reopen.statusCode).toBe(200);
    const d = (await get('routes', `/api/v1/cases/${ref}`)).json();
    expect(d.events.at(-1)).toMatchObject({ kind: 'reopened', from: 'closed', to: 'in_progress' });
    const audit = await ctx.rt.db.query(`SELECT action FROM audit_events WHERE object_id = $1 ORDER BY id`, [d.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['case.create', 'case.status', 'case.status', 'case.status', 'case.status', 'case.status', 'case.reopen']);
  });

  it('an inbound message on a case waiting for the contact puts it back in progress', async () => {
    const ref = (await post('routes', '/api/v1/cases', { channel: 'email', topic: 'signalement-voirie', subject: 'Fossé bouché' })).json().reference;
    await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'waiting_on_contact', reason: 'Photo demandée' });
    await post('cc', `/api/v1/cases/${ref}/interactions`, { kind: 'call', direction: 'inbound', body: "L'usager a envoyé la photo" });
    expect((await get('routes', `/api/v1/cases/${ref}`)).json().status).toBe('in_progress');
  });

  it('assignment: managers assign to unit members; agents take cases for themselves only', async () => {
    const ref = (await post('routes', '/api/v1/cases', { channel: 'mail', topic: 'signalement-voirie', subject: 'Glissière abîmée' })).json().reference;
    const notMember = await post('routesmgr', `/api/v1/cases/${ref}/assign`, { assigneeId: org.agents.ase.id });
    expect(notMember.statusCode).toBe(422);
    const byAgent = await post('routes', `/api/v1/cases/${ref}/assign`, { assigneeId: org.agents.routes2.id });
    expect(byAgent.statusCode).toBe(422);
    const take = await post('routes', `/api/v1/cases/${ref}/assign`, { assigneeId: org.agents.routes.id });
    expect(take.json()).toMatchObject({ status: 'assigned', assigneeId: org.agents.routes.id });
    const mgr = await post('routesmgr', `/api/v1/cases/${ref}/assign`, { assigneeId: org.agents.routes2.id });
    expect(mgr.statusCode).toBe(200);
    const mine = (await get('routes2', '/api/v1/cases?mine=true')).json();
    expect(mine.items.map((i: any) => i.reference)).toContain(ref);
  });

  it('transfer needs a reason, leaves the queue, and is recorded', async () => {
    const ref = (await post('routes', '/api/v1/cases', { channel: 'mail', topic: 'signalement-voirie', subject: 'Subvention pour la fête du village' })).json().reference;
    expect((await post('routes', `/api/v1/cases/${ref}/transfer`, { unit: 'vie-associative', reason: '' })).statusCode).toBe(422);
    const t = await post('routes', `/api/v1/cases/${ref}/transfer`, { unit: 'vie-associative', reason: 'Relève des subventions' });
    expect(t.statusCode, t.body).toBe(200);
    const queue = (await get('routes', '/api/v1/cases?unit=exploitation-routes&open=true&limit=200')).json();
    expect(queue.items.map((i: any) => i.reference)).not.toContain(ref);
    // The topic's own unit still sees the case (it handles such topics) but may no longer act on it.
    const seen = (await get('routes', `/api/v1/cases/${ref}`)).json();
    expect(seen.abilities).toMatchObject({ act: false, transitions: [] });
    expect((await post('routes', `/api/v1/cases/${ref}/transitions`, { to: 'in_progress' })).statusCode).toBe(403);
    const d = (await get('culture', `/api/v1/cases/${ref}`)).json();
    expect(d.events.at(-1)).toMatchObject({ kind: 'transferred', reason: 'Relève des subventions', fromLabel: 'Exploitation des routes', toLabel: 'Vie associative' });
  });

  it('escalation from level 1 to level 2, with a callback request', async () => {
    const created = await post('cc', '/api/v1/cases', { channel: 'phone', topic: 'signalement-voirie', subject: 'Nid-de-poule', resolvedLevel1: true });
    const ref = created.json().reference;
    await post('cc', `/api/v1/cases/${ref}/transitions`, { to: 'in_progress', reason: "Finalement l'usager veut un suivi" });
    const e = await post('cc', `/api/v1/cases/${ref}/escalate`, { reason: 'Intervention nécessaire', callbackRequested: true });
    expect(e.statusCode, e.body).toBe(200);
    expect(e.json().unitCode).toBe('exploitation-routes');
    const d = (await get('routes', `/api/v1/cases/${ref}`)).json();
    expect(d).toMatchObject({ status: 'qualified', resolvedLevel1: false, tags: ['rappel'] });
    expect(d.events.at(-1)).toMatchObject({ kind: 'escalated', data: { callbackRequested: true } });
  });

  it('links and merges duplicate cases, moving their interactions', async () => {
    const a = (await post('routes', '/api/v1/cases', { channel: 'email', topic: 'signalement-voirie', subject: 'Trou RD 2007', interaction: { kind: 'email', body: 'Premier message' } })).json().reference;
    const b = (await post('routes', '/api/v1/cases', { channel: 'phone', topic: 'signalement-voirie', subject: 'Trou RD 2007 (appel)', interaction: { kind: 'call', body: 'Même trou' } })).json().reference;
    const m = await post('routes', `/api/v1/cases/${a}/merge`, { duplicate: b });
    expect(m.json()).toMatchObject({ merged: b, movedInteractions: 1 });
    const da = (await get('routes', `/api/v1/cases/${a}`)).json();
    expect(da.interactions.map((i: any) => i.body)).toEqual(['Premier message', 'Même trou']);
    const db = (await get('routes', `/api/v1/cases/${b}`)).json();
    expect(db.status).toBe('closed');
    expect(db.links).toEqual([expect.objectContaining({ kind: 'merged', reference: a })]);
  });

  it('interactions carry attachments from the file store, downloadable only by who may read the case', async () => {
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF');
    const boundary = '----guichet';
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="photo du trou.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      pdf,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const up = await ctx.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...h.routes, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: body });
    expect(up.statusCode, up.body).toBe(201);
    const { sha256 } = up.json();
    const ref = (await post('routes', '/api/v1/cases', { channel: 'mail', topic: 'signalement-voirie', subject: 'Photo', interaction: { kind: 'letter', body: 'Courrier avec photo', attachments: [{ sha256, filename: '../photo du trou.pdf' }] } })).json().reference;
    const d = (await get('routes', `/api/v1/cases/${ref}`)).json();
    expect(d.interactions[0].attachments[0]).toMatchObject({ sha256, filename: 'photo du trou.pdf', mimeType: 'application/pdf', size: pdf.length });
    const dl = await get('routes', `/api/v1/files/${sha256}`);
    expect(dl.statusCode).toBe(200);
    expect(dl.rawPayload.equals(pdf)).toBe(true);
    expect((await get('ase', `/api/v1/files/${sha256}`)).statusCode).toBe(404);
    // the same content attached again under another name: each link downloads under its own name
    await post('routes', `/api/v1/cases/${ref}/interactions`, { kind: 'note', body: 'Même photo', attachments: [{ sha256, filename: 'copie.pdf' }] });
    const named = async (name: string) => (await get('routes', `/api/v1/files/${sha256}?download=1&name=${encodeURIComponent(name)}`)).headers['content-disposition'];
    expect(await named('copie.pdf')).toBe(`attachment; filename*=UTF-8''copie.pdf`);
    expect(await named('photo du trou.pdf')).toBe(`attachment; filename*=UTF-8''photo%20du%20trou.pdf`);
    // a control character in the name (NUL would be refused by the database) is a 422, never a 500
    expect((await get('routes', `/api/v1/files/${sha256}?download=1&name=a%00b`)).statusCode).toBe(422);
    expect(await named('autre.pdf')).toMatch(/^attachment; filename\*=UTF-8''(copie\.pdf|photo%20du%20trou\.pdf)$/);
    const exe = Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.exe"\r\nContent-Type: application/pdf\r\n\r\n`), Buffer.from('MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
    const refused = await ctx.app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...h.routes, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: exe });
    expect(refused.statusCode).toBe(415);
    const missing = await post('routes', `/api/v1/cases/${ref}/interactions`, { kind: 'note', body: 'x', attachments: [{ sha256: 'a'.repeat(64), filename: 'x.pdf' }] });
    expect(missing.statusCode).toBe(422);
  });

  it('lists a unit queue by due date with keyset pagination, filters and counts', async () => {
    for (let i = 0; i < 7; i++) await post('routes', '/api/v1/cases', { channel: 'mail', topic: 'signalement-voirie', subject: `Signalement ${i}` });
    await ctx.rt.db.query(`UPDATE cases SET due_date = now()::date - 3 WHERE subject = 'Signalement 0'`);
    const page1 = (await get('routes', '/api/v1/cases?unit=exploitation-routes&open=true&limit=3&sort=due')).json();
    expect(page1.items).toHaveLength(3);
    expect(page1.items[0]).toMatchObject({ subject: 'Signalement 0', sla: 'overdue' });
    const seen = new Set(page1.items.map((i: any) => i.reference));
    let cursor = page1.nextCursor;
    while (cursor) {
      const next = (await get('routes', `/api/v1/cases?unit=exploitation-routes&open=true&limit=3&sort=due&cursor=${cursor}`)).json();
      for (const it of next.items) {
        expect(seen.has(it.reference)).toBe(false);
        seen.add(it.reference);
      }
      cursor = next.nextCursor;
    }
    const all = (await get('routes', '/api/v1/cases?unit=exploitation-routes&open=true&limit=200')).json();
    expect(seen.size).toBe(all.items.length);
    const overdue = (await get('routes', '/api/v1/cases?unit=exploitation-routes&overdue=true')).json();
    expect(overdue.items.map((i: any) => i.subject)).toContain('Signalement 0');
    const counts = (await get('routes', '/api/v1/cases/counts?unit=exploitation-routes')).json();
    expect(counts.overdue).toBeGreaterThanOrEqual(1);
    expect(counts.open).toBe(all.items.length);
    expect((await get('routes', '/api/v1/cases?status=bogus')).statusCode).toBe(422);
    expect((await get('routes', '/api/v1/cases?cursor=%%%')).statusCode).toBe(422);
    const forged = Buffer.from(JSON.stringify({ k: [{ x: 1 }], id: 'pas-un-uuid' })).toString('base64url');
    expect((await get('routes', `/api/v1/cases?cursor=${forged}`)).statusCode).toBe(422);
  });

  it('a topic made sensitive hides its existing cases from level 1 at once', async () => {
    const ref = (await post('cc', '/api/v1/cases', { channel: 'phone', topic: 'subvention-culture', subject: 'Aide exceptionnelle' })).json().reference;
    expect((await get('cc', `/api/v1/cases/${ref}`)).statusCode).toBe(200);
    const admin = await signIn(ctx, org.agents.admin.email);
    const r = await ctx.app.inject({ method: 'PATCH', url: '/api/v1/topics/subvention-culture', headers: admin, payload: { sensitive: true } });
    expect(r.statusCode, r.body).toBe(200);
    expect((await get('cc', `/api/v1/cases/${ref}`)).statusCode).toBe(404);
    expect((await get('culture', `/api/v1/cases/${ref}`)).statusCode).toBe(200);
    await ctx.app.inject({ method: 'PATCH', url: '/api/v1/topics/subvention-culture', headers: admin, payload: { sensitive: false } });
  });

  it('bad input is a 4xx with named fields, never a 500', async () => {
    const r = await post('cc', '/api/v1/cases', { channel: 'fax', subject: '' });
    expect(r.statusCode).toBe(422);
    expect(Object.keys(r.json().error.fields).sort()).toEqual(['channel', 'subject']);
    const badPhone = await post('cc', '/api/v1/cases', { channel: 'phone', subject: 'x', contact: { phone: '12' } });
    expect(badPhone.statusCode).toBe(422);
  });
});

describe('search', () => {
  let ctx: TestContext;
  let h: Record<string, string>;
  beforeAll(async () => {
    ctx = await createTestContext();
    const org = await makeOrg(ctx);
    h = await signIn(ctx, org.agents.cc.email);
    const mk = (payload: any) => ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: h, payload });
    await mk({ channel: 'mail', topic: 'signalement-voirie', subject: "Demande d'élagage RD 951", description: 'Les branches gênent la visibilité à Jargeau.', contact: { email: 'jean.martin@exemple.fr', firstName: 'Jean', lastName: 'Martin', phone: '02 38 12 34 56' } });
    await mk({ channel: 'email', topic: 'subvention-culture', subject: 'Dossier de subvention 2027', description: 'Harmonie municipale', contact: { email: 'hélène@exemple.fr', firstName: 'Hélène', lastName: 'Lefèvre' } });
    const other = await mk({ channel: 'phone', topic: 'signalement-voirie', subject: 'Nid-de-poule' });
    await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${other.json().reference}/interactions`, headers: h, payload: { kind: 'note', body: 'Le revêtement est dégradé depuis les intempéries.' } });
  });
  afterAll(async () => ctx.close());
  const s = (q: string) => ctx.app.inject({ url: `/api/v1/search?q=${encodeURIComponent(q)}`, headers: h }).then((r) => r.json());

  it('is accent-insensitive and stemmed in French', async () => {
    expect((await s('elagage')).cases.map((c: any) => c.subject)).toEqual(["Demande d'élagage RD 951"]);
    expect((await s('subventions')).cases.map((c: any) => c.subject)).toEqual(['Dossier de subvention 2027']);
    const hit = (await s('intempérie')).cases[0];
    expect(hit).toMatchObject({ subject: 'Nid-de-poule', matchedIn: 'interaction' });
    expect(hit.snippet).toContain('«intempéries»');
  });

  it('finds contacts and their cases by phone in any format, by email and by name', async () => {
    for (const q of ['0238123456', '+33 2 38 12 34 56', '02.38.12.34.56']) {
      const r = await s(q);
      expect(r.contacts.map((c: any) => c.displayName)).toEqual(['Jean Martin']);
      expect(r.cases.map((c: any) => c.subject)).toEqual(["Demande d'élagage RD 951"]);
    }
    expect((await s('jean.martin@exemple.fr')).contacts[0].matchedIn).toBe('email');
    expect((await s('helene lef')).contacts.map((c: any) => c.displayName)).toEqual(['Hélène Lefèvre']);
  });

  it('finds a case by its reference', async () => {
    const { rows } = await ctx.rt.db.query(`SELECT reference FROM cases WHERE subject = 'Nid-de-poule'`);
    expect((await s(rows[0].reference)).cases).toHaveLength(1);
  });

  it('refuses a too short query', async () => {
    const r = await ctx.app.inject({ url: '/api/v1/search?q=a', headers: h });
    expect(r.statusCode).toBe(422);
  });
});
