// A pdfkit document with the embedded fonts registered, collected into a Buffer.
import PDFDocument from 'pdfkit';
import { letterFonts } from './fonts.ts';

export type Pdf = InstanceType<typeof PDFDocument>;

// Parsing the DejaVu files costs about 0.1 s per document; pdfkit also accepts an already parsed
// (fontkit) font, so they are parsed once, in a scratch document never written, and handed to every
// document (≈ 8× faster; every document is then built the same way, so the same content gives the
// same bytes).
let parsed: { regular: unknown; bold: unknown } | null = null;

function parsedFonts() {
  if (!parsed) {
    const f = letterFonts();
    const scratch = new PDFDocument({ autoFirstPage: false });
    scratch.registerFont('regular', f.regular).registerFont('bold', f.bold);
    parsed = { regular: (scratch.font('regular') as any)._font.font, bold: (scratch.font('bold') as any)._font.font };
  }
  return parsed;
}

export function newPdf(info: { title: string; creationDate?: Date }): Pdf {
  const doc = new PDFDocument({
    size: 'A4', margins: { top: 56, bottom: 56, left: 64, right: 64 }, autoFirstPage: true,
    // a fixed creation date makes the file (and its file ID) the same for the same content
    info: { Title: info.title, Producer: 'Guichet', ...(info.creationDate ? { CreationDate: info.creationDate } : {}) },
  });
  const f = parsedFonts();
  // (typed as a file path; pdfkit takes a parsed font there too)
  doc.registerFont('regular', f.regular as string);
  doc.registerFont('bold', f.bold as string);
  doc.font('regular');
  return doc;
}

export function pdfToBuffer(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.end();
  });
}
