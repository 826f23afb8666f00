// npm run bench:email — N messages with a PDF attachment (BENCH_MESSAGES, default 10,000) through the
// SMTP receiver and through IMAP (Dovecot), end to end (raw stored, parsed, threaded, case created,
// acknowledgement queued and sent), beside the raw rate of the same transport into a no-op sink. On
// PostgreSQL (BENCH_DATABASE_URL / DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres),
// or on the embedded PGlite with BENCH_ENGINE=pglite. Prints where the time goes: per-phase timings of
// acceptance and filing, Node's event-loop utilisation, and (PostgreSQL) what the server's sessions
// were doing, sampled every 50 ms from pg_stat_activity.
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
import { emailTimes } from '../src/channels/email/timings.ts';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { PG_URL, machineCpuMs, postgresReachable, procCpuMs, scratchDatabase, table } from './lib.ts';

const N = Number(process.env.BENCH_MESSAGES || 10_000);
const CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS || 4);
const PGLITE = process.env.BENCH_ENGINE === 'pglite';
const blank = { 'Node CPU ms/msg': '', 'PG sessions CPU ms/msg': '', 'rest of machine CPU ms/msg': '', 'machine busy': '' };
const loadavg = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
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

/** Until `n` acknowledgements have reached the capture server (or 10 minutes). */
let untilSent: (n: number) => Promise<void> = async () => {};

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

/**
 * What the database sessions of `dbName` are doing, sampled every 50 ms (PostgreSQL only), and the
 * CPU time spent since the last reset: by this process (the whole of Guichet, plus the bench's own
 * SMTP client and capture server), by the PostgreSQL sessions of the bench database, by the machine.
 */
class ActivitySampler {
  private counts = new Map<string, number>();
  private samples = 0;
  private timer: NodeJS.Timeout | null = null;
  private client: pg.Client | null = null;
  /** CPU ms of each backend of the bench database when first seen in this phase, and last seen. */
  private backends = new Map<number, { first: number; last: number }>();
  private node = process.cpuUsage();
  private machine = machineCpuMs();
  constructor(private readonly url: string | null, private readonly dbName: string) {}
  async start() {
    if (!this.url) return;
    this.client = new pg.Client({ connectionString: this.url });
    await this.client.connect();
    const tick = async () => {
      const { rows } = await this.client!.query<{ w: string; n: number; pids: number[] }>(
        `SELECT CASE WHEN state = 'active' THEN 'active: ' || coalesce(wait_event_type || ' ' || wait_event, 'on CPU')
                     ELSE coalesce(state, 'starting') || coalesce(' (' || wait_event || ')', '') END AS w, count(*)::int AS n, array_agg(pid) AS pids
           FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid() AND backend_type = 'client backend' GROUP BY 1`,
        [this.dbName],
      );
      this.samples++;
      for (const r of rows) {
        this.counts.set(r.w, (this.counts.get(r.w) ?? 0) + r.n);
        for (const pid of r.pids) this.seen(pid);
      }
      if (this.client) this.timer = setTimeout(() => void tick().catch(() => {}), 50);
    };
    void tick();
  }
  private seen(pid: number) {
    const ms = procCpuMs(pid);
    if (ms === null) return;
    const b = this.backends.get(pid);
    if (b) b.last = ms;
    else this.backends.set(pid, { first: ms, last: ms });
  }
  reset() {
    this.counts.clear();
    this.samples = 0;
    void this.client?.query('SELECT pg_stat_reset()').catch(() => {});
    for (const pid of [...this.backends.keys()]) {
      const ms = procCpuMs(pid);
      if (ms === null) this.backends.delete(pid);
      else this.backends.set(pid, { first: ms, last: ms });
    }
    this.node = process.cpuUsage();
    this.machine = machineCpuMs();
  }
  /** CPU per message since the last reset. */
  cpu(messages: number, seconds: number) {
    for (const pid of this.backends.keys()) this.seen(pid);
    const n = process.cpuUsage(this.node);
    const nodeMs = (n.user + n.system) / 1000;
    let pgMs = 0;
    for (const b of this.backends.values()) pgMs += b.last - b.first;
    const m = machineCpuMs();
    const busy = m.busy - this.machine.busy;
    const cores = os.cpus().length;
    return {
      'Node CPU ms/msg': Math.round((nodeMs / messages) * 10) / 10,
      'PG sessions CPU ms/msg': this.url ? Math.round((pgMs / messages) * 10) / 10 : '-',
      'rest of machine CPU ms/msg': Math.round(((busy - nodeMs - pgMs) / messages) * 10) / 10,
      'machine busy': `${Math.round((busy / (seconds * 1000 * cores)) * 100)} %`,
    };
  }
  /** Time spent in PL/pgSQL functions (the audit sealer, triggers): track_functions is set on the bench database. */
  async functions(title: string, messages: number) {
    if (!this.client) return;
    await new Promise((r) => setTimeout(r, 1200)); // sessions report their statistics at most every second
    const { rows } = await this.client.query<{ funcname: string; calls: number; total: number; self: number }>(
      `SELECT funcname, calls::int, total_time AS total, self_time AS self FROM pg_stat_user_functions ORDER BY total_time DESC LIMIT 8`,
    );
    if (!rows.length) return;
    console.log(`\n${title} — PL/pgSQL functions in PostgreSQL (ms per message):`);
    table(rows.map((r) => ({ function: r.funcname, 'calls per msg': Math.round((r.calls / messages) * 100) / 100, 'total ms/msg': Math.round((r.total / messages) * 100) / 100 })));
  }
  print(title: string) {
    if (!this.samples) return;
    console.log(`\n${title} — PostgreSQL sessions, mean number in each state (${this.samples} samples):`);
    table([...this.counts].sort((a, b) => b[1] - a[1]).map(([state, n]) => ({ state, sessions: Math.round((n / this.samples) * 100) / 100 })));
  }
  async stop() {
    if (this.timer) clearTimeout(this.timer);
    const c = this.client;
    this.client = null;
    await c?.end();
  }
}

