// Bad scans are refused with a French reason shown to the clerk, the raw file is kept, the server
// stays up; the hot folder sets them aside with the reason next to them.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import PDFDocument from 'pdfkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { pdfToBuffer } from './pdf-doc.ts';
import { letterPdf, multipart } from './test-support/letters.ts';
import { watchFolder, DONE_DIR, REFUSED_DIR } from './watch.ts';

function pdfWith(opts: ConstructorParameters<typeof PDFDocument>[0], pages = 1, size?: [number, number]) {
  const doc = new PDFDocument({ ...opts, autoFirstPage: false });
  for (let i = 0; i < pages; i++) doc.addPage(size ? { size } : {}).text(`page ${i + 1}`);
  return pdfToBuffer(doc as any);
}

function crc32(buf: Buffer) {
  return zlib.crc32 ? zlib.crc32(buf) : 0;
}

/** A PNG header announcing 100 000 × 100 000 pixels (a decompression bomb would look like this). */
function hugePng(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 0, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(td) >>> 0);
    return Buffer.concat([len, td, crc]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(100))), chunk('IEND', Buffer.alloc(0))]);
}

describe('mail office: bad input', () => {
  let ctx: TestContext;
  let org: Org;
  let h: Record<string, string>;
  const upload = (name: string, content: Buffer, type: string) => {
    const m = multipart(name, content, type);
    return ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...h, ...m.headers }, payload: m.payload });
  };

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    h = await signIn(ctx, org.agents.clerk.email);
  });
  afterAll(async () => ctx.close());

  const cases: Array<[string, () => Promise<Buffer> | Buffer, string, RegExp]> = [
    ['corrupt PDF', () => Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage garbage\n'), 'application/pdf', /endommagé ou illisible/],
    ['password-protected PDF', () => pdfWith({ userPassword: 'secret', ownerPassword: 'owner' }), 'application/pdf', /mot de passe/],
    ['empty file', () => Buffer.alloc(0), 'application/pdf', /vide/],
    ['500-page PDF', () => pdfWith({}, 500), 'application/pdf', /500 pages \(maximum 300\)/],
    ['PDF page of huge dimensions', () => pdfWith({}, 1, [20_000, 20_000]), 'application/pdf', /dimensions démesurées/],
    ['image of huge dimensions', () => hugePng(), 'image/png', /100000 × 100000 pixels/],
    ['unsupported type', () => Buffer.from('Bonjour, ceci est un texte.'), 'text/plain', /Type de fichier non accepté/],
  ];

  for (const [label, make, type, reason] of cases) {
    it(`refuses a ${label} with a French reason and keeps the raw file`, async () => {
      const content = await make();
      const r = await upload(`scan-${label}.bin`, content, type);
      expect(r.statusCode, r.body).toBe(422);
      expect(r.json().error.code).toBe('scan_rejected');
      expect(r.json().error.message).toMatch(reason);
      const batchId = r.headers['x-mail-batch-id'] as string;
      const b = (await ctx.app.inject({ url: `/api/v1/mail/batches/${batchId}`, headers: h })).json();
      expect(b).toMatchObject({ status: 'rejected', statusLabel: 'Refusé' });
      expect(b.reason).toMatch(reason);
      expect(fs.readFileSync(ctx.rt.files.pathOf(b.sha256)).equals(content)).toBe(true);
      expect((await ctx.app.inject({ url: '/api/health' })).statusCode).toBe(200);
    });
  }

  it('hot folder: takes good files in, sets bad ones aside with the reason', async () => {
    const dir = fs.mkdtempSync(path.join(ctx.dir, 'depot-'));
    fs.writeFileSync(path.join(dir, 'bon.pdf'), await letterPdf());
    fs.writeFileSync(path.join(dir, 'abime.pdf'), Buffer.from('%PDF-1.4 rien de lisible'));
    const w = watchFolder(ctx.rt, dir, { intervalMs: 3_600_000 });
    const results = await w.scan();
    await w.stop();
    expect(results.map((r) => r.status).sort()).toEqual(['received', 'rejected']);
    expect(fs.readdirSync(path.join(dir, DONE_DIR)).some((n) => n.endsWith('bon.pdf'))).toBe(true);
    const refused = fs.readdirSync(path.join(dir, REFUSED_DIR));
    const motif = refused.find((n) => n.endsWith('.motif.txt'))!;
    expect(fs.readFileSync(path.join(dir, REFUSED_DIR, motif), 'utf8')).toMatch(/endommagé/);
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.pdf'))).toEqual([]);
  });

  it('an integration token needs the mail:write scope to deposit scans', async () => {
    const { createToken } = await import('../../modules/auth/tokens.service.ts');
    const { systemActor } = await import('../../platform/actor.ts');
    const withScope = await createToken(ctx.rt.db, systemActor(), { name: 'scanner', role: 'integration', scopes: ['mail:write'] });
    const without = await createToken(ctx.rt.db, systemActor(), { name: 'autre', role: 'integration', scopes: ['cases:read'] });
    const m = multipart('lettre.pdf', await letterPdf(), 'application/pdf');
    const ok = await ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...m.headers, authorization: `Bearer ${withScope.token}` }, payload: m.payload });
    expect(ok.statusCode, ok.body).toBe(201);
    const ko = await ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...m.headers, authorization: `Bearer ${without.token}` }, payload: m.payload });
    expect(ko.statusCode).toBe(403);
  });
});
