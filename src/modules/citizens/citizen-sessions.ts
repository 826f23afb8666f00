// Citizen sessions: separate table and cookie from agents' (an agent cookie opens nothing on the portal
// and a citizen cookie nothing in the back office). Only the sha256 of the cookie value is stored.
import type { Sql } from '../../platform/db/database.ts';
import { randomToken, sha256Hex } from '../auth/secrets.ts';

export const CITIZEN_COOKIE = 'guichet_citizen';

export interface CitizenSession {
  accountId: string;
  csrfToken: string;
  idToken: string | null;
}

export async function createCitizenSession(sql: Sql, accountId: string, ttlHours: number, meta: { ip?: string; userAgent?: string; idToken?: string | null }) {
  const id = randomToken();
  const csrfToken = randomToken();
  const { rows } = await sql.query<{ expires_at: Date }>(
    `INSERT INTO citizen_sessions (id_hash, account_id, csrf_token, id_token, expires_at, ip, user_agent)
     VALUES ($1, $2, $3, $4, now() + $5 * interval '1 hour', $6, $7) RETURNING expires_at`,
    [sha256Hex(id), accountId, csrfToken, meta.idToken ?? null, ttlHours, meta.ip ?? null, meta.userAgent?.slice(0, 300) ?? null],
  );
  return { id, csrfToken, expiresAt: rows[0].expires_at };
}

export async function findCitizenSession(sql: Sql, id: string): Promise<CitizenSession | null> {
  const { rows } = await sql.query<CitizenSession>(
    `SELECT account_id AS "accountId", csrf_token AS "csrfToken", id_token AS "idToken"
       FROM citizen_sessions WHERE id_hash = $1 AND expires_at > now()`,
    [sha256Hex(id)],
  );
  return rows[0] ?? null;
}

export async function deleteCitizenSession(sql: Sql, id: string): Promise<CitizenSession | null> {
  const { rows } = await sql.query<CitizenSession>(
    `DELETE FROM citizen_sessions WHERE id_hash = $1 RETURNING account_id AS "accountId", csrf_token AS "csrfToken", id_token AS "idToken"`,
    [sha256Hex(id)],
  );
  return rows[0] ?? null;
}

export async function deleteExpiredCitizenSessions(sql: Sql): Promise<void> {
  await sql.query(`DELETE FROM citizen_sessions WHERE expires_at < now()`);
  await sql.query(`DELETE FROM citizen_tokens WHERE expires_at < now() - interval '7 days'`);
  await sql.query(`DELETE FROM oidc_states WHERE expires_at < now()`);
}
