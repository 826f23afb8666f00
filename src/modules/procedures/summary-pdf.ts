// The PDF summary of a submitted procedure (pdfkit with an embedded DejaVu font, so French typography —
// narrow no-break spaces, « », œ, € — prints as typed). Produced by the 'portal.submission-pdf' job,
// stored in the file store and attached to the case's first portal message.
import fs from 'node:fs';
import PDFDocument from 'pdfkit';
import type { Runtime } from '../../platform/runtime.ts';
import type { SummarySection } from './submission.service.ts';

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
const REGULAR = `${FONT_DIR}/DejaVuSans.ttf`;
const BOLD = `${FONT_DIR}/DejaVuSans-Bold.ttf`;

// Parsing the DejaVu files (fontkit) cost about 80 ms of CPU per summary, ten times the submission
// itself. pdfkit also takes an already parsed font: they are parsed once per process, in a scratch
// document never written, and handed to every document (each still embeds its own subset).
let fonts: { regular: string; bold: string } | null = null;

function summaryFonts(): { regular: string; bold: string } {
  if (!fonts) {
    if (fs.existsSync(REGULAR) && fs.existsSync(BOLD)) {
      const scratch = new PDFDocument({ autoFirstPage: false });
      const parsed = (file: string) => (scratch.font(file) as unknown as { _font: { font: string } })._font.font;
      // (typed as a file path: pdfkit takes a parsed font there too)
      fonts = { regular: parsed(REGULAR), bold: parsed(BOLD) };
    } else {
      fonts = { regular: 'Helvetica', bold: 'Helvetica-Bold' };
    }
  }
  return fonts;
}

export function renderSummaryPdf(input: { title: string; reference: string; submittedAt: Date; who: string; sections: SummarySection[]; files: string[] }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // font: null — no default Helvetica (its metrics would be parsed for every document, unused)
    const doc = new PDFDocument({ size: 'A4', margin: 56, font: null as unknown as string, info: { Title: `${input.title} – ${input.reference}`, Author: 'Espace citoyens' } });
    const f = summaryFonts();
    doc.registerFont('regular', f.regular).registerFont('bold', f.bold);
    const regular = 'regular';
    const bold = 'bold';
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const when = input.submittedAt.toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' });
    doc.font(bold).fontSize(16).text(input.title);
    doc.moveDown(0.3).font(regular).fontSize(10).fillColor('#333')
      .text(`Demande n° ${input.reference} déposée le ${when} sur l’espace citoyens par ${input.who}.`);
    for (const s of input.sections) {
      doc.moveDown(0.8).fillColor('#000').font(bold).fontSize(12).text(s.title);
      doc.moveDown(0.2);
      for (const i of s.items) {
        doc.font(bold).fontSize(9.5).text(`${i.label} : `, { continued: true }).font(regular).text(i.value);
      }
    }
    if (input.files.length) {
      doc.moveDown(0.8).font(bold).fontSize(12).text('Pièces jointes');
      for (const f of input.files) doc.font(regular).fontSize(9.5).text(`• ${f}`);
    }
    doc.end();
  });
}

/** Job body: idempotent (a second run finds the PDF already attached). */
export async function produceSubmissionPdf(rt: Runtime, submissionId: string): Promise<void> {
  const { rows } = await rt.db.query<{ case_id: string; reference: string; title: string; summary: SummarySection[]; files: Array<{ filename: string }>; created_at: Date; pdf_sha256: string | null; who: string }>(
    `SELECT s.case_id, c.reference, p.title, s.summary, s.files, s.created_at, s.pdf_sha256, coalesce(ct.display_name, 'un usager') AS who
       FROM procedure_submissions s JOIN cases c ON c.id = s.case_id JOIN procedures p ON p.slug = s.procedure_slug
       LEFT JOIN contacts ct ON ct.id = c.contact_id WHERE s.id = $1`,
    [submissionId],
  );
  const s = rows[0];
  if (!s || s.pdf_sha256) return;
  const pdf = await renderSummaryPdf({ title: s.title, reference: s.reference, submittedAt: s.created_at, who: s.who, sections: s.summary, files: s.files.map((f) => f.filename) });
  await rt.db.tx(async (tx) => {
    const stored = await rt.files.put(tx, pdf, { declaredType: 'application/pdf', allowed: ['application/pdf'] });
    const r = await tx.query(`UPDATE procedure_submissions SET pdf_sha256 = $2 WHERE id = $1 AND pdf_sha256 IS NULL`, [submissionId, stored.sha256]);
    if (!r.rowCount) return;
    // attach it to the first portal message of the case (the deposit), after the citizen's files
    await tx.query(
      `INSERT INTO interaction_attachments (interaction_id, sha256, filename, mime_type, size, position)
       SELECT i.id, $2, $3, 'application/pdf', $4, 1000 FROM interactions i
        WHERE i.case_id = $1 AND i.kind = 'portal_message' ORDER BY i.occurred_at, i.created_at LIMIT 1`,
      [s.case_id, stored.sha256, `recapitulatif-${s.reference}.pdf`, stored.size],
    );
    tx.audit({ actor: { kind: 'system', id: null, label: 'portail', roles: [], unitIds: [] }, action: 'procedure.summary_pdf', objectType: 'case', objectId: s.case_id, after: { sha256: stored.sha256 } });
  });
}
