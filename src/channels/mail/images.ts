// Small pixel helpers: reading pdftoppm's gray PGM output, shrinking it for code detection, checking
// image headers before decoding (a 100 000 × 100 000 PNG is refused from its header), and decoding TIFF.
import { imageSize } from 'image-size';
import UTIF from 'utif2';
import { PNG } from 'pngjs';

export interface GrayImage {
  width: number;
  height: number;
  data: Uint8Array;
}

/** Parses a binary PGM (P5, 8-bit) as written by `pdftoppm -gray`. */
export function readPgm(buf: Buffer): GrayImage {
  let pos = 0;
  const tokens: string[] = [];
  while (tokens.length < 4) {
    while (pos < buf.length && /\s/.test(String.fromCharCode(buf[pos]))) pos++;
    if (buf[pos] === 0x23) {
      while (pos < buf.length && buf[pos] !== 0x0a) pos++;
      continue;
    }
    const start = pos;
    while (pos < buf.length && !/\s/.test(String.fromCharCode(buf[pos]))) pos++;
    tokens.push(buf.toString('latin1', start, pos));
  }
  pos++; // the single whitespace after maxval
  const [magic, w, h, max] = tokens;
  if (magic !== 'P5' || Number(max) > 255) throw new Error('PGM 8 bits attendu');
  const width = Number(w);
  const height = Number(h);
  return { width, height, data: new Uint8Array(buf.buffer, buf.byteOffset + pos, width * height) };
}

export function grayToRgba(img: GrayImage): Uint8ClampedArray {
  const out = new Uint8ClampedArray(img.width * img.height * 4);
  for (let i = 0, j = 0; i < img.data.length; i++, j += 4) {
    const v = img.data[i];
    out[j] = v;
    out[j + 1] = v;
    out[j + 2] = v;
    out[j + 3] = 255;
  }
  return out;
}

export function rgbaToGray(rgba: Uint8Array, width: number, height: number): GrayImage {
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    const a = rgba[j + 3] / 255;
    data[i] = Math.round((0.299 * rgba[j] + 0.587 * rgba[j + 1] + 0.114 * rgba[j + 2]) * a + 255 * (1 - a));
  }
  return { width, height, data };
}

/** Box-filter shrink so that the longest side is at most `maxSide` pixels. */
export function shrink(img: GrayImage, maxSide: number): GrayImage {
  const f = Math.ceil(Math.max(img.width, img.height) / maxSide);
  if (f <= 1) return img;
  const width = Math.floor(img.width / f);
  const height = Math.floor(img.height / f);
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      for (let dy = 0; dy < f; dy++) {
        const row = (y * f + dy) * img.width + x * f;
        for (let dx = 0; dx < f; dx++) sum += img.data[row + dx];
      }
      data[y * width + x] = Math.round(sum / (f * f));
    }
  }
  return { width, height, data };
}

export function encodeGrayPng(img: GrayImage): Buffer {
  const png = new PNG({ width: img.width, height: img.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.length);
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false });
}

/** Width and height from a JPEG or PNG header, without decoding; null when unreadable. */
export function headerSize(buf: Buffer): { width: number; height: number } | null {
  try {
    const s = imageSize(buf);
    return s.width && s.height ? { width: s.width, height: s.height } : null;
  } catch {
    return null;
  }
}

export interface TiffPage {
  width: number;
  height: number;
  ifd: UTIF.IFD;
}

/** The pages of a TIFF file with their sizes (pixel data not decoded yet). */
export function tiffPages(buf: Buffer): TiffPage[] {
  const ifds = UTIF.decode(buf);
  return ifds
    .map((ifd) => ({ ifd, width: Number((ifd.t256 as number[] | undefined)?.[0] ?? 0), height: Number((ifd.t257 as number[] | undefined)?.[0] ?? 0) }))
    .filter((p) => p.width > 0 && p.height > 0);
}

export function tiffPageGray(buf: Buffer, page: TiffPage): GrayImage {
  UTIF.decodeImage(buf, page.ifd);
  return rgbaToGray(UTIF.toRGBA8(page.ifd), page.width, page.height);
}
