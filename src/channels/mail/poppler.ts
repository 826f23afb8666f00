// Thin wrappers around Debian poppler-utils (pdfinfo, pdftotext, pdftoppm, pdfseparate, pdfunite):
// each call runs in a child process with a timeout and bounded output, so a hostile PDF can slow a
// job down but never take the server with it.
import { execFile } from 'node:child_process';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly stderr: string,
    message: string,
  ) {
    super(message);
  }
}

function run(tool: string, args: string[], opts: { timeoutMs?: number; binary?: boolean } = {}): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      tool,
      args,
      { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 256 * 1024 * 1024, encoding: 'buffer', killSignal: 'SIGKILL' },
      (err, stdout, stderr) => {
        if (err) {
          const e = err as NodeJS.ErrnoException & { killed?: boolean };
          if (e.code === 'ENOENT') return reject(new ToolError(tool, '', `${tool} est introuvable : installez poppler-utils (scripts/install-system-deps.sh).`));
          return reject(new ToolError(tool, stderr.toString('utf8').slice(0, 2000), e.killed ? `${tool} : délai dépassé` : `${tool} : ${stderr.toString('utf8').trim().split('\n')[0] || e.message}`));
        }
        resolve(stdout);
      },
    );
    // batch work gives way to the API: lower the child's priority (best effort)
    if (child.pid) {
      try {
        os.setPriority(child.pid, 10);
      } catch {
        /* not permitted: normal priority */
      }
    }
  });
}

export interface PdfInfo {
  pages: number;
  encrypted: boolean;
  /** Page sizes in points (1/72 inch). */
  sizes: Array<{ width: number; height: number }>;
}

export async function pdfInfo(file: string, maxPagesForSizes = 1000): Promise<PdfInfo> {
  // One run gives the page count and the sizes of the first pages: every process started from the
  // server costs a fork of a large address space (the OCR workers' memory), more than pdfinfo itself.
  const out = (await run('pdfinfo', ['-f', '1', '-l', String(Math.max(1, maxPagesForSizes)), file], { timeoutMs: 30_000 })).toString('utf8');
  const pages = Number(/^Pages:\s+(\d+)/m.exec(out)?.[1] ?? 0);
  const encrypted = /^Encrypted:\s+yes/m.test(out);
  const sizes: PdfInfo['sizes'] = [];
  if (pages > 0 && pages <= maxPagesForSizes) {
    for (const m of out.matchAll(/^Page\s+\d+\s+size:\s+([\d.]+)\s+x\s+([\d.]+)/gm)) sizes.push({ width: Number(m[1]), height: Number(m[2]) });
  }
  return { pages, encrypted, sizes };
}

/** The text layer, one string per page (pdftotext separates pages with form feeds). */
export async function pdfPageTexts(file: string, pages: number): Promise<string[]> {
  const out = (await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-'], { timeoutMs: 120_000 })).toString('utf8');
  const parts = out.split('\f');
  return Array.from({ length: pages }, (_, i) => parts[i] ?? '');
}

/** One page as an image: 'pgm' (8-bit gray, easy to read in JS) or 'png' (for OCR). */
export async function renderPage(file: string, page: number, dpi: number, format: 'pgm' | 'png'): Promise<Buffer> {
  const args = ['-f', String(page), '-l', String(page), '-r', String(dpi), '-gray', '-singlefile'];
  if (format === 'png') args.push('-png');
  return run('pdftoppm', [...args, file], { timeoutMs: 120_000 });
}

/** Pages [from..to] as 8-bit gray PGM images, in one pdftoppm run (the PDF is parsed once). */
export async function renderPages(file: string, from: number, to: number, dpi: number): Promise<Buffer[]> {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-pgm-'));
  try {
    await run('pdftoppm', ['-f', String(from), '-l', String(to), '-r', String(dpi), '-gray', file, path.join(dir, 'p')], { timeoutMs: 300_000 });
    const names = (await fsp.readdir(dir)).filter((n) => n.endsWith('.pgm')).sort((a, b) => pageNo(a) - pageNo(b));
    const out: Buffer[] = [];
    for (let p = from; p <= to; p++) {
      const n = names.find((x) => pageNo(x) === p);
      out.push(n ? await fsp.readFile(path.join(dir, n)) : Buffer.alloc(0));
    }
    return out;
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}

function pageNo(name: string): number {
  return Number(/-(\d+)\.\w+$/.exec(name)?.[1] ?? -1);
}

/** Splits a PDF into one file per page in `dir` (page-N.pdf), in one pdfseparate run. */
export async function separateAll(file: string, dir: string): Promise<(page: number) => string> {
  await run('pdfseparate', [file, path.join(dir, 'page-%d.pdf')], { timeoutMs: 300_000 });
  return (page) => path.join(dir, `page-${page}.pdf`);
}

/** Concatenates PDF files (the daily print batch). */
export async function unitePdfs(files: string[]): Promise<Buffer> {
  if (files.length === 1) return fsp.readFile(files[0]);
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'guichet-pdf-'));
  try {
    const out = path.join(dir, 'out.pdf');
    await run('pdfunite', [...files, out], { timeoutMs: 300_000 });
    return await fsp.readFile(out);
  } finally {
    await fsp.rm(dir, { recursive: true, force: true });
  }
}
