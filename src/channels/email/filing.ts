// The email.process job: parses a stored message and files it, in one transaction with the status of
// its inbound row, so a retry never files twice. Own mail coming back is dropped (kept raw); what
// cannot be parsed or breaks the attachment policy is quarantined; duplicates are recognised; replies
// join their case (our signed Message-IDs; the sender's own earlier message; the reference in the
// subject from the case's contact); everything else opens a new case. Bounces mark the address failing
// on the case that bounced. Jobs file in parallel: advisory locks on the Message-ID, the content hash
// and the sender serialise whatever could be the same message or the same thread.
import type { Runtime } from '../../platform/runtime.ts';
import type { Tx } from '../../platform/db/database.ts';
import { DomainError } from '../../platform/errors.ts';
import { normalizeEmail } from '../../modules/contacts/email.ts';
import { createCase, addInteraction, linkCases, transitionCase } from '../../modules/cases/cases.service.ts';
import { findCase, insertCaseEvent, type CaseRow } from '../../modules/cases/cases.repository.ts';
import type { TopicView } from '../../modules/topics/topics.service.ts';
import { REFERENCE_VERSION_SQL, referenceData, type ReferenceData } from '../../modules/reference/reference-data.ts';
import type { AttachmentRef, InteractionInput } from '../../modules/cases/interactions.service.ts';
import { parseEmail, type ParsedEmail } from './parse.ts';
import { sanitizeEmailHtml } from './sanitize.ts';
import { automaticKind, bounceFacts, isNoReplyAddress, isOwnMail } from './classify.ts';
import { refusedAttachment } from './attachment-policy.ts';
import { caseIdFromMessageId, installationSecret, referenceInSubject } from './message-ids.ts';
import { ACKS_TODAY_SQL, queueAcknowledgement, type AcknowledgedCase } from './acknowledgement.ts';
import { joinTx } from '../../platform/db/database.ts';
import { intakeActor } from './intake.ts';
import { stopwatch } from './timings.ts';
import { oneAtATime } from './serial-sql.ts';

export const MISMATCH_TAG = 'reference-a-verifier';

interface InboundRow {
  id: string;
  raw_sha256: string;
  envelope_from: string | null;
}

