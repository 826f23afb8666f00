// The email.process job: parses a stored message and files it, in one transaction with the status of
// its inbound row, so a retry never files twice. Own mail coming back is dropped (kept raw); what
// cannot be parsed or breaks the attachment policy is quarantined; duplicates are recognised; replies
// join their case (our signed Message-IDs, or the reference in the subject from the case's contact);
// everything else opens a new case. Bounces mark the address failing on the case that bounced.
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/errors.ts';
import { normalizeEmail } from '../../modules/contacts/email.ts';
import { createCase, addInteraction, linkCases, transitionCase } from '../../modules/cases/cases.service.ts';
import { findCase, insertCaseEvent, type CaseRow } from '../../modules/cases/cases.repository.ts';
import { getTopicById, getTopicByCode } from '../../modules/topics/topics.service.ts';
import type { AttachmentRef, InteractionInput } from '../../modules/cases/interactions.service.ts';
import { parseEmail, type ParsedEmail } from './parse.ts';
import { sanitizeEmailHtml } from './sanitize.ts';
import { automaticKind, bounceFacts, isNoReplyAddress, isOwnMail } from './classify.ts';
import { refusedAttachment } from './attachment-policy.ts';
import { caseIdFromMessageId, installationSecret, referenceInSubject } from './message-ids.ts';
import { queueAcknowledgement } from './acknowledgement.ts';
import { joinTx } from '../../platform/db/database.ts';
import { intakeActor } from './intake.ts';

export const MISMATCH_TAG = 'reference-a-verifier';

interface InboundRow {
  id: string;
  status: string;
  raw_sha256: string;
  envelope_from: string | null;
  released_at: Date | null;
}

const INTERESTING_HEADERS = ['reply-to', 'auto-submitted', 'precedence', 'list-id', 'x-mailer', 'user-agent', 'in-reply-to', 'references', 'return-path'];

async function setStatus(tx: Tx, id: string, status: string, fields: { reason?: string | null; caseId?: string | null; interactionId?: string | null; p?: ParsedEmail | null; automatic?: string | null }) {
  await tx.query(
    `UPDATE inbound_emails SET status = $2, reason = $3, case_id = $4, interaction_id = $5, message_id = $6, content_hash = $7, automatic = $8, processed_at = now()
      WHERE id = $1`,
    [id, status, fields.reason ?? null, fields.caseId ?? null, fields.interactionId ?? null, fields.p?.messageId ?? null, fields.p?.contentHash ?? null, fields.automatic ?? null],
  );
  tx.audit({ actor: intakeActor, action: 'email.process', objectType: 'inbound_email', objectId: id, after: { status, reason: fields.reason ?? null, caseId: fields.caseId ?? null } });
}

export async function processInboundEmail(rt: Runtime, inboundId: string): Promise<void> {
  const { rows } = await rt.db.query<InboundRow>('SELECT id, status, raw_sha256, envelope_from, released_at FROM inbound_emails WHERE id = $1', [inboundId]);
  const row = rows[0];
  if (!row || row.status !== 'received') return;
  const raw = await rt.files.read(row.raw_sha256);
  let parsed: ParsedEmail | null = null;
  let parseError: string | null = null;
  try {
    parsed = await parseEmail(raw);
  } catch (err) {
    parseError = `Message illisible : ${(err as Error).message}`.slice(0, 500);
  }
  try {
    await rt.db.tx(async (tx) => {
      const locked = await tx.query<{ status: string }>('SELECT status FROM inbound_emails WHERE id = $1 FOR UPDATE', [inboundId]);
      if (locked.rows[0]?.status !== 'received') return;
      if (!parsed) return setStatus(tx, inboundId, 'quarantined', { reason: parseError });
      await fileParsed(rt, tx, row, parsed);
    });
  } catch (err) {
    // A refusal by the case services (invalid data the message carries) will not pass on retry: the
    // message goes to quarantine with the reason. Anything else (database down...) is retried.
    if (!(err instanceof DomainError)) throw err;
    await rt.db.tx(async (tx) => {
      const locked = await tx.query<{ status: string }>('SELECT status FROM inbound_emails WHERE id = $1 FOR UPDATE', [inboundId]);
      if (locked.rows[0]?.status !== 'received') return;
      const fields = 'fields' in err && err.fields ? ` ${JSON.stringify(err.fields)}` : '';
      await setStatus(tx, inboundId, 'quarantined', { p: parsed, reason: `Classement impossible : ${err.message}${fields}`.slice(0, 1000) });
    });
  }
}

