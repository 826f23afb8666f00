// Agent presence: set by CTI events (on call, wrap-up) and by the agent (available, pause, away, wrap-up).
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, Unauthorized } from '../../platform/errors.ts';

export const PRESENCE = ['available', 'on_call', 'wrap_up', 'pause', 'away'] as const;
export type Presence = (typeof PRESENCE)[number];
export const PRESENCE_LABELS: Record<Presence, string> = { available: 'Disponible', on_call: 'En communication', wrap_up: 'Post-appel', pause: 'Pause', away: 'Absent' };

export async function setPresence(db: Database, actor: Actor, status: string) {
  if (actor.kind !== 'agent' || !actor.id) throw new Unauthorized();
  if (!(PRESENCE as readonly string[]).includes(status) || status === 'on_call') {
    throw new Invalid({ status: 'Statut attendu : available, wrap_up, pause ou away (« en communication » vient de la téléphonie).' });
  }
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ status: string }>(
      `INSERT INTO agent_presence (agent_id, status, since, set_by) VALUES ($1, $2, now(), 'agent')
       ON CONFLICT (agent_id) DO UPDATE SET status = EXCLUDED.status, call_id = NULL, since = now(), set_by = 'agent'
       RETURNING status`,
      [actor.id, status],
    );
    tx.audit({ actor, action: 'phone.presence', objectType: 'agent', objectId: actor.id, after: { status } });
    return { status: rows[0].status as Presence, label: PRESENCE_LABELS[status as Presence] };
  });
}

export async function getPresence(sql: Sql, agentId: string) {
  const { rows } = await sql.query<{ status: Presence; since: Date; call_id: string | null }>('SELECT status, since, call_id FROM agent_presence WHERE agent_id = $1', [agentId]);
  const status = rows[0]?.status ?? 'away';
  return { status, label: PRESENCE_LABELS[status], since: rows[0]?.since?.toISOString() ?? null, callId: rows[0]?.call_id ?? null };
}
