// First look at a stored scan: is it a file we can read, and a reasonable one? Every refusal comes
// with a French reason shown to the clerk; the raw file stays in the store whatever the verdict.
import fsp from 'node:fs/promises';
import { pdfInfo, ToolError } from './poppler.ts';
import { headerSize, tiffPages } from './images.ts';

export const SCAN_TYPES = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const;
export type ScanType = (typeof SCAN_TYPES)[number];

/** Largest page side accepted, in points (A2 is 1684 pt): beyond, it is not a letter. */
export const MAX_PAGE_POINTS = 2000;
/** Largest image side and area accepted, in pixels (A3 at 600 dpi is about 7 000 × 9 900). */
export const MAX_IMAGE_SIDE = 12_000;
export const MAX_IMAGE_PIXELS = 100_000_000;

export type Verdict = { ok: true; type: ScanType; pages: number } | { ok: false; reason: string };

export async function inspectScan(file: string, mimeType: string, size: number, maxPages: number): Promise<Verdict> {
  if (size === 0) return { ok: false, reason: 'Le fichier est vide (0 octet).' };
  if (!(SCAN_TYPES as readonly string[]).includes(mimeType)) {
    return { ok: false, reason: `Type de fichier non accepté (${mimeType}) : envoyez un PDF, un TIFF, un JPEG ou un PNG.` };
  }
  const type = mimeType as ScanType;
  if (type === 'application/pdf') {
    let info;
    try {
      info = await pdfInfo(file, maxPages);
    } catch (err) {
      const msg = err instanceof ToolError ? err.stderr : '';
      if (/incorrect password|encrypt|password/i.test(msg)) return { ok: false, reason: 'Le PDF est protégé par un mot de passe : il ne peut pas être lu.' };
      if (err instanceof ToolError && /introuvable/.test(err.message)) throw err;
      return { ok: false, reason: 'Le PDF est endommagé ou illisible.' };
    }
    // (a PDF encrypted with an owner password only opens without one: poppler reads it, so it is accepted)
    if (info.pages === 0) return { ok: false, reason: 'Le PDF ne contient aucune page.' };
    if (info.pages > maxPages) return { ok: false, reason: `Le fichier compte ${info.pages} pages (maximum ${maxPages}) : découpez le lot avant de le déposer.` };
    const huge = info.sizes.findIndex((s) => Math.max(s.width, s.height) > MAX_PAGE_POINTS);
    if (huge >= 0) return { ok: false, reason: `La page ${huge + 1} a des dimensions démesurées (${Math.round(info.sizes[huge].width / 72 * 25.4)} × ${Math.round(info.sizes[huge].height / 72 * 25.4)} mm) : ce n’est pas un courrier.` };
    return { ok: true, type, pages: info.pages };
  }
  const buf = await fsp.readFile(file);
  if (type === 'image/tiff') {
    let pages;
    try {
      pages = tiffPages(buf);
    } catch {
      return { ok: false, reason: 'Le fichier TIFF est endommagé ou illisible.' };
    }
    if (!pages.length) return { ok: false, reason: 'Le fichier TIFF ne contient aucune image.' };
    if (pages.length > maxPages) return { ok: false, reason: `Le fichier compte ${pages.length} pages (maximum ${maxPages}) : découpez le lot avant de le déposer.` };
    const bad = pages.find((p) => tooBig(p.width, p.height));
    if (bad) return { ok: false, reason: dimensionReason(bad.width, bad.height) };
    return { ok: true, type, pages: pages.length };
  }
  const dims = headerSize(buf);
  if (!dims) return { ok: false, reason: 'L’image est endommagée ou illisible.' };
  if (tooBig(dims.width, dims.height)) return { ok: false, reason: dimensionReason(dims.width, dims.height) };
  return { ok: true, type, pages: 1 };
}

function tooBig(w: number, h: number) {
  return Math.max(w, h) > MAX_IMAGE_SIDE || w * h > MAX_IMAGE_PIXELS;
}

function dimensionReason(w: number, h: number) {
  return `L’image mesure ${w} × ${h} pixels : dimensions excessives (au plus ${MAX_IMAGE_SIDE} pixels de côté).`;
}
