// The callback list: callers nobody answered (abandoned, missed, out of hours) and callbacks an agent
// promised. Done = the callback was made (logged as an outbound call interaction on a case, in the same
// transaction), or the caller called again and got through (closed by the CTI answer or the qualification).
import { joinTx, type Database, type Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { addInteraction, createCase } from '../../modules/cases/cases.service.ts';
import { isUuid } from '../../modules/contacts/contacts.repository.ts';
import { formatPhoneForDisplay } from '../../modules/contacts/phone.ts';

export const CALLBACK_REASON_LABELS = { abandoned: 'Abandon avant réponse', missed: 'Sans réponse', out_of_hours: 'Hors horaires', requested: 'Rappel promis' } as const;

export const CALLBACK_CLOSED_LABELS = { called_back: 'Rappelé par un agent', called_again: 'L’usager a rappelé et a été pris en charge' } as const;

export async function listCallbacks(sql: Sql, actor: Actor, f: { status?: 'pending' | 'done' }) {
  authorize(actor, 'call.read');
  const { rows } = await sql.query(
    `SELECT b.id, b.party_e164 AS number, b.contact_id AS "contactId", c.display_name AS "contactName", b.reason, b.calls_count AS "callsCount",
            b.status, b.created_at AS "createdAt", b.done_at AS "doneAt", b.reached, b.note, cs.reference AS "caseReference",
            b.closed_reason AS "closedReason", (SELECT started_at FROM calls WHERE id = b.last_call_id) AS "lastCallAt",
            k.id AS "satisfiedByCallId", k.direction AS "satisfiedDirection", coalesce(k.answered_at, k.started_at) AS "satisfiedAt",
            sa.display_name AS "satisfiedAgentName", da.display_name AS "doneByName"
       FROM callbacks b LEFT JOIN contacts c ON c.id = b.contact_id LEFT JOIN cases cs ON cs.id = b.case_id
       LEFT JOIN calls k ON k.id = b.satisfied_by_call_id LEFT JOIN agents sa ON sa.id = k.agent_id LEFT JOIN agents da ON da.id = b.done_by
      WHERE b.status = $1 ORDER BY ${f.status === 'done' ? 'b.done_at DESC' : 'b.created_at'} LIMIT 500`,
    [f.status ?? 'pending'],
  );
  return rows.map(({ satisfiedDirection, satisfiedAt, satisfiedAgentName, doneByName, ...r }) => ({
    ...r,
    numberDisplay: formatPhoneForDisplay(r.number),
    reasonLabel: CALLBACK_REASON_LABELS[r.reason as keyof typeof CALLBACK_REASON_LABELS],
    closedLabel: r.closedReason ? closedLabel(r.closedReason, { satisfiedDirection, satisfiedAt, satisfiedAgentName, doneByName, reached: r.reached }) : null,
  }));
}

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'short', timeStyle: 'short' });

/** Why a callback left the list, in words for the agents. */
function closedLabel(reason: 'called_back' | 'called_again', f: { satisfiedDirection: string | null; satisfiedAt: Date | null; satisfiedAgentName: string | null; doneByName: string | null; reached: boolean | null }): string {
  if (reason === 'called_back') return `${CALLBACK_CLOSED_LABELS.called_back}${f.doneByName ? ` (${f.doneByName})` : ''}${f.reached === false ? ' : usager non joint' : ''}`;
  const when = f.satisfiedAt ? ` le ${parisDateTime.format(new Date(f.satisfiedAt))}` : '';
  const who = f.satisfiedAgentName ? `, répondu par ${f.satisfiedAgentName}` : '';
  return f.satisfiedDirection === 'outbound'
    ? `Usager joint par un appel sortant${when}${who}`
    : `${CALLBACK_CLOSED_LABELS.called_again}${when}${who}`;
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
  // One transaction: the outbound call interaction (and its case) and the callback's closing commit together,
  // and a second click waits for the first, then finds the callback done.
  return db.tx(async (tx) => {
    const { rows } = await tx.query<{ party_e164: string; contact_id: string | null; status: string; closed_reason: string | null; case_ref: string | null }>(
      `SELECT b.party_e164, b.contact_id, b.status, b.closed_reason, cs.reference AS case_ref
         FROM callbacks b LEFT JOIN cases cs ON cs.id = b.case_id WHERE b.id = $1 FOR UPDATE OF b`,
      [id],
    );
    const cb = rows[0];
    if (!cb) throw new NotFound('Rappel introuvable.');
    if (cb.status === 'done') {
      throw new Conflict(cb.closed_reason === 'called_again' ? 'Ce rappel est déjà clos : l’usager a rappelé et a été pris en charge.' : 'Ce rappel est déjà fait.', 'already_done');
    }
    const interaction = {
      kind: 'call' as const, direction: 'outbound' as const, subject: input.reached ? 'Rappel de l’usager' : 'Rappel : usager non joint',
      body: input.note?.trim() || null, metadata: { callbackId: id, number: cb.party_e164, reached: input.reached },
    };
    const inner = joinTx(tx, db);
    const ref = input.caseReference ?? cb.case_ref;
    let reference: string;
    if (ref) {
      reference = (await addInteraction(inner, actor, ref, interaction)).reference;
    } else {
      if (!input.subject?.trim()) throw new Invalid({ subject: 'Indiquez l’objet de la demande (ou la demande concernée).' });
      reference = (await createCase(inner, actor, {
        contact: cb.contact_id ? { id: cb.contact_id } : { phone: cb.party_e164 }, channel: 'phone', topic: input.topic, subject: input.subject,
        description: input.note ?? null, interaction, resolvedLevel1: !!input.topic && input.reached,
      })).reference;
    }
    await tx.query(
      `UPDATE callbacks SET status = 'done', closed_reason = 'called_back', done_at = now(), done_by = $2, reached = $3, note = $4,
              case_id = coalesce(case_id, (SELECT id FROM cases WHERE reference = $5)) WHERE id = $1`,
      [id, actor.kind === 'agent' ? actor.id : null, input.reached, input.note?.trim() || null, reference],
    );
    tx.audit({ actor, action: 'callback.done', objectType: 'callback', objectId: id, after: { reached: input.reached, case: reference } });
    return { id, status: 'done' as const, caseReference: reference };
  });
}
