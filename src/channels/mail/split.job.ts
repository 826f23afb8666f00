// The split job: turns a received batch into registered letters. Images become a PDF; every page is
// looked at (low resolution) for the separator code; runs of pages between separators are letters.
// Each letter gets its chrono number, its own PDF and its pages (with the PDF text layer when there is
// one) in one transaction, then a text job. Re-running after a crash starts over: nothing was
// registered until that transaction committed.
import { systemActor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { enqueue } from '../../platform/jobs/queue.ts';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pdfInfo, pdfPageTexts, renderPages, separateAll, unitePdfs } from './poppler.ts';
import { readPgm } from './images.ts';
import { isSeparator } from './separator.ts';
import { imageFileToPdf } from './to-pdf.ts';
import { nextChrono } from './chrono.ts';
import type { ScanType } from './inspect.ts';

/** A page whose text layer holds this many letters or digits is read from it, not by OCR. */
export const TEXT_LAYER_MIN_CHARS = 40;
const DETECT_DPI = 36;
const DETECT_CHUNK = 25;

interface BatchRow {
  id: string;
  status: string;
  sha256: string;
  mimeType: ScanType;
  pdfSha256: string | null;
  createdAt: Date;
}

export async function splitBatch(rt: Runtime, batchId: string): Promise<void> {
  const db = rt.db;
  const { rows } = await db.query<BatchRow>(
    `SELECT id, status, sha256, mime_type AS "mimeType", pdf_sha256 AS "pdfSha256", created_at AS "createdAt" FROM mail_batches WHERE id = $1`,
    [batchId],
  );
  const batch = rows[0];
  if (!batch || !['received', 'splitting'].includes(batch.status)) return;
  await db.query(`UPDATE mail_batches SET status = 'splitting', pages_scanned = 0, updated_at = now() WHERE id = $1`, [batchId]);

  let pdfSha = batch.mimeType === 'application/pdf' ? batch.sha256 : batch.pdfSha256;
  if (!pdfSha) {
    try {
      const pdf = await imageFileToPdf(rt.files.pathOf(batch.sha256), batch.mimeType as Exclude<ScanType, 'application/pdf'>);
      pdfSha = (await rt.files.put(db, pdf, { declaredType: 'application/pdf' })).sha256;
    } catch (err) {
      return reject(rt, batchId, `L’image n’a pas pu être lue (${(err as Error).message}).`);
    }
    await db.query(`UPDATE mail_batches SET pdf_sha256 = $2 WHERE id = $1`, [batchId, pdfSha]);
  }
  const file = rt.files.pathOf(pdfSha);
  const info = await pdfInfo(file, 0);
  const texts = await pdfPageTexts(file, info.pages).catch(() => Array.from({ length: info.pages }, () => ''));

  // 1. find separators, a chunk of pages per pdftoppm run (the batch shows its progress between runs).
  // A page whose text layer is a letter's (text, without the separator's title) needs no look.
  const separator: boolean[] = [];
  for (let from = 1; from <= info.pages; from += DETECT_CHUNK) {
    const to = Math.min(info.pages, from + DETECT_CHUNK - 1);
    const look = (p: number) => !hasTextLayer(texts[p - 1]) || /S[ÉE]PARATION/i.test(texts[p - 1]);
    let images: Buffer[] = [];
    if (Array.from({ length: to - from + 1 }, (_, i) => from + i).some(look)) images = await renderPages(file, from, to, DETECT_DPI).catch(() => []);
    for (let p = from; p <= to; p++) {
      let sep = false;
      try {
        sep = look(p) && isSeparator(readPgm(images[p - from]));
      } catch {
        sep = false; // an unreadable page is kept as a page: the text job will say it is unreadable
      }
      separator.push(sep);
    }
    await db.query(`UPDATE mail_batches SET pages_scanned = $2, updated_at = now() WHERE id = $1`, [batchId, to]);
  }
  const groups: number[][] = [];
  let current: number[] = [];
  for (let p = 1; p <= info.pages; p++) {
    if (separator[p - 1]) {
      if (current.length) groups.push(current);
      current = [];
    } else current.push(p);
  }
  if (current.length) groups.push(current);
  const separators = separator.filter(Boolean).length;
  if (!groups.length) return reject(rt, batchId, 'Le fichier ne contient que des feuilles de séparation : aucun courrier à enregistrer.');

  // 2. each letter's own PDF (content-addressed: a re-run stores nothing twice)
  const letterFiles: string[] = [];
  if (groups.length === 1 && groups[0].length === info.pages) letterFiles.push(pdfSha);
  else {
    const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-split-'));
    try {
      const pageFile = await separateAll(file, work);
      // a few letters at a time: each waits on a child process and an fsync, not on the CPU
      let next = 0;
      const one = async () => {
        while (next < groups.length) {
          const i = next++;
          const pdf = await unitePdfs(groups[i].map(pageFile));
          letterFiles[i] = (await rt.files.put(db, pdf, { declaredType: 'application/pdf' })).sha256;
        }
      };
      await Promise.all(Array.from({ length: Math.min(4, groups.length) }, one));
    } finally {
      await fsp.rm(work, { recursive: true, force: true });
    }
  }

  // 3. register every letter at once
  const actor = systemActor('bureau du courrier');
  await db.tx(async (tx) => {
    const { rows: st } = await tx.query(`SELECT status FROM mail_batches WHERE id = $1 FOR UPDATE`, [batchId]);
    if (st[0]?.status !== 'splitting') return;
    let textPages = 0;
    for (const [i, g] of groups.entries()) {
      const chrono = await nextChrono(tx, 'in', batch.createdAt);
      const { rows: l } = await tx.query<{ id: string }>(
        `INSERT INTO mail_letters (chrono, direction, batch_id, batch_position, sha256, page_count, status, received_at, created_by_type, created_by_id)
         VALUES ($1, 'in', $2, $3, $4, $5, 'received', $6, 'system', NULL) RETURNING id`,
        [chrono, batchId, i, letterFiles[i], g.length, batch.createdAt],
      );
      const letterId = l[0].id;
      for (const [pos, p] of g.entries()) {
        const layer = texts[p - 1] ?? '';
        const hasText = hasTextLayer(layer);
        if (hasText) textPages++;
        await tx.query(
          `INSERT INTO mail_pages (letter_id, position, batch_page, status, source, text, confidence, done_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, CASE WHEN $4 = 'done' THEN now() END)`,
          [letterId, pos, p, hasText ? 'done' : 'pending', hasText ? 'pdf_text' : null, hasText ? layer : null, hasText ? 100 : null],
        );
      }
      await enqueue(tx, 'mail.letter.text', { letterId }, { uniqueKey: `mail.letter.text:${letterId}` });
      tx.audit({ actor, action: 'mail.letter.register', objectType: 'mail_letter', objectId: letterId, after: { chrono, batchId, pages: g, status: 'received' } });
    }
    await tx.query(
      `UPDATE mail_batches SET status = 'extracting', pages_total = $2, letters_count = $3, separators = $4, pages_done = $5, updated_at = now() WHERE id = $1`,
      [batchId, info.pages - separators, groups.length, separators, textPages],
    );
  });
}

function hasTextLayer(layer: string | undefined): boolean {
  return ((layer ?? '').match(/[\p{L}\p{N}]/gu) ?? []).length >= TEXT_LAYER_MIN_CHARS;
}

async function reject(rt: Runtime, batchId: string, reason: string) {
  await rt.db.tx(async (tx) => {
    await tx.query(`UPDATE mail_batches SET status = 'rejected', reason = $2, finished_at = now(), updated_at = now() WHERE id = $1`, [batchId, reason]);
    tx.audit({ actor: systemActor('bureau du courrier'), action: 'mail.batch.reject', objectType: 'mail_batch', objectId: batchId, after: { reason } });
  });
}
