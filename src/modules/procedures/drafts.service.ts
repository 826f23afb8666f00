// Drafts of procedures: saved as the citizen types (raw answers, unvalidated), resumable, with their
// uploaded files. A signed-in citizen's draft is theirs only; an anonymous draft is reached by its id.
import type { Readable } from 'node:stream';
import type { Database, Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import type { FileStore } from '../../platform/files/store.ts';
import { Invalid, NotFound, PayloadTooLarge, Unauthorized } from '../../platform/errors.ts';
import { sanitizeFilename } from '../cases/interactions.service.ts';
import { getProcedure, type Procedure } from './procedures.service.ts';
import { validateAnswers, type UploadedFile } from './fields.ts';

export const DEFAULT_UPLOAD_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/webp', 'image/heic', 'application/vnd.oasis.opendocument.text', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'];
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
const MAX_DRAFT_JSON = 200_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface Draft {
  id: string;
  procedureSlug: string;
  accountId: string | null;
  data: Record<string, unknown>;
  files: Record<string, UploadedFile[]>;
  updatedAt: Date;
}

const COLUMNS = `id, procedure_slug AS "procedureSlug", account_id AS "accountId", data, files, updated_at AS "updatedAt"`;

export async function createDraft(db: Database, actor: Actor, slug: string): Promise<Draft> {
  const p = await getProcedure(db, slug);
  const accountId = actor.kind === 'citizen' ? actor.id : null;
  if (!accountId && !p.definition.anonymous) throw new Unauthorized('Connectez-vous à votre espace pour faire cette démarche.', 'sign_in_required');
  const { rows } = await db.query<Draft>(`INSERT INTO procedure_drafts (procedure_slug, account_id) VALUES ($1, $2) RETURNING ${COLUMNS}`, [slug, accountId]);
  return rows[0];
}

/** The draft if this caller may use it (else 404, never a hint that it exists). */
export async function loadDraft(sql: Sql, actor: Actor, id: string, lock = false): Promise<Draft> {
  if (!UUID.test(id)) throw new NotFound('Brouillon introuvable.');
  const { rows } = await sql.query<Draft>(`SELECT ${COLUMNS} FROM procedure_drafts WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id]);
  const d = rows[0];
  const mine = actor.kind === 'citizen' ? actor.id : null;
  if (!d || (d.accountId !== null && d.accountId !== mine)) throw new NotFound('Brouillon introuvable.');
  return d;
}

/**
 * The draft (same access rule as loadDraft) and its active procedure in one query: the submission path
 * needs both, and every round trip counts there.
 */
export async function loadDraftWithProcedure(sql: Sql, actor: Actor, id: string): Promise<{ draft: Draft; procedure: Procedure }> {
  if (!UUID.test(id)) throw new NotFound('Brouillon introuvable.');
  const { rows } = await sql.query<Draft & { p: Procedure & { updatedAt: string } }>(
    `SELECT d.id, d.procedure_slug AS "procedureSlug", d.account_id AS "accountId", d.data, d.files, d.updated_at AS "updatedAt",
            json_build_object('slug', p.slug, 'title', p.title, 'definition', p.definition, 'active', p.active, 'source', p.source,
                              'version', p.version, 'updatedAt', p.updated_at) AS p
       FROM procedure_drafts d JOIN procedures p ON p.slug = d.procedure_slug WHERE d.id = $1`,
    [id],
  );
  const r = rows[0];
  const mine = actor.kind === 'citizen' ? actor.id : null;
  if (!r || (r.accountId !== null && r.accountId !== mine)) throw new NotFound('Brouillon introuvable.');
  const { p, ...draft } = r;
  if (!p.active) throw new NotFound('Démarche introuvable.');
  return { draft, procedure: { ...p, updatedAt: new Date(p.updatedAt) } };
}

export async function listMyDrafts(sql: Sql, actor: Actor) {
  const { rows } = await sql.query(
    `SELECT d.id, d.procedure_slug AS "procedureSlug", p.title, d.updated_at AS "updatedAt"
       FROM procedure_drafts d JOIN procedures p ON p.slug = d.procedure_slug WHERE d.account_id = $1 ORDER BY d.updated_at DESC LIMIT 50`,
    [actor.id],
  );
  return rows;
}

/** Saves the answers as typed; returns the current validation problems as a hint (not a refusal). */
export async function saveDraft(db: Database, actor: Actor, id: string, data: Record<string, unknown>) {
  const json = JSON.stringify(data ?? {});
  if (json.length > MAX_DRAFT_JSON) throw new PayloadTooLarge('Brouillon trop volumineux.');
  return db.tx(async (tx) => {
    const d = await loadDraft(tx, actor, id, true);
    const { rows } = await tx.query<{ updatedAt: Date }>(`UPDATE procedure_drafts SET data = $2, updated_at = now() WHERE id = $1 RETURNING updated_at AS "updatedAt"`, [d.id, json]);
    const p = await getProcedure(tx, d.procedureSlug, { includeInactive: true });
    const { errors } = validateAnswers(p.definition.pages, { ...data, ...d.files });
    return { id: d.id, updatedAt: rows[0].updatedAt, errors };
  });
}

/** Stores an upload for a file field of the draft (raw bytes first, type sniffed and checked). */
export async function addDraftFile(db: Database, files: FileStore, actor: Actor, id: string, field: string, upload: { stream: Readable; filename: string; mimetype: string }) {
  const d = await loadDraft(db, actor, id);
  const p = await getProcedure(db, d.procedureSlug, { includeInactive: true });
  const def = p.definition.pages.flatMap((pg) => pg.fields).find((f) => f.name === field && f.type === 'file');
  if (!def) throw new Invalid({ field: `Ce champ n’accepte pas de fichier : ${field}` });
  const stored = await files.put(db, upload.stream, { declaredType: upload.mimetype, allowed: def.accept ?? DEFAULT_UPLOAD_TYPES, maxBytes: MAX_UPLOAD_BYTES });
  const entry: UploadedFile = { sha256: stored.sha256, filename: sanitizeFilename(upload.filename), mimeType: stored.mimeType, size: stored.size };
  return db.tx(async (tx) => {
    const cur = await loadDraft(tx, actor, id, true);
    const list = [...(cur.files[field] ?? [])];
    if (def.maxFiles === 1) list.splice(0, list.length);
    else if (def.maxFiles !== undefined && list.length >= def.maxFiles) throw new Invalid({ [field]: `${def.maxFiles} fichier(s) au plus.` });
    list.push(entry);
    const next = { ...cur.files, [field]: list };
    await tx.query(`UPDATE procedure_drafts SET files = $2, updated_at = now() WHERE id = $1`, [cur.id, JSON.stringify(next)]);
    return { field, file: entry, files: list };
  });
}

export async function removeDraftFile(db: Database, actor: Actor, id: string, field: string, sha256: string) {
  return db.tx(async (tx) => {
    const d = await loadDraft(tx, actor, id, true);
    const list = (d.files[field] ?? []).filter((f) => f.sha256 !== sha256);
    await tx.query(`UPDATE procedure_drafts SET files = $2, updated_at = now() WHERE id = $1`, [d.id, JSON.stringify({ ...d.files, [field]: list })]);
    return { field, files: list };
  });
}
