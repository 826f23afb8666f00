// Content-addressed file store (sha256) for every binary input: scans, attachments, raw emails.
// Durability order: temp file → fsync → rename → fsync folder → then the DB row (in the caller's
// transaction). A crash can leave a file without a row (collected by `gc`), never a row without a file.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import crypto from 'node:crypto';
import { Readable } from 'node:stream';
import { fileTypeFromBuffer } from 'file-type';
import type { Sql } from '../db/database.ts';
import { PayloadTooLarge, UnsupportedMediaType, BadRequest } from '../errors.ts';

export interface StoredFile {
  sha256: string;
  size: number;
  mimeType: string;
}

export interface PutOptions {
  /** The type the sender announced; the content's own signature wins when it has one. */
  declaredType?: string;
  /** Accepted types (exact, or a prefix ending in '/*'). */
  allowed?: readonly string[];
  maxBytes?: number;
}

const SHA_RE = /^[0-9a-f]{64}$/;

export class FileStore {
  constructor(
    readonly dir: string,
    private readonly defaultMaxBytes: number,
  ) {
    fs.mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  }

  pathOf(sha256: string): string {
    if (!SHA_RE.test(sha256)) throw new BadRequest('Identifiant de fichier invalide.');
    return path.join(this.dir, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(sql: Sql, data: Buffer | Readable, opts: PutOptions = {}): Promise<StoredFile> {
    const maxBytes = opts.maxBytes ?? this.defaultMaxBytes;
    const tmp = path.join(this.dir, 'tmp', `${process.pid}-${crypto.randomBytes(8).toString('hex')}`);
    const hash = crypto.createHash('sha256');
    let size = 0;
    let head = Buffer.alloc(0);
    const fh = await fsp.open(tmp, 'wx');
    try {
      const source = Buffer.isBuffer(data) ? [data] : data;
      for await (const chunk of source as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > maxBytes) {
          throw new PayloadTooLarge(`Fichier trop volumineux (maximum ${Math.round(maxBytes / 1048576)} Mo).`);
        }
        if (head.length < 4100) head = Buffer.concat([head, chunk.subarray(0, 4100 - head.length)]);
        hash.update(chunk);
        await fh.write(chunk);
      }
      await fh.sync();
    } catch (err) {
      await fh.close();
      await fsp.rm(tmp, { force: true });
      throw err;
    }
    await fh.close();

    let mimeType: string;
    try {
      mimeType = await this.detectType(head, opts);
    } catch (err) {
      await fsp.rm(tmp, { force: true });
      throw err;
    }

    const sha256 = hash.digest('hex');
    const final = this.pathOf(sha256);
    if (fs.existsSync(final)) {
      await fsp.rm(tmp, { force: true }); // same content already stored: deduplicated
      // Refresh its age so a concurrent gc cannot take it for an old orphan before our row commits.
      const now = new Date();
      await fsp.utimes(final, now, now);
    } else {
      await fsp.mkdir(path.dirname(final), { recursive: true });
      await fsp.rename(tmp, final);
      await fsyncDir(path.dirname(final));
    }
    await sql.query(
      `INSERT INTO files (sha256, size, mime_type) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`,
      [sha256, size, mimeType],
    );
    return { sha256, size, mimeType };
  }

  private async detectType(head: Buffer, opts: PutOptions): Promise<string> {
    const sniffed = head.length ? (await fileTypeFromBuffer(head))?.mime : undefined;
    const declared = opts.declaredType?.split(';')[0].trim().toLowerCase() || undefined;
    const mime = sniffed ?? declared ?? 'application/octet-stream';
    if (opts.allowed && !opts.allowed.some((a) => (a.endsWith('/*') ? mime.startsWith(a.slice(0, -1)) : a === mime))) {
      throw new UnsupportedMediaType(`Type de fichier non accepté (${mime}).`);
    }
    return mime;
  }

  async read(sha256: string): Promise<Buffer> {
    return fsp.readFile(this.pathOf(sha256));
  }

  open(sha256: string): fs.ReadStream {
    return fs.createReadStream(this.pathOf(sha256));
  }

  exists(sha256: string): boolean {
    return fs.existsSync(this.pathOf(sha256));
  }

  /**
   * Removes files that no row references (left by a crash or a rolled-back transaction) and stale
   * temp files. Only files older than `minAgeMs` are touched, so a transaction still in flight keeps
   * the file it has just written.
   */
  async gc(sql: Sql, minAgeMs = 3_600_000): Promise<{ removed: number }> {
    const cutoff = Date.now() - minAgeMs;
    let removed = 0;
    for (const name of await fsp.readdir(path.join(this.dir, 'tmp'))) {
      const p = path.join(this.dir, 'tmp', name);
      const st = await fsp.stat(p).catch(() => null);
      if (st && st.mtimeMs < cutoff) {
        await fsp.rm(p, { force: true });
        removed++;
      }
    }
    for (const a of await fsp.readdir(this.dir)) {
      if (a === 'tmp' || !/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await fsp.readdir(path.join(this.dir, a))) {
        const names = (await fsp.readdir(path.join(this.dir, a, b))).filter((n) => SHA_RE.test(n));
        if (!names.length) continue;
        const { rows } = await sql.query<{ sha256: string }>('SELECT sha256 FROM files WHERE sha256 = ANY($1)', [names]);
        const known = new Set(rows.map((r) => r.sha256));
        for (const n of names) {
          if (known.has(n)) continue;
          const p = path.join(this.dir, a, b, n);
          const st = await fsp.stat(p).catch(() => null);
          if (st && st.mtimeMs < cutoff) {
            await fsp.rm(p, { force: true });
            removed++;
          }
        }
      }
    }
    return { removed };
  }
}

async function fsyncDir(dir: string) {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
