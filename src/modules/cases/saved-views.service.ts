// Saved views of the agent back office: a name and the queue filters an agent keeps for reuse. Personal
// display preferences (no case data): scoped to their owner, not audited.
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid, NotFound, Unauthorized } from '../../platform/errors.ts';

export interface SavedView {
  id: string;
  name: string;
  filters: Record<string, string>;
  createdAt: string;
}

export const MAX_VIEWS = 50;
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function owner(actor: Actor): string {
  if (actor.kind !== 'agent' || !actor.id) throw new Unauthorized();
  return actor.id;
}

export async function listSavedViews(db: Database, actor: Actor): Promise<SavedView[]> {
  const { rows } = await db.query(
    `SELECT id, name, filters, created_at AS "createdAt" FROM saved_views WHERE agent_id = $1 ORDER BY lower(name), created_at`,
    [owner(actor)],
  );
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}

export async function createSavedView(db: Database, actor: Actor, input: { name: string; filters: Record<string, string> }): Promise<SavedView> {
  const agentId = owner(actor);
  const name = input.name.trim();
  if (!name) throw new Invalid({ name: 'Donnez un nom à la vue.' });
  return db.tx(async (tx) => {
    const { rows: n } = await tx.query('SELECT count(*)::int AS n FROM saved_views WHERE agent_id = $1', [agentId]);
    if (n[0].n >= MAX_VIEWS) throw new Invalid({ name: `Vous avez déjà ${MAX_VIEWS} vues enregistrées : supprimez-en une d’abord.` });
    const { rows } = await tx.query(
      `INSERT INTO saved_views (agent_id, name, filters) VALUES ($1, $2, $3) RETURNING id, name, filters, created_at AS "createdAt"`,
      [agentId, name, JSON.stringify(input.filters)],
    );
    return { ...rows[0], createdAt: new Date(rows[0].createdAt).toISOString() };
  });
}

export async function deleteSavedView(db: Database, actor: Actor, id: string): Promise<void> {
  const agentId = owner(actor);
  const r = UUID_RE.test(id) ? await db.query('DELETE FROM saved_views WHERE id = $1 AND agent_id = $2', [id, agentId]) : { rowCount: 0 };
  if (!r.rowCount) throw new NotFound('Vue introuvable.');
}
