// The contacts API as agents use it: create, read (vue 360°), search, change, permissions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { insertCase, insertInteraction, insertTopic } from './contacts.fixtures.ts';

type Headers = Record<string, string>;

describe('contacts API', () => {
  let ctx: TestContext;
  let cc: Headers; // contact centre, level 1
  let social: Headers; // unit agent of the social unit
  let supervisor: Headers;
  let admin: Headers;
  let socialUnitId: string;
  let roadsUnitId: string;

  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'centre-contact', 'Centre de contact');
    socialUnitId = (await makeUnit(ctx, 'action-sociale', 'Action sociale')).id;
    roadsUnitId = (await makeUnit(ctx, 'routes', 'Routes')).id;
    await makeAgent(ctx, 'cc@test.fr', ['contact_center'], ['centre-contact']);
    await makeAgent(ctx, 'social@test.fr', ['unit_agent'], ['action-sociale']);
    await makeAgent(ctx, 'sup@test.fr', ['supervisor']);
    await makeAgent(ctx, 'admin@test.fr', ['admin']);
    cc = await signIn(ctx, 'cc@test.fr');
    social = await signIn(ctx, 'social@test.fr');
    supervisor = await signIn(ctx, 'sup@test.fr');
    admin = await signIn(ctx, 'admin@test.fr');
  });
  afterAll(async () => ctx.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object, headers: Headers = cc) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const create = async (body: object) => {
    const res = await api('POST', '/api/v1/contacts', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };
  const search = async (query: string, headers: Headers = cc) => {
    const res = await api('GET', `/api/v1/contacts?${query}`, undefined, headers);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { items: Array<{ id: string; displayName: string }>; nextCursor: string | null };
  };
  const auditCount = async (action: string, objectId: string) =>
    (await ctx.rt.db.query(`SELECT count(*)::int AS n FROM audit_events WHERE action = $1 AND object_id = $2`, [action, objectId])).rows[0].n;

  it('documents its routes in the OpenAPI description', async () => {
    const doc = (await ctx.app.inject('/api/openapi.json')).json();
    for (const path of ['/api/v1/contacts', '/api/v1/contacts/{id}', '/api/v1/contacts/{id}/merge', '/api/v1/contacts/{id}/duplicates', '/api/v1/contacts/{id}/phones/{itemId}']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  describe('permissions', () => {
    it('401 without a session', async () => {
      const res = await ctx.app.inject('/api/v1/contacts');
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('unauthorized');
    });

    it('403 for an administrator: platform administration gives no access to contacts', async () => {
      expect((await api('GET', '/api/v1/contacts', undefined, admin)).statusCode).toBe(403);
      expect((await api('POST', '/api/v1/contacts', { kind: 'person', segment: 'particulier', lastName: 'X' }, admin)).statusCode).toBe(403);
    });

    it('a supervisor may read but not write', async () => {
      const c = await create({ kind: 'person', segment: 'particulier', firstName: 'Lecture', lastName: 'Seule' });
      expect((await api('GET', '/api/v1/contacts', undefined, supervisor)).statusCode).toBe(200);
      expect((await api('GET', `/api/v1/contacts/${c.id}`, undefined, supervisor)).statusCode).toBe(200);
      const write = await api('POST', '/api/v1/contacts', { kind: 'person', segment: 'particulier', lastName: 'Non' }, supervisor);
      expect(write.statusCode).toBe(403);
      expect(write.json().error.code).toBe('forbidden');
      expect((await api('PATCH', `/api/v1/contacts/${c.id}`, { lastName: 'Changé' }, supervisor)).statusCode).toBe(403);
      expect((await api('POST', `/api/v1/contacts/${c.id}/emails`, { email: 'a@b.fr' }, supervisor)).statusCode).toBe(403);
    });

    it('404 for an unknown id and for a malformed one', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'pas-un-uuid', '1']) {
        const res = await api('GET', `/api/v1/contacts/${id}`);
        expect(res.statusCode).toBe(404);
        expect(res.json().error).toEqual({ code: 'not_found', message: 'Usager introuvable.' });
      }
      expect((await api('PATCH', '/api/v1/contacts/pas-un-uuid', { lastName: 'X' })).statusCode).toBe(404);
      expect((await api('GET', '/api/v1/contacts/pas-un-uuid/duplicates')).statusCode).toBe(404);
    });
  });

  describe('creating and reading', () => {
    it('a person with several emails, phones in any format (one number kept once) and an address', async () => {
      const c = await create({
        kind: 'person',
        segment: 'particulier',
        civility: 'Mme',
        firstName: ' Marie ',
        lastName: 'Dupont',
        emails: [{ email: 'Marie.Dupont@Exemple.FR', label: 'personnel' }, { email: 'mdupont@travail.fr' }],
        phones: [{ number: '06 12 34 56 78' }, { number: '+33 6 12 34 56 78' }, { number: '02.38.12.34.56', label: 'domicile' }],
        addresses: [{ line1: '1 rue de la Paix', postcode: '45000', city: 'Orléans' }],
      });
      expect(c).toMatchObject({
        kind: 'person',
        segment: 'particulier',
        civility: 'Mme',
        firstName: 'Marie',
        lastName: 'Dupont',
        displayName: 'Marie Dupont',
        toCheck: false,
        mergedInto: null,
        cases: [],
        casesTotal: 0,
        interactions: [],
      });
      expect(c.emails.map((e: any) => [e.email, e.isPrimary, e.failingSince])).toEqual([
        ['marie.dupont@exemple.fr', true, null],
        ['mdupont@travail.fr', false, null],
      ]);
      expect(c.phones.map((p: any) => [p.e164, p.display, p.label])).toEqual([
        ['+33612345678', '06 12 34 56 78', null],
        ['+33238123456', '02 38 12 34 56', 'domicile'],
      ]);
      expect(c.addresses).toEqual([expect.objectContaining({ line1: '1 rue de la Paix', postcode: '45000', city: 'Orléans', country: 'FR', isPrimary: true })]);
      const again = await api('GET', `/api/v1/contacts/${c.id}`);
      expect(again.json()).toEqual(c);
      expect(await auditCount('contact.create', c.id)).toBe(1);
    });

    it('an organisation with a SIRET (SIREN derived) and an RNA typed loosely', async () => {
      const org = await create({ kind: 'organisation', segment: 'association', orgType: 'association', orgName: 'Les Amis du Loiret', siret: '225 400 001 00015', rna: 'w 451 234 567' });
      expect(org).toMatchObject({ displayName: 'Les Amis du Loiret', siret: '22540000100015', siren: '225400001', rna: 'W451234567' });
    });

    it('422 with named French messages for every invalid field', async () => {
      const res = await api('POST', '/api/v1/contacts', {
        kind: 'person',
        segment: 'particulier',
        emails: [{ email: 'pas-une-adresse' }],
        phones: [{ number: '06 12 34' }],
        addresses: [{ line1: '2 rue X', postcode: '4500', city: 'Orléans' }],
        birthDate: '1990-02-30',
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().error.fields).toEqual({
        lastName: 'Nom ou prénom obligatoire.',
        'emails.0.email': expect.stringContaining('Adresse électronique invalide'),
        'phones.0.number': expect.stringContaining('Numéro de téléphone invalide'),
        'addresses.0.postcode': 'Code postal : 5 chiffres.',
        birthDate: expect.stringContaining('Date de naissance invalide'),
      });
      const org = await api('POST', '/api/v1/contacts', { kind: 'organisation', segment: 'professionnel', siret: '22540000100016', siren: '12345678', rna: 'W12', firstName: 'Jean' });
      expect(org.statusCode).toBe(422);
      expect(org.json().error.fields).toEqual({
        orgName: "Nom de l'organisation obligatoire.",
        siret: expect.stringContaining('SIRET invalide'),
        siren: expect.stringContaining('SIREN invalide'),
        rna: expect.stringContaining('RNA invalide'),
        firstName: 'Réservé aux personnes.',
      });
      const mismatch = await api('POST', '/api/v1/contacts', { kind: 'organisation', segment: 'professionnel', orgName: 'X', siret: '22540000100015', siren: '732829320' });
      expect(mismatch.json().error.fields).toEqual({ siren: 'Le SIREN doit correspondre aux 9 premiers chiffres du SIRET.' });
      const schema = await api('POST', '/api/v1/contacts', { kind: 'robot', segment: 'particulier' });
      expect(schema.statusCode).toBe(422);
      expect(schema.json().error.fields.kind).toBeTruthy();
    });
  });

  describe('search', () => {
    let helene: any;
    let org: any;
    beforeAll(async () => {
      helene = await create({
        kind: 'person',
        segment: 'particulier',
        firstName: 'Hélène',
        lastName: 'Lefèvre',
        emails: [{ email: 'helene.lefevre@exemple.fr' }],
        phones: [{ number: '06 98 76 54 32' }],
      });
      org = await create({ kind: 'organisation', segment: 'collectivite', orgType: 'commune', orgName: 'Commune de Saint-Cyr-en-Val', siret: '21450272600018', rna: 'W452000001' });
      await create({ kind: 'person', segment: 'particulier', firstName: 'Paul', lastName: 'Martin' });
    });

    it('by name, without accents or case', async () => {
      for (const q of ['helene', 'HÉLÈNE', 'lefevre', 'Hélène Lefèvre', 'hel']) {
        expect((await search(`q=${encodeURIComponent(q)}`)).items.map((i) => i.id), q).toContain(helene.id);
      }
      expect((await search('q=saint-cyr')).items.map((i) => i.id)).toContain(org.id);
      expect((await search('q=helene')).items.map((i) => i.id)).not.toContain(org.id);
    });

    it('tolerates a typo or a different word order, exact and prefix matches first', async () => {
      const dupond = await create({ kind: 'person', segment: 'particulier', firstName: 'Jacques', lastName: 'Dupond' });
      const dupont = await create({ kind: 'person', segment: 'particulier', firstName: 'Marie', lastName: 'Dupont' });
      const ids = (await search('q=dupond')).items.map((i) => i.id).filter((id) => id === dupond.id || id === dupont.id);
      expect(ids).toEqual([dupond.id, dupont.id]);
      expect((await search(`q=${encodeURIComponent('lefèvre hélène')}`)).items.map((i) => i.id)).toContain(helene.id);
    });

    it('a phone number in any format', async () => {
      for (const phone of ['06 98 76 54 32', '+33 6 98 76 54 32', '0033 6 98 76 54 32', '06.98.76.54.32', '0698765432']) {
        const res = await search(`phone=${encodeURIComponent(phone)}`);
        expect(res.items.map((i) => i.id), phone).toEqual([helene.id]);
        expect(res.items[0]).toMatchObject({ displayName: 'Hélène Lefèvre', phones: ['+33698765432'], emails: ['helene.lefevre@exemple.fr'] });
        expect((await search(`q=${encodeURIComponent(phone)}`)).items.map((i) => i.id)).toEqual([helene.id]);
      }
      const bad = await api('GET', '/api/v1/contacts?phone=06%2012');
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.fields).toEqual({ phone: 'Numéro de téléphone invalide.' });
    });

    it('an exact email, whatever its case', async () => {
      expect((await search('email=Helene.Lefevre%40Exemple.fr')).items.map((i) => i.id)).toEqual([helene.id]);
      expect((await search('q=HELENE.LEFEVRE%40exemple.fr')).items.map((i) => i.id)).toEqual([helene.id]);
      expect((await search('email=helene%40exemple.fr')).items).toEqual([]);
    });

    it('a SIRET, a SIREN or an RNA number', async () => {
      for (const q of ['21450272600018', '214 502 726 00018', '214502726', 'W452000001', 'w452000001']) {
        expect((await search(`q=${encodeURIComponent(q)}`)).items.map((i) => i.id), q).toEqual([org.id]);
      }
    });

    it('pages with an opaque cursor, without repeating or skipping', async () => {
      const ids = [];
      for (const first of ['Anne', 'Bruno', 'Chloé', 'David', 'Emma']) {
        ids.push((await create({ kind: 'person', segment: 'particulier', firstName: first, lastName: 'Pagination' })).id);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page: { items: Array<{ id: string }>; nextCursor: string | null } = await search(`q=pagination&limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen.sort()).toEqual(ids.sort());
      expect((await api('GET', '/api/v1/contacts?q=x&cursor=nimporte')).statusCode).toBe(422);
    });
  });

  describe('changes', () => {
    it('PATCH changes the identity, recomputes the display name, clears to_check, audited', async () => {
      const c = await create({ kind: 'person', segment: 'particulier', firstName: 'Jean', lastName: 'Dupond' });
      await ctx.rt.db.query('UPDATE contacts SET to_check = true WHERE id = $1', [c.id]);
      const res = await api('PATCH', `/api/v1/contacts/${c.id}`, { lastName: 'Dupont', birthDate: '1970-01-31', toCheck: false });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ displayName: 'Jean Dupont', lastName: 'Dupont', birthDate: '1970-01-31', toCheck: false });
      const { rows } = await ctx.rt.db.query(`SELECT before, after FROM audit_events WHERE action = 'contact.update' AND object_id = $1`, [c.id]);
      expect(rows).toEqual([
        { before: { lastName: 'Dupond', displayName: 'Jean Dupond', birthDate: null, toCheck: true }, after: { lastName: 'Dupont', displayName: 'Jean Dupont', birthDate: '1970-01-31', toCheck: false } },
      ]);
      expect((await api('PATCH', `/api/v1/contacts/${c.id}`, { orgType: 'company' })).json().error.fields).toEqual({ orgType: 'Réservé aux organisations.' });
      expect((await api('PATCH', `/api/v1/contacts/${c.id}`, { firstName: null, lastName: null })).json().error.fields).toEqual({ lastName: 'Nom ou prénom obligatoire.' });
      expect((await api('PATCH', `/api/v1/contacts/${c.id}`, {})).statusCode).toBe(422);
    });

    it('emails, phones and addresses are added and removed one by one; the next one becomes primary', async () => {
      const c = await create({ kind: 'person', segment: 'particulier', lastName: 'Coordonnées', emails: [{ email: 'un@exemple.fr' }] });
      const added = await api('POST', `/api/v1/contacts/${c.id}/emails`, { email: 'Deux@Exemple.fr', label: 'travail' });
      expect(added.statusCode).toBe(201);
      expect(added.json()).toMatchObject({ email: 'deux@exemple.fr', label: 'travail', isPrimary: false });
      expect((await api('POST', `/api/v1/contacts/${c.id}/emails`, { email: 'DEUX@exemple.fr' })).statusCode).toBe(409);
      expect((await api('POST', `/api/v1/contacts/${c.id}/emails`, { email: 'deux' })).json().error.fields).toEqual({ email: expect.stringContaining('invalide') });
      const primary = c.emails[0].id;
      expect((await api('DELETE', `/api/v1/contacts/${c.id}/emails/${primary}`)).statusCode).toBe(204);
      expect((await api('DELETE', `/api/v1/contacts/${c.id}/emails/${primary}`)).statusCode).toBe(404);
      const after = (await api('GET', `/api/v1/contacts/${c.id}`)).json();
      expect(after.emails).toEqual([expect.objectContaining({ email: 'deux@exemple.fr', isPrimary: true })]);

      const phone = await api('POST', `/api/v1/contacts/${c.id}/phones`, { number: '0033 6 11 22 33 44' });
      expect(phone.statusCode).toBe(201);
      expect(phone.json()).toMatchObject({ e164: '+33611223344', display: '06 11 22 33 44', isPrimary: true });
      expect((await api('POST', `/api/v1/contacts/${c.id}/phones`, { number: '06 11 22 33 44' })).statusCode).toBe(409);
      expect((await api('POST', `/api/v1/contacts/${c.id}/phones`, { number: '06 11' })).json().error.fields).toEqual({ number: expect.stringContaining('invalide') });
      expect((await api('DELETE', `/api/v1/contacts/${c.id}/phones/${phone.json().id}`)).statusCode).toBe(204);

      const address = await api('POST', `/api/v1/contacts/${c.id}/addresses`, { line1: '3 place du Martroi', postcode: '45000', city: 'Orléans' });
      expect(address.statusCode).toBe(201);
      expect((await api('POST', `/api/v1/contacts/${c.id}/addresses`, { line1: 'x', postcode: 'ABC', city: 'Y' })).statusCode).toBe(422);
      expect((await api('DELETE', `/api/v1/contacts/${c.id}/addresses/${address.json().id}`)).statusCode).toBe(204);
      expect((await api('DELETE', `/api/v1/contacts/${c.id}/addresses/pas-un-uuid`)).statusCode).toBe(404);
      expect(await auditCount('contact.email.remove', c.id)).toBe(1);
      expect(await auditCount('contact.phone.add', c.id)).toBe(1);
    });

    it('links a person to an organisation with a role, visible from both sides', async () => {
      const person = await create({ kind: 'person', segment: 'particulier', firstName: 'Luc', lastName: 'Trésor' });
      const other = await create({ kind: 'person', segment: 'particulier', firstName: 'Léa', lastName: 'Autre' });
      const asso = await create({ kind: 'organisation', segment: 'association', orgName: 'Club de pétanque' });
      const res = await api('POST', `/api/v1/contacts/${person.id}/links`, { organisationId: asso.id, role: 'trésorier' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toEqual({ personId: person.id, organisationId: asso.id, role: 'trésorier' });
      expect((await api('POST', `/api/v1/contacts/${asso.id}/links`, { personId: person.id, role: 'trésorier' })).statusCode).toBe(409);
      expect((await api('POST', `/api/v1/contacts/${asso.id}/links`, { personId: other.id, role: 'présidente' })).statusCode).toBe(201);
      expect((await api('POST', `/api/v1/contacts/${person.id}/links`, { organisationId: other.id, role: 'x' })).json().error.fields).toEqual({ organisationId: "Ce n'est pas une organisation." });
      expect((await api('POST', `/api/v1/contacts/${person.id}/links`, { personId: other.id, role: 'x' })).statusCode).toBe(422);

      const p = (await api('GET', `/api/v1/contacts/${person.id}`)).json();
      expect(p.organisations).toEqual([{ id: asso.id, displayName: 'Club de pétanque', kind: 'organisation', role: 'trésorier', confirmed: true }]);
      const o = (await api('GET', `/api/v1/contacts/${asso.id}`)).json();
      expect(o.people.map((l: any) => [l.displayName, l.role])).toEqual([['Léa Autre', 'présidente'], ['Luc Trésor', 'trésorier']]);

      const del = await api('DELETE', `/api/v1/contacts/${asso.id}/links/${person.id}?role=${encodeURIComponent('trésorier')}`);
      expect(del.statusCode).toBe(204);
      expect((await api('GET', `/api/v1/contacts/${person.id}`)).json().organisations).toEqual([]);
    });
  });

  describe('vue 360°: cases and interactions the reader may see', () => {
    it('hides a sensitive case, and its interactions, from a level-1 agent — not even counted', async () => {
      const c = await create({ kind: 'person', segment: 'particulier', firstName: 'Alice', lastName: 'Sensible' });
      const sensitiveTopic = await insertTopic(ctx.rt.db, 'protection-enfance', socialUnitId, true);
      const roadsTopic = await insertTopic(ctx.rt.db, 'nid-de-poule', roadsUnitId, false);
      const open = await insertCase(ctx.rt.db, { contactId: c.id, topicId: roadsTopic, unitId: roadsUnitId, subject: 'Nid-de-poule rue Jeanne-d’Arc' });
      const secret = await insertCase(ctx.rt.db, { contactId: c.id, topicId: sensitiveTopic, unitId: socialUnitId, sensitive: true, subject: 'Information préoccupante' });
      await insertInteraction(ctx.rt.db, open.id, c.id, 'Appel signalement');
      await insertInteraction(ctx.rt.db, secret.id, c.id, 'Appel confidentiel');

      const seenByLevel1 = (await api('GET', `/api/v1/contacts/${c.id}`, undefined, cc)).json();
      expect(seenByLevel1.cases).toEqual([
        { id: open.id, reference: open.reference, subject: 'Nid-de-poule rue Jeanne-d’Arc', status: 'new', channel: 'phone', topicName: 'Objet nid-de-poule', unitName: 'Routes', createdAt: expect.any(String) },
      ]);
      expect(seenByLevel1.casesTotal).toBe(1);
      expect(seenByLevel1.interactions).toEqual([
        { id: expect.any(String), kind: 'call', direction: 'inbound', occurredAt: expect.any(String), subject: 'Appel signalement', caseId: open.id, caseReference: open.reference },
      ]);
      expect(JSON.stringify(seenByLevel1)).not.toContain('confidentiel');
      expect(JSON.stringify(seenByLevel1)).not.toContain(secret.reference);

      const seenBySupervisor = (await api('GET', `/api/v1/contacts/${c.id}`, undefined, supervisor)).json();
      expect(seenBySupervisor.cases.map((x: any) => x.id)).toEqual([open.id]);

      // the unit handling the sensitive topic sees it (and, being a back-office unit, only its own cases)
      const seenBySocial = (await api('GET', `/api/v1/contacts/${c.id}`, undefined, social)).json();
      expect(seenBySocial.cases.map((x: any) => x.id)).toEqual([secret.id]);
      expect(seenBySocial.casesTotal).toBe(1);
      expect(seenBySocial.interactions.map((i: any) => i.subject)).toEqual(['Appel confidentiel']);
    });
  });
});
