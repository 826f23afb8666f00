// The demo département installed by the first `npm start` (and `guichet seed --demo`).
// Idempotent as a whole: a marker in `settings` records that it ran.
import type { Database } from '../../platform/db/database.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { systemActor, ROLE_LABELS, type Role } from '../../platform/actor.ts';
import { hashPassword } from '../auth/passwords.ts';
import { createAgent } from '../agents/agents.service.ts';
import { createUnit } from '../org/units.service.ts';
import { DEMO_AGENTS, DEMO_UNITS, demoEmail } from './org.data.ts';
import { seedDemoData, type DemoDataOptions } from './seed-data.ts';
import { seedDemoMail } from './seed-demo-mail.ts';

export const DEMO_PASSWORD = 'guichet-demo-2026';
const MARKER = 'demo_seeded_at';

export async function isDemoSeeded(db: Database): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM settings WHERE key = $1', [MARKER]);
  return rows.length > 0;
}

export interface SeedOptions extends Omit<DemoDataOptions, 'log'> {
  log?: (msg: string) => void;
}

export async function seedDemo(rt: Runtime, opts: SeedOptions = {}) {
  const log = opts.log ?? (() => {});
  const actor = systemActor('données de démonstration');
  for (const u of DEMO_UNITS) {
    await createUnit(rt.db, actor, { code: u.code, name: u.name, kind: u.kind, parentCode: u.parent ?? null, email: u.email ?? null });
  }
  log(`${DEMO_UNITS.length} directions et services`);
  const hash = await hashPassword(DEMO_PASSWORD);
  for (const a of DEMO_AGENTS) {
    await createAgent(rt.db, actor, {
      email: demoEmail(a),
      displayName: `${a.first} ${a.last}`,
      passwordHash: hash,
      roles: a.roles,
      unitCodes: a.units,
      extension: a.extension,
    });
  }
  log(`${DEMO_AGENTS.length} agents`);
  // Taxonomy, contacts and a year of cases: one transaction, one audit event summarising it.
  await rt.db.tx(async (tx) => {
    const counts = await seedDemoData(tx, { ...opts, log });
    await seedDemoMail(rt, tx, { now: opts.now, log });
    await tx.query(`INSERT INTO settings (key, value) VALUES ($1, to_jsonb(now()::text)) ON CONFLICT (key) DO NOTHING`, [MARKER]);
    tx.audit({ actor, action: 'demo.seed', objectType: 'demo', objectId: null, after: counts });
  });
}

/** One sign-in per role, printed at start so a newcomer can try every view. */
export async function demoSignIns(db: Database): Promise<Array<{ email: string; role: string }>> {
  const out: Array<{ email: string; role: string }> = [];
  for (const role of Object.keys(ROLE_LABELS) as Role[]) {
    const a = DEMO_AGENTS.find((x) => x.roles[0] === role);
    if (!a) continue;
    const { rows } = await db.query('SELECT 1 FROM agents WHERE lower(email) = $1', [demoEmail(a)]);
    if (rows.length) out.push({ email: demoEmail(a), role: `${ROLE_LABELS[role]} (${a.units.join(', ') || '—'})` });
  }
  return out;
}
