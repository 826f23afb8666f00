// The quarantine: messages refused (unreadable, oversized, forbidden attachment), raw kept, shown to
// administrators with the reason; released (filed, the attachment policy waived) or deleted.
import type { Runtime } from '../../platform/runtime.ts';
import type { Actor } from '../../platform/actor.ts';
import { enqueue } from '../../platform/jobs/queue.ts';

export async function listQuarantine(rt: Runtime) {
  const { rows } = await rt.db.query<{ id: string; received_at: Date; source: string; size: number; reason: string | null; raw_sha256: string }>(
    `SELECT id, received_at, source, size, reason, raw_sha256 FROM inbound_emails WHERE status = 'quarantined' ORDER BY received_at DESC LIMIT 500`,
  );
  const items = [];
  for (const r of rows) {
    // From and Subject straight from the raw header block (the message may not parse)
    const head = (await rt.files.read(r.raw_sha256)).subarray(0, 16384).toString('latin1').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
    const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim().slice(0, 300) ?? null;
    items.push({ id: r.id, receivedAt: r.received_at.toISOString(), source: r.source, size: r.size, reason: r.reason, from: header('From'), subject: header('Subject'), rawSha256: r.raw_sha256 });
  }
  return items;
}

export async function releaseQuarantined(rt: Runtime, actor: Actor, id: string): Promise<boolean> {
  const ok = await rt.db.tx(async (tx) => {
    const r = await tx.query(
      `UPDATE inbound_emails SET status = 'received', released_at = now(), released_by = $2 WHERE id = $1 AND status = 'quarantined' RETURNING reason`,
      [id, actor.label],
    );
    if (!r.rowCount) return false;
    await enqueue(tx, 'email.process', { inboundId: id }, { uniqueKey: `email.process:${id}`, maxAttempts: 8 });
    tx.audit({ actor, action: 'email.release', objectType: 'inbound_email', objectId: id, before: { status: 'quarantined', reason: r.rows[0].reason } });
    return true;
  });
  if (ok) rt.worker.nudge();
  return ok;
}

export async function deleteQuarantined(rt: Runtime, actor: Actor, id: string): Promise<boolean> {
  return rt.db.tx(async (tx) => {
    const r = await tx.query(`UPDATE inbound_emails SET status = 'deleted' WHERE id = $1 AND status = 'quarantined' RETURNING reason`, [id]);
    if (!r.rowCount) return false;
    tx.audit({ actor, action: 'email.delete', objectType: 'inbound_email', objectId: id, before: { status: 'quarantined', reason: r.rows[0].reason } });
    return true;
  });
}
