// The text job of one letter: every page without a text layer is rendered at 300 dpi and read by the
// OCR pool; each page is committed as soon as it is read (a restart resumes where it stopped, and the
// batch progress moves page by page). Then the letter's text and proposals are stored and the letter
// waits for qualification.
import { systemActor } from '../../platform/actor.ts';
import type { Runtime } from '../../platform/runtime.ts';
import { pdfInfo, renderPage } from './poppler.ts';
import { sharedOcrPool } from './ocr-pool.ts';
import { proposeFor } from './proposals.service.ts';

const OCR_DPI = 300;
/** Largest rendered side in pixels (a big page is rendered at a lower resolution). */
const MAX_RENDER_SIDE = 5000;

interface PageRow {
  position: number;
  status: 'pending' | 'done' | 'failed';
  source: string | null;
  text: string | null;
  confidence: number | null;
}

export async function extractLetterText(rt: Runtime, letterId: string): Promise<void> {
  const db = rt.db;
  const { rows: l } = await db.query(`SELECT id, batch_id AS "batchId", sha256, status FROM mail_letters WHERE id = $1`, [letterId]);
  const letter = l[0];
  if (!letter || letter.status !== 'received') return;
  const file = rt.files.pathOf(letter.sha256);
  const { rows: pending } = await db.query<PageRow>(`SELECT position FROM mail_pages WHERE letter_id = $1 AND status = 'pending' ORDER BY position`, [letterId]);
  if (pending.length) {
    const info = await pdfInfo(file, 10_000).catch(() => null);
    const pool = sharedOcrPool(rt.config.mail.ocrWorkers);
    let next = 0;
    const workerLoop = async () => {
      while (next < pending.length) {
        const page = pending[next++];
        const size = info?.sizes[page.position];
        const dpi = size ? Math.max(72, Math.min(OCR_DPI, Math.floor((MAX_RENDER_SIDE / Math.max(size.width, size.height)) * 72))) : OCR_DPI;
        let result: { status: 'done' | 'failed'; source: string; text: string | null; confidence: number | null; reason: string | null };
        try {
          // PGM, not PNG: pdftoppm's PNG compression of a 300 dpi page costs far more than the OCR reading it
          const png = await renderPage(file, page.position + 1, dpi, 'pgm');
          const r = await pool.recognize(png);
          result = { status: 'done', source: 'ocr', text: r.text, confidence: r.confidence, reason: null };
        } catch (err) {
          result = { status: 'failed', source: 'none', text: null, confidence: null, reason: `Page illisible : ${(err as Error).message}`.slice(0, 500) };
        }
        await db.tx(async (tx) => {
          const u = await tx.query(
            `UPDATE mail_pages SET status = $3, source = $4, text = $5, confidence = $6, reason = $7, done_at = now()
              WHERE letter_id = $1 AND position = $2 AND status = 'pending'`,
            [letterId, page.position, result.status, result.source, result.text, result.confidence, result.reason],
          );
          if (u.rowCount && letter.batchId) await tx.query(`UPDATE mail_batches SET pages_done = pages_done + 1, updated_at = now() WHERE id = $1`, [letter.batchId]);
        });
      }
    };
    // as many pages in flight as OCR workers: rendering the next page overlaps with recognition
    await Promise.all(Array.from({ length: Math.max(1, Math.min(pool.size, pending.length)) }, workerLoop));
  }
  await finishLetter(rt, letterId);
}

async function finishLetter(rt: Runtime, letterId: string) {
  const db = rt.db;
  const actor = systemActor('bureau du courrier');
  const { rows: pages } = await db.query<PageRow & { reason: string | null }>(
    `SELECT position, status, source, text, confidence, reason FROM mail_pages WHERE letter_id = $1 ORDER BY position`,
    [letterId],
  );
  if (pages.some((p) => p.status === 'pending')) throw new Error('pages still pending');
  const text = pages.map((p) => (p.text ?? '').trim()).filter(Boolean).join('\n\n');
  const sources = new Set(pages.filter((p) => p.status === 'done').map((p) => p.source));
  const source = !text ? 'none' : sources.size > 1 ? 'mixed' : sources.has('ocr') ? 'ocr' : 'pdf_text';
  const ocr = pages.filter((p) => p.source === 'ocr' && p.confidence !== null);
  const confidence = ocr.length ? ocr.reduce((s, p) => s + (p.confidence ?? 0), 0) / ocr.length : null;
  const warnings = pages.filter((p) => p.status === 'failed').map((p) => `Page ${p.position + 1} : ${p.reason ?? 'illisible'}`);
  if (!text) warnings.push('Aucun texte n’a pu être lu : qualifiez ce courrier à partir de l’image.');
  else if (confidence !== null && confidence < 60) warnings.push(`Lecture incertaine (confiance ${Math.round(confidence)} %) : vérifiez les propositions.`);

  const moved = await db.tx(async (tx) => {
    const r = await tx.query(
      `UPDATE mail_letters SET status = 'text_extracted', text_extracted_at = now(), text = $2, text_source = $3, ocr_confidence = $4, warnings = $5, updated_at = now()
        WHERE id = $1 AND status = 'received'`,
      [letterId, text, source, confidence, warnings],
    );
    if (r.rowCount) tx.audit({ actor, action: 'mail.letter.text', objectType: 'mail_letter', objectId: letterId, before: { status: 'received' }, after: { status: 'text_extracted', source, confidence, warnings } });
    return !!r.rowCount;
  });
  if (!moved) return;
  const proposals = await proposeFor(db, text);
  await db.tx(async (tx) => {
    // the batch row is locked first so that the last letter to finish sees all the others finished
    await tx.query(`SELECT 1 FROM mail_batches WHERE id = (SELECT batch_id FROM mail_letters WHERE id = $1) FOR UPDATE`, [letterId]);
    const r = await tx.query(
      `UPDATE mail_letters SET status = 'to_qualify', to_qualify_at = now(), proposals = $2, subject = coalesce(subject, $3), updated_at = now()
        WHERE id = $1 AND status = 'text_extracted' RETURNING batch_id AS "batchId"`,
      [letterId, JSON.stringify(proposals), proposals.subject?.value ?? null],
    );
    if (!r.rowCount) return;
    tx.audit({ actor, action: 'mail.letter.propose', objectType: 'mail_letter', objectId: letterId, before: { status: 'text_extracted' }, after: { status: 'to_qualify', topic: proposals.topic?.value.code ?? null, unit: proposals.unit?.value.code ?? null } });
    const batchId = r.rows[0].batchId;
    if (batchId) {
      await tx.query(
        `UPDATE mail_batches SET status = 'done', finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'extracting'
            AND NOT EXISTS (SELECT 1 FROM mail_letters WHERE batch_id = $1 AND status IN ('received', 'text_extracted'))`,
        [batchId],
      );
    }
  });
}
