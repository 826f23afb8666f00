// SQL for agent accounts and the actor they become once signed in.
import type { Sql } from '../../platform/db/database.ts';
import type { Actor, Role } from '../../platform/actor.ts';

export interface AgentRow {
  id: string;
  email: string;
  display_name: string;
  password_hash: string | null;
  roles: Role[];
  extension: string | null;
  signature: string | null;
  active: boolean;
  unit_ids: string[];
}

const SELECT_AGENT = `
  SELECT a.id, a.email, a.display_name, a.password_hash, a.roles, a.extension, a.signature, a.active,
         coalesce(array_agg(au.unit_id::text) FILTER (WHERE au.unit_id IS NOT NULL), '{}') AS unit_ids
    FROM agents a LEFT JOIN agent_units au ON au.agent_id = a.id`;

export async function findAgentByEmail(sql: Sql, email: string): Promise<AgentRow | null> {
  const { rows } = await sql.query<AgentRow>(`${SELECT_AGENT} WHERE lower(a.email) = lower($1) GROUP BY a.id`, [email.trim()]);
  return rows[0] ?? null;
}

export async function findAgentById(sql: Sql, id: string): Promise<AgentRow | null> {
  const { rows } = await sql.query<AgentRow>(`${SELECT_AGENT} WHERE a.id = $1 GROUP BY a.id`, [id]);
  return rows[0] ?? null;
}

export function agentActor(agent: Pick<AgentRow, 'id' | 'display_name' | 'roles' | 'unit_ids'>): Actor {
  return { kind: 'agent', id: agent.id, label: agent.display_name, roles: agent.roles, unitIds: agent.unit_ids };
}
