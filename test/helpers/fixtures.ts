// A small département for case tests: two directions' units, a normal and a sensitive topic, and an
// agent in every role. Inserted with plain SQL so that tests of one module do not depend on another's API.
import type { TestContext } from './runtime.ts';
import { makeAgent, makeUnit } from './runtime.ts';

export interface Org {
  units: Record<'centre' | 'courrier' | 'accueil' | 'routes' | 'ase' | 'culture', { id: string; code: string }>;
  topics: Record<'voirie' | 'enfance' | 'subvention', { id: string; code: string }>;
  agents: Record<string, { id: string; email: string }>;
}

export async function makeOrg(ctx: TestContext): Promise<Org> {
  const u = {
    centre: await makeUnit(ctx, 'centre-contact', 'Centre de contact'),
    courrier: await makeUnit(ctx, 'bureau-courrier', 'Bureau du courrier'),
    accueil: await makeUnit(ctx, 'accueil', 'Accueil'),
    routes: await makeUnit(ctx, 'exploitation-routes', 'Exploitation des routes'),
    ase: await makeUnit(ctx, 'ase', 'Aide sociale à l’enfance'),
    culture: await makeUnit(ctx, 'vie-associative', 'Vie associative'),
  };
  const db = ctx.rt.db;
  const { rows: d } = await db.query(`INSERT INTO domains (code, name) VALUES ('routes', 'Routes'), ('enfance', 'Enfance'), ('culture', 'Culture') RETURNING id, code`);
  const dom = Object.fromEntries(d.map((r) => [r.code, r.id]));
  const topic = async (code: string, name: string, domain: string, unitId: string, sensitive: boolean, days: number) =>
    (await db.query(`INSERT INTO topics (code, name, domain_id, default_unit_id, sensitive, deadline_days) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id, code`, [code, name, dom[domain], unitId, sensitive, days])).rows[0];
  const topics = {
    voirie: await topic('signalement-voirie', 'Signalement sur route départementale', 'routes', u.routes.id, false, 10),
    enfance: await topic('protection-enfance', "Protection de l'enfance", 'enfance', u.ase.id, true, 5),
    subvention: await topic('subvention-culture', 'Subvention association culturelle', 'culture', u.culture.id, false, 30),
  };
  const agents: Org['agents'] = {};
  const add = async (key: string, roles: string[], units: string[]) => {
    const a = await makeAgent(ctx, `${key}@test.fr`, roles, units);
    agents[key] = { id: a.id, email: a.email };
  };
  await add('cc', ['contact_center'], ['centre-contact']);
  await add('clerk', ['mail_clerk'], ['bureau-courrier']);
  await add('counter', ['counter_agent'], ['accueil']);
  await add('routes', ['unit_agent'], ['exploitation-routes']);
  await add('routes2', ['unit_agent'], ['exploitation-routes']);
  await add('routesmgr', ['unit_manager'], ['exploitation-routes']);
  await add('ase', ['unit_agent'], ['ase']);
  await add('culture', ['unit_agent'], ['vie-associative']);
  await add('super', ['supervisor'], []);
  await add('admin', ['admin'], []);
  return { units: u as any, topics, agents };
}
