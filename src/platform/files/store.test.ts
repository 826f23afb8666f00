import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from '../db/database.ts';
import { FileStore } from './store.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082', 'hex');

describe('content-addressed file store', () => {
  let db: Database;
  let dir: string;
  let store: FileStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-files-'));
    store = new FileStore(dir, 1024 * 1024);
  });
  afterAll(async () => {
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stores by sha256, sniffs the real type and deduplicates', async () => {
    const a = await store.put(db, PNG, { declaredType: 'application/pdf' });
    expect(a).toEqual({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/), size: PNG.length, mimeType: 'image/png' });
    const b = await store.put(db, Readable.from([PNG.subarray(0, 10), PNG.subarray(10)]));
    expect(b.sha256).toBe(a.sha256);
    expect(await store.read(a.sha256)).toEqual(PNG);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM files WHERE sha256 = $1', [a.sha256]);
    expect(rows[0].n).toBe(1);
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('keeps the declared type of text formats that carry no signature', async () => {
    const f = await store.put(db, Buffer.from('From: a@b.fr\r\nSubject: test\r\n\r\nbonjour'), { declaredType: 'message/rfc822' });
    expect(f.mimeType).toBe('message/rfc822');
  });

  it('refuses a file over the size limit (413) and a type not allowed (415), leaving nothing behind', async () => {
    await expect(store.put(db, Buffer.alloc(2000), { maxBytes: 1000 })).rejects.toMatchObject({ status: 413 });
    await expect(store.put(db, PNG, { allowed: ['application/pdf'] })).rejects.toMatchObject({ status: 415 });
    await expect(store.put(db, Buffer.from('%PDF-1.4 fake'), { allowed: ['image/*'] })).rejects.toMatchObject({ status: 415 });
    expect(fs.readdirSync(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('after a crash between file write and commit: no dangling row, and gc removes the orphan file', async () => {
    const content = Buffer.from(`orphelin ${Math.random()}`);
    let sha = '';
    await expect(
      db.tx(async (tx) => {
        sha = (await store.put(tx, content, { declaredType: 'text/plain' })).sha256;
        throw new Error('crash before commit');
      }),
    ).rejects.toThrow('crash');
    expect(store.exists(sha)).toBe(true); // the file was written first...
    expect((await db.query('SELECT 1 FROM files WHERE sha256 = $1', [sha])).rows).toEqual([]); // ...the row never committed
    expect((await store.gc(db, 60_000)).removed).toBe(0); // too young: a transaction may still be in flight
    const old = new Date(Date.now() - 2 * 3600_000);
    fs.utimesSync(store.pathOf(sha), old, old);
    expect((await store.gc(db, 3600_000)).removed).toBe(1);
    expect(store.exists(sha)).toBe(false);
    // Every committed row still has its file.
    const { rows } = await db.query<{ sha256: string }>('SELECT sha256 FROM files');
    for (const r of rows) expect(store.exists(r.sha256)).toBe(true);
  });

  it('rejects malformed ids instead of touching the file system', () => {
    expect(() => store.pathOf('../../etc/passwd')).toThrow(/invalide/);
  });
});
