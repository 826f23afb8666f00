// The in-memory reference data (topics, rules, units, closures) used by case creation must never be
// staler than what is committed: changes made behind the process's back (plain SQL, another process)
// apply to the next case, and a transaction's uncommitted changes never leak into the cache.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { systemActor } from '../../platform/actor.ts';
import { joinTx } from '../../platform/db/database.ts';
import { addBusinessDays, toParisDay } from '../../platform/calendar/calendar.ts';
import { createCase } from '../cases/cases.service.ts';

describe('reference data used by case creation', () => {
  let ctx: TestContext;
  let org: Org;
  const actor = systemActor('test');
  const create = (topic: string, subject = 'Demande') => createCase(ctx.rt.db, actor, { channel: 'api', topic, subject });

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
  });
  afterAll(async () => ctx.close());

  it('follows a topic moved to another unit by plain SQL, at the next creation', async () => {
    expect((await create('signalement-voirie')).unitId).toBe(org.units.routes.id);
    await ctx.rt.db.query('UPDATE topics SET default_unit_id = $1 WHERE code = $2', [org.units.culture.id, 'signalement-voirie']);
    expect((await create('signalement-voirie')).unitId).toBe(org.units.culture.id);
    await ctx.rt.db.query('UPDATE topics SET default_unit_id = $1 WHERE code = $2', [org.units.routes.id, 'signalement-voirie']);
    expect((await create('signalement-voirie')).unitId).toBe(org.units.routes.id);
  });

  it('refuses a topic deactivated a moment ago, and accepts a topic created a moment ago', async () => {
    await create('subvention-culture');
    await ctx.rt.db.query('UPDATE topics SET active = false WHERE code = $1', ['subvention-culture']);
    await expect(create('subvention-culture')).rejects.toMatchObject({ fields: { topic: 'Objet inconnu : subvention-culture' } });
    await ctx.rt.db.query('UPDATE topics SET active = true WHERE code = $1', ['subvention-culture']);
    await ctx.rt.db.query(
      `INSERT INTO topics (code, name, domain_id, default_unit_id, deadline_days)
       SELECT 'nouvel-objet', 'Nouvel objet', domain_id, default_unit_id, 3 FROM topics WHERE code = 'subvention-culture'`,
    );
    expect((await create('nouvel-objet')).unitId).toBe(org.units.culture.id);
  });

  it('applies a routing rule and a closure added by plain SQL', async () => {
    const before = await create('signalement-voirie', 'Nid-de-poule à Gien');
    await ctx.rt.db.query(
      `INSERT INTO routing_rules (position, name, keywords, target_unit_id) VALUES (1, 'Gien', '{gien}', $1)`,
      [org.units.accueil.id],
    );
    const routed = await create('signalement-voirie', 'Nid-de-poule à Gien');
    expect(before.unitId).toBe(org.units.routes.id);
    expect(routed.unitId).toBe(org.units.accueil.id);

    const today = toParisDay(new Date());
    const usual = addBusinessDays(today, 10);
    await ctx.rt.db.query(`INSERT INTO closures (day, label) VALUES ($1::date, 'Fermeture exceptionnelle')`, [addBusinessDays(today, 2)]);
    const later = await create('signalement-voirie', 'Autre demande');
    expect(later.dueDate).toBe(addBusinessDays(usual, 1));
  });

  it('never caches what a transaction changed and then rolled back', async () => {
    await expect(
      ctx.rt.db.tx(async (tx) => {
        await tx.query('UPDATE topics SET default_unit_id = $1 WHERE code = $2', [org.units.ase.id, 'subvention-culture']);
        const inside = await createCase(joinTx(tx, ctx.rt.db), actor, { channel: 'api', topic: 'subvention-culture', subject: 'Dans la transaction' });
        expect(inside.unitId).toBe(org.units.ase.id);
        throw new Error('rollback');
      }),
    ).rejects.toThrow('rollback');
    expect((await create('subvention-culture')).unitId).toBe(org.units.culture.id);
  });
});
