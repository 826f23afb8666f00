// Images become PDF pages at their own resolution, with their pixels intact: what the clerk sees and
// what the OCR reads is the scan itself. Each PNG form (kept compressed as is, or decoded first) and
// TIFF are rendered back by poppler and compared pixel by pixel.
import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import UTIF from 'utif2';
import { imageFileToPdf } from './to-pdf.ts';
import { pdfInfo, renderPage } from './poppler.ts';
import { readPgm } from './images.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-to-pdf-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const W = 60;
const H = 40;
/** A test card: left half dark gray (40), right half light (220), one black column at x = 10.
 *  Poppler smooths a rendered image by a few levels at sharp edges: pixels are compared within 8. */
const grayAt = (x: number) => (x === 10 ? 0 : x < W / 2 ? 40 : 220);

async function roundTrip(name: string, data: Buffer, type: 'image/png' | 'image/tiff') {
  const file = path.join(dir, name);
  fs.writeFileSync(file, data);
  const pdf = path.join(dir, `${name}.pdf`);
  fs.writeFileSync(pdf, await imageFileToPdf(file, type));
  const info = await pdfInfo(pdf);
  return { info, pdf };
}

async function renderedGray(pdf: string) {
  return readPgm(await renderPage(pdf, 1, 300, 'pgm'));
}

describe('scans to PDF', () => {
  it('keeps an 8-bit gray PNG page at its resolution, pixel for pixel', async () => {
    const png = new PNG({ width: W, height: H, colorType: 0, inputColorType: 0, inputHasAlpha: false });
    png.data = Buffer.alloc(W * H);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) png.data[y * W + x] = grayAt(x);
    const { info, pdf } = await roundTrip('gris.png', PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false }), 'image/png');
    expect(info.pages).toBe(1);
    expect(info.sizes[0].width).toBeCloseTo((W / 300) * 72, 1);
    const img = await renderedGray(pdf);
    expect([img.width, img.height]).toEqual([W, H]);
    for (const x of [0, 10, 20, 40, 59]) expect(Math.abs(img.data[20 * W + x] - grayAt(x)), `x = ${x}`).toBeLessThanOrEqual(8);
  });

  it('flattens a PNG with transparency on white and keeps its colours', async () => {
    const png = new PNG({ width: W, height: H });
    for (let i = 0; i < W * H; i++) {
      const x = i % W;
      png.data.set(x < W / 2 ? [200, 10, 10, 255] : [0, 0, 0, 0], i * 4); // red, then fully transparent
    }
    const { pdf } = await roundTrip('alpha.png', PNG.sync.write(png), 'image/png');
    const ppm = await renderPageColour(pdf);
    expect(ppm.pixel(5, 5)).toEqual([200, 10, 10]);
    expect(ppm.pixel(50, 5)).toEqual([255, 255, 255]);
  });

  it('turns each TIFF page into a gray page', async () => {
    const rgba = new Uint8Array(W * H * 4);
    for (let i = 0; i < W * H; i++) {
      const g = grayAt(i % W);
      rgba.set([g, g, g, 255], i * 4);
    }
    const tiff = Buffer.from(UTIF.encodeImage(rgba, W, H));
    const { info, pdf } = await roundTrip('page.tif', tiff, 'image/tiff');
    expect(info.pages).toBe(1);
    const img = await renderedGray(pdf);
    expect([img.width, img.height]).toEqual([W, H]);
    for (const x of [0, 10, 40, 59]) expect(Math.abs(img.data[5 * W + x] - grayAt(x)), `x = ${x}`).toBeLessThanOrEqual(8);
  });
});

async function renderPageColour(pdf: string) {
  const out = execFileSync('pdftoppm', ['-r', '300', '-singlefile', pdf]);
  const header = out.toString('latin1', 0, 20).split(/\s+/);
  const width = Number(header[1]);
  const offset = out.indexOf('255\n') + 4;
  return { pixel: (x: number, y: number) => [...out.subarray(offset + (y * width + x) * 3, offset + (y * width + x) * 3 + 3)] };
}
