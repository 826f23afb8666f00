// The back office's « Courriel » reply: rendered (template placeholders, the agent's signature),
// recorded as an outbound interaction and queued in the outbox in one transaction, then sent by the
// email.send job with our Message-ID, In-Reply-To/References and the reference in the subject.
import type { Runtime } from '../../platform/runtime.ts';
import type { Actor } from '../../platform/actor.ts';
import type { Database } from '../../platform/db/database.ts';
import { Invalid } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { addInteraction } from '../../modules/cases/cases.service.ts';
import type { CaseRow } from '../../modules/cases/cases.repository.ts';
import { renderTemplate } from '../../modules/templates/templates.render.ts';
import { getTemplate } from '../../modules/templates/templates.service.ts';
import type { ReplyChannel, ReplyInput } from '../../modules/replies/reply-channels.ts';
import { installationSecret, newCaseMessageId, subjectWithReference } from './message-ids.ts';
import { joinTx } from '../../platform/db/database.ts';

async function contactAddress(db: Database, contactId: string | null): Promise<string | null> {
  if (!contactId) return null;
  const { rows } = await db.query<{ email: string }>(
    `SELECT email FROM contact_emails WHERE contact_id = $1 AND failing_since IS NULL ORDER BY is_primary DESC, created_at DESC LIMIT 1`,
    [contactId],
  );
  return rows[0]?.email ?? null;
}

export function emailReplyChannel(): ReplyChannel {
  return {
    id: 'email',
    label: 'Courriel',
    async availableFor(db, c) {
      return (await contactAddress(db, c.contactId))
        ? { available: true }
        : { available: false, reason: "L'usager n'a pas d'adresse électronique valide." };
    },
    send: (rt, actor, c, input) => sendEmailReply(rt, actor, c, input),
  };
}

export async function sendEmailReply(rt: Runtime, actor: Actor, c: CaseRow, input: ReplyInput) {
  return rt.db.tx(async (tx) => {
    const to = await contactAddress(tx as unknown as Database, c.contactId);
    if (!to) throw new Invalid({ channel: "L'usager n'a pas d'adresse électronique valide." });
    const { rows: facts } = await tx.query<{ contact_name: string | null; unit_name: string | null; agent_name: string | null; signature: string | null }>(
      `SELECT k.display_name AS contact_name, u.name AS unit_name, a.display_name AS agent_name, a.signature
         FROM cases c LEFT JOIN contacts k ON k.id = c.contact_id LEFT JOIN units u ON u.id = c.unit_id
         LEFT JOIN agents a ON a.id = $2::uuid WHERE c.id = $1`,
      [c.id, actor.kind === 'agent' ? actor.id : null],
    );
    const f = facts[0];
    const vars = {
      reference: c.reference, dueDate: c.dueDate, contact: { name: f?.contact_name ?? null }, unit: { name: f?.unit_name ?? null },
      agent: { name: f?.agent_name ?? actor.label, signature: f?.signature ?? null },
    };
    const template = input.templateCode ? await getTemplate(tx, input.templateCode) : null;
    if (input.templateCode && !template) throw new Invalid({ templateCode: `Modèle inconnu : ${input.templateCode}` });
    let body = renderTemplate(input.body, vars);
    if (f?.signature && !body.includes(f.signature.trim())) body = `${body.trimEnd()}\n\n-- \n${f.signature.trim()}`;
    const baseSubject = input.subject?.trim() || (template?.subject ? renderTemplate(template.subject, vars) : `Votre demande ${c.reference}`);
    const subject = subjectWithReference(baseSubject, c.reference);
    const messageId = newCaseMessageId(await installationSecret(tx), rt.config.email.domain, c.id);
    const { rows: thread } = await tx.query<{ mid: string | null }>(
      `SELECT metadata->>'messageId' AS mid FROM interactions WHERE case_id = $1 AND kind = 'email' AND metadata ? 'messageId' ORDER BY occurred_at, created_at`,
      [c.id],
    );
    const refs = thread.map((r) => r.mid).filter((m): m is string => !!m);
    const lastInbound = refs[refs.length - 1];
    const headers: Record<string, string> = {};
    if (lastInbound) {
      headers['In-Reply-To'] = lastInbound;
      headers.References = refs.slice(-10).join(' ');
    }
    const added = await addInteraction(joinTx(tx, rt.db), actor, c.reference, {
      kind: 'email', direction: 'outbound', subject, body,
      metadata: { messageId, to: [to], from: rt.config.email.mailFrom, delivery: 'queued', ...(input.templateCode ? { template: input.templateCode } : {}) },
      attachments: input.attachments,
    });
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO outbound_emails (kind, case_id, interaction_id, recipient, message_id, subject, body, headers, attachments)
       VALUES ('reply', $1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [c.id, added.interaction.id, to, messageId, subject, body, JSON.stringify(headers), JSON.stringify(input.attachments ?? [])],
    );
    await enqueue(tx, 'email.send', { outboundId: rows[0].id }, { uniqueKey: `email.send:${rows[0].id}`, maxAttempts: 6 });
    tx.afterCommit(() => rt.worker.nudge());
    return { interactionId: added.interaction.id, details: { messageId, to } };
  });
}