async function fileParsed(rt: Runtime, tx: Tx, row: InboundRow, p: ParsedEmail) {
  const domain = rt.config.email.domain;
  if (isOwnMail(p, domain)) return setStatus(tx, row.id, 'own_loop', { p, reason: 'Notre propre courriel revenu : non traité.' });

  // Serialise messages that could be the same (Message-ID, content) or share a sender's rate limit,
  // so two workers never file one message twice.
  const keys = [p.messageId, p.contentHash, p.from?.address].filter((k): k is string => !!k).sort();
  for (const k of keys) await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`email:${k}`]);
  const dup = await tx.query<{ case_id: string | null }>(
    `SELECT case_id FROM inbound_emails WHERE id <> $1 AND status = 'filed' AND (($2::text IS NOT NULL AND message_id = $2) OR content_hash = $3) LIMIT 1`,
    [row.id, p.messageId, p.contentHash],
  );
  if (dup.rows[0]) return setStatus(tx, row.id, 'duplicate', { p, caseId: dup.rows[0].case_id, reason: 'Message déjà reçu.' });

  if (!row.released_at) {
    const refused = await refusedAttachment(p.attachments, rt.config.email.maxAttachmentBytes);
    if (refused) return setStatus(tx, row.id, 'quarantined', { p, reason: refused });
  }

  const automatic = automaticKind(p, row.envelope_from);
  const db = joinTx(tx, rt.db);
  const attachments = await storeAttachments(rt, tx, p);
  const interaction = buildInteraction(p, attachments, automatic, row.id);

  if (automatic === 'bounce') {
    const filed = await fileBounce(rt, tx, p, interaction);
    if (filed) return setStatus(tx, row.id, 'filed', { p, caseId: filed.caseId, interactionId: filed.interactionId, automatic });
  }

  // An address the directory would refuse (no dot in the domain...) is kept in the metadata only.
  const sender = p.from?.address ? normalizeEmail(p.from.address) : null;
  const target = await findThread(tx, rt, p, sender);
  let caseId: string;
  let interactionId: string | null;
  let newCase: { id: string; reference: string; unitId: string | null; dueDate: string | null } | null = null;
  if (target.kind === 'existing') {
    const c = target.case;
    const topic = c.topicId ? await getTopicById(tx, c.topicId) : null;
    if (c.status === 'closed' && topic?.onReplyClosed === 'new_case') {
      const created = await createFromEmail(db, p, sender, interaction, null, []);
      await linkCases(db, intakeActor, created.reference, { other: c.reference, kind: 'follow_up', note: 'Réponse reçue sur une demande clôturée' });
      newCase = created;
      caseId = created.id;
      interactionId = created.interactionId;
    } else {
      if (c.status === 'closed') await transitionCase(db, intakeActor, c.reference, { to: 'in_progress', reason: "Nouveau courriel de l'usager sur une demande clôturée" });
      const added = await addInteraction(db, intakeActor, c.reference, interaction);
      caseId = c.id;
      interactionId = added.interaction.id;
    }
  } else {
    const tags = target.kind === 'mismatch' ? [MISMATCH_TAG] : [];
    const created = await createFromEmail(db, p, sender, interaction, await routingHint(tx, p), tags);
    if (target.kind === 'mismatch') {
      await linkCases(db, intakeActor, created.reference, {
        other: target.case.reference, kind: 'reference_mismatch',
        note: `Le courriel cite la référence ${target.case.reference} mais ne vient pas de l'usager de cette demande.`,
      });
    }
    newCase = created;
    caseId = created.id;
    interactionId = created.interactionId;
  }
  await setStatus(tx, row.id, 'filed', { p, caseId, interactionId, automatic });
  if (newCase && !automatic && sender && !isNoReplyAddress(sender)) {
    const topic = newCase.unitId ? await topicOfCase(tx, newCase.id) : null;
    if (!topic || topic.acknowledge) await queueAcknowledgement(rt, tx, newCase, sender, { messageId: p.messageId, references: p.references, subject: p.subject });
  }
}

async function topicOfCase(tx: Tx, caseId: string) {
  const { rows } = await tx.query<{ topic_id: string | null }>('SELECT topic_id FROM cases WHERE id = $1', [caseId]);
  return rows[0]?.topic_id ? getTopicById(tx, rows[0].topic_id) : null;
}

type Thread = { kind: 'new' } | { kind: 'existing'; case: CaseRow } | { kind: 'mismatch'; case: CaseRow };

/** Which case a message belongs to: our signed Message-IDs first, then the reference from the case's contact. */
async function findThread(tx: Tx, rt: Runtime, p: ParsedEmail, sender: string | null): Promise<Thread> {
  const secret = await installationSecret(tx);
  for (const id of [...p.inReplyTo, ...[...p.references].reverse()]) {
    const caseId = caseIdFromMessageId(secret, rt.config.email.domain, id);
    const c = caseId ? await findCase(tx, caseId) : null;
    if (c) return { kind: 'existing', case: c };
  }
  const ref = referenceInSubject(p.subject);
  const c = ref ? await findCase(tx, ref) : null;
  if (!c) return { kind: 'new' };
  if (sender && c.contactId) {
    const { rows } = await tx.query(
      `SELECT 1 FROM contact_emails ce JOIN contacts k ON k.id = ce.contact_id
        WHERE ce.email = $1 AND (k.id = $2 OR k.merged_into = $2) LIMIT 1`,
      [sender, c.contactId],
    );
    if (rows.length) return { kind: 'existing', case: c };
  }
  return { kind: 'mismatch', case: c };
}

