// Sign-in throttle per normalised email, whether or not the account exists: after MAX_FAILURES
// failures within WINDOW, the address is locked for LOCK. Unknown and real addresses behave alike.
import type { Sql } from '../../platform/db/database.ts';
import { sha256Hex } from './secrets.ts';

export const MAX_FAILURES = 5;
const WINDOW_MINUTES = 15;
const LOCK_MINUTES = 15;

export function emailKey(email: string): string {
  return sha256Hex(email.trim().toLowerCase());
}

/** Seconds until the address may try again, or 0. */
export async function lockedFor(sql: Sql, email: string): Promise<number> {
  const { rows } = await sql.query<{ s: number }>(
    `SELECT ceil(extract(epoch FROM locked_until - now()))::int AS s FROM signin_throttle
      WHERE email_hash = $1 AND locked_until > now()`,
    [emailKey(email)],
  );
  return rows[0]?.s ?? 0;
}

export async function recordFailure(sql: Sql, email: string): Promise<void> {
  await sql.query(
    `INSERT INTO signin_throttle (email_hash, failures, window_start) VALUES ($1, 1, now())
     ON CONFLICT (email_hash) DO UPDATE SET
       failures = CASE WHEN signin_throttle.window_start < now() - interval '${WINDOW_MINUTES} minutes'
                       THEN 1 ELSE signin_throttle.failures + 1 END,
       window_start = CASE WHEN signin_throttle.window_start < now() - interval '${WINDOW_MINUTES} minutes'
                       THEN now() ELSE signin_throttle.window_start END`,
    [emailKey(email)],
  );
  await sql.query(
    `UPDATE signin_throttle SET locked_until = now() + interval '${LOCK_MINUTES} minutes', failures = 0, window_start = now()
      WHERE email_hash = $1 AND failures >= $2`,
    [emailKey(email), MAX_FAILURES],
  );
}

export async function clearFailures(sql: Sql, email: string): Promise<void> {
  await sql.query('DELETE FROM signin_throttle WHERE email_hash = $1', [emailKey(email)]);
}
