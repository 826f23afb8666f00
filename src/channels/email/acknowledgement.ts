// The automatic acknowledgement (French): reference, unit in charge, expected answer date. Never to
// automatic mail or no-reply addresses; at most one per case (a new case is acknowledged once) and
// five per sender per 24 hours. Written in the outbox by the filing transaction, sent by email.send.
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { dueDateWith } from '../../platform/calendar/calendar.ts';
import { renderTemplate } from '../../modules/templates/templates.render.ts';
import type { TopicView } from '../../modules/topics/topics.service.ts';
import { installationSecret, newCaseMessageId, subjectWithReference } from './message-ids.ts';
import { intakeActor } from './intake.ts';

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

export interface AcknowledgedCase {
  id: string;
  reference: string;
  unitId: string | null;
  dueDate: string | null;
}

/**
 * Writes the acknowledgement of a new case in the outbox and queues its sending, in the filing
 * transaction (which holds the sender's lock, so the per-sender limit is counted exactly). The caller
 * has counted the sender's acknowledgements of the last 24 hours, knows the topic (if any) and has the
 * reference data (closures for the announced date). Returns the outbox row id, or null when none is due.
 */
export async function queueAcknowledgement(
  rt: Runtime,
  tx: Tx,
  c: AcknowledgedCase,
  to: string,
  inbound: { messageId: string | null; references: string[]; subject: string },
  known: { acksToday: number; topic: Pick<TopicView, 'acknowledge' | 'defaultUnitId' | 'defaultUnitName'> | null; closures: ReadonlySet<string> },
): Promise<string | null> {
  if (known.acksToday >= ACK_PER_SENDER_PER_DAY || (known.topic && !known.topic.acknowledge)) return null;
  let unit: string | null = null;
  if (c.unitId) {
    unit = c.unitId === known.topic?.defaultUnitId ? known.topic.defaultUnitName : ((await tx.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [c.unitId])).rows[0]?.name ?? null);
  }
  const dueDate = c.dueDate ?? dueDateWith(new Date(), DEFAULT_ANSWER_DAYS, known.closures);
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
  tx.audit({ actor: intakeActor, action: 'email.ack', objectType: 'case', objectId: c.id, after: { outboundId: rows[0].id, to, messageId } });
  return rows[0].id;
}

/** SQL counting the acknowledgements sent to `$n` in the last 24 hours (to add to a query made anyway). */
export const ACKS_TODAY_SQL = (param: string) =>
  `(SELECT count(*)::int FROM outbound_emails WHERE kind = 'ack' AND recipient = ${param} AND created_at > now() - interval '24 hours')`;
