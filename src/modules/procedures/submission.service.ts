// Submitting a procedure: the answers are validated with the same rules the browser uses, then the case
// is opened through the one case service (channel 'portal', the procedure's topic and unit in charge,
// a first 'portal_message' carrying a readable summary and the attachments). The structured data is
// kept in procedure_submissions; the PDF summary is produced by a durable job after the commit.
import crypto from 'node:crypto';
import { joinTx, type Database, type Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound } from '../../platform/errors.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { createCase } from '../cases/cases.service.ts';
import type { InlineContactInput } from '../contacts/contacts.service.ts';
import { sha256Hex } from '../auth/secrets.ts';
import { anonymousCitizenActor } from '../citizens/citizens.repository.ts';
import { loadDraftWithProcedure } from './drafts.service.ts';
import { displayValue, evaluate, validateAnswers, type UploadedFile } from './fields.ts';
import { citizenStatusLabel, renderSubject, type ProcedureDefinition } from './definition.ts';

declare module '../../platform/jobs/registry.ts' {
  interface JobTypes {
    'portal.submission-pdf': { submissionId: string };
  }
}

export interface SummarySection {
  title: string;
  items: Array<{ label: string; value: string }>;
}

export function buildSummary(def: ProcedureDefinition, values: Record<string, unknown>): SummarySection[] {
  return def.pages
    .filter((p) => evaluate(p.when, values))
    .map((p) => ({
      title: p.title,
      items: p.fields.filter((f) => evaluate(f.when, values) && values[f.name] !== undefined).map((f) => ({ label: f.label, value: displayValue(f, values[f.name]) })),
    }))
    .filter((s) => s.items.length);
}

export function summaryText(title: string, sections: SummarySection[]): string {
  const lines = [`Démarche en ligne : ${title}`, ''];
  for (const s of sections) {
    lines.push(`== ${s.title} ==`);
    for (const i of s.items) lines.push(`${i.label} : ${i.value}`);
    lines.push('');
  }
  return lines.join('\n').trim();
}

