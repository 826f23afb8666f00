// Agent sessions: an opaque random id in an httpOnly cookie; the DB keeps its sha256 and a CSRF token.
import type { Sql } from '../../platform/db/database.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { findAgentById, type AgentRow } from '../agents/agents.repository.ts';

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
  const { rows } = await sql.query<{ agent_id: string; csrf_token: string; expires_at: Date }>(
    `SELECT agent_id, csrf_token, expires_at FROM sessions WHERE id_hash = $1 AND expires_at > now()`,
    [sha256Hex(id)],
  );
  if (!rows[0]) return null;
  const agent = await findAgentById(sql, rows[0].agent_id);
  if (!agent || !agent.active) return null;
  return { agent, csrfToken: rows[0].csrf_token, expiresAt: rows[0].expires_at };
}

export async function deleteSession(sql: Sql, id: string): Promise<void> {
  await sql.query('DELETE FROM sessions WHERE id_hash = $1', [sha256Hex(id)]);
}

export async function deleteExpiredSessions(sql: Sql): Promise<number> {
  const r = await sql.query(`DELETE FROM sessions WHERE expires_at < now()`);
  return r.rowCount ?? 0;
}
