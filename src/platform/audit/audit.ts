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

/** Appends the events in their order, in one statement whatever their number (same rows as audit_append). */
export async function appendAuditEvents(sql: Sql, events: AuditEventInput[]): Promise<void> {
  if (!events.length) return;
  const column = <T>(f: (e: AuditEventInput) => T) => events.map(f);
  await sql.query(
    `WITH e AS (
       INSERT INTO audit_events (actor_type, actor_id, actor_label, action, object_type, object_id, before, after, request_id, ip)
       SELECT actor_type, actor_id, actor_label, action, object_type, object_id, before::jsonb, after::jsonb, request_id, ip
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY AS u(actor_type, actor_id, actor_label, action, object_type, object_id, before, after, request_id, ip, n)
        ORDER BY n
       RETURNING id)
     INSERT INTO audit_pending (event_id) SELECT id FROM e`,
    [
      column((e) => e.actor.kind),
      column((e) => e.actor.id),
      column((e) => e.actor.label),
      column((e) => e.action),
      column((e) => e.objectType),
      column((e) => e.objectId ?? null),
      column((e) => json(e.before)),
      column((e) => json(e.after)),
      column((e) => e.actor.requestId ?? null),
      column((e) => e.actor.ip ?? null),
    ],
  );
}
