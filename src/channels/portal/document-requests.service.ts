// Requests for missing documents ("pièces complémentaires"): an agent lists what is missing; the case
// waits on the citizen, who answers in place from Mon espace (upload → case back in progress).
import { joinTx, type Database, type Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid } from '../../platform/errors.ts';
import { parisToday, shiftDay } from '../../platform/calendar/calendar.ts';
import { findCase } from '../../modules/cases/cases.repository.ts';
import { assertCanAct, assertCanRead } from '../../modules/policy/case-policy.ts';
import { transitionCase } from '../../modules/cases/cases.service.ts';
import { insertInteraction } from '../../modules/cases/interactions.service.ts';
import { hasPortalAccount, notifyCitizens } from './notify.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks an optional deadline (YYYY-MM-DD): after today (Paris), within a year. */
function checkDueDate(v: string | null | undefined, today = parisToday()): string | null {
  if (v === undefined || v === null || v === '') return null;
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T12:00:00Z`)) || new Date(`${v}T12:00:00Z`).toISOString().slice(0, 10) !== v) {
    throw new Invalid({ dueDate: 'Date invalide : indiquez une date au format AAAA-MM-JJ.' });
  }
  if (v <= today) throw new Invalid({ dueDate: 'La date limite doit être postérieure à aujourd’hui.' });
  if (v > shiftDay(today, 366)) throw new Invalid({ dueDate: 'La date limite doit être dans l’année qui vient.' });
  return v;
}

export function frenchDay(day: string): string {
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('fr-FR', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' });
}

export async function requestDocuments(db: Database, actor: Actor, publicUrl: string, ref: string, input: { items: string[]; message?: string | null; dueDate?: string | null }) {
  const items = (input.items ?? []).map((s) => String(s).replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (!items.length) throw new Invalid({ items: 'Indiquez au moins une pièce à fournir.' });
  if (items.length > 20 || items.some((i) => i.length > 300)) throw new Invalid({ items: '20 pièces au plus, 300 caractères chacune.' });
  const dueDate = checkDueDate(input.dueDate);
  // One transaction: the case waits on the usager exactly when the request exists.
  return db.tx(async (tx) => {
    const locked = await findCase(tx, ref, true);
    assertCanRead(actor, locked);
    assertCanAct(actor, locked);
    if (locked.status === 'closed') throw new Conflict('Rouvrez la demande avant de demander des pièces.', 'closed');
    if (locked.status !== 'waiting_on_contact') {
      await transitionCase(joinTx(tx, db), actor, locked.reference, { to: 'waiting_on_contact', reason: 'Pièces complémentaires demandées' });
    }
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO document_requests (case_id, items, message, requested_by, due_date) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [locked.id, JSON.stringify(items), input.message?.trim() || null, actor.label, dueDate],
    );
    const until = dueDate ? ` avant le ${frenchDay(dueDate)}` : '';
    const body = [input.message?.trim(), `Merci de nous transmettre les pièces suivantes depuis votre espace${until} :`, ...items.map((i) => `• ${i}`)].filter(Boolean).join('\n');
    const interaction = await insertInteraction(tx, actor, { caseId: locked.id, contactId: locked.contactId }, {
      kind: 'portal_message', direction: 'outbound', subject: 'Pièces complémentaires demandées', body, metadata: { documentRequestId: rows[0].id },
    });
    await notifyCitizens(tx, publicUrl, locked.id, locked.reference, `docreq-${rows[0].id}`, 'Des pièces complémentaires sont nécessaires', `Pour traiter votre demande ${locked.reference}, nous avons besoin${until} de :\n${items.map((i) => `• ${i}`).join('\n')}`);
    tx.audit({ actor, action: 'document_request.create', objectType: 'case', objectId: locked.id, after: { documentRequestId: rows[0].id, items, message: input.message ?? null, dueDate } });
    return { id: rows[0].id, reference: locked.reference, interactionId: interaction.id, status: 'waiting_on_contact' as const, dueDate };
  });
}

/** The requests of a case, and whether its usager can see and answer them on the portal. */
export async function listDocumentRequests(sql: Sql, actor: Actor, ref: string) {
  const c = await findCase(sql, ref);
  assertCanRead(actor, c);
  const { rows } = await sql.query(
    `SELECT id, items, message, status, requested_by AS "requestedBy", created_at AS "createdAt", due_date AS "dueDate",
            answered_at AS "answeredAt", answer_interaction_id AS "answerInteractionId"
       FROM document_requests WHERE case_id = $1 ORDER BY created_at`,
    [c!.id],
  );
  return { items: rows, portalAccount: await hasPortalAccount(sql, c!.id) };
}
