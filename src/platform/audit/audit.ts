// Audit events are queued on the transaction by services (tx.audit) and appended to the hash chain
// in that same transaction, just before COMMIT (see database.ts): the change and its trace commit
// or fail together, whatever the entry point (HTTP, job, CLI).
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

const APPEND_SQL = (columns: string[]) => `WITH e AS (
       INSERT INTO audit_events (actor_type, actor_id, actor_label, action, object_type, object_id, before, after, request_id, ip)
       SELECT actor_type, actor_id, actor_label, action, object_type, object_id, before::jsonb, after::jsonb, request_id, ip
         FROM unnest(${columns.map((c) => `${c}::text[]`).join(', ')})
              WITH ORDINALITY AS u(actor_type, actor_id, actor_label, action, object_type, object_id, before, after, request_id, ip, n)
        ORDER BY n
       RETURNING id)
     INSERT INTO audit_pending (event_id) SELECT id FROM e`;

/** The ten columns of audit_events the events fill, each as the list of its values in event order. */
function auditColumns(events: AuditEventInput[]): Array<Array<string | null>> {
  const column = (f: (e: AuditEventInput) => string | null) => events.map(f);
  return [
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
  ];
}

/**
 * Appends the events in their order, in one statement whatever their number (same rows as
 * audit_append), as an SQL text with its values written as literals (escaped by node-postgres's
 * `escapeLiteral`): the transaction sends it with its COMMIT in one round trip, so every audited change
 * saves a trip to the server (database.ts).
 */
export function auditAppendText(events: AuditEventInput[], literal: (v: string) => string): string {
  const array = (values: Array<string | null>) => `ARRAY[${values.map((v) => (v === null ? 'NULL' : literal(v))).join(', ')}]`;
  return APPEND_SQL(auditColumns(events).map(array));
}
