// The callback list: callers nobody answered (abandoned, missed, out of hours) and callbacks an agent
// promised. Done = the callback was made; it is logged as an outbound call interaction on a case.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { addInteraction, createCase } from '../../modules/cases/cases.service.ts';
import { isUuid } from '../../modules/contacts/contacts.repository.ts';
import { formatPhoneForDisplay } from '../../modules/contacts/phone.ts';

export const CALLBACK_REASON_LABELS = { abandoned: 'Abandon avant réponse', missed: 'Sans réponse', out_of_hours: 'Hors horaires', requested: 'Rappel promis' } as const;

export async function listCallbacks(sql: Sql, actor: Actor, f: { status?: 'pending' | 'done' }) {
  authorize(actor, 'call.read');
  const { rows } = await sql.query(
    `SELECT b.id, b.party_e164 AS number, b.contact_id AS "contactId", c.display_name AS "contactName", b.reason, b.calls_count AS "callsCount",
            b.status, b.created_at AS "createdAt", b.done_at AS "doneAt", b.reached, b.note, cs.reference AS "caseReference",
            (SELECT started_at FROM calls WHERE id = b.last_call_id) AS "lastCallAt"
       FROM callbacks b LEFT JOIN contacts c ON c.id = b.contact_id LEFT JOIN cases cs ON cs.id = b.case_id
      WHERE b.status = $1 ORDER BY b.created_at LIMIT 500`,
    [f.status ?? 'pending'],
  );
  return rows.map((r) => ({ ...r, numberDisplay: formatPhoneForDisplay(r.number), reasonLabel: CALLBACK_REASON_LABELS[r.reason as keyof typeof CALLBACK_REASON_LABELS] }));
}

export interface CallbackDone {
  reached: boolean;
  note?: string;
  /** The case the callback concerns; else the callback's own case; else a new case (subject required). */
  caseReference?: string;
  subject?: string;
  topic?: string;
}

export async function completeCallback(db: Database, actor: Actor, id: string, input: CallbackDone) {
  authorize(actor, 'call.handle');
  if (!isUuid(id)) throw new NotFound('Rappel introuvable.');
  const { rows } = await db.query<{ party_e164: string; contact_id: string | null; status: string; case_ref: string | null }>(
    `SELECT b.party_e164, b.contact_id, b.status, cs.reference AS case_ref FROM callbacks b LEFT JOIN cases cs ON cs.id = b.case_id WHERE b.id = $1`,
    [id],
  );
  const cb = rows[0];
  if (!cb) throw new NotFound('Rappel introuvable.');
  if (cb.status === 'done') throw new Conflict('Ce rappel est déjà fait.', 'already_done');
  const interaction = {
    kind: 'call' as const, direction: 'outbound' as const, subject: input.reached ? 'Rappel de l’usager' : 'Rappel : usager non joint',
    body: input.note?.trim() || null, metadata: { callbackId: id, number: cb.party_e164, reached: input.reached },
  };
  const ref = input.caseReference ?? cb.case_ref;
  let reference: string;
  if (ref) {
    reference = (await addInteraction(db, actor, ref, interaction)).reference;
  } else {
    if (!input.subject?.trim()) throw new Invalid({ subject: 'Indiquez l’objet de la demande (ou la demande concernée).' });
    reference = (await createCase(db, actor, {
      contact: cb.contact_id ? { id: cb.contact_id } : { phone: cb.party_e164 }, channel: 'phone', topic: input.topic, subject: input.subject,
      description: input.note ?? null, interaction, resolvedLevel1: !!input.topic && input.reached,
    })).reference;
  }
  return db.tx(async (tx) => {
    const r = await tx.query(
      `UPDATE callbacks SET status = 'done', done_at = now(), done_by = $2, reached = $3, note = $4,
              case_id = coalesce(case_id, (SELECT id FROM cases WHERE reference = $5)) WHERE id = $1 AND status = 'pending'`,
      [id, actor.kind === 'agent' ? actor.id : null, input.reached, input.note?.trim() || null, reference],
    );
    if (!r.rowCount) throw new Conflict('Ce rappel est déjà fait.', 'already_done');
    tx.audit({ actor, action: 'callback.done', objectType: 'callback', objectId: id, after: { reached: input.reached, case: reference } });
    return { id, status: 'done' as const, caseReference: reference };
  });
}