/** A routing hint: mail sent to contact+<topic code>@… is qualified with that topic. */
async function routingHint(tx: Tx, p: ParsedEmail): Promise<string | null> {
  for (const to of [...p.to, ...p.cc]) {
    const m = /^[^+@]+\+([a-z0-9][a-z0-9-]{1,62})@/.exec(to);
    const topic = m ? await getTopicByCode(tx, m[1]) : null;
    if (topic?.active) return topic.code;
  }
  return null;
}

async function createFromEmail(db: ReturnType<typeof joinTx>, p: ParsedEmail, sender: string | null, interaction: InteractionInput, topic: string | null, tags: string[]) {
  const subject = p.subject || '(courriel sans objet)';
  const created = await createCase(db, intakeActor, {
    channel: 'email',
    subject: subject.slice(0, 300),
    description: p.text.trim().slice(0, 4000) || null,
    contact: sender ? { email: sender, name: p.from?.name || undefined } : undefined,
    topic: topic ?? undefined,
    tags,
    interaction,
  });
  return created;
}

async function storeAttachments(rt: Runtime, tx: Tx, p: ParsedEmail): Promise<Array<AttachmentRef & { size: number }>> {
  const out: Array<AttachmentRef & { size: number }> = [];
  for (const a of p.attachments) {
    const f = await rt.files.put(tx, a.content, { declaredType: a.contentType, maxBytes: Math.max(a.size, 1) });
    out.push({ sha256: f.sha256, filename: a.filename, contentId: a.contentId ?? undefined, size: f.size });
  }
  return out;
}

function buildInteraction(p: ParsedEmail, attachments: Array<AttachmentRef & { size: number }>, automatic: string | null, inboundId: string): InteractionInput {
  const byCid = new Map(attachments.filter((a) => a.contentId).map((a) => [a.contentId!, a.sha256]));
  const headers: Record<string, string> = {};
  for (const k of INTERESTING_HEADERS) if (p.headers.has(k)) headers[k] = p.headers.get(k)!.slice(0, 1000);
  return {
    kind: 'email',
    direction: 'inbound',
    subject: p.subject || '(sans objet)',
    body: p.text || null,
    bodyHtml: p.html ? sanitizeEmailHtml(p.html, (cid) => (byCid.has(cid) ? `/api/v1/files/${byCid.get(cid)}` : null)) : null,
    occurredAt: p.date && p.date.getTime() <= Date.now() + 86_400_000 ? p.date : undefined,
    metadata: {
      messageId: p.messageId, from: p.from, to: p.to, cc: p.cc, date: p.date?.toISOString() ?? null, headers,
      inboundEmailId: inboundId, ...(automatic ? { automatic } : {}),
    },
    attachments: attachments.map(({ sha256, filename, contentId }) => ({ sha256, filename, contentId })),
  };
}

/** A delivery report: attached to the case of the mail that bounced; the address is marked failing. */
async function fileBounce(rt: Runtime, tx: Tx, p: ParsedEmail, interaction: InteractionInput) {
  const facts = bounceFacts(p);
  if (!facts.originalMessageId) return null;
  const { rows } = await tx.query<{ case_id: string; interaction_id: string | null; recipient: string }>(
    'SELECT case_id, interaction_id, recipient FROM outbound_emails WHERE message_id = $1',
    [facts.originalMessageId],
  );
  const out = rows[0];
  if (!out) return null;
  const c = await findCase(tx, out.case_id);
  if (!c) return null;
  const recipient = facts.recipient ?? out.recipient;
  await tx.query('UPDATE contact_emails SET failing_since = coalesce(failing_since, now()), failure_reason = $2 WHERE email = $1', [recipient, facts.reason.slice(0, 500)]);
  await tx.query(`UPDATE outbound_emails SET status = 'failed', last_error = $2 WHERE message_id = $1`, [facts.originalMessageId, facts.reason.slice(0, 500)]);
  if (out.interaction_id) {
    await tx.query(`UPDATE interactions SET metadata = metadata || $2::jsonb WHERE id = $1`, [out.interaction_id, JSON.stringify({ delivery: 'failed', deliveryError: facts.reason })]);
  }
  await insertCaseEvent(tx, c.id, intakeActor, { kind: 'delivery_failed', to: recipient, reason: `Courriel non distribué : ${facts.reason}` });
  const added = await addInteraction(joinTx(tx, rt.db), intakeActor, c.reference, interaction);
  return { caseId: c.id, interactionId: added.interaction.id };
}
