// The page of a letter Guichet prints: letterhead, recipient block placed for a window envelope,
// references, subject, body, signature. Shared by acknowledgements and replies.
import type { Config } from '../../platform/config.ts';
import { newPdf, pdfToBuffer, type Pdf } from './pdf-doc.ts';

export interface LetterContent {
  title: string;
  chrono: string;
  caseReference: string;
  date: string;
  recipient: string[];
  subject: string;
  /** Paragraphs; a paragraph starting with "## " is a bold heading. */
  paragraphs: string[];
  signature: string[];
  unit?: { name: string; address: string[]; phone: string | null; email: string | null } | null;
  /** The PDF's creation date (default now). */
  createdAt?: Date;
}

const NNBSP = '\u202f';

/** French typography: a narrow no-break space before ; : ! ? and inside « ». */
export function frenchSpacing(s: string): string {
  return s
    .replace(/\s+([;:!?»])/g, `${NNBSP}$1`)
    .replace(/([^\s\d])([;!?»])/g, `$1${NNBSP}$2`)
    .replace(/«\s*/g, `«${NNBSP}`);
}

export async function renderLetter(letterhead: Config['mail']['letterhead'], c: LetterContent): Promise<Buffer> {
  const doc = newPdf({ title: c.title, creationDate: c.createdAt });
  const left = doc.page.margins.left;
  const width = doc.page.width - left - doc.page.margins.right;
  doc.font('bold').fontSize(14).text(letterhead.name, left, 50);
  doc.font('regular').fontSize(8.5).fillColor('#333333');
  for (const l of letterhead.address) doc.text(l);
  if (letterhead.phone) doc.text(`Tél. ${letterhead.phone}`);
  if (c.unit) {
    doc.moveDown(0.5).font('bold').text(c.unit.name).font('regular');
    for (const l of c.unit.address) doc.text(l);
    if (c.unit.phone) doc.text(`Tél. ${c.unit.phone}`);
    if (c.unit.email) doc.text(c.unit.email);
  }
  doc.fillColor('#000000');
  // recipient block: window envelope (DL, window on the right, 45–90 mm from the top)
  doc.fontSize(10.5).text(c.recipient.join('\n'), 320, 150, { width: 220 });
  doc.fontSize(9.5).text(`N/Réf. : ${c.caseReference} — courrier ${c.chrono}`, left, 250, { width });
  doc.text(frenchSpacing(c.date), left, 250, { width, align: 'right' });
  doc.moveDown(1.5).font('bold').fontSize(10.5).text(frenchSpacing(`Objet : ${c.subject}`), left, undefined, { width });
  doc.moveDown(1).font('regular');
  for (const p of c.paragraphs) writeParagraph(doc, p, left, width);
  doc.moveDown(1);
  for (const s of c.signature) doc.text(frenchSpacing(s), left + width / 2, undefined, { width: width / 2 });
  return pdfToBuffer(doc);
}

function writeParagraph(doc: Pdf, p: string, left: number, width: number) {
  if (p.startsWith('## ')) {
    doc.moveDown(0.3).font('bold').fontSize(10).text(frenchSpacing(p.slice(3)), left, undefined, { width }).font('regular').fontSize(10.5);
    return;
  }
  doc.fontSize(p.startsWith('~ ') ? 8.5 : 10.5).text(frenchSpacing(p.replace(/^~ /, '')), left, undefined, { width, align: 'justify' });
  doc.fontSize(10.5).moveDown(0.6);
}

export function frenchLongDate(d: Date | string): string {
  const date = typeof d === 'string' ? new Date(`${d}T12:00:00Z`) : d;
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' }).format(date).replace(/^1 /, '1er ');
}
