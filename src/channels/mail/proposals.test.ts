// The indexing assistant's topic: what the letter says comes before what the sender wrote about last
// time; earlier routed letters count only when their subjects share enough words with this one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { createCase } from '../../modules/cases/cases.service.ts';
import { systemActor } from '../../platform/actor.ts';
import { proposeFor } from './proposals.service.ts';

const jeanne = (subject: string) =>
  ['Madame Jeanne MARTIN', '12 rue des Lilas', '45000 Orléans', 'jeanne.martin@exemple.fr', '', 'Monsieur le Président', 'Conseil départemental', '', `Objet : ${subject}`, '', 'Madame, Monsieur,', 'Merci de votre attention.'].join('\n');

describe('mail office: topic proposals', () => {
  let ctx: TestContext;
  let org: Org;

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    // Jeanne Martin wrote about a road before
    await createCase(ctx.rt.db, systemActor('test'), { channel: 'phone', topic: 'signalement-voirie', subject: 'Trou sur la RD 2020', contact: { email: 'jeanne.martin@exemple.fr', firstName: 'Jeanne', lastName: 'Martin' } });
  });
  afterAll(async () => ctx.close());

  it('takes the topic from the letter’s words before the sender’s history', async () => {
    const p = await proposeFor(ctx.rt.db, jeanne('Subvention pour notre association culturelle'));
    expect(p.contacts[0]).toMatchObject({ displayName: 'Jeanne Martin', reason: 'Même adresse électronique' });
    expect(p.topic).toMatchObject({ value: { code: 'subvention-culture' }, source: { kind: 'topic' } });
    expect(p.unit?.value.code).toBe(org.units.culture.code);
  });

  it('falls back on the sender’s usual topic when the words say nothing', async () => {
    const p = await proposeFor(ctx.rt.db, jeanne('Bonjour'));
    expect(p.topic).toMatchObject({ value: { code: 'signalement-voirie' }, source: { kind: 'history', detail: 'Objet le plus fréquent des demandes de cet usager (1)' } });
  });

  it('learns from routed letters sharing enough words, not from one common word', async () => {
    const db = ctx.rt.db;
    const routed = async (chrono: string, subject: string, topicId: string) =>
      db.query(`INSERT INTO mail_letters (chrono, direction, status, subject, topic_id, created_by_type) VALUES ($1, 'in', 'routed', $2, $3, 'system')`, [chrono, subject, topicId]);
    await routed('2026-E-900001', 'Arbre tombé en travers du chemin après la tempête', org.topics.voirie.id);
    await routed('2026-E-900002', 'Arbre tombé sur la clôture après la tempête', org.topics.voirie.id);
    await routed('2026-E-900003', 'Demande de renseignements sur la tempête', org.topics.subvention.id);
    await routed('2026-E-900004', 'Demande de renseignements', org.topics.subvention.id);
    await routed('2026-E-900005', 'Demande de renseignements complémentaires', org.topics.subvention.id);

    const p = await proposeFor(db, jeanne('Un arbre tombé depuis la tempête'));
    expect(p.topic).toMatchObject({ value: { code: 'signalement-voirie' }, source: { kind: 'history' } });
    expect(p.topic!.source.detail).toMatch(/courriers déjà orientés/);

    // « demande » alone is shared with three subsidy letters: not enough to say what this one is about
    const q = await proposeFor(db, jeanne('Demande d’attestation de domicile pour mon fils'));
    expect(q.topic?.source.detail ?? '').not.toMatch(/courriers déjà orientés/);
  });
});
