// The mail register as clerks see it: batches with their progress, letters with chrono number, status,
// text and proposals; and qualification, which turns a letter into an interaction on a new or an
// existing case, in one transaction with the letter's status change and its audit event.
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import type { Sql } from '../../platform/db/database.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { addInteraction, createCase } from '../../modules/cases/cases.service.ts';
import { findCase } from '../../modules/cases/cases.repository.ts';
import type { InlineContactInput } from '../../modules/contacts/contacts.service.ts';
import { getTopicByCode } from '../../modules/topics/topics.service.ts';
import type { InteractionInput } from '../../modules/cases/interactions.service.ts';
import { inTransaction } from './tx-database.ts';

export const LETTER_STATUS_LABELS: Record<string, string> = {
  received: 'Enregistré',
  text_extracted: 'Texte lu',
  to_qualify: 'À qualifier',
  routed: 'Orienté',
  answered: 'Répondu',
  archived: 'Archivé',
};

export const BATCH_STATUS_LABELS: Record<string, string> = {
  received: 'Reçu',
  splitting: 'Découpage en cours',
  extracting: 'Lecture du texte en cours',
  done: 'Terminé',
  rejected: 'Refusé',
  failed: 'En échec',
};

const BATCH_SELECT = `
  SELECT id, source, filename, sha256, mime_type AS "mimeType", size, status, reason, pages_total AS "pagesTotal",
         pages_scanned AS "pagesScanned", pages_done AS "pagesDone", letters_count AS "lettersCount", separators,
         created_at AS "createdAt", finished_at AS "finishedAt"
    FROM mail_batches`;

function batchView(b: any) {
  return { ...b, statusLabel: BATCH_STATUS_LABELS[b.status] ?? b.status, progress: b.pagesTotal ? Math.min(1, b.pagesDone / b.pagesTotal) : b.status === 'done' ? 1 : 0 };
}

