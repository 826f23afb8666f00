// Agent sign-in: one answer for an unknown address, a wrong password or a disabled account, and a
// temporary lock after repeated failures that looks the same whether or not the account exists.
import type { Database } from '../../platform/db/database.ts';
import { TooManyRequests, Unauthorized } from '../../platform/errors.ts';
import { agentActor, findAgentByEmail } from '../agents/agents.repository.ts';
import { verifyPassword } from './passwords.ts';
import { clearFailures, lockedFor, recordFailure } from './throttle.ts';
import { createSession } from './sessions.ts';

export const BAD_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

export async function signIn(
  db: Database,
  input: { email: string; password: string },
  meta: { ip?: string; userAgent?: string; requestId?: string; sessionTtlHours: number },
) {
  const wait = await lockedFor(db, input.email);
  if (wait > 0) {
    throw new TooManyRequests(
      `Trop de tentatives de connexion pour ce compte. Réessayez dans ${Math.ceil(wait / 60)} minute(s).`,
      wait,
    );
  }
  const agent = await findAgentByEmail(db, input.email);
  const ok = await verifyPassword(agent?.password_hash ?? null, input.password);
  if (!agent || !ok || !agent.active) {
    await recordFailure(db, input.email);
    throw new Unauthorized(BAD_CREDENTIALS, 'bad_credentials');
  }
  await clearFailures(db, input.email);
  return db.tx(async (tx) => {
    const session = await createSession(tx, agent.id, meta.sessionTtlHours, meta);
    await tx.query('UPDATE agents SET last_sign_in_at = now() WHERE id = $1', [agent.id]);
    const actor = { ...agentActor(agent), ip: meta.ip, requestId: meta.requestId };
    tx.audit({ actor, action: 'agent.sign_in', objectType: 'agent', objectId: agent.id });
    return { session, agent };
  });
}
