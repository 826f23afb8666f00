// The email channel end to end over real SMTP: a real-world-shaped corpus sent with nodemailer to
// Guichet's SMTP receiver, filed by the job, acknowledgements and replies captured by a test SMTP server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type Transporter } from 'nodemailer';
import type { SMTPServer } from 'smtp-server';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import * as C from '../../../test/fixtures/email/corpus.ts';
import { raw } from '../../../test/fixtures/email/corpus.ts';
import { createSmtpReceiver, listen } from './smtp-receiver.ts';
import { startCaptureSmtp, type CaptureServer } from './test-support/capture-smtp.ts';
import { receiveRawEmail } from './intake.ts';
import { MISMATCH_TAG } from './filing.ts';

const DOMAIN = 'departement.example';

describe('email channel (real SMTP both ways)', () => {
  let ctx: TestContext;
  let org: Org;
  let capture: CaptureServer;
  let receiver: SMTPServer;
  let client: Transporter;
  const h: Record<string, Record<string, string>> = {};

  beforeAll(async () => {
    capture = await startCaptureSmtp();
    ctx = await createTestContext({ SMTP_URL: capture.url, MAIL_FROM: `"Département – Relation usagers" <contact@${DOMAIN}>`, EMAIL_MAX_BYTES: String(2 * 1024 * 1024) });
    org = await makeOrg(ctx);
    for (const k of ['admin', 'cc', 'super']) h[k] = await signIn(ctx, org.agents[k].email);
    receiver = createSmtpReceiver(ctx.rt);
    const port = await listen(receiver, 0, '127.0.0.1');
    client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  });
  afterAll(async () => {
    client?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    await ctx.close();
    await capture.close();
  });

  /** Sends raw bytes through SMTP (250 means committed), then runs the jobs. */
  async function deliver(raw: Buffer, from = 'usager@mail.example') {
    const info = await client.sendMail({ envelope: { from, to: [`contact@${DOMAIN}`] }, raw });
    expect(info.response).toMatch(/^250/);
    await ctx.rt.worker.drain();
  }
  async function inbound(messageId: string) {
    const { rows } = await ctx.rt.db.query(`SELECT * FROM inbound_emails WHERE message_id = $1 ORDER BY received_at`, [messageId]);
    return rows;
  }
  async function caseOf(messageId: string) {
    const [row] = await inbound(messageId);
    expect(row, `no row for ${messageId}`).toBeDefined();
    const { rows } = await ctx.rt.db.query(`SELECT c.*, (SELECT count(*)::int FROM interactions i WHERE i.case_id = c.id) AS n FROM cases c WHERE c.id = $1`, [row.case_id]);
    const inter = await ctx.rt.db.query(
      `SELECT i.*, coalesce((SELECT json_agg(json_build_object('filename', a.filename, 'size', a.size, 'mime', a.mime_type, 'cid', a.content_id, 'sha256', a.sha256) ORDER BY a.position) FROM interaction_attachments a WHERE a.interaction_id = i.id), '[]') AS att
         FROM interactions i WHERE i.id = $1`,
      [row.interaction_id],
    );
    return { row, c: rows[0], i: inter.rows[0] };
  }

  it('decodes charsets and encoded words exactly (ISO-8859-1, ISO-8859-15, Windows-1252, undeclared 8-bit)', async () => {
    const cases = [
      { raw: C.latin1Message('jeanne@mail.example', 'l1x'), id: '<l1x@mail.example>', subject: 'Route abîmée', text: C.TEXTS.latin1, name: 'Jeanne Léger' },
      { raw: C.latin9Message('paul@mail.example', 'l9x'), id: '<l9x@mail.example>', subject: 'Demande d’aide – 150 €', text: C.TEXTS.latin9 },
      { raw: C.cp1252Message('lea@mail.example', 'cpx'), id: '<cpx@mail.example>', subject: '« Merci » – suite', text: C.TEXTS.cp1252 },
      { raw: C.undeclaredMessage('marc@mail.example', 'udx'), id: '<udx@mail.example>', subject: 'Deneigement', text: C.TEXTS.undeclared },
    ];
    for (const t of cases) {
      await deliver(t.raw);
      const { row, c, i } = await caseOf(t.id);
      expect(row.status).toBe('filed');
      expect(c).toMatchObject({ channel: 'email', status: 'new', subject: t.subject, topic_id: null });
      expect(i).toMatchObject({ kind: 'email', direction: 'inbound', subject: t.subject });
      expect(i.body.trim()).toBe(t.text);
      if (t.name) {
        const { rows } = await ctx.rt.db.query('SELECT display_name, to_check FROM contacts WHERE id = $1', [c.contact_id]);
        expect(rows[0]).toEqual({ display_name: t.name, to_check: true });
      }
    }
  });

  it('keeps RFC 2231 filenames, alternatives, forwarded messages and winmail.dat, with exact sizes', async () => {
    await deliver(C.rfc2231Message('a1@mail.example', 'r2231'));
    let r = await caseOf('<r2231@mail.example>');
    expect(r.i.body.trim()).toBe('Veuillez trouver le compte rendu.');
    expect(r.i.att).toEqual([expect.objectContaining({ filename: 'compte-rendu réunion.pdf', size: C.PDF.length, mime: 'application/pdf' })]);

    await deliver(C.alternativeMessage('a2@mail.example', 'alt1'));
    r = await caseOf('<alt1@mail.example>');
    expect(r.c.subject).toBe('Nid-de-poule à Olivet');
    expect(r.i.body.trim()).toBe('Un nid-de-poule dangereux rue de la Mairie.');
    expect(r.i.body_html).toBe('<p>Un <b>nid-de-poule</b> dangereux rue de la Mairie.</p>');

    await deliver(C.forwardedMessage('a3@mail.example', 'fwd1'));
    r = await caseOf('<fwd1@mail.example>');
    expect(r.i.att).toHaveLength(1);
    expect(r.i.att[0]).toMatchObject({ filename: 'message-mairie.eml' });
    const inner = (await ctx.rt.files.read(r.i.att[0].sha256)).toString('utf8');
    expect(inner).toContain('Message-ID: <inner-1@commune.example>');
    expect(inner).toContain('Les travaux commenceront lundi.');

    await deliver(C.winmailMessage('a4@mail.example', 'tnef1'));
    r = await caseOf('<tnef1@mail.example>');
    expect(r.i.att).toEqual([expect.objectContaining({ filename: 'winmail.dat', size: C.TNEF.length })]);
  });

  it('sanitises HTML-only mail: no script, handlers, remote content or pixel; cid image rewritten to our files route', async () => {
    await deliver(C.htmlOnlyMessage('h1@mail.example', 'html1'));
    const { i } = await caseOf('<html1@mail.example>');
    const png = i.att.find((a: any) => a.filename === 'panneau.png');
    expect(png).toMatchObject({ size: C.PNG.length, cid: 'photo1@mail.example' });
    expect(i.body).toBe('Le panneau est tordu, voir la carte.\nCordialement');
    const html: string = i.body_html;
    expect(html).toContain(`<img src="/api/v1/files/${png.sha256}" alt="panneau" />`);
    for (const bad of ['script', 'alert', 'onload', 'onclick', 'javascript:', 'tracker.example', 'evil.example', 'style', 'background']) expect(html).not.toContain(bad);
    expect(html).toContain('href="https://www.example.org/carte"');
  });

  it('files malformed and header-less messages best effort; quarantines the unreadable with the raw kept', async () => {
    await deliver(C.malformedBoundaryMessage('m1@mail.example', 'mal1'));
    const r = await caseOf('<mal1@mail.example>');
    expect(r.i.body).toBe('Texte perdu dans une frontière cassée.');

    await deliver(C.headerlessMessage());
    const { rows } = await ctx.rt.db.query(`SELECT c.subject, c.contact_id, i.body FROM inbound_emails e JOIN cases c ON c.id = e.case_id JOIN interactions i ON i.id = e.interaction_id WHERE e.message_id IS NULL AND e.status = 'filed'`);
    expect(rows).toEqual([{ subject: '(courriel sans objet)', contact_id: null, body: 'Un message sans aucun en-tête.\n' }]);

    // a sender address the directory refuses (no dot in the domain): filed, without a contact
    await deliver(C.simpleMessage({ from: 'root@localhost', id: 'local1@host', subject: 'Cron' }));
    const local = await caseOf('<local1@host>');
    expect(local.c.contact_id).toBeNull();
    expect(local.i.metadata.from).toEqual({ address: 'root@localhost', name: '' });

    const id = await receiveRawEmail(ctx.rt, Buffer.from('\r\n\r\n'), { source: 'smtp', envelopeFrom: 'x@mail.example' });
    await ctx.rt.worker.drain();
    const q = await ctx.rt.db.query('SELECT status, reason, raw_sha256 FROM inbound_emails WHERE id = $1', [id]);
    expect(q.rows[0].status).toBe('quarantined');
    expect(q.rows[0].reason).toContain('illisible');
    expect(ctx.rt.files.exists(q.rows[0].raw_sha256)).toBe(true);
  });

  it('acknowledges a new case once, in French, with reference, unit, due date, Auto-Submitted and our Message-ID', async () => {
    const before = capture.messages.length;
    await deliver(C.simpleMessage({ from: 'Claire Martin <claire@mail.example>', id: 'ack1@mail.example', subject: 'Fossé bouché' }));
    await capture.waitFor(before + 1);
    const { c } = await caseOf('<ack1@mail.example>');
    const ack = capture.messages.find((m) => m.mail.subject?.includes(c.reference))!;
    expect(ack.envelope.to).toEqual(['claire@mail.example']);
    expect(ack.mail.subject).toBe(`Accusé de réception : Fossé bouché [Réf. ${c.reference}]`);
    expect(ack.mail.headers.get('auto-submitted')).toBe('auto-replied');
    expect(ack.mail.inReplyTo).toBe('<ack1@mail.example>');
    expect(ack.mail.messageId).toMatch(new RegExp(`^<case\\.${c.id}\\.[0-9a-f]{20}\\.[0-9a-f]+@guichet\\.${DOMAIN.replace('.', '\\.')}>$`));
    expect(ack.mail.text).toContain(`enregistré sous la référence ${c.reference}`);
    expect(ack.mail.text).toContain('Service en charge : Relation usagers (orientation en cours)');
    expect(ack.mail.text).toMatch(/Réponse prévue au plus tard le : \d{1,2}(er)? \S+ \d{4}/);
    expect(ack.mail.from?.text).toContain('Département – Relation usagers');

    // A reply to the acknowledgement (In-Reply-To our Message-ID) joins the case, and is not acknowledged again.
    const count = capture.messages.length;
    await deliver(C.simpleMessage({ from: 'claire@mail.example', id: 'ack1-reply@mail.example', subject: 'Re: Accusé de réception', headers: [`In-Reply-To: ${ack.mail.messageId}`] }));
    const again = await caseOf('<ack1-reply@mail.example>');
    expect(again.c.id).toBe(c.id);
    expect(again.c.n).toBe(2);
    await ctx.rt.worker.drain();
    expect(capture.messages.length).toBe(count);
  });

  it('qualifies a new case from a routing hint (contact+<topic>@…): routed, acknowledged with unit and due date', async () => {
    const before = capture.messages.length;
    await deliver(raw(['From: elu@commune.example', `To: contact+signalement-voirie@${DOMAIN}`, 'Subject: Chaussée effondrée', 'Message-ID: <hint1@commune.example>', '', 'RD 951, trou béant.']));
    const { c } = await caseOf('<hint1@commune.example>');
    expect(c).toMatchObject({ status: 'qualified', topic_id: org.topics.voirie.id, unit_id: org.units.routes.id });
    const [ack] = (await capture.waitFor(before + 1)).slice(before);
    expect(ack.mail.text).toContain('Service en charge : Exploitation des routes');
    const due = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${c.due_date}T00:00:00Z`)).replace(/^1 /, '1er ');
    expect(ack.mail.text).toContain(`Réponse prévue au plus tard le : ${due}`);
  });

  it('never acknowledges automatic mail of any kind, nor no-reply senders, but files it', async () => {
    const before = capture.messages.length;
    const variants: Array<[string, string[], string?]> = [
      ['auto-submitted', ['Auto-Submitted: auto-replied']],
      ['x-autoreply', ['X-Autoreply: yes']],
      ['x-autorespond', ['X-Autorespond: Absent']],
      ['x-auto-response-suppress', ['X-Auto-Response-Suppress: All']],
      ['precedence-bulk', ['Precedence: bulk']],
      ['x-precedence-junk', ['X-Precedence: junk']],
      ['precedence-list', ['Precedence: list']],
      ['precedence-auto', ['Precedence: auto_reply']],
      ['list-unsubscribe', ['List-Unsubscribe: <mailto:unsub@lists.example>']],
      ['list-id', ['List-Id: Lettre <lettre.lists.example>']],
      ['x-loop-other', ['X-Loop: robot@ailleurs.example']],
    ];
    for (const [tag, headers] of variants) {
      await deliver(C.simpleMessage({ from: `${tag}@mail.example`, id: `auto-${tag}@mail.example`, subject: `Absence ${tag}`, headers }));
      const { row } = await caseOf(`<auto-${tag}@mail.example>`);
      expect(row.status, tag).toBe('filed');
      expect(row.automatic, tag).not.toBeNull();
    }
    await deliver(C.simpleMessage({ from: 'MAILER-DAEMON@mx.example', id: 'auto-daemon@mx.example', subject: 'Notice' }));
    expect((await caseOf('<auto-daemon@mx.example>')).row.automatic).toBe('daemon');
    await deliver(C.simpleMessage({ from: 'postmaster@mx.example', id: 'auto-pm@mx.example', subject: 'Notice' }));
    expect((await caseOf('<auto-pm@mx.example>')).row.automatic).toBe('daemon');
    await deliver(C.simpleMessage({ from: 'nullsender@mail.example', id: 'auto-null@mail.example', subject: 'Retour' }), '');
    expect((await caseOf('<auto-null@mail.example>')).row.automatic).toBe('null_sender');
    await deliver(C.simpleMessage({ from: 'no-reply@service.example', id: 'noreply@service.example', subject: 'Notification' }));
    expect((await caseOf('<noreply@service.example>')).row.automatic).toBeNull();
    await ctx.rt.worker.drain();
    expect(capture.messages.length).toBe(before);
  });

  it('drops our own mail coming back (X-Loop or our Message-ID domain), keeping the raw', async () => {
    await deliver(C.simpleMessage({ from: `contact@${DOMAIN}`, id: 'loop1@mail.example', subject: 'Boucle', headers: [`X-Loop: guichet@${DOMAIN}`] }));
    await deliver(C.simpleMessage({ from: `contact@${DOMAIN}`, id: `case.x.y@guichet.${DOMAIN}`, subject: 'Boucle 2' }));
    for (const id of ['<loop1@mail.example>', `<case.x.y@guichet.${DOMAIN}>`]) {
      const [row] = await inbound(id);
      expect(row).toMatchObject({ status: 'own_loop', case_id: null });
      expect(ctx.rt.files.exists(row.raw_sha256)).toBe(true);
    }
  });

  it('recognises duplicates by Message-ID and by content', async () => {
    const msg = C.simpleMessage({ from: 'dup@mail.example', id: 'dup1@mail.example', subject: 'Doublon' });
    await deliver(msg);
    await deliver(msg);
    const rows = await inbound('<dup1@mail.example>');
    expect(rows.map((r: any) => r.status)).toEqual(['filed', 'duplicate']);
    expect(rows[1].case_id).toBe(rows[0].case_id);
    // the same content re-sent with another Message-ID (a client retrying)
    await deliver(Buffer.from(msg.toString('utf8').replace('dup1@mail.example', 'dup1-bis@mail.example')));
    expect((await inbound('<dup1-bis@mail.example>'))[0]).toMatchObject({ status: 'duplicate', case_id: rows[0].case_id });
    const { rows: cases } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM cases WHERE subject = 'Doublon'`);
    expect(cases[0].n).toBe(1);
  });

  it('threads by reference only from the case contact; a stranger quoting it opens a flagged, linked case', async () => {
    await deliver(C.simpleMessage({ from: 'Nadia Benali <nadia@mail.example>', id: 'th1@mail.example', subject: 'Éclairage en panne' }));
    const first = await caseOf('<th1@mail.example>');
    const ref = first.c.reference;
    await deliver(C.simpleMessage({ from: 'NADIA@mail.example', id: 'th2@mail.example', subject: `Re: Éclairage [Réf. ${ref}]`, body: 'Toujours en panne.' }));
    expect((await caseOf('<th2@mail.example>')).c.id).toBe(first.c.id);

    await deliver(C.simpleMessage({ from: 'intrus@autre.example', id: 'th3@autre.example', subject: `Re: Éclairage [Réf. ${ref}]`, body: 'Je me greffe.' }));
    const stranger = await caseOf('<th3@autre.example>');
    expect(stranger.c.id).not.toBe(first.c.id);
    expect(stranger.c.tags).toEqual([MISMATCH_TAG]);
    const { rows } = await ctx.rt.db.query('SELECT linked_case_id, kind FROM case_links WHERE case_id = $1', [stranger.c.id]);
    expect(rows).toEqual([{ linked_case_id: first.c.id, kind: 'reference_mismatch' }]);

    // A forged Message-ID of ours (bad HMAC) does not thread either.
    await deliver(C.simpleMessage({ from: 'faussaire@autre.example', id: 'th4@autre.example', subject: 'Re: x', headers: [`In-Reply-To: <case.${first.c.id}.00000000000000000000.aa@guichet.${DOMAIN}>`] }));
    expect((await caseOf('<th4@autre.example>')).c.id).not.toBe(first.c.id);
  });

  it('a reply on a closed case reopens it (topic onReplyClosed = reopen) or opens a linked case (new_case)', async () => {
    await ctx.rt.db.query(`UPDATE topics SET on_reply_closed = 'new_case' WHERE code = 'subvention-culture'`);
    for (const [who, topic, expectSame] of [['rouvre', 'signalement-voirie', true], ['suite', 'subvention-culture', false]] as const) {
      await deliver(C.simpleMessage({ from: `${who}@mail.example`, id: `cl-${who}@mail.example`, subject: `Demande ${who}` }));
      const { c } = await caseOf(`<cl-${who}@mail.example>`);
      const q = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${c.reference}/qualify`, headers: h.cc, payload: { topic } });
      expect(q.statusCode, q.body).toBe(200);
      await ctx.rt.db.query(`UPDATE cases SET status = 'closed', closed_at = now() WHERE id = $1`, [c.id]);
      await deliver(C.simpleMessage({ from: `${who}@mail.example`, id: `cl-${who}-2@mail.example`, subject: `Re: Demande ${who} [Réf. ${c.reference}]` }));
      const r = await caseOf(`<cl-${who}-2@mail.example>`);
      if (expectSame) {
        expect(r.c.id).toBe(c.id);
        expect(r.c.status).toBe('in_progress');
      } else {
        expect(r.c.id).not.toBe(c.id);
        const { rows } = await ctx.rt.db.query('SELECT kind FROM case_links WHERE case_id = $1 AND linked_case_id = $2', [r.c.id, c.id]);
        expect(rows).toEqual([{ kind: 'follow_up' }]);
      }
    }
  });

  it('rate-limits acknowledgements per sender (5 a day)', async () => {
    const before = capture.messages.length;
    for (let i = 0; i < 7; i++) await deliver(C.simpleMessage({ from: 'bavard@mail.example', id: `rl${i}@mail.example`, subject: `Demande numéro ${i}` }));
    await capture.waitFor(before + 5);
    await ctx.rt.worker.drain();
    expect(capture.messages.slice(before).filter((m) => m.envelope.to[0] === 'bavard@mail.example')).toHaveLength(5);
  });

  it('quarantines executables with the reason; an administrator sees, releases or deletes them', async () => {
    await deliver(C.executableMessage('virus@mail.example', 'exe1'));
    await deliver(C.executableMessage('virus2@mail.example', 'exe2'));
    const list = await ctx.app.inject({ url: '/api/v1/admin/email/quarantine', headers: h.admin });
    expect(list.statusCode).toBe(200);
    const items = list.json().items.filter((x: any) => /virus/.test(x.from));
    expect(items).toHaveLength(2);
    expect(items[0].reason).toContain('facture.exe');
    expect((await ctx.app.inject({ url: '/api/v1/admin/email/quarantine', headers: h.cc })).statusCode).toBe(403);

    const one = items.find((x: any) => x.from.includes('virus@'));
    const two = items.find((x: any) => x.from.includes('virus2@'));
    const rel = await ctx.app.inject({ method: 'POST', url: `/api/v1/admin/email/quarantine/${one.id}/release`, headers: h.admin });
    expect(rel.statusCode, rel.body).toBe(200);
    await ctx.rt.worker.drain();
    expect((await caseOf('<exe1@mail.example>')).row.status).toBe('filed');
    const del = await ctx.app.inject({ method: 'DELETE', url: `/api/v1/admin/email/quarantine/${two.id}`, headers: h.admin });
    expect(del.statusCode).toBe(204);
    expect((await inbound('<exe2@mail.example>'))[0].status).toBe('deleted');
    expect((await ctx.app.inject({ method: 'DELETE', url: `/api/v1/admin/email/quarantine/${two.id}`, headers: h.admin })).statusCode).toBe(404);
  });

  it('refuses an oversized message at SMTP time (552), nothing stored', async () => {
    const big = C.simpleMessage({ from: 'gros@mail.example', id: 'big@mail.example', subject: 'Gros', body: 'x'.repeat(3 * 1024 * 1024) });
    await expect(client.sendMail({ envelope: { from: 'gros@mail.example', to: [`contact@${DOMAIN}`] }, raw: big })).rejects.toMatchObject({ responseCode: 552 });
    expect(await inbound('<big@mail.example>')).toEqual([]);
  });

  it('replies from the back office by email: threading headers, reference, signature; bounces mark the address failing', async () => {
    await ctx.rt.db.query(`UPDATE agents SET signature = $2 WHERE id = $1`, [org.agents.cc.id, 'Agnès Morel\nCentre de relation usagers']);
    await deliver(C.simpleMessage({ from: 'Yves Roux <yves@mail.example>', id: 'rep1@mail.example', subject: 'Transport scolaire' }));
    const { c } = await caseOf('<rep1@mail.example>');
    const channels = await ctx.app.inject({ url: `/api/v1/cases/${c.reference}/reply-channels`, headers: h.cc });
    expect(channels.json().items).toContainEqual({ id: 'email', label: 'Courriel', available: true });
    const before = capture.messages.length;
    const pdf = await ctx.rt.files.put(ctx.rt.db, C.PDF, { declaredType: 'application/pdf' });
    const r = await ctx.app.inject({
      method: 'POST', url: `/api/v1/cases/${c.reference}/replies`, headers: h.cc,
      payload: {
        channel: 'email', subject: 'Votre demande de transport', body: 'Bonjour {{contact.name}},\n\nVotre dossier {{reference}} est complet.',
        attachments: [{ sha256: pdf.sha256, filename: 'attestation.pdf' }],
      },
    });
    expect(r.statusCode, r.body).toBe(201);
    await ctx.rt.worker.drain();
    const [sent] = await capture.waitFor(before + 1).then((m) => m.slice(before).filter((x) => x.envelope.to[0] === 'yves@mail.example' && !x.mail.headers.get('auto-submitted')));
    expect(sent.mail.subject).toBe(`Votre demande de transport [Réf. ${c.reference}]`);
    expect(sent.mail.inReplyTo).toBe('<rep1@mail.example>');
    expect(sent.mail.text?.trimEnd()).toBe(`Bonjour Yves Roux,\n\nVotre dossier ${c.reference} est complet.\n\n-- \nAgnès Morel\nCentre de relation usagers`);
    expect(sent.mail.headers.get('x-loop')).toBe(`guichet@${DOMAIN}`);
    expect(sent.mail.attachments.map((a) => [a.filename, a.size])).toEqual([['attestation.pdf', C.PDF.length]]);
    const { rows } = await ctx.rt.db.query(`SELECT direction, metadata FROM interactions WHERE id = $1`, [r.json().interactionId]);
    expect(rows[0]).toMatchObject({ direction: 'outbound', metadata: { delivery: 'sent', messageId: sent.mail.messageId } });

    // The recipient's server bounces it later: the DSN joins the case, the address is marked failing.
    await deliver(C.dsnMessage('yves@mail.example', sent.mail.messageId!), '');
    const [dsn] = await inbound('<dsn-1@mx.example>');
    expect(dsn).toMatchObject({ status: 'filed', case_id: c.id, automatic: 'bounce' });
    const { rows: ce } = await ctx.rt.db.query(`SELECT failing_since IS NOT NULL AS failing, failure_reason FROM contact_emails WHERE email = 'yves@mail.example'`);
    expect(ce[0]).toEqual({ failing: true, failure_reason: '5.1.1 550 5.1.1 User unknown' });
    const { rows: ev } = await ctx.rt.db.query(`SELECT kind FROM case_events WHERE case_id = $1 AND kind = 'delivery_failed'`, [c.id]);
    expect(ev).toHaveLength(1);
    const again = await ctx.app.inject({ url: `/api/v1/cases/${c.reference}/reply-channels`, headers: h.cc });
    expect(again.json().items.find((x: any) => x.id === 'email').available).toBe(false);
  });

  it('reports a reply refused by the SMTP server (5xx) on the case', async () => {
    await deliver(C.simpleMessage({ from: 'refuse@mail.example', id: 'ref5@mail.example', subject: 'Adresse refusée' }));
    const { c } = await caseOf('<ref5@mail.example>');
    capture.reject.add('refuse@mail.example');
    const r = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${c.reference}/replies`, headers: h.cc, payload: { channel: 'email', body: 'Réponse.' } });
    expect(r.statusCode, r.body).toBe(201);
    await ctx.rt.worker.drain();
    const { rows } = await ctx.rt.db.query(`SELECT metadata->>'delivery' AS delivery FROM interactions WHERE id = $1`, [r.json().interactionId]);
    expect(rows[0].delivery).toBe('failed');
    const { rows: ev } = await ctx.rt.db.query(`SELECT reason FROM case_events WHERE case_id = $1 AND kind = 'delivery_failed'`, [c.id]);
    expect(ev[0].reason).toContain('Courriel non envoyé');
  });
});
