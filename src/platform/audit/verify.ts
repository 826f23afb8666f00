// Walks the audit chain in order and recomputes every link independently of the database function,
// so an event edited, removed, reordered or slipped in by someone bypassing the triggers is named.
import crypto from 'node:crypto';
import type { Sql } from '../db/database.ts';
import { sealPending } from './seal.ts';

export interface VerifyResult {
  ok: boolean;
  checked: number;
  firstBad?: { seq: number | null; eventId: number | null; reason: string };
}

/** Same text as the SQL function audit_canonical: byte-length-prefixed fields joined by '|'. */
export function canonical(parts: Array<string | null>): string {
  return parts.map((p) => (p === null ? '-' : `${Buffer.byteLength(p, 'utf8')}:${p}`)).join('|');
}

const ZERO = '0'.repeat(64);
const BATCH = 5000;

export async function verifyAuditChain(sql: Sql, opts: { sealFirst?: boolean } = {}): Promise<VerifyResult> {
  // Events committed moments ago are linked first, so the check covers everything committed.
  if (opts.sealFirst !== false) await sealPending(sql);
  let expectedSeq = 1;
  let prevHash = ZERO;
  let checked = 0;
  for (;;) {
    const { rows } = await sql.query(
      `SELECT c.seq, c.event_id AS chain_event_id, c.prev_hash, c.hash, e.id,
              to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at,
              e.actor_type, e.actor_id, e.actor_label, e.action, e.object_type, e.object_id,
              e.before::text AS before, e.after::text AS after, e.request_id, e.ip
         FROM audit_chain c LEFT JOIN audit_events e ON e.id = c.event_id
        WHERE c.seq >= $1 ORDER BY c.seq LIMIT ${BATCH}`,
      [expectedSeq],
    );
    for (const r of rows) {
      const seq = Number(r.seq);
      const eventId = Number(r.chain_event_id);
      const bad = (reason: string): VerifyResult => ({ ok: false, checked, firstBad: { seq, eventId, reason } });
      if (seq !== expectedSeq) return bad(`maillon ${expectedSeq} manquant (suivant trouvé : ${seq})`);
      if (r.id === null) return bad('événement supprimé');
      if (r.prev_hash !== prevHash) return bad('chaînage rompu : empreinte précédente différente');
      const text = canonical([
        String(seq), r.prev_hash, String(r.id), r.at, r.actor_type, r.actor_id, r.actor_label, r.action,
        r.object_type, r.object_id, r.before, r.after, r.request_id, r.ip,
      ]);
      if (crypto.createHash('sha256').update(text, 'utf8').digest('hex') !== r.hash) {
        return bad('contenu modifié : empreinte recalculée différente');
      }
      prevHash = r.hash;
      expectedSeq++;
      checked++;
    }
    if (rows.length < BATCH) break;
  }
  // An event outside the chain that is not waiting to be sealed was slipped in behind the triggers.
  const { rows: stray } = await sql.query<{ id: number }>(
    `SELECT e.id FROM audit_events e
      WHERE NOT EXISTS (SELECT 1 FROM audit_chain c WHERE c.event_id = e.id)
        AND NOT EXISTS (SELECT 1 FROM audit_pending p WHERE p.event_id = e.id)
      ORDER BY e.id LIMIT 1`,
  );
  if (stray[0]) return { ok: false, checked, firstBad: { seq: null, eventId: Number(stray[0].id), reason: 'événement hors chaîne' } };
  return { ok: true, checked };
}
