// npm run bench:web — the agent back office's cost: the first screen's JavaScript (entry chunk and its
// static imports, gzip) against the 250 kB budget, and the server time (p50/p95, in-process inject: no
// network) of the two calls behind its main screens — a unit's queue and a case page — on a database
// with the demo seed, beside the queue's own SQL run raw as baseline. PGlite, then PostgreSQL if reachable.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime, type Runtime } from '../src/platform/runtime.ts';
import { buildApp } from '../src/server/app.ts';
import { seedDemo } from '../src/modules/demo/seed-demo.ts';
import { createSession } from '../src/modules/auth/sessions.ts';
import { agentActor, findAgentByEmail } from '../src/modules/agents/agents.repository.ts';
import { listCases } from '../src/modules/cases/cases.queries.ts';
import type { Database } from '../src/platform/db/database.ts';
import { percentile, postgresReachable, scratchDatabase, table } from './lib.ts';

const N = Number(process.env.BENCH_ITERATIONS || 200);
const ONLY = process.env.BENCH_ENGINES?.split(',');
const DEMO_CASES = process.env.BENCH_DEMO_CASES ? Number(process.env.BENCH_DEMO_CASES) : undefined;
const BUDGET = 250 * 1024;
const UNIT = 'exploitation-routes';
const AGENT = 'antoine.lefevre@departement.example';

// ---- first-screen JavaScript ------------------------------------------------------------------------
function bundle() {
  const dist = path.resolve('web/dist');
  execFileSync(process.execPath, ['web/build.mjs', '--if-stale'], { stdio: 'inherit' });
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[]; css?: string[] }>;
  const gz = (file: string) => zlib.gzipSync(fs.readFileSync(path.join(dist, file)), { level: 9 }).length;
  const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry)!;
  const seen = new Set<string>();
  const visit = (k: string) => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const i of manifest[k].imports ?? []) visit(i);
  };
  visit(entryKey);
  const first = [...seen].map((k) => manifest[k].file);
  const firstJs = first.reduce((s, f) => s + gz(f), 0);
  const css = [...seen].flatMap((k) => manifest[k].css ?? []).reduce((s, f) => s + gz(f), 0);
  const lazy = Object.keys(manifest).filter((k) => !seen.has(k) && manifest[k].file.endsWith('.js'));
  console.log(`First screen JavaScript (gzip -9): ${(firstJs / 1024).toFixed(1)} kB in ${first.length} file(s) [${first.join(', ')}] — budget 250 kB: ${firstJs <= BUDGET ? 'OK' : 'OVER'}`);
  console.log(`First screen CSS (gzip): ${(css / 1024).toFixed(1)} kB; loaded on demand: ${lazy.map((k) => `${manifest[k].file} ${(gz(manifest[k].file) / 1024).toFixed(1)} kB`).join(', ') || '—'}\n`);
  return firstJs;
}

// ---- server time --------------------------------------------------------------------------------------
const rows: Array<Record<string, string | number>> = [];

async function times(fn: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 10; i++) await fn(); // warm-up
  const t: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    await fn();
    t.push(performance.now() - t0);
  }
  return t.sort((a, b) => a - b);
}

/** The SQL listCases sends for the queue (captured once), to run raw as the baseline. */
async function queueSql(rt: Runtime, actor: ReturnType<typeof agentActor>) {
  let last: { text: string; params: unknown[] } | null = null;
  const recording = { ...rt.db, query: (text: string, params?: unknown[]) => ((last = { text, params: params ?? [] }), rt.db.query(text, params)) } as Database;
  await listCases(recording, actor, { unit: UNIT, open: true, limit: 50, sort: 'due' });
  return last!;
}

async function benchEngine(engine: 'pglite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-web-'));
  // BENCH_WEB_DATABASE_URL: an existing database (e.g. demo + `seed --scale 10`) instead of a fresh demo.
  const existing = engine === 'postgres' ? process.env.BENCH_WEB_DATABASE_URL : undefined;
  const databaseUrl = engine === 'postgres' ? existing ?? (await scratchDatabase('guichet_bench_web')) : '';
  const rt = await createRuntime(loadConfig({ GUICHET_DATA_DIR: dataDir, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn', GUICHET_IN_PROCESS_JOBS: 'false' }), { log: pino({ level: 'warn' }) });
  const t0 = Date.now();
  if (!existing) await seedDemo(rt, DEMO_CASES !== undefined ? { cases: DEMO_CASES } : {});
  const counts = (await rt.db.query(`SELECT (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM interactions)::int AS interactions, (SELECT count(*) FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = $1 AND c.status <> 'closed')::int AS queue`, [UNIT])).rows[0];
  console.log(`${engine}: ${existing ? 'existing database' : `demo seed in ${((Date.now() - t0) / 1000).toFixed(0)} s`} — ${counts.cases} cases, ${counts.interactions} interactions, ${counts.queue} open in ${UNIT}`);

  const app = await buildApp(rt, { logger: false });
  await app.ready();
  const agent = (await findAgentByEmail(rt.db, AGENT))!;
  const session = await createSession(rt.db, agent.id, 1, {});
  const headers = { cookie: `guichet_session=${session.id}` };
  const refs = (await rt.db.query(`SELECT c.reference FROM cases c JOIN units u ON u.id = c.unit_id WHERE u.code = $1 ORDER BY (SELECT count(*) FROM interactions i WHERE i.case_id = c.id) DESC, c.reference LIMIT 20`, [UNIT])).rows.map((r) => r.reference);
  const inject = async (url: string) => {
    const r = await app.inject({ method: 'GET', url, headers });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
  };
  const queueUrl = `/api/v1/cases?unit=${UNIT}&open=true&limit=50&sort=due`;
  const q = await times(() => inject(queueUrl));
  rows.push({ engine, measure: `GET ${queueUrl}`, 'p50 ms': percentile(q, 50), 'p95 ms': percentile(q, 95) });
  const sql = await queueSql(rt, agentActor(agent));
  const raw = await times(() => rt.db.query(sql.text, sql.params));
  rows.push({ engine, measure: 'baseline: the same queue SELECT, raw SQL', 'p50 ms': percentile(raw, 50), 'p95 ms': percentile(raw, 95) });
  let i = 0;
  const c = await times(() => inject(`/api/v1/cases/${refs[i++ % refs.length]}`));
  rows.push({ engine, measure: `GET /api/v1/cases/:ref (${refs.length} busiest cases of the unit)`, 'p50 ms': percentile(c, 50), 'p95 ms': percentile(c, 95) });
  await app.close();
  await rt.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

console.log(`Guichet web benchmark — ${os.cpus().length} cores, ${N} requests per measure\n`);
const js = bundle();
if (!ONLY || ONLY.includes('pglite')) await benchEngine('pglite');
if ((!ONLY || ONLY.includes('postgres')) && (await postgresReachable())) await benchEngine('postgres');
else console.log('(PostgreSQL not reachable: set BENCH_DATABASE_URL to include it)');
console.log('');
table(rows);
console.log(`\nBudget: first-screen JS ≤ 250 kB gzip (${(js / 1024).toFixed(1)} kB).`);
