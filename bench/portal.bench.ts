// npm run bench:portal — 200 signed-in citizens submitting a procedure at the same time (the whole
// submission path: draft load, validation, case creation with contact, routing, first interaction,
// submission row, PDF job queued). Reports submissions/s and latency percentiles, on PostgreSQL
// (and on embedded PGlite with BENCH_PGLITE=1). Target on PostgreSQL, 2 cores: p95 < 300 ms.
// Beside the latencies (which depend on what else the machine runs), it reports the CPU each submission
// costs the server process and the PostgreSQL backends of its database, and the load average.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime } from '../src/platform/runtime.ts';
import { createCitizenSession } from '../src/modules/citizens/citizen-sessions.ts';
import { seedProcedures } from '../src/modules/procedures/procedures.service.ts';
import { freePort, percentile, postgresReachable, scratchDatabase, startProcess, stopProcess, table } from './lib.ts';

const CITIZENS = Number(process.env.BENCH_CITIZENS || 200);
const ROUNDS = Number(process.env.BENCH_ROUNDS || 3);
/** Submissions sent one by one before measuring, so that a fresh process is measured warm (JIT, caches). */
const WARM_UP = 20;
const rows: Array<Record<string, string | number>> = [];

/** The figures recorded before the portal's submission path was reworked (docs/stop9 note, issue 8). */
const BASELINE = 'baseline (commit 9cf474e, PostgreSQL, load 8–13): 40 submissions/s, p95 2.7 s';

