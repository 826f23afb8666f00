// IMAP intake against Debian's Dovecot: new mail stored then flagged \Seen, IDLE wakes the poller,
// and a restart (stop, more mail, start) neither skips nor repeats a message.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImapFlow } from 'imapflow';
import { createTestContext, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg } from '../../../test/helpers/fixtures.ts';
import * as C from '../../../test/fixtures/email/corpus.ts';
import { dovecotAvailable, startDovecot, type Dovecot } from './test-support/dovecot.ts';
import { ImapPoller, parseImapUrl } from './imap-poller.ts';

describe.skipIf(!dovecotAvailable())('IMAP intake (Dovecot)', () => {
  let ctx: TestContext;
  let dovecot: Dovecot;
  let provider: ImapFlow;

  beforeAll(async () => {
    dovecot = await startDovecot();
    ctx = await createTestContext({ IMAP_URL: dovecot.url(), MAIL_FROM: 'contact@departement.example' });
    await makeOrg(ctx);
    provider = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false, doSTARTTLS: false } as never);
    await provider.connect();
  });
  afterAll(async () => {
    await provider?.logout().catch(() => {});
    await ctx?.close();
    await dovecot?.stop();
  });

  const append = (i: number) => provider.append('INBOX', C.simpleMessage({ from: `imap${i}@mail.example`, id: `imap-${i}@mail.example`, subject: `Message IMAP ${i}`, body: `Contenu ${i}` }));
  const stored = async () => (await ctx.rt.db.query<{ uid: number; status: string }>(`SELECT uid, status FROM inbound_emails WHERE source = 'imap' ORDER BY uid`)).rows;
  async function until(cond: () => Promise<boolean>, what: string) {
    for (let i = 0; i < 600; i++) {
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  it('stores, files and flags new mail; IDLE brings the next; a restart neither skips nor repeats', async () => {
    for (let i = 1; i <= 3; i++) await append(i);
    const poller = new ImapPoller(ctx.rt, parseImapUrl(ctx.rt.config.email.imapUrl!), 600_000);
    await poller.start();
    expect((await stored()).map((r) => r.uid)).toEqual([1, 2, 3]);

    for (let i = 4; i <= 5; i++) await append(i);
    await until(async () => (await stored()).length === 5, 'IDLE to deliver messages 4 and 5');
    await poller.stop();

    for (let i = 6; i <= 7; i++) await append(i); // arrive while we are down
    const again = new ImapPoller(ctx.rt, parseImapUrl(ctx.rt.config.email.imapUrl!), 600_000);
    await again.start();
    await again.stop();
    expect((await stored()).map((r) => r.uid)).toEqual([1, 2, 3, 4, 5, 6, 7]);

    // Even with the stored position lost, the per-UID row makes a re-read a no-op.
    await ctx.rt.db.query('DELETE FROM imap_positions');
    const third = new ImapPoller(ctx.rt, parseImapUrl(ctx.rt.config.email.imapUrl!), 600_000);
    await third.start();
    await third.stop();
    expect(await stored()).toHaveLength(7);

    await ctx.rt.worker.drain();
    const { rows } = await ctx.rt.db.query(`SELECT c.subject FROM inbound_emails e JOIN cases c ON c.id = e.case_id WHERE e.source = 'imap' ORDER BY e.uid`);
    expect(rows.map((r) => r.subject)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `Message IMAP ${i}`));
    const mb = await provider.mailboxOpen('INBOX');
    expect(mb.exists).toBe(7);
    const unseen = await provider.search({ seen: false }, { uid: true });
    expect(unseen).toEqual([]);
  });
});
