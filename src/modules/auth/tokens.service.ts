// API tokens for integrations (CTI, scanners, other systems): stored hashed, scoped, revocable.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor, Role } from '../../platform/actor.ts';
import { isRole } from '../../platform/actor.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import { authorize, SCOPES } from '../policy/policy.ts';
import { randomToken, sha256Hex } from './secrets.ts';
import { resolveUnitIds } from '../agents/agents.service.ts';

export const TOKEN_PREFIX = 'gch_';

export function defaultScopes(role: Role): string[] {
  switch (role) {
    case 'integration':
      return ['cases:write', 'cti:events'];
    case 'admin':
      return ['admin'];
    case 'supervisor':
      return ['cases:read', 'reports:read'];
    default:
      return ['cases:write'];
  }
}

export async function createToken(
  db: Database,
  actor: Actor,
  input: { name: string; role: string; unitCode?: string; scopes?: string[] },
): Promise<{ id: string; token: string; scopes: string[] }> {
  authorize(actor, 'token.manage');
  if (!input.name.trim()) throw new Invalid({ name: 'Nom du jeton requis.' });
  if (!isRole(input.role)) throw new Invalid({ role: `Rôle inconnu : ${input.role}` });
  const scopes = input.scopes?.length ? input.scopes : defaultScopes(input.role);
  const bad = scopes.find((s) => !SCOPES.includes(s));
  if (bad) throw new Invalid({ scope: `Portée inconnue : ${bad} (possibles : ${SCOPES.join(', ')})` });
  const token = TOKEN_PREFIX + randomToken();
  return db.tx(async (tx) => {
    const [unitId] = input.unitCode ? await resolveUnitIds(tx, [input.unitCode]) : [null];
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO api_tokens (name, token_hash, role, unit_id, scopes) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [input.name.trim(), sha256Hex(token), input.role, unitId, scopes],
    );
    tx.audit({ actor, action: 'token.create', objectType: 'api_token', objectId: rows[0].id, after: { name: input.name, role: input.role, unit: input.unitCode ?? null, scopes } });
    return { id: rows[0].id, token, scopes };
  });
}

export async function revokeToken(db: Database, actor: Actor, id: string): Promise<void> {
  authorize(actor, 'token.manage');
  await db.tx(async (tx) => {
    const r = await tx.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL', [id]);
    if (!r.rowCount) throw new NotFound('Jeton introuvable ou déjà révoqué.');
    tx.afterCommit(forgetCachedTokens);
    tx.audit({ actor, action: 'token.revoke', objectType: 'api_token', objectId: id });
  });
}

/**
 * Integrations call at high rates (a PBX posts every call event): a token's actor is kept in memory for
 * a few seconds instead of being read on every request. A revocation applies at once in this process
 * and within TOKEN_CACHE_MS in the others.
 */
const TOKEN_CACHE_MS = 5_000;
const tokenCache = new Map<string, { actor: Actor; until: number }>();

export function forgetCachedTokens() {
  tokenCache.clear();
}

export async function actorFromToken(sql: Sql, token: string): Promise<Actor | null> {
  if (!token.startsWith(TOKEN_PREFIX)) return null;
  const hash = sha256Hex(token);
  const cached = tokenCache.get(hash);
  if (cached && cached.until > Date.now()) return cached.actor;
  const { rows } = await sql.query<{ id: string; name: string; role: Role; unit_id: string | null; scopes: string[]; stale: boolean }>(
    `SELECT id, name, role, unit_id, scopes,
            (last_used_at IS NULL OR last_used_at < now() - interval '1 minute') AS stale
       FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL`,
    [hash],
  );
  const row = rows[0];
  if (!row) {
    tokenCache.delete(hash);
    return null;
  }
  // "Last used" is kept to the minute: one write a minute per token, not one per request.
  if (row.stale) await sql.query('UPDATE api_tokens SET last_used_at = now() WHERE id = $1', [row.id]);
  const actor: Actor = { kind: 'token', id: row.id, label: `jeton « ${row.name} »`, roles: [row.role], unitIds: row.unit_id ? [row.unit_id] : [], scopes: row.scopes };
  if (tokenCache.size > 1000) tokenCache.clear();
  tokenCache.set(hash, { actor, until: Date.now() + TOKEN_CACHE_MS });
  return actor;
}
