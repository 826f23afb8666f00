// Agent sessions: an opaque random id in an httpOnly cookie; the DB keeps its sha256 and a CSRF token.
import type { Sql } from '../../platform/db/database.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import type { AgentRow } from '../agents/agents.repository.ts';

export interface SessionInfo {
  agent: AgentRow;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(sql: Sql, agentId: string, ttlHours: number, meta: { ip?: string; userAgent?: string }) {
  const id = randomToken();
  const csrfToken = randomToken();
  const { rows } = await sql.query<{ expires_at: Date }>(
    `INSERT INTO sessions (id_hash, agent_id, csrf_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, now() + $4 * interval '1 hour', $5, $6) RETURNING expires_at`,
    [sha256Hex(id), agentId, csrfToken, ttlHours, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
  );
  return { id, csrfToken, expiresAt: rows[0].expires_at };
}

export async function findSession(sql: Sql, id: string): Promise<SessionInfo | null> {
  // One round trip: every back-office request goes through here.
  const { rows } = await sql.query<AgentRow & { csrf_token: string; expires_at: Date }>(
    `SELECT a.id, a.email, a.display_name, a.password_hash, a.roles, a.extension, a.signature, a.active,
            coalesce((SELECT array_agg(au.unit_id::text) FROM agent_units au WHERE au.agent_id = a.id), '{}') AS unit_ids,
            s.csrf_token, s.expires_at
       FROM sessions s JOIN agents a ON a.id = s.agent_id
      WHERE s.id_hash = $1 AND s.expires_at > now() AND a.active`,
    [sha256Hex(id)],
  );
  const r = rows[0];
  if (!r) return null;
  const { csrf_token, expires_at, ...agent } = r;
  return { agent, csrfToken: csrf_token, expiresAt: expires_at };
}

export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM sessions WHERE id_hash = $1', [sha256Hex(id)]);
}

export async function deleteExpiredSessions(sql: Sql): Promise<number> {
  const r = await sql.query(`DELETE FROM sessions WHERE expires_at < now()`);
  return r.rowCount ?? 0;
}
