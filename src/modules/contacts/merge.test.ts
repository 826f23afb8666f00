// Duplicates and merges: the same person entered twice is suggested with the reasons, and merging
// moves every case and interaction to the surviving record, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { systemActor, type Actor } from '../../platform/actor.ts';
import { createContact } from './contacts.service.ts';
import { findDuplicates } from './duplicates.ts';
import { mergeContacts } from './merge.ts';
import { insertCase, insertInteraction } from './contacts.fixtures.ts';
import type { CreateContactInput } from './contacts.schema.ts';

type Headers = Record<string, string>;

describe('contact duplicates and merge', () => {
  let ctx: TestContext;
  let cc: Headers;
  let unitAgent: Headers;
  const sys: Actor = systemActor('test');

  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'centre-contact');
    await makeUnit(ctx, 'routes');
    await makeAgent(ctx, 'cc@test.fr', ['contact_center'], ['centre-contact']);
    await makeAgent(ctx, 'agent@test.fr', ['unit_agent'], ['routes']);
    cc = await signIn(ctx, 'cc@test.fr');
    unitAgent = await signIn(ctx, 'agent@test.fr');
  });
  afterAll(async () => ctx.close());

  const person = (body: Partial<CreateContactInput>) => createContact(ctx.rt.db, sys, { kind: 'person', segment: 'particulier', ...body });
  const api = (method: 'GET' | 'POST', url: string, payload?: object, headers: Headers = cc) =>
    ctx.app.inject({ method, url, headers, ...(payload ? { payload } : {}) });
  const count = async (sql: string, params: unknown[]) => (await ctx.rt.db.query(sql, params)).rows[0].n as number;

  describe('duplicates', () => {
    it('same email', async () => {
      const a = await person({ firstName: 'Anne', lastName: 'Courriel', emails: [{ email: 'anne@exemple.fr' }] });
      const b = await person({ firstName: 'A.', lastName: 'Courriel', emails: [{ email: 'ANNE@exemple.fr' }] });
      await person({ firstName: 'Autre', lastName: 'Courriel', emails: [{ email: 'autre@exemple.fr' }] });
      const found = await findDuplicates(ctx.rt.db, a.id);
      expect(found.map((d) => [d.id, d.reasons])).toEqual([[b.id, ['même adresse électronique']]]);
    });

    it('same phone, typed differently', async () => {
      const a = await person({ lastName: 'Téléphone', phones: [{ number: '06 10 20 30 40' }] });
      const b = await person({ lastName: 'Tel', phones: [{ number: '+33610203040' }] });
      expect((await findDuplicates(ctx.rt.db, b.id)).map((d) => [d.id, d.reasonCodes, d.reasons])).toEqual([[a.id, ['phone'], ['même numéro de téléphone']]]);
    });

    it('same normalised name and same postcode (not the name alone)', async () => {
      const address = (postcode: string) => [{ line1: '1 rue X', postcode, city: 'Orléans' }];
      const a = await person({ firstName: 'Hélène', lastName: 'Nom Postal', addresses: address('45000') });
      const b = await person({ firstName: 'helene', lastName: 'NOM  POSTAL', addresses: address('45000') });
      const elsewhere = await person({ firstName: 'Hélène', lastName: 'Nom Postal', addresses: address('45100') });
      const found = await findDuplicates(ctx.rt.db, a.id);
      expect(found.map((d) => [d.id, d.reasons])).toEqual([[b.id, ['même nom et même code postal']]]);
      expect(found.map((d) => d.id)).not.toContain(elsewhere.id);
    });

    it('several reasons, strongest first; merged contacts are no longer suggested; over HTTP', async () => {
      const a = await person({ lastName: 'Multiple', emails: [{ email: 'multi@exemple.fr' }], phones: [{ number: '06 55 44 33 22' }] });
      const both = await person({ lastName: 'Multiple bis', emails: [{ email: 'multi@exemple.fr' }], phones: [{ number: '0655443322' }] });
      const phoneOnly = await person({ lastName: 'Multiple ter', phones: [{ number: '06 55 44 33 22' }] });
      const res = await api('GET', `/api/v1/contacts/${a.id}/duplicates`);
      expect(res.statusCode).toBe(200);
      expect(res.json().items.map((d: any) => [d.id, d.reasons])).toEqual([
        [both.id, ['même adresse électronique', 'même numéro de téléphone']],
        [phoneOnly.id, ['même numéro de téléphone']],
      ]);
      await mergeContacts(ctx.rt.db, sys, { targetId: a.id, sourceId: phoneOnly.id });
      expect((await findDuplicates(ctx.rt.db, a.id)).map((d) => d.id)).toEqual([both.id]);
    });
  });

  describe('merge', () => {
    it('moves every case, interaction, email, phone, address and link to the target; the source says where it went', async () => {
      const target = await person({ firstName: 'Marie', lastName: 'Dupont', emails: [{ email: 'marie@exemple.fr' }], phones: [{ number: '06 12 34 56 78' }] });
      const source = await person({
        firstName: 'Marie',
        lastName: 'Dupont',
        birthDate: '1980-04-12',
        notes: 'Préfère être appelée le matin.',
        emails: [{ email: 'marie@exemple.fr' }, { email: 'm.dupont@travail.fr' }],
        phones: [{ number: '+33 6 12 34 56 78' }, { number: '02 38 00 00 00' }],
        addresses: [{ line1: '5 rue Bannier', postcode: '45000', city: 'Orléans' }],
      });
      const asso = await createContact(ctx.rt.db, sys, { kind: 'organisation', segment: 'association', orgName: 'Amicale' });
      await ctx.rt.db.query(`INSERT INTO contact_links (person_id, organisation_id, role) VALUES ($1, $2, 'trésorière')`, [source.id, asso.id]);

      const kept = await insertCase(ctx.rt.db, { contactId: target.id });
      const moved = [await insertCase(ctx.rt.db, { contactId: source.id }), await insertCase(ctx.rt.db, { contactId: source.id, sensitive: true })];
      await insertInteraction(ctx.rt.db, kept.id, target.id, 'appel 1');
      for (const c of moved) {
        await insertInteraction(ctx.rt.db, c.id, source.id, `appel ${c.reference}`);
        await insertInteraction(ctx.rt.db, c.id, source.id, `courrier ${c.reference}`, 'letter');
      }

      const res = await api('POST', `/api/v1/contacts/${target.id}/merge`, { sourceId: source.id });
      expect(res.statusCode, res.body).toBe(200);
      const merged = res.json();

      // every case and interaction now belongs to the target, including the ones the agent may not see
      expect(await count('SELECT count(*)::int AS n FROM cases WHERE contact_id = $1', [source.id])).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM cases WHERE contact_id = $1', [target.id])).toBe(3);
      expect(await count('SELECT count(*)::int AS n FROM interactions WHERE contact_id = $1', [source.id])).toBe(0);
      expect(await count('SELECT count(*)::int AS n FROM interactions WHERE contact_id = $1', [target.id])).toBe(5);
      // the agent's view lists only what it may see
      expect(merged.cases.map((c: any) => c.id).sort()).toEqual([kept.id, moved[0].id].sort());
      expect(merged.casesTotal).toBe(2);

      expect(merged.emails.map((e: any) => [e.email, e.isPrimary])).toEqual([['marie@exemple.fr', true], ['m.dupont@travail.fr', false]]);
      expect(merged.phones.map((p: any) => p.e164)).toEqual(['+33612345678', '+33238000000']);
      expect(merged.addresses.map((a: any) => [a.line1, a.isPrimary])).toEqual([['5 rue Bannier', true]]);
      expect(merged.organisations).toEqual([expect.objectContaining({ id: asso.id, role: 'trésorière' })]);
      expect(merged).toMatchObject({ birthDate: '1980-04-12', notes: 'Préfère être appelée le matin.', mergedInto: null });

      const old = (await api('GET', `/api/v1/contacts/${source.id}`)).json();
      expect(old).toMatchObject({ mergedInto: target.id, emails: [], phones: [], cases: [], organisations: [] });

      const { rows } = await ctx.rt.db.query(`SELECT actor_type, actor_label, object_id, before, after FROM audit_events WHERE action = 'contact.merge' AND object_id = $1`, [target.id]);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actor_type: 'agent', actor_label: 'cc' });
      expect(rows[0].before.source).toMatchObject({ id: source.id, emails: expect.arrayContaining([expect.objectContaining({ email: 'm.dupont@travail.fr' })]) });
      expect(rows[0].before.target).toMatchObject({ id: target.id, birthDate: null });
      expect(rows[0].after).toMatchObject({ sourceId: source.id, mergedInto: target.id, movedInteractions: 4 });
      expect(rows[0].after.movedCaseIds.sort()).toEqual(moved.map((c) => c.id).sort());
    });

    it('follows chains: a contact merged earlier into the source leads to the survivor', async () => {
      const a = await person({ lastName: 'Chaîne A' });
      const b = await person({ lastName: 'Chaîne B' });
      const c = await person({ lastName: 'Chaîne C' });
      const caseOfC = await insertCase(ctx.rt.db, { contactId: c.id });
      await mergeContacts(ctx.rt.db, sys, { targetId: b.id, sourceId: c.id });
      await mergeContacts(ctx.rt.db, sys, { targetId: a.id, sourceId: b.id });
      expect((await api('GET', `/api/v1/contacts/${c.id}`)).json().mergedInto).toBe(a.id);
      expect((await ctx.rt.db.query('SELECT contact_id FROM cases WHERE id = $1', [caseOfC.id])).rows[0].contact_id).toBe(a.id);
      // a merged contact is read-only, and cannot be merged again
      expect((await api('POST', `/api/v1/contacts/${b.id}/emails`, { email: 'x@exemple.fr' })).statusCode).toBe(409);
      expect((await api('POST', `/api/v1/contacts/${a.id}/merge`, { sourceId: b.id })).statusCode).toBe(409);
      expect((await api('POST', `/api/v1/contacts/${b.id}/merge`, { sourceId: a.id })).statusCode).toBe(409);
    });

    it('refuses nonsense: itself, unknown ids, a person with an organisation; 403 without the right', async () => {
      const p = await person({ lastName: 'Refus' });
      const org = await createContact(ctx.rt.db, sys, { kind: 'organisation', segment: 'professionnel', orgName: 'Refus SARL' });
      expect((await api('POST', `/api/v1/contacts/${p.id}/merge`, { sourceId: p.id })).json().error.fields).toEqual({ sourceId: 'Une fiche ne peut pas être fusionnée avec elle-même.' });
      expect((await api('POST', `/api/v1/contacts/${p.id}/merge`, { sourceId: org.id })).json().error.fields).toEqual({ sourceId: 'Impossible de fusionner une personne et une organisation.' });
      expect((await api('POST', `/api/v1/contacts/${p.id}/merge`, { sourceId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(422);
      expect((await api('POST', `/api/v1/contacts/${p.id}/merge`, { sourceId: 'nimporte' })).statusCode).toBe(422);
      expect((await api('POST', '/api/v1/contacts/00000000-0000-4000-8000-000000000000/merge', { sourceId: p.id })).statusCode).toBe(404);
      const other = await person({ lastName: 'Refus bis' });
      const forbidden = await api('POST', `/api/v1/contacts/${p.id}/merge`, { sourceId: other.id }, unitAgent);
      expect(forbidden.statusCode).toBe(403);
      expect((await api('GET', `/api/v1/contacts/${other.id}`)).json().mergedInto).toBeNull();
    });
  });
});