/** Event-loop utilisation of this process (Node busy share) since the last call. */
function eluMeter() {
  let last = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const d = performance.eventLoopUtilization(now, last);
    last = now;
    return `${Math.round(d.utilization * 100)} %`;
  };
}

/**
 * BENCH_TRACE_SQL=1: every statement sent by this process, by its first words — how many per message
 * and their client-side latency (which under a saturated machine includes waiting for a CPU).
 */
const sqlTrace = new Map<string, { n: number; ms: number }>();
if (process.env.BENCH_TRACE_SQL === '1') {
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function (this: unknown, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string } | null)?.text ?? '');
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 90);
    const t0 = performance.now();
    const result = original.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function') {
      void (result as Promise<unknown>).then(
        () => record(key, t0),
        () => record(key, t0),
      );
    }
    return result;
  };
}
function record(key: string, t0: number) {
  const e = sqlTrace.get(key) ?? { n: 0, ms: 0 };
  e.n++;
  e.ms += performance.now() - t0;
  sqlTrace.set(key, e);
}
function printSql(title: string, messages: number) {
  if (!sqlTrace.size) return;
  const all = [...sqlTrace].filter(([k]) => !k.includes('pg_stat_activity'));
  const total = all.reduce((a, [, e]) => a + e.n, 0);
  console.log(`\n${title} — statements sent: ${(total / messages).toFixed(1)} per message`);
  table(all.sort((a, b) => b[1].n - a[1].n).slice(0, 40).map(([sql, e]) => ({ 'per msg': Math.round((e.n / messages) * 100) / 100, 'mean ms': Math.round((e.ms / e.n) * 10) / 10, sql })));
  sqlTrace.clear();
}

/**
 * BENCH_PG_LOG=<server log file>: the bench database logs every statement with its duration
 * (log_min_duration_statement = 0); after each phase the server time is summed per statement and
 * protocol step (parse, bind = planning, execute) from that log. Server time is CPU for statements
 * that do not wait (locks, I/O).
 */
