// Intake of scans (API upload or hot folder): the raw file is stored first, then inspected; a readable
// file becomes a batch whose split job registers its letters; a bad one is kept, marked rejected, with
// the reason the clerk sees.
import type { Readable } from 'node:stream';
import type { Actor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import { PayloadTooLarge } from '../../platform/errors.ts';
import { authorize } from '../../modules/policy/policy.ts';
import { sanitizeFilename } from '../../modules/cases/interactions.service.ts';
import { inspectScan } from './inspect.ts';

export interface IntakeInput {
  filename: string;
  data: Buffer | Readable;
  declaredType?: string;
  source: 'upload' | 'watch';
  /** True when the upload was cut at the size limit (multipart): refused, nothing registered. */
  truncated?: () => boolean;
}

export interface IntakeResult {
  batchId: string;
  status: 'received' | 'rejected';
  reason: string | null;
  pages: number;
  sha256: string;
  /** Another batch already holds the same file (same bytes). */
  duplicateOf: string | null;
}

export async function intakeScan(rt: Runtime, actor: Actor, input: IntakeInput): Promise<IntakeResult> {
  authorize(actor, 'mail.intake');
  // 1. raw first: whatever happens next, the file is kept
  // (outside a transaction: the upload streams to disk without holding a database connection, which
  // on PGlite — one connection — would stall every other request for as long as the upload lasts)
  const stored = await rt.files.put(rt.db, input.data, { declaredType: input.declaredType });
  // a file cut at the size limit is not the scan: refused, nothing registered; its row goes (files.gc
  // then removes the bytes), unless something refers to the same bytes (the delete fails, harmlessly)
  if (input.truncated?.()) {
    await rt.db.query(`DELETE FROM files WHERE sha256 = $1`, [stored.sha256]).catch(() => undefined);
    throw new PayloadTooLarge(`Fichier trop volumineux (maximum ${Math.round(rt.config.maxFileBytes / 1048576)} Mo) : découpez le lot avant de le déposer.`);
  }
  // 2. a look at it, outside any transaction (child processes, file reads)
  const verdict = await inspectScan(rt.files.pathOf(stored.sha256), stored.mimeType, stored.size, rt.config.mail.maxPages);
  // 3. the batch, and its split job when readable
  return rt.db.tx(async (tx) => {
    const { rows: dup } = await tx.query<{ id: string }>(
      `SELECT id FROM mail_batches WHERE sha256 = $1 AND status <> 'rejected' ORDER BY created_at LIMIT 1`,
      [stored.sha256],
    );
    const status = verdict.ok ? 'received' : 'rejected';
    const reason = verdict.ok ? null : verdict.reason;
    const { rows } = await tx.query<{ id: string }>(
      `INSERT INTO mail_batches (source, filename, sha256, mime_type, size, status, reason, pages_total, created_by_type, created_by_id, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, CASE WHEN $6 = 'rejected' THEN now() END) RETURNING id`,
      [input.source, sanitizeFilename(input.filename), stored.sha256, stored.mimeType, stored.size, status, reason, verdict.ok ? verdict.pages : 0, actor.kind, actor.id],
    );
    const batchId = rows[0].id;
    if (verdict.ok) await enqueue(tx, 'mail.batch.split', { batchId }, { uniqueKey: `mail.batch.split:${batchId}` });
    tx.audit({
      actor, action: verdict.ok ? 'mail.batch.receive' : 'mail.batch.reject', objectType: 'mail_batch', objectId: batchId,
      after: { filename: input.filename, source: input.source, sha256: stored.sha256, mimeType: stored.mimeType, size: stored.size, pages: verdict.ok ? verdict.pages : 0, reason },
    });
    return { batchId, status, reason, pages: verdict.ok ? verdict.pages : 0, sha256: stored.sha256, duplicateOf: dup[0]?.id ?? null };
  });
}
