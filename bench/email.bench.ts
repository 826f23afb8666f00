// npm run bench:email — N messages with a PDF attachment (BENCH_MESSAGES, default 10,000) through the
// SMTP receiver and through IMAP (Dovecot), end to end (raw stored, parsed, threaded, case created,
// acknowledgement queued and sent), beside the raw rate of the same transport into a no-op sink. On
// PostgreSQL (BENCH_DATABASE_URL / DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pino from 'pino';
import nodemailer from 'nodemailer';
import { ImapFlow } from 'imapflow';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime, type Runtime } from '../src/platform/runtime.ts';
import { createSmtpReceiver, listen } from '../src/channels/email/smtp-receiver.ts';
import { ImapPoller, parseImapUrl } from '../src/channels/email/imap-poller.ts';
import { startCaptureSmtp } from '../src/channels/email/test-support/capture-smtp.ts';
import { dovecotAvailable, startDovecot } from '../src/channels/email/test-support/dovecot.ts';
import { PG_URL, postgresReachable, scratchDatabase, table } from './lib.ts';

const N = Number(process.env.BENCH_MESSAGES || 10_000);
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS || 4);
const rows: Array<Record<string, string | number>> = [];
const attachment = crypto.randomBytes(8 * 1024).toString('base64');

function message(tag: string, i: number): Buffer {
  const lines = [
    `From: Usager ${i} <${tag}${i}@usagers.example>`, 'To: contact@departement.example', `Subject: Demande ${tag} numéro ${i}`,
    `Date: ${new Date().toUTCString()}`, `Message-ID: <${tag}-${i}-${crypto.randomBytes(4).toString('hex')}@usagers.example>`, 'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type: text/plain; charset=utf-8', '',
    `Bonjour, la route départementale près de chez moi (${i}) est abîmée. Merci d'intervenir.`, '--b',
    `Content-Type: application/pdf; name="piece-${i}.pdf"`, 'Content-Transfer-Encoding: base64', `Content-Disposition: attachment; filename="piece-${i}.pdf"`, '',
    ...(`%PDF-1.4 ${i} ` + attachment).match(/.{1,76}/g)!.map((l) => Buffer.from(l).toString('base64').slice(0, 76)), '--b--', '',
  ];
  return Buffer.from(lines.join('\r\n'));
}

async function until(rt: Runtime, source: string, n: number) {
  for (;;) {
    const { rows: r } = await rt.db.query(`SELECT count(*)::int AS done FROM inbound_emails WHERE source = $1 AND status <> 'received'`, [source]);
    if (r[0].done >= n) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}

async function sendAll(port: number, tag: string) {
  const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      await client.sendMail({ envelope: { from: `${tag}${i}@usagers.example`, to: ['contact@departement.example'] }, raw: message(tag, i) });
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  client.close();
}

async function main() {
  if (!(await postgresReachable())) {
    console.error(`PostgreSQL injoignable (${PG_URL}) : le banc d'essai courriel tourne sur PostgreSQL.`);
    process.exit(2);
  }
  const capture = await startCaptureSmtp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-email-'));
  const url = await scratchDatabase('guichet_bench_email');
  const config = loadConfig({ ...process.env, DATABASE_URL: url, GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent', SMTP_URL: capture.url, MAIL_FROM: 'contact@departement.example', GUICHET_JOB_CONCURRENCY: process.env.GUICHET_JOB_CONCURRENCY || '4' });
  const rt = await createRuntime(config, { log: pino({ level: 'silent' }) });
  rt.worker.start();
  console.log(`${N} messages (8 Ko de pièce jointe chacun), PostgreSQL, ${config.jobConcurrency} tâches en parallèle`);

  // SMTP — baseline: the same receiver into a no-op sink.
  const sink = createSmtpReceiver(rt, async () => {});
  const sinkPort = await listen(sink, 0, '127.0.0.1');
  let t0 = Date.now();
  await sendAll(sinkPort, 'sink');
  let s = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'baseline: receiver → no-op sink', messages: N, seconds: s, 'msg/s': N / s });
  await new Promise<void>((r) => sink.close(() => r()));

  const receiver = createSmtpReceiver(rt);
  const port = await listen(receiver, 0, '127.0.0.1');
  t0 = Date.now();
  await sendAll(port, 'smtp');
  const acked = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'accepted (raw stored + row committed, 250)', messages: N, seconds: acked, 'msg/s': N / acked });
  await until(rt, 'smtp', N);
  s = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'end to end (parsed, threaded, case created)', messages: N, seconds: s, 'msg/s': N / s });
  await new Promise<void>((r) => receiver.close(() => r()));

  // IMAP (Dovecot)
  if (dovecotAvailable()) {
    const dovecot = await startDovecot();
    const provider = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false, doSTARTTLS: false } as never);
    await provider.connect();
    for (let i = 0; i < N; i++) await provider.append('INBOX', message('imap', i));
    // baseline: fetch every message's source into nothing
    await provider.mailboxOpen('INBOX');
    t0 = Date.now();
    let fetched = 0;
    for await (const m of provider.fetch('1:*', { source: true }, { uid: true })) if (m.source) fetched++;
    s = (Date.now() - t0) / 1000;
    rows.push({ transport: 'IMAP', measure: 'baseline: fetch → no-op sink', messages: fetched, seconds: s, 'msg/s': fetched / s });
    await provider.logout();
    const poller = new ImapPoller(rt, parseImapUrl(dovecot.url()), 600_000);
    t0 = Date.now();
    await poller.start();
    await until(rt, 'imap', N);
    s = (Date.now() - t0) / 1000;
    rows.push({ transport: 'IMAP', measure: 'end to end (stored, parsed, threaded, case created)', messages: N, seconds: s, 'msg/s': N / s });
    await poller.stop();
    await dovecot.stop();
  } else {
    rows.push({ transport: 'IMAP', measure: 'skipped: dovecot-imapd not installed', messages: 0, seconds: 0, 'msg/s': 0 });
  }
  const { rows: c } = await rt.db.query(`SELECT count(*)::int AS cases FROM cases`);
  const { rows: st } = await rt.db.query(`SELECT status, count(*)::int AS n FROM inbound_emails GROUP BY status ORDER BY status`);
  await rt.close();
  await capture.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('');
  table(rows);
  console.log(`\ncases: ${c[0].cases}; inbound: ${st.map((r) => `${r.status} ${r.n}`).join(', ')}; acknowledgements captured: ${capture.messages.length}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
