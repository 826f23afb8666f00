// resolveContactForCase: which contact a new case is about, as the case service and channels ask it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, makeAgent, makeUnit, type TestContext } from '../../../test/helpers/runtime.ts';
import { systemActor, type Actor } from '../../platform/actor.ts';
import { agentActor } from '../agents/agents.repository.ts';
import { createContact, getContactBrief, resolveContactForCase, type InlineContactInput } from './contacts.service.ts';
import { mergeContacts } from './merge.ts';
import { insertCase } from './contacts.fixtures.ts';
import type { CreateContactInput } from './contacts.schema.ts';

describe('resolveContactForCase', () => {
  let ctx: TestContext;
  let agent: Actor;
  let supervisor: Actor;
  let admin: Actor;
  const channel: Actor = systemActor('courriel entrant');

  beforeAll(async () => {
    ctx = await createTestContext();
    await makeUnit(ctx, 'accueil');
    agent = agentActor(await makeAgent(ctx, 'accueil@test.fr', ['counter_agent'], ['accueil']));
    supervisor = agentActor(await makeAgent(ctx, 'sup@test.fr', ['supervisor']));
    admin = agentActor(await makeAgent(ctx, 'admin@test.fr', ['admin']));
  });
  afterAll(async () => ctx.close());

  const resolve = (input: InlineContactInput, actor: Actor = agent) => ctx.rt.db.tx((tx) => resolveContactForCase(tx, actor, input));
  const person = (body: Partial<CreateContactInput>) => createContact(ctx.rt.db, systemActor(), { kind: 'person', segment: 'particulier', ...body });
  const contactCount = async () => (await ctx.rt.db.query('SELECT count(*)::int AS n FROM contacts')).rows[0].n as number;
  const row = async (id: string) => (await ctx.rt.db.query('SELECT * FROM contacts WHERE id = $1', [id])).rows[0];

  describe('with an id', () => {
    it('returns that contact', async () => {
      const c = await person({ lastName: 'Identifié' });
      expect(await resolve({ id: c.id })).toMatchObject({ id: c.id, created: false });
    });

    it('follows a merge to the surviving contact', async () => {
      const target = await person({ lastName: 'Survivant' });
      const source = await person({ lastName: 'Fusionné' });
      await mergeContacts(ctx.rt.db, systemActor(), { targetId: target.id, sourceId: source.id });
      expect(await resolve({ id: source.id })).toMatchObject({ id: target.id, created: false });
    });

    it('a case created while its contact is being merged ends up on the survivor, whichever commits first', async () => {
      const target = await person({ lastName: 'Course cible' });
      const source = await person({ lastName: 'Course source' });
      const newCase = ctx.rt.db.tx(async (tx) => {
        const { id } = await resolveContactForCase(tx, agent, { id: source.id });
        return (await insertCase(tx, { contactId: id })).id;
      });
      const merge = mergeContacts(ctx.rt.db, systemActor(), { targetId: target.id, sourceId: source.id });
      const [caseId] = await Promise.all([newCase, merge]);
      expect((await ctx.rt.db.query('SELECT contact_id FROM cases WHERE id = $1', [caseId])).rows[0].contact_id).toBe(target.id);
    });

    it('an unknown or malformed id is invalid input (422 on the contact field)', async () => {
      for (const id of ['00000000-0000-4000-8000-000000000000', 'pas-un-uuid']) {
        await expect(resolve({ id })).rejects.toMatchObject({ status: 422, fields: { contact: 'Usager introuvable.' } });
      }
    });
  });

  describe('matching', () => {
    it('by exact email, whatever its case', async () => {
      const c = await person({ lastName: 'Courriel', emails: [{ email: 'jeanne@exemple.fr' }] });
      expect(await resolve({ email: ' Jeanne@Exemple.FR ', firstName: 'Jeanne' })).toMatchObject({ id: c.id, created: false });
    });

    it('by phone in any format', async () => {
      const c = await person({ lastName: 'Appelant', phones: [{ number: '06 21 43 65 87' }] });
      for (const phone of ['0621436587', '+33 6 21 43 65 87', '0033 6 21 43 65 87', '06.21.43.65.87']) {
        expect(await resolve({ phone }, channel)).toMatchObject({ id: c.id, created: false });
      }
    });

    it('email first: when email and phone point at different contacts, the email wins', async () => {
      const byEmail = await person({ lastName: 'Par courriel', emails: [{ email: 'prioritaire@exemple.fr' }] });
      await person({ lastName: 'Par téléphone', phones: [{ number: '06 31 31 31 31' }] });
      expect(await resolve({ email: 'prioritaire@exemple.fr', phone: '06 31 31 31 31' })).toMatchObject({ id: byEmail.id, created: false });
      // an unknown email falls back to the phone
      const byPhone = await resolve({ email: 'inconnu@exemple.fr', phone: '06 31 31 31 31' });
      expect(byPhone.created).toBe(false);
      expect((await getContactBrief(ctx.rt.db, byPhone.id))!.displayName).toBe('Par téléphone');
    });

    it('several contacts share the phone (a household): the most recently updated one', async () => {
      const older = await person({ firstName: 'Paul', lastName: 'Foyer', phones: [{ number: '02 38 11 22 33' }] });
      const newer = await person({ firstName: 'Lucie', lastName: 'Foyer', phones: [{ number: '02 38 11 22 33' }] });
      await ctx.rt.db.query(`UPDATE contacts SET updated_at = now() - interval '1 day' WHERE id = $1`, [older.id]);
      await ctx.rt.db.query(`UPDATE contacts SET updated_at = now() - interval '2 days' WHERE id = $1`, [newer.id]);
      expect((await resolve({ phone: '0238112233' })).id).toBe(older.id);
      await ctx.rt.db.query(`UPDATE contacts SET updated_at = now() WHERE id = $1`, [newer.id]);
      expect((await resolve({ phone: '0238112233' })).id).toBe(newer.id);
    });

    it('never matches a merged contact, and never changes the matched one', async () => {
      const target = await person({ lastName: 'Cible' });
      const source = await person({ lastName: 'Source' });
      await mergeContacts(ctx.rt.db, systemActor(), { targetId: target.id, sourceId: source.id });
      // data left on a merged record (written before this module existed) must not attract new cases
      await ctx.rt.db.query(`INSERT INTO contact_emails (contact_id, email) VALUES ($1, 'ancien@exemple.fr')`, [source.id]);
      const r = await resolve({ email: 'ancien@exemple.fr', lastName: 'Nouveau' });
      expect(r.created).toBe(true);
      expect(r.id).not.toBe(source.id);

      const matched = await person({ firstName: 'Marc', lastName: 'Inchangé', phones: [{ number: '06 77 88 99 00' }] });
      const before = await row(matched.id);
      expect(await resolve({ phone: '06 77 88 99 00', firstName: 'Autre', lastName: 'Nom', email: 'nouveau@exemple.fr' })).toMatchObject({ id: matched.id, created: false });
      expect(await row(matched.id)).toEqual(before);
      expect((await getContactBrief(ctx.rt.db, matched.id))!.emails).toEqual([]);
    });
  });

  describe('creating', () => {
    it('a person, particulier by default, named as given; checked when an agent gives a name', async () => {
      const r = await resolve({ firstName: 'Paul', lastName: 'Durand', phone: '06 40 50 60 70', email: 'Paul.Durand@Exemple.fr', address: { line1: '2 rue Royale', postcode: '45000', city: 'Orléans' } });
      expect(r.created).toBe(true);
      expect(await row(r.id)).toMatchObject({ kind: 'person', segment: 'particulier', display_name: 'Paul Durand', first_name: 'Paul', last_name: 'Durand', to_check: false });
      expect(await getContactBrief(ctx.rt.db, r.id)).toEqual({
        id: r.id,
        displayName: 'Paul Durand',
        kind: 'person',
        segment: 'particulier',
        toCheck: false,
        mergedInto: null,
        emails: ['paul.durand@exemple.fr'],
        phones: ['+33640506070'],
      });
      const { rows } = await ctx.rt.db.query(`SELECT actor_type, after FROM audit_events WHERE action = 'contact.create' AND object_id = $1`, [r.id]);
      expect(rows).toEqual([{ actor_type: 'agent', after: expect.objectContaining({ origin: 'case' }) }]);
      expect((await ctx.rt.db.query('SELECT postcode FROM contact_addresses WHERE contact_id = $1', [r.id])).rows).toEqual([{ postcode: '45000' }]);
    });

    it('from partial data by a channel: flagged to check, named after what is known', async () => {
      const byEmail = await resolve({ email: 'expediteur@exemple.fr' }, channel);
      expect(await row(byEmail.id)).toMatchObject({ kind: 'person', display_name: 'expediteur@exemple.fr', to_check: true });
      const byPhone = await resolve({ phone: '+33 6 99 88 77 66' }, channel);
      expect(await row(byPhone.id)).toMatchObject({ display_name: '06 99 88 77 66', to_check: true });
      const named = await resolve({ name: 'Jean-Pierre Martin', email: 'jp@exemple.fr' }, channel);
      expect(await row(named.id)).toMatchObject({ display_name: 'Jean-Pierre Martin', first_name: null, last_name: null, to_check: true });
      const unnamedByAgent = await resolve({ phone: '06 99 88 77 55' });
      expect((await row(unnamedByAgent.id)).to_check).toBe(true);
    });

    it('an organisation when orgName or kind says so', async () => {
      const asso = await resolve({ orgName: 'Association des parents', segment: 'association', email: 'bureau@parents.fr', firstName: 'Claire', lastName: 'Présidente' });
      expect(await row(asso.id)).toMatchObject({ kind: 'organisation', segment: 'association', display_name: 'Association des parents', org_name: 'Association des parents', first_name: null, notes: 'Contact : Claire Présidente' });
      const company = await resolve({ kind: 'organisation', name: 'Boulangerie du Centre' });
      expect(await row(company.id)).toMatchObject({ kind: 'organisation', segment: 'professionnel', display_name: 'Boulangerie du Centre' });
    });

    it('two cases from the same unknown sender at once create one contact', async () => {
      // on PostgreSQL both transactions run side by side; the outcome must not depend on who goes first
      const results = await Promise.all([
        resolve({ email: 'simultane@exemple.fr', phone: '06 01 02 03 04' }, channel),
        resolve({ phone: '0601020304', email: 'Simultane@exemple.fr' }, channel),
      ]);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(results[0].id).toBe(results[1].id);
    });

    it('refuses invalid values and empty input, creating nothing', async () => {
      const n = await contactCount();
      await expect(resolve({ email: 'pas-une-adresse', lastName: 'X' })).rejects.toMatchObject({ status: 422, fields: { 'contact.email': expect.stringContaining('invalide') } });
      await expect(resolve({ phone: '06 12', lastName: 'X' })).rejects.toMatchObject({ status: 422, fields: { 'contact.phone': expect.stringContaining('invalide') } });
      await expect(resolve({ lastName: 'X', address: { line1: '1 rue', postcode: '450', city: 'Orléans' } })).rejects.toMatchObject({ fields: { 'contact.address.postcode': 'Code postal : 5 chiffres.' } });
      await expect(resolve({ firstName: '  ' })).rejects.toMatchObject({ status: 422, fields: { contact: expect.stringContaining('Indiquez au moins') } });
      expect(await contactCount()).toBe(n);
    });

    it('permissions: reading may match, only writers create; an administrator may do neither', async () => {
      const c = await person({ lastName: 'Visible', emails: [{ email: 'visible@exemple.fr' }] });
      expect(await resolve({ email: 'visible@exemple.fr' }, supervisor)).toMatchObject({ id: c.id, created: false });
      await expect(resolve({ email: 'nouvelle@exemple.fr' }, supervisor)).rejects.toMatchObject({ status: 403 });
      await expect(resolve({ email: 'visible@exemple.fr' }, admin)).rejects.toMatchObject({ status: 403 });
    });
  });
});
