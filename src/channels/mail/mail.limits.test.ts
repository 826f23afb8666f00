// What the deposit form is told before sending (types, size, pages), and a file over the size limit
// refused with a French message rather than a 500.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { multipart } from './test-support/letters.ts';

describe('mail office: deposit limits', () => {
  let ctx: TestContext;
  let org: Org;

  beforeAll(async () => {
    ctx = await createTestContext({ GUICHET_MAX_FILE_MB: '1', MAIL_MAX_PAGES: '120' });
    org = await makeOrg(ctx);
  });
  afterAll(async () => ctx.close());

  it('tells clerks what a deposit accepts; refuses roles without the mail intake', async () => {
    const clerk = await signIn(ctx, org.agents.clerk.email);
    const r = await ctx.app.inject({ url: '/api/v1/mail/intake-limits', headers: clerk });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({ types: ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'], maxBytes: 1048576, maxPages: 120 });
    for (const who of ['routes', 'admin', 'super']) {
      const h = await signIn(ctx, org.agents[who].email);
      expect((await ctx.app.inject({ url: '/api/v1/mail/intake-limits', headers: h })).statusCode, who).toBe(403);
    }
    expect((await ctx.app.inject({ url: '/api/v1/mail/intake-limits' })).statusCode).toBe(401);
  });

  it('refuses a file over the size limit with a French message, and stays up', async () => {
    const clerk = await signIn(ctx, org.agents.clerk.email);
    const big = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(1_200_000, 0x20)]);
    const m = multipart('gros-lot.pdf', big, 'application/pdf');
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...clerk, ...m.headers }, payload: m.payload });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.message).toBe('Fichier trop volumineux (maximum 1 Mo) : découpez le lot avant de le déposer.');
    // nothing registered from a cut file, not even the file
    expect((await ctx.rt.db.query(`SELECT count(*)::int AS n FROM mail_batches`)).rows[0].n).toBe(0);
    expect((await ctx.rt.db.query(`SELECT count(*)::int AS n FROM files`)).rows[0].n).toBe(0);
    expect((await ctx.app.inject({ url: '/api/health' })).statusCode).toBe(200);
  });
});
