// The back office's « Courrier » reply: the text (a template filled by renderTemplate) is laid out as
// a letter PDF with the letterhead and the contact's postal address, registered as an outgoing letter
// (S chrono number, printed with the day's batch) and recorded as an outbound letter on the case, in
// one transaction. The case's incoming letters are then marked answered.
import type { Runtime } from '../../platform/runtime.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Sql } from '../../platform/db/database.ts';
import { Invalid } from '../../platform/errors.ts';
import { addInteraction } from '../../modules/cases/cases.service.ts';
import type { CaseRow } from '../../modules/cases/cases.repository.ts';
import { renderTemplate } from '../../modules/templates/templates.render.ts';
import { getTemplate } from '../../modules/templates/templates.service.ts';
import type { ReplyChannel, ReplyInput } from '../../modules/replies/reply-channels.ts';
import { frenchLongDate, renderLetter } from './letter-layout.ts';
import { registerOutgoing } from './outgoing.service.ts';
import { inTransaction } from './tx-database.ts';

interface PostalAddress {
  name: string;
  lines: string[];
}

async function postalAddress(sql: Sql, contactId: string | null): Promise<PostalAddress | null> {
  if (!contactId) return null;
  const { rows } = await sql.query(
    `SELECT c.display_name AS name, a.line1, a.line2, a.postcode, a.city FROM contacts c
       JOIN contact_addresses a ON a.contact_id = c.id WHERE c.id = $1 ORDER BY a.is_primary DESC, a.created_at LIMIT 1`,
    [contactId],
  );
  const r = rows[0];
  return r ? { name: r.name, lines: [r.line1, r.line2, `${r.postcode} ${String(r.city).toUpperCase()}`].filter(Boolean) } : null;
}

function optionAddress(input: ReplyInput): PostalAddress | null {
  const a = input.options?.address as { name?: string; lines?: string[] } | undefined;
  if (!a || !Array.isArray(a.lines) || !a.lines.length || a.lines.length > 6) return null;
  return { name: String(a.name ?? '').slice(0, 200), lines: a.lines.map((l) => String(l).slice(0, 200)) };
}

export function letterReplyChannel(): ReplyChannel {
  return {
    id: 'letter',
    label: 'Courrier',
    async availableFor(db, c) {
      return (await postalAddress(db, c.contactId)) ? { available: true } : { available: false, reason: "L'usager n'a pas d'adresse postale." };
    },
    send: (rt, actor, c, input) => sendLetterReply(rt, actor, c, input),
  };
}

export async function sendLetterReply(rt: Runtime, actor: Actor, c: CaseRow, input: ReplyInput) {
  return rt.db.tx(async (tx) => {
    const to = optionAddress(input) ?? (await postalAddress(tx, c.contactId));
    if (!to) throw new Invalid({ channel: "L'usager n'a pas d'adresse postale : indiquez-en une." });
    const { rows: facts } = await tx.query(
      `SELECT u.name AS "unitName", u.phone AS "unitPhone", u.email AS "unitEmail", a.display_name AS "agentName", a.signature
         FROM cases c LEFT JOIN units u ON u.id = c.unit_id LEFT JOIN agents a ON a.id = $2::uuid WHERE c.id = $1`,
      [c.id, actor.kind === 'agent' ? actor.id : null],
    );
    const f = facts[0] ?? {};
    const vars = {
      reference: c.reference, dueDate: c.dueDate, contact: { name: to.name }, unit: { name: f.unitName ?? null },
      agent: { name: f.agentName ?? actor.label, signature: f.signature ?? null },
    };
    const template = input.templateCode ? await getTemplate(tx, input.templateCode) : null;
    if (input.templateCode && !template) throw new Invalid({ templateCode: `Modèle inconnu : ${input.templateCode}` });
    const body = renderTemplate(input.body, vars);
    const subject = input.subject?.trim() || (template?.subject ? renderTemplate(template.subject, vars) : `Votre demande ${c.reference}`);
    const out = await registerOutgoing(rt, tx, actor, {
      kind: 'reply', caseId: c.id, subject,
      render: (chrono) =>
        renderLetter(rt.config.mail.letterhead, {
          title: subject, chrono, caseReference: c.reference, date: `Le ${frenchLongDate(new Date())}`, recipient: [to.name, ...to.lines], subject,
          paragraphs: body.split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean),
          signature: (f.signature?.trim() || f.agentName || actor.label).split('\n'),
          unit: f.unitName ? { name: f.unitName, address: [], phone: f.unitPhone, email: f.unitEmail } : null,
        }),
    });
    const added = await addInteraction(inTransaction(rt.db, tx), actor, c.reference, {
      kind: 'letter', direction: 'outbound', subject, body,
      metadata: { chrono: out.chrono, letterId: out.id, printDay: out.printDay, ...(input.templateCode ? { template: input.templateCode } : {}) },
      attachments: [{ sha256: out.sha256, filename: `courrier-${out.chrono}.pdf` }, ...(input.attachments ?? [])],
    });
    await tx.query(`UPDATE mail_letters SET interaction_id = $2 WHERE id = $1`, [out.id, added.interaction.id]);
    const answered = await tx.query<{ id: string }>(
      `UPDATE mail_letters SET status = 'answered', answered_at = now(), updated_at = now()
        WHERE case_id = $1 AND direction = 'in' AND status = 'routed' RETURNING id`,
      [c.id],
    );
    for (const l of answered.rows) tx.audit({ actor, action: 'mail.letter.answered', objectType: 'mail_letter', objectId: l.id, before: { status: 'routed' }, after: { status: 'answered', reply: out.chrono } });
    return { interactionId: added.interaction.id, details: { chrono: out.chrono, sha256: out.sha256, printDay: out.printDay } };
  });
}
