// The mail office end to end, on letters with a text layer (no OCR: fast): intake of a batch with
// separator sheets, registration with chrono numbers, proposals, qualification into a new or an existing
// case, the acknowledgement of receipt, a reply letter and the day's print batch, paper originals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { batchWithSeparators, letterPdf, multipart, SAMPLE_LETTER } from './test-support/letters.ts';
import { parisToday } from '../../platform/calendar/calendar.ts';

describe('mail office', () => {
  let ctx: TestContext;
  let org: Org;
  const h: Record<string, Record<string, string>> = {};
  let existingRef: string;
  let letters: any[];

  const upload = (who: string, name: string, content: Buffer, type: string) => {
    const m = multipart(name, content, type);
    return ctx.app.inject({ method: 'POST', url: '/api/v1/mail/batches', headers: { ...h[who], ...m.headers }, payload: m.payload });
  };
  const get = (who: string, url: string) => ctx.app.inject({ url, headers: h[who] });
  const post = (who: string, url: string, payload: unknown) => ctx.app.inject({ method: 'POST', url, headers: h[who], payload: payload as any });

  beforeAll(async () => {
    ctx = await createTestContext();
    org = await makeOrg(ctx);
    for (const k of ['clerk', 'cc', 'routes', 'culture']) h[k] = await signIn(ctx, org.agents[k].email);
    const c = await post('cc', '/api/v1/cases', { channel: 'phone', topic: 'signalement-voirie', subject: 'Trou sur la RD 2020', contact: { email: 'jeanne.martin@exemple.fr', firstName: 'Jeanne', lastName: 'Martin' } });
    existingRef = c.json().reference;
  });
  afterAll(async () => ctx.close());

  it('splits a batch at separator sheets: 3 letters, 2 separators, chrono numbers in order', async () => {
    const pdfs = [
      await letterPdf({ ...SAMPLE_LETTER, reference: existingRef }),
      await letterPdf({ sender: ['Association Les Amis du Théâtre', '3 place du Martroi', '45000 Orléans', 'SIRET 732 829 320 00074'], subject: 'Demande de subvention pour notre festival', date: 'Le 2 mars 2026', body: ['Madame, Monsieur,', 'Nous sollicitons une subvention de fonctionnement.'] }, 2),
      await letterPdf({ sender: ['M. Paul DURAND', '8 chemin des Vignes', '45150 Jargeau'], subject: 'Arbre tombé', body: ['Un arbre est tombé.'] }),
    ];
    const r = await upload('clerk', 'lot-du-jour.pdf', await batchWithSeparators(pdfs), 'application/pdf');
    expect(r.statusCode, r.body).toBe(201);
    const batchId = r.json().batchId;
    expect(r.json()).toMatchObject({ status: 'received', pages: 6 });
    await ctx.rt.worker.drain();
    const b = (await get('clerk', `/api/v1/mail/batches/${batchId}`)).json();
    expect(b).toMatchObject({ status: 'done', lettersCount: 3, separators: 2, pagesTotal: 4, pagesDone: 4, progress: 1 });
    letters = (await get('clerk', `/api/v1/mail/letters?batch=${batchId}`)).json().items;
    expect(letters.map((l) => l.pageCount)).toEqual([1, 2, 1]);
    const year = new Date().getFullYear();
    for (const l of letters) expect(l.chrono).toMatch(new RegExp(`^${year}-E-\\d{6}$`));
    const nums = letters.map((l) => Number(l.chrono.slice(-6)));
    expect(nums[1]).toBe(nums[0] + 1);
    expect(nums[2]).toBe(nums[1] + 1);
    for (const l of letters) {
      expect(l.status).toBe('to_qualify');
      expect(l.textSource).toBe('pdf_text');
      expect(l.receivedAt && l.textExtractedAt && l.toQualifyAt).toBeTruthy();
    }
  });

  it('proposes sender, address, subject, date, reference, identifiers, contact, topic and unit with their sources', async () => {
    const p = letters[0].proposals;
    expect(p.sender.name.value).toBe('Jeanne MARTIN');
    expect(p.sender.address.value).toEqual({ line1: '12 rue des Lilas', postcode: '45000', city: 'Orléans' });
    expect(p.sender.email.value).toBe('jeanne.martin@exemple.fr');
    expect(p.sender.phone.value).toBe('+33612345678');
    expect(p.subject.value).toBe(SAMPLE_LETTER.subject);
    expect(p.subject.source).toMatchObject({ kind: 'text', detail: 'Ligne « Objet »' });
    expect(p.date.value).toBe('2026-03-12');
    expect(p.caseReference.value).toBe(existingRef);
    expect(p.case).toMatchObject({ reference: existingRef, topicCode: 'signalement-voirie' });
    expect(p.contacts[0]).toMatchObject({ displayName: 'Jeanne Martin', reason: 'Même adresse électronique' });
    expect(p.topic).toMatchObject({ value: { code: 'signalement-voirie' }, source: { kind: 'case' } });
    expect(p.unit).toMatchObject({ value: { code: 'exploitation-routes' }, source: { kind: 'rule' } });
    const q = letters[1].proposals;
    expect(q.sender).toMatchObject({ kind: 'organisation', orgName: 'Association Les Amis du Théâtre' });
    expect(q.siret.value).toBe('73282932000074');
    expect(q.topic.value.code).toBe('subvention-culture');
  });

  it('qualifies a letter into an existing case: inbound letter with scan, text and chrono', async () => {
    const r = await post('clerk', `/api/v1/mail/letters/${letters[0].id}/validate`, { topic: 'signalement-voirie', subject: SAMPLE_LETTER.subject, caseReference: existingRef });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'routed', caseReference: existingRef, newCase: false, acknowledgement: null });
    const d = (await get('routes', `/api/v1/cases/${existingRef}`)).json();
    const letter = d.interactions.find((i: any) => i.kind === 'letter');
    expect(letter).toMatchObject({ direction: 'inbound', metadata: { chrono: letters[0].chrono } });
    expect(letter.body).toContain('Nid-de-poule');
    expect(letter.attachments[0].mimeType).toBe('application/pdf');
    const again = await post('clerk', `/api/v1/mail/letters/${letters[0].id}/validate`, { topic: 'signalement-voirie', subject: 'x' });
    expect(again.statusCode).toBe(409);
  });

  it('qualifies a letter into a new mail case, sends the acknowledgement of receipt, searchable text', async () => {
    const r = await post('clerk', `/api/v1/mail/letters/${letters[1].id}/validate`, {
      topic: 'subvention-culture', subject: 'Demande de subvention pour notre festival',
      contact: { orgName: 'Association Les Amis du Théâtre', kind: 'organisation', segment: 'association', address: { line1: '3 place du Martroi', postcode: '45000', city: 'Orléans' } },
      paperLocation: 'Boîte 2026-03, étagère B',
    });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ status: 'routed', newCase: true, acknowledgement: 'queued' });
    const ref = r.json().caseReference;
    await ctx.rt.worker.drain();
    const d = (await get('culture', `/api/v1/cases/${ref}`)).json();
    expect(d.channel).toBe('mail');
    const ack = d.interactions.find((i: any) => i.direction === 'outbound');
    expect(ack.kind).toBe('letter');
    expect(ack.body).toContain('L112-3');
    expect(ack.body).toContain('tribunal administratif');
    const pdf = await get('clerk', `/api/v1/mail/letters/${letters[1].id}/acknowledgement.pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const detail = (await get('clerk', `/api/v1/mail/letters/${letters[1].id}`)).json();
    expect(detail.acknowledgementChrono).toMatch(/^\d{4}-S-\d{6}$/);
    expect(detail.paperLocation).toBe('Boîte 2026-03, étagère B');
    const { rows } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM interactions WHERE search @@ plainto_tsquery('french_unaccent', 'subvention fonctionnement festival')`);
    expect(rows[0].n).toBeGreaterThan(0);
  });

  it('answers by letter (reply channel « Courrier »): S number, answered status, day print batch', async () => {
    const detail = (await get('clerk', `/api/v1/mail/letters/${letters[1].id}`)).json();
    const channels = (await get('culture', `/api/v1/cases/${detail.caseReference}/reply-channels`)).json().items;
    expect(channels.find((c: any) => c.id === 'letter')).toMatchObject({ label: 'Courrier', available: true });
    const agent = await signIn(ctx, org.agents.culture.email);
    const r = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${detail.caseReference}/replies`, headers: agent, payload: { channel: 'letter', body: 'Madame, Monsieur,\n\nVotre demande {{reference}} est à l’étude : réponse sous quinze jours !' } });
    expect(r.statusCode, r.body).toBe(201);
    expect(r.json().details.chrono).toMatch(/^\d{4}-S-\d{6}$/);
    expect((await get('clerk', `/api/v1/mail/letters/${letters[1].id}`)).json().status).toBe('answered');
    const print = await get('clerk', `/api/v1/mail/print-batches/${parisToday()}.pdf`);
    expect(print.statusCode).toBe(200);
    expect(print.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await get('clerk', '/api/v1/mail/print-batches/2001-01-01.pdf')).statusCode).toBe(404);
  });

  it('refuses to list for destruction an original whose case is still open', async () => {
    const r = await post('clerk', '/api/v1/mail/disposal-lists', { action: 'destroy', letterIds: [letters[1].id] });
    expect(r.statusCode).toBe(409);
    expect(r.json().error.message).toMatch(/encore ouverte/);
    const nq = await post('clerk', '/api/v1/mail/disposal-lists', { action: 'destroy', letterIds: [letters[2].id] });
    expect(nq.json().error.message).toMatch(/non qualifié/);
  });

  it('lists the destruction of an original once the case is closed and the retention has run out', async () => {
    const detail = (await get('clerk', `/api/v1/mail/letters/${letters[1].id}`)).json();
    await ctx.rt.db.query(`UPDATE cases SET status = 'closed', closed_at = now() - interval '6 years' WHERE reference = $1`, [detail.caseReference]);
    const due = (await get('clerk', '/api/v1/mail/paper/due?action=destroy')).json().items;
    expect(due.map((l: any) => l.chrono)).toContain(detail.chrono);
    const r = await post('clerk', '/api/v1/mail/disposal-lists', { action: 'destroy', letterIds: [letters[1].id] });
    expect(r.statusCode, r.body).toBe(201);
    expect((await get('clerk', `/api/v1/mail/disposal-lists/${r.json().id}`)).headers['content-type']).toBe('application/pdf');
    const c = await post('clerk', `/api/v1/mail/disposal-lists/${r.json().id}/confirm`, {});
    expect(c.statusCode, c.body).toBe(200);
    const after = (await get('clerk', `/api/v1/mail/letters/${letters[1].id}`)).json();
    expect(after).toMatchObject({ status: 'archived', paperDisposal: 'destroyed' });
  });

  it('prints a separator sheet; unit agents may not read the mail register', async () => {
    const s = await get('clerk', '/api/v1/mail/separator-sheet.pdf');
    expect(s.statusCode).toBe(200);
    expect((await get('routes', '/api/v1/mail/batches')).statusCode).toBe(403);
  });
});