export async function getBatch(sql: Sql, actor: Actor, id: string) {
  authorize(actor, 'mail.read');
  const { rows } = await sql.query(`${BATCH_SELECT} WHERE id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Lot de numérisation introuvable.');
  return batchView(rows[0]);
}

export async function listBatches(sql: Sql, actor: Actor, limit = 50) {
  authorize(actor, 'mail.read');
  const { rows } = await sql.query(`${BATCH_SELECT} ORDER BY created_at DESC LIMIT $1`, [limit]);
  return { items: rows.map(batchView) };
}

const LETTER_SELECT = `
  SELECT l.id, l.chrono, l.direction, l.kind, l.batch_id AS "batchId", l.batch_position AS "batchPosition", l.sha256,
         l.page_count AS "pageCount", l.status, l.received_at AS "receivedAt", l.text_extracted_at AS "textExtractedAt",
         l.to_qualify_at AS "toQualifyAt", l.routed_at AS "routedAt", l.answered_at AS "answeredAt", l.archived_at AS "archivedAt",
         l.text, l.text_source AS "textSource", l.ocr_confidence AS "ocrConfidence", l.proposals, l.warnings, l.subject,
         c.reference AS "caseReference", l.interaction_id AS "interactionId", l.paper_location AS "paperLocation",
         l.paper_disposal AS "paperDisposal", l.paper_disposed_at AS "paperDisposedAt", l.print_day AS "printDay",
         (SELECT a.chrono FROM mail_letters a WHERE a.in_reply_to = l.id AND a.kind = 'acknowledgement' LIMIT 1) AS "acknowledgementChrono"
    FROM mail_letters l LEFT JOIN cases c ON c.id = l.case_id`;

function letterView(l: any, withText: boolean) {
  return { ...l, text: withText ? l.text : undefined, statusLabel: LETTER_STATUS_LABELS[l.status] ?? l.status };
}

export interface LetterFilter {
  batch?: string;
  status?: string[];
  direction?: 'in' | 'out';
  limit?: number;
}

export async function listLetters(sql: Sql, actor: Actor, f: LetterFilter) {
  authorize(actor, 'mail.read');
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.batch) {
    params.push(f.batch);
    where.push(`l.batch_id = $${params.length}`);
  }
  if (f.status?.length) {
    params.push(f.status);
    where.push(`l.status = ANY($${params.length})`);
  }
  params.push(f.direction ?? 'in');
  where.push(`l.direction = $${params.length}`);
  params.push(Math.min(f.limit ?? 100, 1000));
  const order = f.batch ? 'l.batch_position' : 'l.received_at, l.chrono';
  const { rows } = await sql.query(`${LETTER_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`, params);
  return { items: rows.map((r) => letterView(r, true)) };
}

export async function getLetter(sql: Sql, actor: Actor, id: string) {
  authorize(actor, 'mail.read');
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new NotFound('Courrier introuvable.');
  const { rows } = await sql.query(`${LETTER_SELECT} WHERE l.id = $1`, [id]);
  if (!rows[0]) throw new NotFound('Courrier introuvable.');
  const { rows: pages } = await sql.query(
    `SELECT position, batch_page AS "batchPage", status, source, text, confidence, reason FROM mail_pages WHERE letter_id = $1 ORDER BY position`,
    [id],
  );
  return { ...letterView(rows[0], true), pages };
}

export interface ValidateInput {
  contact?: InlineContactInput;
  topic: string;
  subject: string;
  /** Add the letter to this existing case instead of opening a new one. */
  caseReference?: string | null;
  /** Answered at level 1 by the clerk: the case is closed on creation. */
  level1?: boolean;
  knowledgeArticle?: string | null;
  paperLocation?: string | null;
}

export async function validateLetter(rt: Runtime, actor: Actor, letterId: string, input: ValidateInput) {
  authorize(actor, 'mail.qualify');
  const subject = input.subject?.trim();
  if (!subject) throw new Invalid({ subject: "L'objet du courrier est obligatoire." });
  return rt.db.tx(async (tx) => {
    const { rows } = await tx.query(
      `SELECT id, chrono, status, direction, sha256, text, received_at AS "receivedAt", page_count AS "pageCount" FROM mail_letters WHERE id = $1 FOR UPDATE`,
      [letterId],
    );
    const letter = rows[0];
    if (!letter || letter.direction !== 'in') throw new NotFound('Courrier introuvable.');
    if (letter.status === 'received' || letter.status === 'text_extracted') throw new Conflict('Le texte du courrier est encore en cours de lecture : réessayez dans un instant.', 'letter_not_ready');
    if (letter.status !== 'to_qualify') throw new Conflict(`Ce courrier est déjà qualifié (${LETTER_STATUS_LABELS[letter.status]}).`, 'letter_already_qualified');
    const topic = await getTopicByCode(tx, input.topic);
    if (!topic || !topic.active) throw new Invalid({ topic: `Objet inconnu : ${input.topic}` });
    const inner = inTransaction(rt.db, tx);
    const interaction: InteractionInput = {
      kind: 'letter',
      direction: 'inbound',
      subject,
      body: letter.text || null,
      occurredAt: letter.receivedAt,
      metadata: { chrono: letter.chrono, letterId: letter.id, pages: letter.pageCount },
      attachments: letter.sha256 ? [{ sha256: letter.sha256, filename: `courrier-${letter.chrono}.pdf` }] : [],
    };
    let caseId: string;
    let reference: string;
    let interactionId: string;
    let created = false;
    if (input.caseReference?.trim()) {
      if (input.level1) throw new Invalid({ level1: 'Une réponse de niveau 1 ouvre une nouvelle demande : retirez la référence ou la réponse de niveau 1.' });
      const r = await addInteraction(inner, actor, input.caseReference.trim(), interaction);
      const c = await findCase(tx, r.reference);
      caseId = c!.id;
      reference = r.reference;
      interactionId = r.interaction.id;
    } else {
      const r = await createCase(inner, actor, {
        contact: input.contact, topic: topic.code, channel: 'mail', subject, receivedAt: letter.receivedAt, interaction,
        resolvedLevel1: !!input.level1, knowledgeArticle: input.knowledgeArticle ?? null,
      });
      caseId = r.id;
      reference = r.reference;
      interactionId = r.interactionId!;
      created = true;
    }
    const { rows: c } = await tx.query<{ contactId: string | null }>(`SELECT contact_id AS "contactId" FROM cases WHERE id = $1`, [caseId]);
    const status = input.level1 ? 'answered' : 'routed';
    await tx.query(
      `UPDATE mail_letters SET status = $2, routed_at = now(), answered_at = CASE WHEN $2 = 'answered' THEN now() END, case_id = $3,
              interaction_id = $4, subject = $5, topic_id = $6, contact_id = $7, paper_location = coalesce($8, paper_location), updated_at = now()
        WHERE id = $1`,
      [letterId, status, caseId, interactionId, subject, topic.id, c[0]?.contactId ?? null, input.paperLocation?.trim() || null],
    );
    const acknowledge = created && topic.acknowledge && !input.level1;
    if (acknowledge) await enqueue(tx, 'mail.acknowledge', { letterId }, { uniqueKey: `mail.acknowledge:${letterId}` });
    tx.audit({
      actor, action: 'mail.letter.validate', objectType: 'mail_letter', objectId: letterId,
      before: { status: letter.status }, after: { status, case: reference, newCase: created, topic: topic.code, acknowledge },
    });
    return { letterId, chrono: letter.chrono, status, caseReference: reference, newCase: created, interactionId, acknowledgement: acknowledge ? 'queued' : null };
  });
}

/** Where the paper original is kept (box, shelf). */
export async function setPaperLocation(rt: Runtime, actor: Actor, letterId: string, location: string) {
  authorize(actor, 'mail.paper');
  const loc = location.trim();
  if (!loc) throw new Invalid({ location: 'Indiquez où l’original est rangé (boîte, étagère…).' });
  return rt.db.tx(async (tx) => {
    const { rows } = await tx.query(`SELECT paper_location AS "loc", paper_disposal AS "disposal" FROM mail_letters WHERE id = $1 AND direction = 'in' FOR UPDATE`, [letterId]);
    if (!rows[0]) throw new NotFound('Courrier introuvable.');
    if (rows[0].disposal) throw new Conflict('L’original n’est plus conservé (détruit ou versé aux archives).', 'paper_disposed');
    await tx.query(`UPDATE mail_letters SET paper_location = $2, updated_at = now() WHERE id = $1`, [letterId, loc]);
    tx.audit({ actor, action: 'mail.paper.locate', objectType: 'mail_letter', objectId: letterId, before: { location: rows[0].loc }, after: { location: loc } });
    return { letterId, paperLocation: loc };
  });
}
