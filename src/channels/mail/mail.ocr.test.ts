// OCR end to end (slow: one page): a French letter rendered by the suite, rasterised, rotated and
// made noisy, deposited as a PNG scan; tesseract.js reads it offline and the assistant proposes the
// sender, postcode, subject and case reference.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { degradedScan, letterPdf, multipart, SAMPLE_LETTER } from './test-support/letters.ts';

describe('mail office: OCR of a degraded scan', () => {
  let ctx: TestContext;
  let org: Org;
  let h: Record<string, string>;

  beforeAll(async () => {
    ctx = await createTestContext({ MAIL_OCR_WORKERS: '1' });
    org = await makeOrg(ctx);
    h = await signIn(ctx, org.agents.clerk.email);
  });
  afterAll(async () => ctx.close());

  it('reads a noisy, skewed PNG scan and proposes sender, postcode, subject and reference', async () => {
    const cc = await signIn(ctx, org.agents.cc.email);
    const c = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: cc, payload: { channel: 'phone', topic: 'signalement-voirie', subject: 'Trou sur la RD 2020' } });
    const ref = c.json().reference;
    const png = await degradedScan(await letterPdf({ ...SAMPLE_LETTER, reference: ref }), { degrees: 0.8, noise: 0.01 });
    const m = multipart('scan.png', png, 'image/png');
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...h, ...m.headers }, payload: m.payload });
    expect(r.statusCode, r.body).toBe(201);
    await ctx.rt.worker.drain();
    const [letter] = (await ctx.app.inject({ url: `/api/v1/mail/letters?batch=${r.json().batchId}`, headers: h })).json().items;
    expect(letter).toMatchObject({ status: 'to_qualify', textSource: 'ocr', pageCount: 1 });
    expect(letter.ocrConfidence).toBeGreaterThan(60);
    const p = letter.proposals;
    expect(p.sender.name.value).toMatch(/Jeanne MARTIN/);
    expect(p.sender.address.value.postcode).toBe('45000');
    expect(p.sender.address.value.city).toMatch(/Orl[ée]ans/);
    expect(p.subject.value).toMatch(/Nid-de-poule dangereux sur la route d[ée]partementale/);
    expect(p.caseReference.value).toBe(ref);
    expect(p.case?.reference).toBe(ref);
    expect(p.unit.value.code).toBe('exploitation-routes');
    const detail = (await ctx.app.inject({ url: `/api/v1/mail/letters/${letter.id}`, headers: h })).json();
    expect(detail.pages[0]).toMatchObject({ status: 'done', source: 'ocr' });
    expect(detail.pages[0].confidence).toBeGreaterThan(60);
  }, 300_000);
});