/** 12 characters from an unambiguous alphabet, grouped by 4 (about 60 bits). */
function trackingCode(): string {
  const alphabet = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
  const bytes = crypto.randomBytes(12);
  const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

export function normaliseTrackingCode(code: string): string {
  return code.toUpperCase().replace(/[^A-Z0-9]/g, '').replace(/(.{4})(?=.)/g, '$1-');
}

function contactFromAnswers(def: ProcedureDefinition, values: Record<string, unknown>): InlineContactInput {
  const c: Record<string, string> = {};
  for (const f of def.pages.flatMap((p) => p.fields)) {
    if (f.contact && typeof values[f.name] === 'string') c[f.contact] = values[f.name] as string;
  }
  return { ...c, kind: c.orgName && !c.firstName && !c.lastName ? 'organisation' : 'person' };
}

export interface SubmitResult {
  reference: string;
  caseId: string;
  trackingCode: string | null;
  citizenStatus: string;
}

export async function submitDraft(db: Database, caller: Actor, draftId: string, opts: { organisationId?: string | null } = {}): Promise<SubmitResult> {
  // Someone without an account acts as the portal's anonymous citizen (allowed to open a case only).
  const actor = caller.kind === 'citizen' ? caller : anonymousCitizenActor({ requestId: caller.requestId, ip: caller.ip });
  const { draft, procedure: p } = await loadDraftWithProcedure(db, actor, draftId);
  const def = p.definition;
  const signedIn = actor.kind === 'citizen' && actor.id !== null;
  if (!signedIn && !def.anonymous) throw new Invalid({ account: 'Connectez-vous à votre espace pour envoyer cette démarche.' });
  const { values, errors } = validateAnswers(def.pages, { ...draft.data, ...draft.files });
  if (Object.keys(errors).length) throw new Invalid(errors, 'Certaines réponses sont à compléter ou à corriger.');

  let contact: InlineContactInput;
  if (signedIn) {
    const contactIds = actor.contactIds ?? [];
    if (!contactIds.length) throw new Invalid({ account: 'Votre compte n’est pas encore activé.' });
    if (opts.organisationId && !contactIds.slice(1).includes(opts.organisationId)) {
      throw new Invalid({ organisationId: 'Vous ne représentez pas (encore) cette organisation : un agent doit d’abord confirmer le rattachement.' });
    }
    contact = { id: opts.organisationId ?? contactIds[0] };
  } else {
    contact = contactFromAnswers(def, values);
  }

  const topic = def.topicFrom ? (def.topicFrom.map[String(values[def.topicFrom.field])] ?? def.topic) : def.topic;
  const sections = buildSummary(def, values);
  const display: Record<string, string> = {};
  for (const f of def.pages.flatMap((pg) => pg.fields)) if (values[f.name] !== undefined) display[f.name] = displayValue(f, values[f.name]);
  const subject = renderSubject(def.subject ?? def.title, display).slice(0, 300) || def.title;
  const files = def.pages.flatMap((pg) => pg.fields).filter((f) => f.type === 'file').flatMap((f) => ((values[f.name] as UploadedFile[] | undefined) ?? []).map((u) => ({ ...u, field: f.name })));
  const body = summaryText(def.title, sections);
  const code = signedIn ? null : trackingCode();

  // One transaction (one commit) for the case, its first message, the submission and the PDF job: the
  // case service runs inside it. The draft is claimed by deleting it: of two concurrent submissions of
  // one draft, the second finds nothing to delete and rolls back (no second case).
  return db.tx(async (tx) => {
    const created = await createCase(joinTx(tx, db), actor, {
      channel: 'portal',
      topic,
      unitCode: def.workflow.unit,
      subject,
      description: body.slice(0, 20_000),
      contact,
      tags: ['demarche-en-ligne', def.slug],
      interaction: {
        kind: 'portal_message',
        direction: 'inbound',
        subject: `Dépôt de la démarche « ${def.title} »`,
        body,
        metadata: { procedure: def.slug, procedureVersion: p.version, draftId },
        attachments: files.map((f) => ({ sha256: f.sha256, filename: f.filename })),
      },
    });
    const { rows } = await tx.query<{ id: string }>(
      `WITH claimed AS (DELETE FROM procedure_drafts WHERE id = $9 RETURNING id)
       INSERT INTO procedure_submissions (case_id, procedure_slug, procedure_version, account_id, data, summary, files, tracking_hash)
       SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM claimed RETURNING id`,
      [created.id, def.slug, p.version, signedIn ? actor.id : null, JSON.stringify(values), JSON.stringify(sections), JSON.stringify(files), code ? sha256Hex(normaliseTrackingCode(code)) : null, draft.id],
    );
    if (!rows[0]) throw new Conflict('Cette démarche a déjà été envoyée.', 'already_submitted');
    await enqueue(tx, 'portal.submission-pdf', { submissionId: rows[0].id });
    tx.audit({ actor, action: 'procedure.submit', objectType: 'case', objectId: created.id, after: { procedure: def.slug, reference: created.reference, submissionId: rows[0].id, anonymous: !signedIn } });
    return { reference: created.reference, caseId: created.id, trackingCode: code, citizenStatus: citizenStatusLabel(def, created.status) };
  });
}

export interface SubmissionView {
  id: string;
  procedureSlug: string;
  procedureTitle: string;
  procedureVersion: number;
  data: Record<string, unknown>;
  summary: SummarySection[];
  files: Array<UploadedFile & { field: string }>;
  pdfSha256: string | null;
  createdAt: Date;
  definition: ProcedureDefinition;
}

export async function findSubmissionByCase(sql: Sql, caseId: string): Promise<SubmissionView | null> {
  const { rows } = await sql.query<SubmissionView>(
    `SELECT s.id, s.procedure_slug AS "procedureSlug", p.title AS "procedureTitle", s.procedure_version AS "procedureVersion", s.data, s.summary,
            s.files, s.pdf_sha256 AS "pdfSha256", s.created_at AS "createdAt", p.definition
       FROM procedure_submissions s JOIN procedures p ON p.slug = s.procedure_slug WHERE s.case_id = $1`,
    [caseId],
  );
  return rows[0] ?? null;
}

/** Public follow-up of an anonymous submission by its tracking code: status and dates only. */
export async function trackSubmission(sql: Sql, code: string) {
  const { rows } = await sql.query<{ reference: string; status: string; title: string; definition: ProcedureDefinition; createdAt: Date; updatedAt: Date; closedAt: Date | null; caseId: string }>(
    `SELECT c.reference, c.status, p.title, p.definition, s.created_at AS "createdAt", c.updated_at AS "updatedAt", c.closed_at AS "closedAt", c.id AS "caseId"
       FROM procedure_submissions s JOIN cases c ON c.id = s.case_id JOIN procedures p ON p.slug = s.procedure_slug
      WHERE s.tracking_hash = $1`,
    [sha256Hex(normaliseTrackingCode(code))],
  );
  const r = rows[0];
  if (!r) throw new NotFound('Aucune demande ne correspond à ce code de suivi.');
  const { rows: events } = await sql.query<{ to_value: string; occurred_at: Date }>(
    `SELECT to_value, occurred_at FROM case_events WHERE case_id = $1 AND kind IN ('created', 'status', 'reopened') ORDER BY id`,
    [r.caseId],
  );
  return {
    reference: r.reference,
    procedure: r.title,
    status: citizenStatusLabel(r.definition, r.status),
    submittedAt: r.createdAt,
    updatedAt: r.updatedAt,
    closedAt: r.closedAt,
    history: events.map((e) => ({ status: citizenStatusLabel(r.definition, e.to_value), at: e.occurred_at })),
  };
}
