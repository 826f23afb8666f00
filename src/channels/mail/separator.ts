// Separator sheets: Guichet prints them, clerks slip one between letters of a scanned batch, and the
// split job cuts the batch where it reads the code. A QR code (robust to a skewed, noisy scan) plus
// human text.
import QRCode from 'qrcode';
import jsQRModule from 'jsqr';
import { newPdf, pdfToBuffer } from './pdf-doc.ts';
import { grayToRgba, shrink, type GrayImage } from './images.ts';

// jsqr is CommonJS with a `default` property: take whichever the loader hands us
const jsQR = ((jsQRModule as any).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, width: number, height: number, opts?: { inversionAttempts?: string }) => { data: string } | null;

export const SEPARATOR_CODE = 'GUICHET:SEPARATEUR:1';

export async function separatorSheetPdf(copies = 1): Promise<Buffer> {
  const doc = newPdf({ title: 'Feuille de séparation' });
  const qr = QRCode.create(SEPARATOR_CODE, { errorCorrectionLevel: 'H' });
  const n = qr.modules.size;
  for (let c = 0; c < Math.max(1, copies); c++) {
    if (c > 0) doc.addPage();
    const side = 300;
    const cell = side / n;
    const x0 = (doc.page.width - side) / 2;
    const y0 = 200;
    doc.font('bold').fontSize(30).text('FEUILLE DE SÉPARATION', 0, 90, { align: 'center', width: doc.page.width });
    doc.rect(x0 - 4 * cell, y0 - 4 * cell, side + 8 * cell, side + 8 * cell).fill('#ffffff');
    doc.fillColor('#000000');
    for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) if (qr.modules.get(x, y)) doc.rect(x0 + x * cell, y0 + y * cell, cell, cell);
    doc.fill('#000000');
    doc.font('regular').fontSize(13).text(
      'Placez cette feuille entre deux courriers avant la numérisation. Guichet commence un nouveau courrier après elle ; elle n’est pas enregistrée.',
      80, y0 + side + 60, { align: 'center', width: doc.page.width - 160 },
    );
    doc.fontSize(9).fillColor('#555555').text(SEPARATOR_CODE, 0, doc.page.height - 90, { align: 'center', width: doc.page.width });
    doc.fillColor('#000000');
  }
  return pdfToBuffer(doc);
}

/** True when the page image carries the separator code. */
export function isSeparator(img: GrayImage): boolean {
  const small = shrink(img, 1000);
  const found = jsQR(grayToRgba(small), small.width, small.height, { inversionAttempts: 'dontInvert' });
  return found?.data === SEPARATOR_CODE;
}
