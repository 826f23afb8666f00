// Images (JPEG, PNG, multi-page TIFF) become a PDF with one page per image, at the scan's resolution,
// so that splitting, text extraction and the letter's own file work the same for every input.
//
// PNG and TIFF pages are embedded as image objects written here, not through pdfkit's `image()`:
// pdfkit reads a PNG with png-js, which copies the compressed data byte by byte in JavaScript
// (≈ 150 ms of the event loop for one 300 dpi page). A plain gray or RGB PNG keeps its own compressed
// data (PDF's Flate filter with the PNG predictors reads it as is); anything else is decoded once with
// pngjs (zlib in C) and compressed again.
import fsp from 'node:fs/promises';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { PNG } from 'pngjs';
import { headerSize, tiffPageGray, tiffPages } from './images.ts';
import { pdfToBuffer } from './pdf-doc.ts';
import type { ScanType } from './inspect.ts';

/** Scanners write 200–300 dpi; without a reliable density we assume 300. */
export const ASSUMED_DPI = 300;

/** Image samples ready for a PDF image object: Flate-compressed, optionally with PNG row predictors. */
interface FlateImage {
  width: number;
  height: number;
  colors: 1 | 3;
  bits: 1 | 2 | 4 | 8;
  data: Buffer;
  pngPredictors: boolean;
}

export async function imageFileToPdf(file: string, type: Exclude<ScanType, 'application/pdf'>): Promise<Buffer> {
  const buf = await fsp.readFile(file);
  const doc = new PDFDocument({ autoFirstPage: false, info: { Producer: 'Guichet' } });
  const page = (w: number, h: number) => {
    const size: [number, number] = [(w / ASSUMED_DPI) * 72, (h / ASSUMED_DPI) * 72];
    doc.addPage({ size, margin: 0 });
    return size;
  };
  if (type === 'image/tiff') {
    for (const p of tiffPages(buf)) {
      const gray = tiffPageGray(buf, p);
      drawFlateImage(doc, { width: gray.width, height: gray.height, colors: 1, bits: 8, data: zlib.deflateSync(gray.data, { level: 3 }), pngPredictors: false }, page(p.width, p.height));
    }
  } else if (type === 'image/png') {
    const img = pngForPdf(buf);
    drawFlateImage(doc, img, page(img.width, img.height));
  } else {
    const dims = headerSize(buf);
    if (!dims) throw new Error('image illisible');
    const [pw, ph] = page(dims.width, dims.height);
    doc.image(buf, 0, 0, { width: pw, height: ph }); // JPEG: pdfkit only reads its markers
  }
  return pdfToBuffer(doc as any);
}

/** A PNG as PDF image samples: its own compressed rows when PDF can read them, else decoded once. */
function pngForPdf(buf: Buffer): FlateImage {
  const direct = directPng(buf);
  if (direct) return direct;
  const png = PNG.sync.read(buf); // palette, alpha, 16-bit or interlaced: decode, flatten on white
  const rgb = Buffer.alloc(png.width * png.height * 3);
  for (let i = 0, o = 0; i < png.data.length; i += 4, o += 3) {
    const a = png.data[i + 3];
    for (let c = 0; c < 3; c++) rgb[o + c] = Math.round((png.data[i + c] * a + 255 * (255 - a)) / 255);
  }
  return { width: png.width, height: png.height, colors: 3, bits: 8, data: zlib.deflateSync(rgb, { level: 3 }), pngPredictors: false };
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Gray (1–8 bits) or 8-bit RGB, not interlaced: the IDAT stream is what PDF's Flate filter reads. */
function directPng(buf: Buffer): FlateImage | null {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const bits = buf[24];
  const colorType = buf[25];
  const interlaced = buf[28] !== 0;
  const ok = !interlaced && ((colorType === 0 && [1, 2, 4, 8].includes(bits)) || (colorType === 2 && bits === 8));
  if (!ok) return null;
  const idat: Buffer[] = [];
  for (let pos = 8; pos + 8 <= buf.length; ) {
    const length = buf.readUInt32BE(pos);
    const kind = buf.toString('latin1', pos + 4, pos + 8);
    if (pos + 12 + length > buf.length) return null; // cut file: let pngjs say what is wrong
    if (kind === 'IDAT') idat.push(buf.subarray(pos + 8, pos + 8 + length));
    if (kind === 'IEND') break;
    pos += 12 + length;
  }
  if (!idat.length) return null;
  return { width, height, colors: colorType === 0 ? 1 : 3, bits: bits as FlateImage['bits'], data: Buffer.concat(idat), pngPredictors: true };
}

/** Draws the image over the whole current page (pdfkit's own image() does the same transform). */
function drawFlateImage(doc: PDFKit.PDFDocument, img: FlateImage, [pw, ph]: [number, number]) {
  const d = doc as any;
  const ref = d.ref({
    Type: 'XObject', Subtype: 'Image', Width: img.width, Height: img.height, BitsPerComponent: img.bits,
    ColorSpace: img.colors === 1 ? 'DeviceGray' : 'DeviceRGB', Filter: 'FlateDecode',
    ...(img.pngPredictors ? { DecodeParms: { Predictor: 15, Colors: img.colors, BitsPerComponent: img.bits, Columns: img.width } } : {}),
  });
  ref.end(img.data);
  const label = `I${ref.id}`;
  d.page.xobjects[label] = ref;
  doc.save();
  doc.transform(pw, 0, 0, -ph, 0, ph);
  d.addContent(`/${label} Do`);
  doc.restore();
}
