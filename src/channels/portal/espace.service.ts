// "Mon espace": the citizen's cases (and their organisations'), whatever channel they came through, with
// the citizen-visible status and timeline (no internal notes, statuses in citizen wording), the requests
// for documents, secure messages and documents. Access follows the one policy (case-policy.ts): a case
// the citizen may not read answers 404.
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { NotFound } from '../../platform/errors.ts';
import { findCase } from '../../modules/cases/cases.repository.ts';
import { assertCanRead, caseVisibilitySql } from '../../modules/policy/case-policy.ts';
import { addInteraction } from '../../modules/cases/cases.service.ts';
import { citizenStatusLabel, type ProcedureDefinition } from '../../modules/procedures/definition.ts';
import { findSubmissionByCase } from '../../modules/procedures/submission.service.ts';
import type { ReceivedFile } from './uploads.ts';

const CHANNEL_LABELS: Record<string, string> = {
  phone: 'Téléphone', email: 'Courriel', mail: 'Courrier', portal: 'Espace citoyens', counter: 'Accueil', api: 'Service en ligne',
};

export async function listMyCases(sql: Sql, actor: Actor) {
  const params: unknown[] = [];
  const where = caseVisibilitySql(actor, params, 'c');
  const { rows } = await sql.query<{ reference: string; subject: string; status: string; channel: string; createdAt: Date; updatedAt: Date; definition: ProcedureDefinition | null; procedure: string | null; contactName: string | null; openRequests: number }>(
    `SELECT c.reference, c.subject, c.status, c.channel, c.created_at AS "createdAt", c.updated_at AS "updatedAt",
            p.definition, p.title AS procedure, ct.display_name AS "contactName",
            (SELECT count(*)::int FROM document_requests dr WHERE dr.case_id = c.id AND dr.status = 'open') AS "openRequests"
       FROM cases c
       LEFT JOIN procedure_submissions s ON s.case_id = c.id
       LEFT JOIN procedures p ON p.slug = s.procedure_slug
       LEFT JOIN contacts ct ON ct.id = c.contact_id
      WHERE ${where}
      ORDER BY c.updated_at DESC LIMIT 200`,
    params,
  );
  return rows.map((r) => ({
    reference: r.reference,
    subject: r.subject,
    status: r.status,
    statusLabel: citizenStatusLabel(r.definition, r.status),
    channel: r.channel,
    channelLabel: CHANNEL_LABELS[r.channel] ?? r.channel,
    procedure: r.procedure,
    onBehalfOf: r.contactName,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    actionRequired: r.openRequests > 0 || r.status === 'waiting_on_contact',
  }));
}

/** The case if this citizen may read it (404 otherwise): checked before accepting any upload for it. */
export async function readable(sql: Sql, actor: Actor, ref: string) {
  const c = await findCase(sql, ref);
  assertCanRead(actor, c);
  return c!;
}

export async function getMyCase(sql: Sql, actor: Actor, ref: string) {
  const c = await readable(sql, actor, ref);
  const submission = await findSubmissionByCase(sql, c.id);
  const def = submission?.definition ?? null;
  const { rows: interactions } = await sql.query(
    `SELECT i.id, i.kind, i.direction, i.occurred_at AS "occurredAt", i.subject, i.body,
            CASE WHEN i.direction = 'inbound' THEN 'Vous' ELSE coalesce(u.name, 'Le Département') END AS "from",
            coalesce((SELECT json_agg(json_build_object('sha256', a.sha256, 'filename', a.filename, 'mimeType', a.mime_type, 'size', a.size) ORDER BY a.position)
                        FROM interaction_attachments a WHERE a.interaction_id = i.id), '[]') AS attachments
       FROM interactions i JOIN cases c ON c.id = i.case_id LEFT JOIN units u ON u.id = c.unit_id
      WHERE i.case_id = $1 AND i.direction <> 'internal' ORDER BY i.occurred_at, i.created_at`,
    [c.id],
  );
  const { rows: events } = await sql.query<{ kind: string; to_value: string; occurred_at: Date }>(
    `SELECT kind, to_value, occurred_at FROM case_events WHERE case_id = $1 AND kind IN ('created', 'status', 'reopened') ORDER BY id`,
    [c.id],
  );
  const { rows: requests } = await sql.query(
    `SELECT id, items, message, status, created_at AS "createdAt", due_date AS "dueDate", answered_at AS "answeredAt" FROM document_requests WHERE case_id = $1 ORDER BY created_at`,
    [c.id],
  );
  const { rows: unit } = await sql.query<{ name: string }>('SELECT name FROM units WHERE id = $1', [c.unitId]);
  const statusEvents = events.map((e) => ({
    type: 'status' as const,
    at: e.occurred_at,
    label: e.kind === 'created' ? 'Demande enregistrée' : e.kind === 'reopened' ? 'Demande rouverte' : `Statut : ${citizenStatusLabel(def, e.to_value)}`,
  }));
  const messages = interactions.map((i) => ({ type: 'message' as const, at: i.occurredAt as Date, ...i }));
  return {
    reference: c.reference,
    subject: c.subject,
    status: c.status,
    statusLabel: citizenStatusLabel(def, c.status),
    channelLabel: CHANNEL_LABELS[c.channel] ?? c.channel,
    unitName: unit[0]?.name ?? null,
    createdAt: c.createdAt,
    closedAt: c.closedAt,
    procedure: submission ? { slug: submission.procedureSlug, title: submission.procedureTitle, summary: submission.summary, pdfSha256: submission.pdfSha256, steps: def?.workflow.steps ?? [] } : null,
    documentRequests: requests,
    timeline: [...statusEvents, ...messages].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime()),
    canWrite: true,
  };
}

