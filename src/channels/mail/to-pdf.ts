// Images (JPEG, PNG, multi-page TIFF) become a PDF with one page per image, at the scan's resolution,
// so that splitting, text extraction and the letter's own file work the same for every input.
import fsp from 'node:fs/promises';
import PDFDocument from 'pdfkit';
import { encodeGrayPng, headerSize, tiffPageGray, tiffPages } from './images.ts';
import { pdfToBuffer } from './pdf-doc.ts';
import type { ScanType } from './inspect.ts';

/** Scanners write 200–300 dpi; without a reliable density we assume 300. */
export const ASSUMED_DPI = 300;

export async function imageFileToPdf(file: string, type: Exclude<ScanType, 'application/pdf'>): Promise<Buffer> {
  const buf = await fsp.readFile(file);
  const doc = new PDFDocument({ autoFirstPage: false, info: { Producer: 'Guichet' } });
  const add = (img: Buffer, w: number, h: number) => {
    const pw = (w / ASSUMED_DPI) * 72;
    const ph = (h / ASSUMED_DPI) * 72;
    doc.addPage({ size: [pw, ph], margin: 0 });
    doc.image(img, 0, 0, { width: pw, height: ph });
  };
  if (type === 'image/tiff') {
    for (const page of tiffPages(buf)) add(encodeGrayPng(tiffPageGray(buf, page)), page.width, page.height);
  } else {
    const dims = headerSize(buf);
    if (!dims) throw new Error('image illisible');
    add(buf, dims.width, dims.height);
  }
  return pdfToBuffer(doc as any);
}