/** CPU time (ms) used so far by a process (utime + stime from /proc; Linux only). */
function cpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[11]) + Number(f[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

/** CPU time (ms) of the PostgreSQL backends connected to `database` (they show it in their title). */
function backendsCpuMs(database: string): number {
  let total = 0;
  for (const pid of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (cmd.startsWith('postgres:') && cmd.includes(` ${database} `)) total += cpuMs(Number(pid));
    } catch {
      /* gone */
    }
  }
  return total;
}

async function benchEngine(engine: 'pglite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-portal-'));
  const databaseUrl = engine === 'postgres' ? await scratchDatabase('guichet_bench_portal') : null;
  // By default no job worker runs (deployments run `guichet worker` apart); BENCH_IN_PROCESS_JOBS=1 runs
  // the jobs (PDF summaries) inside the server, as a single `npm start` does.
  const env = { GUICHET_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn', GUICHET_IN_PROCESS_JOBS: process.env.BENCH_IN_PROCESS_JOBS === '1' ? 'true' : 'false' };
  const rt = await createRuntime(loadConfig(env), { log: pino({ level: 'warn' }) });
  const db = rt.db;
  await seedProcedures(db);
  const unit = (await db.query(`INSERT INTO units (code, name) VALUES ('centre-contact', 'Centre de contact') RETURNING id`)).rows[0].id;
  const dom = (await db.query(`INSERT INTO domains (code, name) VALUES ('information-demarches', 'Information') RETURNING id`)).rows[0].id;
  await db.query(`INSERT INTO topics (code, name, domain_id, default_unit_id, deadline_days) VALUES ('information-generale', 'Information générale', $1, $2, 2)`, [dom, unit]);
  const sessions: Array<{ cookie: string; csrf: string; drafts: string[] }> = [];
  const warmUp: Array<{ session: number; draft: string }> = [];
  for (let i = 0; i < CITIZENS; i++) {
    const email = `citoyen${i}@bench.test`;
    const contact = (await db.query(`INSERT INTO contacts (kind, segment, first_name, last_name, display_name) VALUES ('person', 'particulier', 'Camille', $1, $2) RETURNING id`, [`Test${i}`, `Camille Test${i}`])).rows[0].id;
    await db.query(`INSERT INTO contact_emails (contact_id, email, is_primary) VALUES ($1, $2, true)`, [contact, email]);
    const account = (await db.query(`INSERT INTO citizen_accounts (email, email_verified_at, contact_id, first_name, last_name) VALUES ($1, now(), $2, 'Camille', $3) RETURNING id`, [email, contact, `Test${i}`])).rows[0].id;
    const s = await createCitizenSession(db, account, 12, {});
    const drafts: string[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      const data = { objet: `Question ${i}-${r}`, message: 'Bonjour, quels sont les horaires d’ouverture de la maison du Département de Gien ?', email, nom: `Test${i}` };
      drafts.push((await db.query(`INSERT INTO procedure_drafts (procedure_slug, account_id, data) VALUES ('information-generale', $1, $2) RETURNING id`, [account, JSON.stringify(data)])).rows[0].id);
    }
    sessions.push({ cookie: `guichet_citizen=${s.id}`, csrf: s.csrfToken, drafts });
    if (i < WARM_UP) {
      const data = { objet: `Préchauffage ${i}`, message: 'Bonjour, une question.', email, nom: `Test${i}` };
      warmUp.push({ session: i, draft: (await db.query(`INSERT INTO procedure_drafts (procedure_slug, account_id, data) VALUES ('information-generale', $1, $2) RETURNING id`, [account, JSON.stringify(data)])).rows[0].id });
    }
  }
  await rt.close();

  const port = await freePort();
  const server = await startProcess(['bin/guichet.mjs', 'serve', '--port', String(port)], env, `http://127.0.0.1:${port}/api/health`);
  const base = `http://127.0.0.1:${port}`;
  const statuses = new Map<number, number>();
  const submit = async (s: (typeof sessions)[number], draft: string, latencies: number[]) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/api/v1/portal/drafts/${draft}/submit`, {
      method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json' }, body: '{}',
    }).catch(() => null);
    latencies.push(performance.now() - t0);
    statuses.set(res?.status ?? 0, (statuses.get(res?.status ?? 0) ?? 0) + 1);
    await res?.arrayBuffer();
    return res?.status === 201;
  };
  const database = databaseUrl ? new URL(databaseUrl).pathname.slice(1) : null;
  const cpu = () => ({ server: cpuMs(server.pid!), db: database ? backendsCpuMs(database) : 0 });
  const report = (measure: string, latencies: number[], ok: number, seconds: number, before: { server: number; db: number }) => {
    const after = cpu();
    latencies.sort((a, b) => a - b);
    rows.push({
      engine, measure, 'submissions/s': Math.round(ok / seconds),
      'p50 ms': Math.round(percentile(latencies, 50)), 'p95 ms': Math.round(percentile(latencies, 95)), 'p99 ms': Math.round(percentile(latencies, 99)), errors: latencies.length - ok,
      'CPU ms/sub (server + db)': `${((after.server - before.server) / latencies.length).toFixed(1)} + ${database ? ((after.db - before.db) / latencies.length).toFixed(1) : '–'}`,
      load: os.loadavg()[0].toFixed(1),
    });
  };
  for (const w of warmUp) await submit(sessions[w.session], w.draft, []);
  statuses.clear();
  // 1. paced: every citizen submits ROUNDS-1 times with 0-4 s of "think time" before each (200 citizens online)
  {
    const latencies: number[] = [];
    let ok = 0;
    const before = cpu();
    const started = Date.now();
    await Promise.all(sessions.map(async (s) => {
      for (let r = 1; r < ROUNDS; r++) {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4000));
        if (await submit(s, s.drafts[r], latencies)) ok++;
      }
    }));
    report(`${CITIZENS} citizens online, each submitting ${ROUNDS - 1}× (0–4 s think time)`, latencies, ok, (Date.now() - started) / 1000, before);
  }
  // 2. burst: all citizens press "Envoyer" at the same instant
  {
    const latencies: number[] = [];
    const before = cpu();
    const started = Date.now();
    const results = await Promise.all(sessions.map((s) => submit(s, s.drafts[0], latencies)));
    report(`burst: ${CITIZENS} submissions at the same instant`, latencies, results.filter(Boolean).length, (Date.now() - started) / 1000, before);
  }
  await stopProcess(server);
  console.log('HTTP statuses:', Object.fromEntries(statuses));
  fs.rmSync(dataDir, { recursive: true, force: true });
}

console.log(`Guichet portal benchmark — ${os.cpus().length} cores, ${CITIZENS} concurrent citizens, ${ROUNDS} rounds, jobs ${process.env.BENCH_IN_PROCESS_JOBS === '1' ? 'in the server process' : 'not run'}, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}\n`);
if (process.env.BENCH_PGLITE === '1') await benchEngine('pglite');
if (await postgresReachable()) await benchEngine('postgres');
else console.log('(PostgreSQL not reachable: set BENCH_DATABASE_URL)');
table(rows);
console.log(`\nTarget on PostgreSQL, 2 cores: p95 < 300 ms. ${BASELINE}.`);
console.log('CPU ms/sub: CPU time per submission of the server process and of the PostgreSQL backends of its database (PGlite runs inside the server).');
