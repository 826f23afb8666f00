// The acknowledgement of receipt owed to a person who writes to the administration (Code des relations
// entre le public et l'administration, art. L112-3 and R112-5): date of receipt, the service in charge
// with its address and phone, the expected answer time, what silence means after which delay and,
// for an implicit rejection, the remedies. Generated after qualification when the topic asks for it,
// registered as an outgoing letter and attached to the case as an outbound letter.
import { systemActor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { insertInteraction } from '../../modules/cases/interactions.service.ts';
import { formatPhoneForDisplay } from '../../modules/contacts/phone.ts';
import { frenchLongDate, renderLetter } from './letter-layout.ts';
import { registerOutgoing } from './outgoing.service.ts';

export async function sendAcknowledgement(rt: Runtime, letterId: string): Promise<void> {
  await rt.db.tx((tx) => writeAcknowledgement(rt, tx, letterId));
}

/** The acknowledgement of one qualified letter, in the caller's transaction, dated `at` (the demo dates it in the past). */
export async function writeAcknowledgement(rt: Runtime, tx: Tx, letterId: string, at: Date = new Date()): Promise<void> {
  const actor = systemActor('bureau du courrier');
  const { rows } = await tx.query(
    `SELECT l.id, l.chrono, l.received_at AS "receivedAt", l.subject, l.case_id AS "caseId",
            c.reference, c.due_date AS "dueDate", c.contact_id AS "contactId", t.id AS "topicId", t.name AS "topicName", t.deadline_days AS "deadlineDays",
            u.name AS "unitName", u.phone AS "unitPhone", u.email AS "unitEmail",
            ct.display_name AS "contactName", a.line1, a.line2, a.postcode, a.city,
            coalesce(r.silence, 'rejection') AS silence, coalesce(r.months, 2) AS months
       FROM mail_letters l JOIN cases c ON c.id = l.case_id LEFT JOIN topics t ON t.id = c.topic_id
       LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN contacts ct ON ct.id = c.contact_id
       LEFT JOIN LATERAL (SELECT line1, line2, postcode, city FROM contact_addresses WHERE contact_id = c.contact_id ORDER BY is_primary DESC, created_at LIMIT 1) a ON true
       LEFT JOIN mail_ack_rules r ON r.topic_id = t.id
      WHERE l.id = $1 FOR UPDATE OF l`,
    [letterId],
  );
  const l = rows[0];
  if (!l) return;
  const { rows: done } = await tx.query(`SELECT 1 FROM mail_letters WHERE in_reply_to = $1 AND kind = 'acknowledgement'`, [letterId]);
  if (done.length) return; // idempotent: already sent
  const lh = rt.config.mail.letterhead;
  const unitAddress = lh.address;
  const received = frenchLongDate(l.receivedAt);
  const paragraphs = [
    `Madame, Monsieur,`,
    `Nous avons bien reçu le ${received} votre courrier relatif à : « ${l.subject} ». Il a été enregistré sous la référence ${l.reference} (courrier ${l.chrono}), à rappeler dans toute correspondance.`,
    `Votre demande est traitée par le service suivant : ${l.unitName ?? 'service compétent'}${l.unitPhone ? `, téléphone ${formatPhoneForDisplay(l.unitPhone)}` : ''}${l.unitEmail ? `, courriel ${l.unitEmail}` : ''}, ${unitAddress.join(', ')}.`,
    l.dueDate ? `Une réponse vous sera apportée, sauf difficulté particulière, avant le ${frenchLongDate(l.dueDate)}.` : `Une réponse vous sera apportée dans les meilleurs délais.`,
    '## Mentions légales (articles L112-3 et R112-5 du code des relations entre le public et l’administration)',
    ...silenceMentions(l.silence, Number(l.months)),
    `~ Si votre demande est incomplète, le service vous indiquera les pièces manquantes et le délai pour les fournir ; le délai ci-dessus ne court qu’à compter de leur réception.`,
  ];
  const recipient = [l.contactName ?? 'Madame, Monsieur', l.line1, l.line2, l.postcode ? `${l.postcode} ${String(l.city).toUpperCase()}` : null].filter(Boolean) as string[];
  const out = await registerOutgoing(rt, tx, actor, {
    kind: 'acknowledgement', caseId: l.caseId, inReplyTo: l.id, subject: `Accusé de réception — ${l.subject}`, at,
    render: (chrono) =>
      renderLetter(lh, {
        title: 'Accusé de réception', chrono, caseReference: l.reference, date: `Le ${frenchLongDate(at)}`, recipient, createdAt: at,
        subject: `Accusé de réception de votre courrier du ${received}`, paragraphs,
        signature: [`Pour le Président et par délégation,`, `Le bureau du courrier`],
        unit: l.unitName ? { name: l.unitName, address: [], phone: l.unitPhone ? formatPhoneForDisplay(l.unitPhone) : null, email: l.unitEmail } : null,
      }),
  });
  const inter = await insertInteraction(tx, actor, { caseId: l.caseId, contactId: l.contactId }, {
    kind: 'letter', direction: 'outbound', subject: `Accusé de réception (${out.chrono})`, occurredAt: at,
    body: paragraphs.map((p) => p.replace(/^(## |~ )/, '')).join('\n\n'),
    metadata: { chrono: out.chrono, letterId: out.id, acknowledgementOf: l.chrono },
    attachments: [{ sha256: out.sha256, filename: `accuse-reception-${out.chrono}.pdf` }],
  });
  await tx.query(`UPDATE mail_letters SET interaction_id = $2 WHERE id = $1`, [out.id, inter.id]);
}

function silenceMentions(silence: string, months: number): string[] {
  if (silence === 'acceptance') {
    return [
      `À défaut de réponse dans un délai de ${months} mois à compter de la date de réception indiquée ci-dessus, votre demande sera réputée acceptée (décision implicite d’acceptation). Vous pourrez alors demander une attestation de cette décision (article L232-3 du même code).`,
    ];
  }
  if (silence === 'rejection') {
    return [
      `À défaut de réponse dans un délai de ${months} mois à compter de la date de réception indiquée ci-dessus, votre demande sera réputée rejetée (décision implicite de rejet).`,
      `Voies et délais de recours : vous pourrez contester cette décision implicite par un recours gracieux auprès du Président du conseil départemental, ou par un recours contentieux devant le tribunal administratif territorialement compétent, dans un délai de deux mois à compter de la date à laquelle elle est née. Le tribunal administratif peut être saisi par l’application « Télérecours citoyens » (www.telerecours.fr).`,
    ];
  }
  return [`Votre courrier n’appelle pas de décision administrative : l’absence de réponse ne vaut ni acceptation ni rejet.`];
}
