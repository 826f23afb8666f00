// The automatic acknowledgement (French): reference, unit in charge, expected answer date. Never to
// automatic mail or no-reply addresses; at most one per case and five per sender per 24 hours.
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { dueDateFor } from '../../platform/calendar/calendar.ts';
import { renderTemplate } from '../../modules/templates/templates.render.ts';
import { installationSecret, newCaseMessageId, subjectWithReference } from './message-ids.ts';

export const ACK_PER_CASE_PER_DAY = 1;
export const ACK_PER_SENDER_PER_DAY = 5;
/** Indicative answer time announced for a case not yet qualified (business days). */
const DEFAULT_ANSWER_DAYS = 15;

const ACK_BODY = `Bonjour,

Nous avons bien reçu votre message « {{subject}} » et l'avons enregistré sous la référence {{reference}}.

Service en charge : {{unit.name}}
Réponse prévue au plus tard le : {{dueDate}}

Pour compléter votre demande, répondez simplement à ce courriel en conservant la référence [Réf. {{reference}}] dans l'objet.

Ceci est un accusé de réception automatique.
{{from}}`;

export async function queueAcknowledgement(
  rt: Runtime,
  tx: Tx,
  c: { id: string; reference: string; unitId: string | null; dueDate: string | null },
  to: string,
  inbound: { messageId: string | null; references: string[]; subject: string },
): Promise<string | null> {
  const { rows: counts } = await tx.query<{ per_case: number; per_sender: number }>(
    `SELECT count(*) FILTER (WHERE case_id = $1)::int AS per_case, count(*) FILTER (WHERE recipient = $2)::int AS per_sender
       FROM outbound_emails WHERE kind = 'ack' AND created_at > now() - interval '24 hours' AND (case_id = $1 OR recipient = $2)`,
    [c.id, to],
  );
  if (counts[0].per_case >= ACK_PER_CASE_PER_DAY || counts[0].per_sender >= ACK_PER_SENDER_PER_DAY) return null;
  const unit = c.unitId ? (await tx.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [c.unitId])).rows[0]?.name : null;
  const dueDate = c.dueDate ?? (await dueDateFor(tx, new Date(), DEFAULT_ANSWER_DAYS));
  const fromName = /^"?([^"<]+?)"?\s*</.exec(rt.config.email.mailFrom)?.[1] ?? '';
  const body = renderTemplate(ACK_BODY, {
    subject: inbound.subject || '(sans objet)', reference: c.reference, unit: { name: unit ?? 'Relation usagers (orientation en cours)' }, dueDate, from: fromName,
  });
  const secret = await installationSecret(tx);
  const messageId = newCaseMessageId(secret, rt.config.email.domain, c.id);
  const headers: Record<string, string> = { 'Auto-Submitted': 'auto-replied', 'X-Auto-Response-Suppress': 'All' };
  if (inbound.messageId) {
    headers['In-Reply-To'] = inbound.messageId;
    headers.References = [...inbound.references, inbound.messageId].slice(-10).join(' ');
  }
  const subject = subjectWithReference(`Accusé de réception : ${inbound.subject || 'votre message'}`, c.reference);
  const { rows } = await tx.query<{ id: string }>(
    `INSERT INTO outbound_emails (kind, case_id, recipient, message_id, subject, body, headers) VALUES ('ack', $1, $2, $3, $4, $5, $6) RETURNING id`,
    [c.id, to, messageId, subject, body, JSON.stringify(headers)],
  );
  await enqueue(tx, 'email.send', { outboundId: rows[0].id }, { uniqueKey: `email.send:${rows[0].id}`, maxAttempts: 6 });
  return rows[0].id;
}
