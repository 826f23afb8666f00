// The one way a message enters: its raw bytes go to the file store and a row `inbound_emails` (with
// the parsing job) commits, all before the sending side is told we have it (SMTP 250, IMAP position
// and \Seen flag). Parsing and filing happen afterwards, in the `email.process` job.
import type { Runtime } from '../../platform/runtime.ts';
import { systemActor } from '../../platform/actor.ts';
import { enqueue } from '../../platform/jobs/queue.ts';

export interface IntakeMeta {
  source: 'smtp' | 'imap';
  envelopeFrom?: string | null;
  envelopeTo?: string[];
  mailbox?: string;
  uidvalidity?: number;
  uid?: number;
}

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'email.process': { inboundId: string };
    'email.send': { outboundId: string };
  }
}

export const intakeActor = systemActor('canal courriel');

/** Stores a received message; returns its row id (null when this IMAP uid was already stored). */
export async function receiveRawEmail(rt: Runtime, raw: Buffer, meta: IntakeMeta): Promise<string | null> {
  const limit = rt.config.email.maxMessageBytes;
  const tooLarge = raw.length > limit;
  const id = await rt.db.tx(async (tx) => {
    // An oversized message fetched from IMAP cannot be refused any more: it is kept, quarantined.
    const f = await rt.files.put(tx, raw, { declaredType: 'message/rfc822', maxBytes: Math.max(limit, raw.length) });
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO inbound_emails (source, raw_sha256, size, envelope_from, envelope_to, mailbox, uidvalidity, uid, status, reason)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       ON CONFLICT (mailbox, uidvalidity, uid) WHERE source = 'imap' DO NOTHING
       RETURNING id`,
      [
        meta.source, f.sha256, f.size, meta.envelopeFrom ?? null, meta.envelopeTo ?? [], meta.mailbox ?? null, meta.uidvalidity ?? null, meta.uid ?? null,
        tooLarge ? 'quarantined' : 'received', tooLarge ? `Message trop volumineux (${f.size} octets, maximum ${limit}).` : null,
      ],
    );
    if (meta.source === 'imap' && meta.mailbox && meta.uidvalidity !== undefined && meta.uid !== undefined) {
      await tx.query(
        `INSERT INTO imap_positions (mailbox, uidvalidity, last_uid) VALUES ($1, $2, $3)
         ON CONFLICT (mailbox) DO UPDATE SET
           last_uid = CASE WHEN imap_positions.uidvalidity = EXCLUDED.uidvalidity THEN greatest(imap_positions.last_uid, EXCLUDED.last_uid) ELSE EXCLUDED.last_uid END,
           uidvalidity = EXCLUDED.uidvalidity, updated_at = now()`,
        [meta.mailbox, meta.uidvalidity, meta.uid],
      );
    }
    const rowId = rows[0]?.id ?? null;
    if (!rowId) return null;
    if (!tooLarge) await enqueue(tx, 'email.process', { inboundId: rowId }, { uniqueKey: `email.process:${rowId}`, maxAttempts: 8 });
    tx.audit({ actor: intakeActor, action: 'email.receive', objectType: 'inbound_email', objectId: rowId, after: { source: meta.source, sha256: f.sha256, size: f.size, quarantined: tooLarge } });
    return rowId;
  });
  if (id) rt.worker.nudge();
  return id;
}
