// Letters for the tests, made by the suite itself: a French letter laid out by pdfkit (with a text
// layer), a degraded scan of it (rasterised, slightly rotated, noisy — no text layer), and batches
// joined with separator sheets.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { newPdf, pdfToBuffer } from '../pdf-doc.ts';
import { encodeGrayPng, readPgm, type GrayImage } from '../images.ts';
import { renderPage, unitePdfs } from '../poppler.ts';
import { separatorSheetPdf } from '../separator.ts';

export interface TestLetter {
  sender: string[];
  subject: string;
  reference?: string;
  date?: string;
  body: string[];
}

export const SAMPLE_LETTER: TestLetter = {
  sender: ['Madame Jeanne MARTIN', '12 rue des Lilas', '45000 Orléans', 'jeanne.martin@exemple.fr', 'Tél. 06 12 34 56 78'],
  subject: 'Nid-de-poule dangereux sur la route départementale',
  reference: '2026-000123',
  date: 'Orléans, le 12 mars 2026',
  body: [
    'Monsieur le Président,',
    'Je vous signale un trou profond sur la chaussée de la route départementale 2020, à la sortie du village. Plusieurs voitures ont déjà été endommagées.',
    'Je vous remercie de bien vouloir faire intervenir vos services rapidement.',
    'Veuillez agréer, Monsieur le Président, mes salutations distinguées.',
  ],
};

export async function letterPdf(l: TestLetter = SAMPLE_LETTER, pages = 1): Promise<Buffer> {
  const doc = newPdf({ title: l.subject });
  doc.fontSize(12);
  for (const s of l.sender) doc.text(s);
  doc.moveDown(2);
  for (const r of ['Monsieur le Président', 'Conseil départemental du Loiret', '15 rue Eugène Vignat', '45945 Orléans Cedex 9']) doc.text(r, 300);
  doc.moveDown(2);
  if (l.date) doc.text(l.date, 300);
  doc.moveDown(1.5);
  doc.text(`Objet : ${l.subject}`, 64);
  if (l.reference) doc.text(`Réf. ${l.reference}`, 64);
  doc.moveDown(1.5);
  for (const p of l.body) doc.text(p, 64, undefined, { align: 'left', width: 460 }).moveDown(0.8);
  for (let i = 1; i < pages; i++) doc.addPage().text(`Page ${i + 1} : suite du courrier ${l.subject}.`);
  return pdfToBuffer(doc);
}

/** Tiny deterministic PRNG so that the "noise" is the same on every run. */
function prng(seed: number) {
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0;
    return seed / 2 ** 32;
  };
}

/** A scan of the letter: 200 dpi gray, rotated by `degrees`, with salt-and-pepper noise, as PNG. */
export async function degradedScan(pdf: Buffer, opts: { degrees?: number; noise?: number; dpi?: number } = {}): Promise<Buffer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-scan-'));
  try {
    const file = path.join(dir, 'l.pdf');
    await fsp.writeFile(file, pdf);
    const img = readPgm(await renderPage(file, 1, opts.dpi ?? 200, 'pgm'));
    return encodeGrayPng(noisy(rotate(img, opts.degrees ?? 0.7), opts.noise ?? 0.01));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function rotate(img: GrayImage, degrees: number): GrayImage {
  const a = (degrees * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cx = img.width / 2;
  const cy = img.height / 2;
  const data = new Uint8Array(img.width * img.height).fill(255);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const sx = Math.round(cos * (x - cx) + sin * (y - cy) + cx);
      const sy = Math.round(-sin * (x - cx) + cos * (y - cy) + cy);
      if (sx >= 0 && sy >= 0 && sx < img.width && sy < img.height) data[y * img.width + x] = img.data[sy * img.width + sx];
    }
  }
  return { width: img.width, height: img.height, data };
}

function noisy(img: GrayImage, rate: number): GrayImage {
  const rnd = prng(42);
  const data = Uint8Array.from(img.data);
  for (let i = 0; i < data.length; i++) {
    const r = rnd();
    if (r < rate / 2) data[i] = 0;
    else if (r < rate) data[i] = 255;
    else data[i] = Math.max(0, Math.min(255, data[i] + Math.round((rnd() - 0.5) * 40)));
  }
  return { width: img.width, height: img.height, data };
}

/** Letters joined into one batch PDF with a separator sheet between each. */
export async function batchWithSeparators(letters: Buffer[]): Promise<Buffer> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-batch-'));
  try {
    const sep = path.join(dir, 'sep.pdf');
    await fsp.writeFile(sep, await separatorSheetPdf());
    const files: string[] = [];
    for (const [i, l] of letters.entries()) {
      if (i > 0) files.push(sep);
      const f = path.join(dir, `l${i}.pdf`);
      await fsp.writeFile(f, l);
      files.push(f);
    }
    return await unitePdfs(files);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function multipart(filename: string, content: Buffer, type: string) {
  const boundary = '----guichet' + Math.random().toString(16).slice(2);
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
