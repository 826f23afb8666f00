// Audit events are queued on the transaction by services (tx.audit) and appended to the hash chain
// in that same transaction, just before COMMIT (see database.ts): the change and its trace commit
// or fail together, whatever the entry point (HTTP, job, CLI).
import type { Sql } from '../db/database.ts';
import type { Actor } from '../actor.ts';

export interface AuditEventInput {
  actor: Actor;
  action: string;
  objectType: string;
  objectId?: string | null;
  before?: unknown;
  after?: unknown;
}

function json(v: unknown): string | null {
  return v === undefined || v === null ? null : JSON.stringify(v);
}

export async function appendAuditEvents(sql: Sql, events: AuditEventInput[]): Promise<void> {
  for (const e of events) {
    await sql.query('SELECT audit_append($1, $2, $3, $4, $5, $6, $7::jsonb, $8::jsonb, $9, $10)', [
      e.actor.kind,
      e.actor.id,
      e.actor.label,
      e.action,
      e.objectType,
      e.objectId ?? null,
      json(e.before),
      json(e.after),
      e.actor.requestId ?? null,
      e.actor.ip ?? null,
    ]);
  }
}
