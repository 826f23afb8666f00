// Filing in parallel (the email.process jobs run side by side): a citizen's follow-up that answers
// their own earlier message joins that message's case whichever is filed first, even when both are
// filed at the same instant; a stranger citing it does not; one message received twice is filed once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg } from '../../../test/helpers/fixtures.ts';
import * as C from '../../../test/fixtures/email/corpus.ts';
import { receiveRawEmail, receiveRawEmails } from './intake.ts';
import { processInboundEmail } from './filing.ts';

describe('parallel filing keeps threads and duplicates right', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ MAIL_FROM: 'contact@departement.example' });
    await makeOrg(ctx);
  });
  afterAll(async () => ctx.close());

  const first = (tag: string, from = `${tag}@mail.example`) =>
    C.simpleMessage({ from, id: `${tag}-1@mail.example`, subject: `Trottoir ${tag}`, body: `Le trottoir devant chez moi (${tag}) est cassé.` });
  const followUp = (tag: string, from = `${tag}@mail.example`) =>
    C.simpleMessage({
      from, id: `${tag}-2@mail.example`, subject: `Re: Trottoir ${tag}`, body: `J'oubliais : c'est au numéro 12 (${tag}).`,
      headers: [`In-Reply-To: <${tag}-1@mail.example>`, `References: <${tag}-1@mail.example>`],
    });
  const store = async (raw: Buffer) => (await receiveRawEmail(ctx.rt, raw, { source: 'smtp', envelopeFrom: 'x@mail.example', envelopeTo: ['contact@departement.example'] }))!;
  async function casesOf(tag: string) {
    const { rows } = await ctx.rt.db.query<{ message_id: string; status: string; case_id: string | null; interactions: number }>(
      `SELECT e.message_id, e.status, e.case_id, (SELECT count(*)::int FROM interactions i WHERE i.case_id = e.case_id) AS interactions
         FROM inbound_emails e WHERE e.message_id LIKE $1 ORDER BY e.message_id`,
      [`<${tag}-%`],
    );
    return rows;
  }
  async function acks(caseId: string) {
    const { rows } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM outbound_emails WHERE kind = 'ack' AND case_id = $1`, [caseId]);
    return rows[0].n;
  }

  it('joins the follow-up to the first message’s case when the first is filed first', async () => {
    const a = await store(first('seq'));
    const b = await store(followUp('seq'));
    await processInboundEmail(ctx.rt, a);
    await processInboundEmail(ctx.rt, b);
    const rows = await casesOf('seq');
    expect(rows.map((r) => r.status)).toEqual(['filed', 'filed']);
    expect(rows[0].case_id).toBe(rows[1].case_id);
    expect(rows[0].interactions).toBe(2);
    expect(await acks(rows[0].case_id!)).toBe(1);
  });

  it('joins the first message to its follow-up’s case when the follow-up is filed first', async () => {
    const a = await store(first('rev'));
    const b = await store(followUp('rev'));
    await processInboundEmail(ctx.rt, b);
    await processInboundEmail(ctx.rt, a);
    const rows = await casesOf('rev');
    expect(rows.map((r) => r.status)).toEqual(['filed', 'filed']);
    expect(rows[0].case_id).toBe(rows[1].case_id);
    expect(rows[0].interactions).toBe(2);
    expect(await acks(rows[0].case_id!)).toBe(1);
  });

  it('makes one case per thread when both messages of twenty threads are filed at the same time', async () => {
    const tags = Array.from({ length: 20 }, (_, i) => `par${i}`);
    // Stored together (one group commit), then filed all at once, follow-ups started first.
    const ids = await receiveRawEmails(ctx.rt, tags.flatMap((t) => [first(t), followUp(t)]).map((raw) => ({ raw, meta: { source: 'smtp' as const } })));
    const order = [...ids.filter((_, i) => i % 2 === 1), ...ids.filter((_, i) => i % 2 === 0)];
    await Promise.all(order.map((id) => processInboundEmail(ctx.rt, id!)));
    for (const t of tags) {
      const rows = await casesOf(t);
      expect(rows.map((r) => r.status), t).toEqual(['filed', 'filed']);
      expect(rows[0].case_id, t).toBe(rows[1].case_id);
      expect(await acks(rows[0].case_id!), t).toBe(1);
    }
    const { rows } = await ctx.rt.db.query(`SELECT count(DISTINCT case_id)::int AS n FROM inbound_emails WHERE message_id LIKE '<par%'`);
    expect(rows[0].n).toBe(20);
  });

  it('does not put a stranger answering a citizen’s message into that citizen’s case', async () => {
    const a = await store(first('own'));
    const b = await store(followUp('own', 'someone.else@mail.example'));
    await Promise.all([processInboundEmail(ctx.rt, b), processInboundEmail(ctx.rt, a)]);
    const rows = await casesOf('own');
    expect(rows.map((r) => r.status)).toEqual(['filed', 'filed']);
    expect(rows[0].case_id).not.toBe(rows[1].case_id);
  });

  it('files one message received twice once, even when both copies are filed at the same time', async () => {
    const raw = first('twice');
    const copies = await Promise.all([store(raw), store(raw), store(raw)]);
    await Promise.all(copies.map((id) => processInboundEmail(ctx.rt, id)));
    const rows = await casesOf('twice');
    expect(rows.map((r) => r.status).sort()).toEqual(['duplicate', 'duplicate', 'filed']);
    expect(new Set(rows.map((r) => r.case_id)).size).toBe(1);
  });
});