const PG_LOG = process.env.BENCH_PG_LOG || null;
let pgLogOffset = 0;
function pgLogMark() {
  if (PG_LOG) pgLogOffset = fs.statSync(PG_LOG).size;
}
function printPgLog(title: string, messages: number) {
  if (!PG_LOG) return;
  const fd = fs.openSync(PG_LOG, 'r');
  const size = fs.statSync(PG_LOG).size;
  const buf = Buffer.alloc(size - pgLogOffset);
  fs.readSync(fd, buf, 0, buf.length, pgLogOffset);
  fs.closeSync(fd);
  const by = new Map<string, { n: number; parse: number; bind: number; execute: number }>();
  let total = 0;
  for (const line of buf.toString('utf8').split('\n')) {
    if (!line.includes('@guichet_bench_email ')) continue;
    const m = /duration: ([\d.]+) ms {2}(parse|bind|execute) [^:]*: (.*)$/.exec(line) ?? /duration: ([\d.]+) ms {2}(statement): (.*)$/.exec(line);
    if (!m) continue;
    const ms = Number(m[1]);
    const step = m[2] === 'statement' ? 'execute' : (m[2] as 'parse' | 'bind' | 'execute');
    const key = m[3].replace(/\s+/g, ' ').trim().slice(0, 80);
    const e = by.get(key) ?? { n: 0, parse: 0, bind: 0, execute: 0 };
    if (step === 'execute') e.n++;
    e[step] += ms;
    total += ms;
    by.set(key, e);
  }
  console.log(`\n${title} — PostgreSQL server time per message, from its log: ${(total / messages).toFixed(2)} ms in all`);
  table([...by].sort((a, b) => b[1].parse + b[1].bind + b[1].execute - (a[1].parse + a[1].bind + a[1].execute)).slice(0, 30).map(([sql, e]) => ({
    'per msg': Math.round((e.n / messages) * 100) / 100, 'ms/msg': Math.round(((e.parse + e.bind + e.execute) / messages) * 100) / 100,
    'parse+bind ms/msg': Math.round(((e.parse + e.bind) / messages) * 100) / 100, sql,
  })));
}

function printPhases(title: string) {
  const snap = emailTimes.snapshot();
  if (!snap.length) return;
  console.log(`\n${title} — per-phase wall time (ms, mean per message; phases of one message run one after the other):`);
  table(snap.map((r) => ({ phase: r.phase, count: r.n, 'mean ms': r.meanMs, 'total s': Math.round(r.totalMs / 100) / 10 })));
  emailTimes.reset();
}

