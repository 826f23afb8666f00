// What the deposit form checks before sending a scan (the server checks again, and further: pages,
// dimensions, encryption). Plain functions, tested without a browser.
import { formatSize } from '../../format.ts';

export interface Limits {
  types: string[];
  maxBytes: number;
  maxPages: number;
}

/** File name endings a scanner gives the types the mail office reads (when the browser gives no type). */
const EXTENSIONS: Record<string, string> = { pdf: 'application/pdf', tif: 'image/tiff', tiff: 'image/tiff', jpg: 'image/jpeg', jpeg: 'image/jpeg', png: 'image/png' };

/** The file input's `accept`: endings and types. */
export const ACCEPT = [...Object.keys(EXTENSIONS).map((e) => `.${e}`), ...new Set(Object.values(EXTENSIONS))].join(',');

/** « 50 Mo », as the server says it. */
export const mebibytes = (n: number) => `${Math.round(n / 1048576)} Mo`;

/** Why a file cannot be deposited, in French; null when it may be sent. */
export function refusalOf(file: { name: string; size: number; type: string }, limits: Limits): string | null {
  const ext = /\.([a-z0-9]+)$/i.exec(file.name)?.[1]?.toLowerCase() ?? '';
  const type = limits.types.includes(file.type) ? file.type : EXTENSIONS[ext];
  if (!type || !limits.types.includes(type)) return 'Type de fichier non accepté : envoyez un PDF, un TIFF, un JPEG ou un PNG.';
  if (file.size === 0) return 'Le fichier est vide (0 octet).';
  if (file.size > limits.maxBytes) return `Fichier trop volumineux (${formatSize(file.size)}) : au plus ${mebibytes(limits.maxBytes)} par fichier.`;
  return null;
}
