// Requests for missing documents ("pièces complémentaires"): an agent lists what is missing; the case
// waits on the citizen, who answers in place from Mon espace (upload → case back in progress).
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Invalid } from '../../platform/errors.ts';
import { findCase } from '../../modules/cases/cases.repository.ts';
import { assertCanAct, assertCanRead } from '../../modules/policy/case-policy.ts';
import { transitionCase } from '../../modules/cases/cases.service.ts';
import { insertInteraction } from '../../modules/cases/interactions.service.ts';
import { notifyCitizens } from './notify.ts';

export async function requestDocuments(db: Database, actor: Actor, publicUrl: string, ref: string, input: { items: string[]; message?: string | null }) {
  const items = (input.items ?? []).map((s) => String(s).replace(/\s+/g, ' ').trim()).filter(Boolean);
  if (!items.length) throw new Invalid({ items: 'Indiquez au moins une pièce à fournir.' });
  if (items.length > 20 || items.some((i) => i.length > 300)) throw new Invalid({ items: '20 pièces au plus, 300 caractères chacune.' });
  const c = await findCase(db, ref);
  assertCanRead(actor, c);
  assertCanAct(actor, c!);
  if (c!.status !== 'waiting_on_contact') {
    await transitionCase(db, actor, c!.reference, { to: 'waiting_on_contact', reason: 'Pièces complémentaires demandées' });
  }
  return db.tx(async (tx) => {
    const locked = (await findCase(tx, c!.id, true))!;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO document_requests (case_id, items, message, requested_by) VALUES ($1, $2, $3, $4) RETURNING id`,
      [locked.id, JSON.stringify(items), input.message?.trim() || null, actor.label],
    );
    const body = [input.message?.trim(), 'Merci de nous transmettre les pièces suivantes depuis votre espace :', ...items.map((i) => `• ${i}`)].filter(Boolean).join('\n');
    const interaction = await insertInteraction(tx, actor, { caseId: locked.id, contactId: locked.contactId }, {
      kind: 'portal_message', direction: 'outbound', subject: 'Pièces complémentaires demandées', body, metadata: { documentRequestId: rows[0].id },
    });
    await notifyCitizens(tx, publicUrl, locked.id, locked.reference, `docreq-${rows[0].id}`, 'Des pièces complémentaires sont nécessaires', `Pour traiter votre demande ${locked.reference}, nous avons besoin de :\n${items.map((i) => `• ${i}`).join('\n')}`);
    tx.audit({ actor, action: 'document_request.create', objectType: 'case', objectId: locked.id, after: { documentRequestId: rows[0].id, items, message: input.message ?? null } });
    return { id: rows[0].id, reference: locked.reference, interactionId: interaction.id, status: 'waiting_on_contact' as const };
  });
}

export async function listDocumentRequests(sql: Sql, actor: Actor, ref: string) {
  const c = await findCase(sql, ref);
  assertCanRead(actor, c);
  const { rows } = await sql.query(
    `SELECT id, items, message, status, requested_by AS "requestedBy", created_at AS "createdAt", answered_at AS "answeredAt", answer_interaction_id AS "answerInteractionId"
       FROM document_requests WHERE case_id = $1 ORDER BY created_at`,
    [c!.id],
  );
  return rows;
}
