// A pdfkit document with the embedded fonts registered, collected into a Buffer.
import PDFDocument from 'pdfkit';
import { letterFonts } from './fonts.ts';

export type Pdf = InstanceType<typeof PDFDocument>;

export function newPdf(info: { title: string }): Pdf {
  const doc = new PDFDocument({ size: 'A4', margins: { top: 56, bottom: 56, left: 64, right: 64 }, info: { Title: info.title, Producer: 'Guichet' }, autoFirstPage: true });
  const f = letterFonts();
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
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
