// Intake: messages arriving together are committed together (group commit), and each caller gets the
// row of its own message; IMAP uids are asked for as compact sequence sets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import crypto from 'node:crypto';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import * as C from '../../../test/fixtures/email/corpus.ts';
import { receiveRawEmail, receiveRawEmails } from './intake.ts';
import { uidSet } from './imap-poller.ts';

describe('email intake', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ MAIL_FROM: 'contact@departement.example', EMAIL_MAX_BYTES: '4096' });
  });
  afterAll(async () => ctx.close());

  it('answers each of many simultaneous arrivals with the row of its own message, its job queued', async () => {
    const raws = Array.from({ length: 40 }, (_, i) => C.simpleMessage({ from: `g${i}@mail.example`, id: `group-${i}@mail.example`, subject: `Groupe ${i}`, body: `Corps ${i}` }));
    const ids = await Promise.all(raws.map((raw, i) => receiveRawEmail(ctx.rt, raw, { source: 'smtp', envelopeFrom: `g${i}@mail.example`, envelopeTo: ['contact@departement.example'] })));
    expect(new Set(ids).size).toBe(40);
    for (const [i, id] of ids.entries()) {
      const { rows } = await ctx.rt.db.query(`SELECT raw_sha256, size, envelope_from, envelope_to, status FROM inbound_emails WHERE id = $1`, [id]);
      expect(rows[0]).toEqual({
        raw_sha256: crypto.createHash('sha256').update(raws[i]).digest('hex'), size: raws[i].length, envelope_from: `g${i}@mail.example`,
        envelope_to: ['contact@departement.example'], status: 'received',
      });
      expect((await ctx.rt.files.read(rows[0].raw_sha256)).equals(raws[i])).toBe(true);
      const { rows: jobs } = await ctx.rt.db.query(`SELECT payload FROM jobs WHERE name = 'email.process' AND payload->>'inboundId' = $1`, [id]);
      expect(jobs).toEqual([{ payload: { inboundId: id, rawSha256: rows[0].raw_sha256, envelopeFrom: `g${i}@mail.example` } }]);
    }
  });

  it('stores an IMAP group with its position; an oversized message is kept, quarantined, without a job; a uid already stored is skipped', async () => {
    const small = C.simpleMessage({ from: 'a@mail.example', id: 'imap-g1@mail.example', subject: 'Petit', body: 'Bonjour' });
    const big = C.simpleMessage({ from: 'b@mail.example', id: 'imap-g2@mail.example', subject: 'Gros', body: 'x'.repeat(5000) });
    const meta = (uid: number) => ({ source: 'imap' as const, mailbox: 'INBOX', uidvalidity: 7, uid });
    const [a, b] = await receiveRawEmails(ctx.rt, [{ raw: small, meta: meta(10) }, { raw: big, meta: meta(12) }]);
    const { rows } = await ctx.rt.db.query(`SELECT id, uid, status, reason FROM inbound_emails WHERE source = 'imap' ORDER BY uid`);
    expect(rows).toEqual([
      { id: a, uid: 10, status: 'received', reason: null },
      { id: b, uid: 12, status: 'quarantined', reason: `Message trop volumineux (${big.length} octets, maximum 4096).` },
    ]);
    const { rows: jobs } = await ctx.rt.db.query(`SELECT payload->>'inboundId' AS id FROM jobs WHERE name = 'email.process' AND payload->>'inboundId' = ANY($1)`, [[a, b]]);
    expect(jobs).toEqual([{ id: a }]);
    expect((await ctx.rt.db.query(`SELECT uidvalidity, last_uid FROM imap_positions WHERE mailbox = 'INBOX'`)).rows).toEqual([{ uidvalidity: 7, last_uid: 12 }]);
    const again = await receiveRawEmails(ctx.rt, [{ raw: small, meta: meta(12) }, { raw: small, meta: meta(13) }]);
    expect(again[0]).toBeNull();
    expect(again[1]).not.toBeNull();
    expect((await ctx.rt.db.query(`SELECT last_uid FROM imap_positions WHERE mailbox = 'INBOX'`)).rows[0].last_uid).toBe(13);
  });

  it('writes IMAP uid sets with ranges', () => {
    expect(uidSet([1, 2, 3, 5, 7, 8, 10])).toBe('1:3,5,7:8,10');
    expect(uidSet([42])).toBe('42');
    expect(uidSet([])).toBe('');
  });
});