async function main() {
  if (!PGLITE && !(await postgresReachable())) {
    console.error(`PostgreSQL injoignable (${PG_URL}) : le banc d'essai courriel tourne sur PostgreSQL (ou BENCH_ENGINE=pglite).`);
    process.exit(2);
  }
  const capture = await startCaptureSmtp();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-email-'));
  const url = PGLITE ? null : await scratchDatabase('guichet_bench_email');
  if (url) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`ALTER DATABASE guichet_bench_email SET track_functions = 'pl'`);
    if (PG_LOG) await admin.query(`ALTER DATABASE guichet_bench_email SET log_min_duration_statement = 0`);
    await admin.end();
  }
  const env: Record<string, string | undefined> = { ...process.env, GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent', SMTP_URL: capture.url, MAIL_FROM: 'contact@departement.example' };
  if (url) env.DATABASE_URL = url;
  else delete env.DATABASE_URL;
  const config = loadConfig(env);
  const rt = await createRuntime(config, { log: pino({ level: 'silent' }) });
  rt.worker.start();
  rt.sealer.start(); // as in `guichet serve`: audit events are linked into the chain as they come
  rt.queueVacuum.start(); // and the queue tables vacuumed
  untilSent = async (n) => {
    const deadline = Date.now() + 600_000;
    while (capture.messages.length < n && Date.now() < deadline) await new Promise((res) => setTimeout(res, 100));
  };
  const sampler = new ActivitySampler(url, 'guichet_bench_email');
  await sampler.start();
  const elu = eluMeter();
  console.log(`${N} messages (8 Ko de pièce jointe chacun), ${rt.db.kind}, ${os.cpus().length} cœurs, GUICHET_JOB_CONCURRENCY=${config.jobConcurrency}, ${CONNECTIONS} connexions SMTP; charge ${loadavg()} (1 / 5 / 15 min)`);

  // SMTP — baseline: the same receiver into a no-op sink.
  const sink = createSmtpReceiver(rt, async () => {});
  const sinkPort = await listen(sink, 0, '127.0.0.1');
  sampler.reset();
  let t0 = Date.now();
  elu();
  await sendAll(sinkPort, 'sink');
  let s = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'baseline: receiver → no-op sink', messages: N, seconds: s, 'msg/s': N / s, 'Node busy': elu(), ...sampler.cpu(N, s) });
  await new Promise<void>((r) => sink.close(() => r()));

  const receiver = createSmtpReceiver(rt);
  const port = await listen(receiver, 0, '127.0.0.1');
  sampler.reset();
  sqlTrace.clear();
  pgLogMark();
  t0 = Date.now();
  await sendAll(port, 'smtp');
  const acked = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'accepted (raw stored + row committed, 250)', messages: N, seconds: acked, 'msg/s': N / acked, 'Node busy': elu(), ...blank });
  await until(rt, 'smtp', N);
  s = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: 'end to end (parsed, threaded, case created)', messages: N, seconds: s, 'msg/s': N / s, 'Node busy': elu(), ...sampler.cpu(N, s) });
  await untilSent(N);
  s = (Date.now() - t0) / 1000;
  rows.push({ transport: 'SMTP', measure: '… and every acknowledgement sent', messages: N, seconds: s, 'msg/s': N / s, 'Node busy': elu(), ...sampler.cpu(N, s) });
  console.log(`SMTP phase done; load ${loadavg()}`);
  printPhases('SMTP');
  sampler.print('SMTP');
  printSql('SMTP', N);
  await sampler.functions('SMTP', N);
  printPgLog('SMTP', N);
  await new Promise<void>((r) => receiver.close(() => r()));

  // IMAP (Dovecot)
  if (dovecotAvailable()) {
    const dovecot = await startDovecot();
    const provider = new ImapFlow({ host: '127.0.0.1', port: dovecot.port, secure: false, auth: { user: dovecot.user, pass: dovecot.pass }, logger: false, doSTARTTLS: false } as never);
    await provider.connect();
    for (let i = 0; i < N; i++) await provider.append('INBOX', message('imap', i));
    // baseline: fetch every message's source into nothing
    await provider.mailboxOpen('INBOX');
    sampler.reset();
    t0 = Date.now();
    elu();
    let fetched = 0;
    for await (const m of provider.fetch('1:*', { source: true }, { uid: true })) if (m.source) fetched++;
    s = (Date.now() - t0) / 1000;
    rows.push({ transport: 'IMAP', measure: 'baseline: fetch → no-op sink', messages: fetched, seconds: s, 'msg/s': fetched / s, 'Node busy': elu(), ...sampler.cpu(fetched, s) });
    await provider.logout();
    const poller = new ImapPoller(rt, parseImapUrl(dovecot.url()), 600_000);
    emailTimes.reset();
    sampler.reset();
    sqlTrace.clear();
    pgLogMark();
    t0 = Date.now();
    await poller.start();
    await until(rt, 'imap', N);
    s = (Date.now() - t0) / 1000;
    rows.push({ transport: 'IMAP', measure: 'end to end (stored, parsed, threaded, case created)', messages: N, seconds: s, 'msg/s': N / s, 'Node busy': elu(), ...sampler.cpu(N, s) });
    await untilSent(2 * N);
    s = (Date.now() - t0) / 1000;
    rows.push({ transport: 'IMAP', measure: '… and every acknowledgement sent', messages: N, seconds: s, 'msg/s': N / s, 'Node busy': elu(), ...sampler.cpu(N, s) });
    console.log(`IMAP phase done; load ${loadavg()}`);
    printPhases('IMAP');
    sampler.print('IMAP');
    printSql('IMAP', N);
    await sampler.functions('IMAP', N);
    printPgLog('IMAP', N);
    await poller.stop();
    await dovecot.stop();
  } else {
    rows.push({ transport: 'IMAP', measure: 'skipped: dovecot-imapd not installed', messages: 0, seconds: 0, 'msg/s': 0, 'Node busy': '', ...blank });
  }
  const { rows: c } = await rt.db.query(`SELECT count(*)::int AS cases FROM cases`);
  const { rows: st } = await rt.db.query(`SELECT status, count(*)::int AS n FROM inbound_emails GROUP BY status ORDER BY status`);
  await sampler.stop();
  await rt.close();
  await capture.close();
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('');
  table(rows);
  console.log(`\nload at the end ${loadavg()}; cases: ${c[0].cases}; inbound: ${st.map((r) => `${r.status} ${r.n}`).join(', ')}; acknowledgements captured: ${capture.messages.length}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
