// npm run bench:platform — HTTP throughput of an authenticated read route and of an audited write
// route, each beside its bare baseline measured in the same run (Fastify hello; the same INSERTs
// straight into the database), on embedded PGlite and on PostgreSQL.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime } from '../src/platform/runtime.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { createToken } from '../src/modules/auth/tokens.service.ts';
import { systemActor } from '../src/platform/actor.ts';
import { CONNECTIONS, SECONDS, freePort, load, postgresReachable, scratchDatabase, startProcess, stopProcess, table } from './lib.ts';

const rows: Array<Record<string, string | number>> = [];

async function helloBaseline() {
  const port = await freePort();
  const child = await startProcess(['bin/run-ts.mjs', 'bench/hello-server.ts'], { PORT: String(port) }, `http://127.0.0.1:${port}/hello`);
  const r = await load({ url: `http://127.0.0.1:${port}/hello` });
  await stopProcess(child);
  rows.push({ engine: '—', measure: 'baseline: Fastify hello route', 'req/s': r.rps, 'p50 ms': r.p50, 'p99 ms': r.p99, errors: r.errors });
  return r.rps;
}

async function rawInsertBaseline(engine: string, env: { databaseUrl: string | null; dataDir: string }) {
  // The same two statements the write route commits (row + audit_append), straight from a pool.
  const db = await openDatabase(env);
  const deadline = Date.now() + SECONDS * 1000;
  let n = 0;
  const worker = async () => {
    while (Date.now() < deadline) {
      const client = await db.pool.connect();
      try {
        await client.query('BEGIN');
        const code = `raw-${crypto.randomBytes(6).toString('hex')}`;
        const { rows: r } = await client.query(`INSERT INTO units (code, name) VALUES ($1, $2) RETURNING id`, [code, 'Service de test']);
        await client.query(`SELECT audit_append('system', NULL, 'bench', 'unit.create', 'unit', $1, NULL, $2::jsonb, NULL, NULL)`, [r[0].id, JSON.stringify({ code, name: 'Service de test' })]);
        await client.query('COMMIT');
        n++;
      } finally {
        client.release();
      }
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, worker));
  await db.close();
  const rps = n / SECONDS;
  rows.push({ engine, measure: 'baseline: same INSERTs straight into the DB', 'req/s': rps, 'p50 ms': '—', 'p99 ms': '—', errors: 0 });
  return rps;
}

async function benchEngine(engine: 'pglite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-'));
  const databaseUrl = engine === 'postgres' ? await scratchDatabase('guichet_bench_platform') : null;
  const env = { GUICHET_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn', GUICHET_IN_PROCESS_JOBS: 'false' };

  const rt = await createRuntime(loadConfig(env), { log: pino({ level: 'warn' }) });
  const { token } = await createToken(rt.db, systemActor(), { name: 'bench', role: 'admin' });
  await rt.close();

  const port = await freePort();
  const server = await startProcess(['bin/guichet.mjs', 'serve', '--port', String(port)], env, `http://127.0.0.1:${port}/api/health`);
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const read = await load({ url: `${base}/api/v1/units`, headers });
  rows.push({ engine, measure: 'GET /api/v1/units (token auth)', 'req/s': read.rps, 'p50 ms': read.p50, 'p99 ms': read.p99, errors: read.errors });
  let i = 0;
  const write = await load({
    url: `${base}/api/v1/units`,
    method: 'POST',
    headers,
    requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ code: `bench-${process.pid}-${i++}`, name: 'Service de test' }) }) }],
  });
  rows.push({ engine, measure: 'POST /api/v1/units (row + audit event)', 'req/s': write.rps, 'p50 ms': write.p50, 'p99 ms': write.p99, errors: write.errors });
  await stopProcess(server);

  const raw = await rawInsertBaseline(engine, { databaseUrl, dataDir });
  rows.push({ engine, measure: 'audited write route / raw baseline', 'req/s': `${((write.rps / raw) * 100).toFixed(0)} %`, 'p50 ms': '', 'p99 ms': '', errors: '' });
  fs.rmSync(dataDir, { recursive: true, force: true });
}

console.log(`Guichet platform benchmark — ${os.cpus().length} cores, ${SECONDS} s per measure, ${CONNECTIONS} concurrent connections/clients\n`);
await helloBaseline();
await benchEngine('pglite');
if (await postgresReachable()) await benchEngine('postgres');
else console.log('(PostgreSQL not reachable: set BENCH_DATABASE_URL to include it)');
table(rows);
console.log('\nTargets on PostgreSQL, 2 cores: audited writes ≥ 1,500/s and ≥ 40 % of the raw baseline.');
