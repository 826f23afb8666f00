// The TTF fonts embedded in generated letters. PDF built-in fonts cannot print the narrow no-break
// space French puts before « ; : ! ? », so we embed DejaVu (Debian fonts-dejavu-core).
import fs from 'node:fs';
import path from 'node:path';

const DIRS = [process.env.GUICHET_FONT_DIR, '/usr/share/fonts/truetype/dejavu'].filter(Boolean) as string[];

function find(file: string): string {
  for (const d of DIRS) {
    const p = path.join(d, file);
    if (fs.existsSync(p)) return p;
  }
  throw new Error(`Police ${file} introuvable : installez fonts-dejavu-core (scripts/install-system-deps.sh).`);
}

let cached: { regular: string; bold: string } | null = null;

export function letterFonts() {
  cached ??= { regular: find('DejaVuSans.ttf'), bold: find('DejaVuSans-Bold.ttf') };
  return cached;
}