/** A secure message from the citizen to the unit in charge (inbound portal message). */
export async function postCitizenMessage(db: Database, actor: Actor, ref: string, input: { body: string; files: ReceivedFile[]; documentRequestId?: string | null }) {
  const c = await readable(db, actor, ref);
  let requestId: string | null = null;
  if (input.documentRequestId) {
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM document_requests WHERE id::text = $1 AND case_id = $2 AND status = 'open'`, [input.documentRequestId, c.id]);
    if (!rows[0]) throw new NotFound('Demande de pièces introuvable ou déjà traitée.');
    requestId = rows[0].id;
  }
  const r = await addInteraction(db, actor, c.reference, {
    kind: 'portal_message',
    direction: 'inbound',
    subject: requestId ? 'Pièces complémentaires' : 'Message depuis l’espace citoyens',
    body: input.body?.trim() || (input.files.length ? 'Pièce(s) jointe(s) envoyée(s).' : ''),
    metadata: requestId ? { documentRequestId: requestId } : {},
    attachments: input.files.map((f) => ({ sha256: f.sha256, filename: f.filename })),
  });
  if (requestId) {
    await db.tx(async (tx) => {
      await tx.query(`UPDATE document_requests SET status = 'answered', answered_at = now(), answer_interaction_id = $2 WHERE id = $1 AND status = 'open'`, [requestId, r.interaction.id]);
      tx.audit({ actor, action: 'document_request.answer', objectType: 'case', objectId: c.id, after: { documentRequestId: requestId, files: input.files.map((f) => f.sha256) } });
    });
  }
  return { reference: c.reference, interactionId: r.interaction.id };
}

/** Every document exchanged on my cases (mine and the Département's), internal notes excluded. */
export async function listMyDocuments(sql: Sql, actor: Actor) {
  const params: unknown[] = [];
  const where = caseVisibilitySql(actor, params, 'c');
  const { rows } = await sql.query(
    `SELECT c.reference, a.sha256, a.filename, a.mime_type AS "mimeType", a.size, i.direction, i.occurred_at AS "at"
       FROM cases c JOIN interactions i ON i.case_id = c.id AND i.direction <> 'internal'
       JOIN interaction_attachments a ON a.interaction_id = i.id
      WHERE ${where} ORDER BY i.occurred_at DESC LIMIT 500`,
    params,
  );
  return rows;
}

/** A file the citizen may download: attached to a non-internal exchange of a case they can read. */
export async function findMyFile(sql: Sql, actor: Actor, ref: string, sha256: string) {
  const c = await readable(sql, actor, ref);
  const { rows } = await sql.query<{ filename: string; mimeType: string }>(
    `SELECT a.filename, a.mime_type AS "mimeType" FROM interaction_attachments a JOIN interactions i ON i.id = a.interaction_id
      WHERE i.case_id = $1 AND i.direction <> 'internal' AND a.sha256 = $2 LIMIT 1`,
    [c.id, sha256],
  );
  if (!rows[0]) throw new NotFound('Document introuvable.');
  return rows[0];
}