/** What the intake puts in the email.process job: enough to start without reading the row first. */
export interface ProcessJob {
  inboundId: string;
  rawSha256?: string;
  envelopeFrom?: string | null;
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

export async function processInboundEmail(rt: Runtime, job: string | ProcessJob): Promise<void> {
  const lap = stopwatch();
  const { inboundId, rawSha256, envelopeFrom } = typeof job === 'string' ? { inboundId: job } : job;
  let row: InboundRow;
  if (rawSha256 !== undefined) row = { id: inboundId, raw_sha256: rawSha256, envelope_from: envelopeFrom ?? null };
  else {
    // Asked by id only (a release from quarantine): the row says where the raw message is.
    const { rows } = await rt.db.query<InboundRow & { status: string }>('SELECT id, status, raw_sha256, envelope_from FROM inbound_emails WHERE id = $1', [inboundId]);
    if (!rows[0] || rows[0].status !== 'received') return;
    row = rows[0];
  }
  const raw = await rt.files.read(row.raw_sha256);
  lap('file: load row + read raw');
  let parsed: ParsedEmail | null = null;
  let parseError: string | null = null;
  try {
    parsed = await parseEmail(raw);
  } catch (err) {
    parseError = `Message illisible : ${(err as Error).message}`.slice(0, 500);
  }
  // Everything that needs no database is decided before the transaction: it stays short.
  const refused = parsed ? await refusedAttachment(parsed.attachments, rt.config.email.maxAttachmentBytes) : null;
  lap('file: parse (mailparser) + attachment policy');
  try {
    await rt.db.tx(async (tx) => {
      lap('file: pool connect + BEGIN');
      if (!parsed) {
        if ((await lockInbound(tx, inboundId, []))?.status !== 'received') return;
        return setStatus(tx, inboundId, 'quarantined', { reason: parseError });
      }
      await fileParsed(rt, tx, row, parsed, refused, lap);
    });
    lap('file: audit + COMMIT');
  } catch (err) {
    // A refusal by the case services (invalid data the message carries) will not pass on retry: the
    // message goes to quarantine with the reason. Anything else (database down...) is retried.
    if (!(err instanceof DomainError)) throw err;
    await rt.db.tx(async (tx) => {
      if ((await lockInbound(tx, inboundId, []))?.status !== 'received') return;
      const fields = 'fields' in err && err.fields ? ` ${JSON.stringify(err.fields)}` : '';
      await setStatus(tx, inboundId, 'quarantined', { p: parsed, reason: `Classement impossible : ${err.message}${fields}`.slice(0, 1000) });
    });
  }
}

/**
 * Locks the inbound row, and the advisory locks of `keys` (sorted, so two transactions always take
 * them in the same order), in one round trip; returns the row's status and whether an administrator
 * released it from quarantine.
 */
async function lockInbound(tx: Tx, id: string, keys: string[]): Promise<{ status: string; released: boolean } | null> {
  const { rows } = await tx.query<{ status: string; released: boolean }>(
    `SELECT e.status, e.released_at IS NOT NULL AS released, (SELECT count(pg_advisory_xact_lock(hashtext(k))) FROM unnest($2::text[]) AS k) AS locks
       FROM inbound_emails e WHERE e.id = $1 FOR UPDATE OF e`,
    [id, keys],
  );
  return rows[0] ?? null;
}

async function fileParsed(rt: Runtime, tx: Tx, row: InboundRow, p: ParsedEmail, refused: string | null, lap: (phase: string) => void = () => {}) {
  const domain = rt.config.email.domain;
  // Serialise messages that could be the same (Message-ID, content), share a thread (a sender's own
  // earlier message) or a sender's acknowledgement limit, so parallel filing never files one message
  // twice nor splits a thread.
  // An address the directory would refuse (no dot in the domain...) is kept in the metadata only.
  const sender = p.from?.address ? normalizeEmail(p.from.address) : null;
  const keys = [...new Set([p.messageId, p.contentHash, p.from?.address].filter((k): k is string => !!k))].sort().map((k) => `email:${k}`);
  const locked = await lockInbound(tx, row.id, keys);
  if (locked?.status !== 'received') return;
  lap('file: lock inbound row + advisory locks');
  if (isOwnMail(p, domain)) return setStatus(tx, row.id, 'own_loop', { p, reason: 'Notre propre courriel revenu : non traité.' });

  // In one round trip, now that the locks are held: the same message already filed? A reply from this
  // sender to this very message, filed before it (then this one belongs to that reply's case)? The
  // sender's acknowledgements of the day? The reference-data version (topics, closures from memory)?
  const { rows: seen } = await tx.query<{ dup: { case_id: string | null } | null; reply_case: string | null; acks_today: number; ref_version: number }>(
    `SELECT (SELECT json_build_object('case_id', case_id) FROM inbound_emails
              WHERE id <> $1 AND status = 'filed' AND (($2::text IS NOT NULL AND message_id = $2) OR content_hash = $3) LIMIT 1) AS dup,
            (SELECT r.case_id FROM contact_emails ce
               CROSS JOIN LATERAL (
                 -- from the sender's contacts to their own interactions (index on contact_id), never a
                 -- pass over every interaction looking for the Message-ID
                 SELECT i.case_id, i.occurred_at FROM interactions i
                  WHERE i.contact_id = ce.contact_id AND i.kind = 'email' AND i.direction = 'inbound' AND i.metadata->'threadIds' ? $2
                  ORDER BY i.occurred_at DESC LIMIT 1) r
              WHERE $2::text IS NOT NULL AND ce.email = $4
              ORDER BY r.occurred_at DESC LIMIT 1) AS reply_case,
            ${ACKS_TODAY_SQL('$4')} AS acks_today,
            ${REFERENCE_VERSION_SQL} AS ref_version`,
    [row.id, p.messageId, p.contentHash, sender],
  );
  const dup = seen[0].dup;
  if (dup) return setStatus(tx, row.id, 'duplicate', { p, caseId: dup.case_id, reason: 'Message déjà reçu.' });
  // An administrator released it from quarantine: the attachment policy no longer applies.
  if (refused && !locked.released) return setStatus(tx, row.id, 'quarantined', { p, reason: refused });
  lap('file: duplicate check');

  const automatic = automaticKind(p, row.envelope_from);
  const db = joinTx(tx, rt.db);
  const attachments = await storeAttachments(rt, tx, p);
  lap('file: attachments write + fsync + files rows');
  const interaction = buildInteraction(p, attachments, automatic, row.id);
  lap('file: sanitize html + build interaction');

  if (automatic === 'bounce') {
    const filed = await fileBounce(rt, tx, p, interaction);
    if (filed) return setStatus(tx, row.id, 'filed', { p, caseId: filed.caseId, interactionId: filed.interactionId, automatic });
  }

  const target = await findThread(tx, rt, p, sender, seen[0].reply_case);
  const ref = await referenceData(rt.db.pool, tx, seen[0].ref_version);
  lap('file: find thread');
  let caseId: string;
  let interactionId: string | null;
  let newCase: (AcknowledgedCase & { topic: TopicView | null }) | null = null;
  if (target.kind === 'existing') {
    const c = target.case;
    const topic = c.topicId ? (ref.topicsById.get(c.topicId) ?? null) : null;
    if (c.status === 'closed' && topic?.onReplyClosed === 'new_case') {
      const created = await createFromEmail(db, p, sender, interaction, null, []);
      await linkCases(db, intakeActor, created.reference, { other: c.reference, kind: 'follow_up', note: 'Réponse reçue sur une demande clôturée' });
      newCase = { ...created, topic: null };
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
    const hint = routingHint(ref, p);
    const created = await createFromEmail(db, p, sender, interaction, hint?.code ?? null, tags);
    if (target.kind === 'mismatch') {
      await linkCases(db, intakeActor, created.reference, {
        other: target.case.reference, kind: 'reference_mismatch',
        note: `Le courriel cite la référence ${target.case.reference} mais ne vient pas de l'usager de cette demande.`,
      });
    }
    newCase = { ...created, topic: hint };
    caseId = created.id;
    interactionId = created.interactionId;
  }
  lap('file: case service (create case / add interaction)');
  await setStatus(tx, row.id, 'filed', { p, caseId, interactionId, automatic });
  lap('file: inbound status');
  if (newCase && !automatic && sender && !isNoReplyAddress(sender)) {
    const queued = await queueAcknowledgement(rt, tx, newCase, sender, { messageId: p.messageId, references: p.references, subject: p.subject }, {
      acksToday: seen[0].acks_today, topic: newCase.topic, closures: ref.closures,
    });
    if (queued) tx.afterCommit(() => rt.worker.nudge());
  }
  lap('file: acknowledgement queued');
}

type Thread = { kind: 'new' } | { kind: 'existing'; case: CaseRow } | { kind: 'mismatch'; case: CaseRow };

/**
 * Which case a message belongs to: our signed Message-IDs first; then the sender's own earlier
 * message it answers (or a reply to it that arrived first: `replyCase`), when that case is the
 * sender's; then the reference in the subject, from the case's contact only.
 */
async function findThread(tx: Tx, rt: Runtime, p: ParsedEmail, sender: string | null, replyCase: string | null): Promise<Thread> {
  const secret = await installationSecret(tx);
  const cited = [...p.inReplyTo, ...[...p.references].reverse()];
  for (const id of cited) {
    const caseId = caseIdFromMessageId(secret, rt.config.email.domain, id);
    const c = caseId ? await findCase(tx, caseId) : null;
    if (c) return { kind: 'existing', case: c };
  }
  if (sender && (cited.length || replyCase)) {
    const { rows } = await tx.query<{ case_id: string }>(
      `SELECT c.id AS case_id FROM cases c
        WHERE (c.id = $3::uuid OR c.id IN (SELECT case_id FROM inbound_emails WHERE status = 'filed' AND message_id = ANY($2::text[])))
          AND EXISTS (SELECT 1 FROM contact_emails ce JOIN contacts k ON k.id = ce.contact_id
                       WHERE ce.email = $1 AND (k.id = c.contact_id OR k.merged_into = c.contact_id))
        ORDER BY c.created_at DESC LIMIT 1`,
      [sender, cited, replyCase],
    );
    const c = rows[0] ? await findCase(tx, rows[0].case_id) : null;
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
function routingHint(ref: ReferenceData, p: ParsedEmail): TopicView | null {
  for (const to of [...p.to, ...p.cc]) {
    const m = /^[^+@]+\+([a-z0-9][a-z0-9-]{1,62})@/.exec(to);
    const topic = m ? ref.topicsByCode.get(m[1]) : undefined;
    if (topic?.active) return topic;
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

/** Stores the attachments, their file writes and fsyncs side by side; waits for all before failing. */
async function storeAttachments(rt: Runtime, tx: Tx, p: ParsedEmail): Promise<Array<AttachmentRef & { size: number }>> {
  const serial = oneAtATime(tx);
  const settled = await Promise.allSettled(p.attachments.map((a) => rt.files.put(serial, a.content, { declaredType: a.contentType, maxBytes: Math.max(a.size, 1) })));
  return settled.map((r, i) => {
    if (r.status === 'rejected') throw r.reason;
    const a = p.attachments[i];
    return { sha256: r.value.sha256, filename: a.filename, contentId: a.contentId ?? undefined, size: r.value.size };
  });
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
      // The Message-IDs this message answers: a message of the sender's arriving after its own reply finds it.
      threadIds: [...new Set([...p.inReplyTo, ...p.references.slice(-49)])],
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
