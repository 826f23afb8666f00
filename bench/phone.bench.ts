// npm run bench:phone — replays a simulated month at the contact center (20,000 calls by default over
// 21 working days, the 7:30–19:00 intraday curve, 10 % abandoned before answer) as CTI webhooks over
// HTTP against a real `guichet serve`, in compressed time (events sent when due, concurrently). Prints
// events/s, p50/p99 event latency and the number of calls whose log is incomplete (must be 0), beside a
// baseline (the raw INSERT of the same events into cti_events), on PGlite and PostgreSQL. Meanwhile every
// agent has the console open (GET /api/v1/phone/stream): each answered call pops its caller there, so the
// server does the screen-pop work it does in production; the pops received are counted.
//
//   BENCH_PHONE_CALLS (20000)  BENCH_PHONE_DAYS (21)  BENCH_PHONE_SPEED (1000 × real time, ≥ 50)
//   BENCH_ENGINES (pglite,postgres)  BENCH_PHONE_CONSOLES (40: agents with the console open)
//   a short run: BENCH_PHONE_CALLS=1000 BENCH_PHONE_DAYS=1 npm run bench:phone
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../src/platform/config.ts';
import { createRuntime } from '../src/platform/runtime.ts';
import { openDatabase } from '../src/platform/db/database.ts';
import { createToken } from '../src/modules/auth/tokens.service.ts';
import { createSession } from '../src/modules/auth/sessions.ts';
import { systemActor } from '../src/platform/actor.ts';
import { INTRADAY_PROFILE } from '../src/channels/phone/intraday.ts';
import { freePort, percentile, postgresReachable, scratchDatabase, startProcess, stopProcess, table } from './lib.ts';

const CALLS = Number(process.env.BENCH_PHONE_CALLS || 20_000);
const DAYS = Number(process.env.BENCH_PHONE_DAYS || 21);
const SPEED = Number(process.env.BENCH_PHONE_SPEED || 1000);
const AGENTS = 40;
const CONSOLES = Math.min(AGENTS, Number(process.env.BENCH_PHONE_CONSOLES ?? AGENTS));
const ENGINES = (process.env.BENCH_ENGINES || 'pglite,postgres').split(',').map((e) => e.trim());
const ABANDON_RATE = 0.1;
// Callers are drawn from a pool smaller than the month's calls: about half the calls come from numbers
// that call more than once (after an abandon, about a case), as at a real single number.
const CALLER_POOL = Math.max(1, Math.round(CALLS * 0.6));
const OPEN_SECONDS = INTRADAY_PROFILE.length * 1800; // 7:30–19:00
if (SPEED < 50) throw new Error('BENCH_PHONE_SPEED must be ≥ 50');

// A small deterministic PRNG (mulberry32, 32-bit integer arithmetic) so that every run replays the same
// month. (An LCG computed in floating point, as here before, loses precision past 2^53 and cycled every
// ~16,000 draws: the month was ~2,300 calls repeated 9 times, each copy at the same instant, from the same
// number, to the same agent — bursts no contact center sees.)
let seed = 20_000;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const exp = (mean: number) => -Math.log(1 - rand()) * mean;

interface PlannedEvent {
  at: number; // simulated seconds since the start of the month's opening hours
  body: Record<string, unknown>;
}
interface PlannedCall {
  callId: string;
  abandoned: boolean;
  /** The agent who answers (index), -1 when abandoned. */
  agentIndex: number;
}

function simulateMonth() {
  const calls: PlannedCall[] = [];
  const events: PlannedEvent[] = [];
  const cumulative = INTRADAY_PROFILE.map((_, i) => INTRADAY_PROFILE.slice(0, i + 1).reduce((s, x) => s + x.share, 0));
  for (let n = 0; n < CALLS; n++) {
    const day = Math.floor(rand() * DAYS);
    const u = rand();
    const slot = cumulative.findIndex((c) => u <= c);
    const start = day * OPEN_SECONDS + (slot === -1 ? INTRADAY_PROFILE.length - 1 : slot) * 1800 + rand() * 1800;
    const callId = `bench-${n}`;
    const from = `06${10_000_000 + ((Math.floor(rand() * CALLER_POOL) * 7_919) % 89_999_999)}`;
    const common = { callId, direction: 'in', from, to: '0238000000' };
    const abandoned = rand() < ABANDON_RATE;
    const wait = exp(15);
    let agentIndex = -1;
    events.push({ at: start, body: { event: 'newCall', ...common, user: ['2001', '2002'] } });
    if (abandoned) {
      events.push({ at: start + wait * 2, body: { event: 'hangup', ...common, cause: 'cancel' } });
    } else {
      agentIndex = Math.floor(rand() * AGENTS);
      const ext = String(2001 + agentIndex);
      events.push({ at: start + wait, body: { event: 'answer', ...common, answeringNumber: ext } });
      events.push({ at: start + wait + 30 + exp(150), body: { event: 'hangup', ...common, cause: 'normalClearing', answeringNumber: ext } });
    }
    calls.push({ callId, abandoned, agentIndex });
  }
  events.sort((a, b) => a.at - b.at);
  return { calls, events };
}

// Like a PBX's webhook sender: a bounded pool of keep-alive connections (events queue when all are busy).
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
function postEvent(url: string, headers: Record<string, string>, body: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = http.request(url, { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
    req.end(body);
  });
}

/** An agent's console: the phone stream held open, counting the screen pops (call.answered) it receives. */
async function openConsole(url: string, sessionId: string): Promise<{ pops(): number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { cookie: `guichet_session=${sessionId}`, accept: 'text/event-stream' } }, (res) => {
      if (res.statusCode !== 200) return reject(new Error(`phone stream answered ${res.statusCode}`));
      let n = 0;
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        const blocks = buf.split('\n\n');
        buf = blocks.pop()!;
        for (const b of blocks) if (b.startsWith('event: call.answered') && b.includes('"identification":{')) n++;
      });
      res.on('error', () => undefined);
      resolve({ pops: () => n, close: () => req.destroy() });
    });
    req.on('error', reject);
  });
}

const rows: Array<Record<string, string | number>> = [];
const { calls, events } = simulateMonth();
const wallSeconds = (events.at(-1)!.at - events[0].at) / SPEED;

async function rawBaseline(engine: string, env: { databaseUrl: string | null; dataDir: string }) {
  const db = await openDatabase(env);
  const lat: number[] = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < events.length) {
      const e = events[next++];
      const s = performance.now();
      await db.query(`INSERT INTO cti_events (content_type, headers, raw_body, event, call_id, outcome) VALUES ('application/json', '{}', $1, $2, $3, 'received')`, [
        JSON.stringify(e.body), e.body.event, e.body.callId,
      ]);
      lat.push(performance.now() - s);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  const seconds = (performance.now() - t0) / 1000;
  await db.query('TRUNCATE cti_events');
  await db.close();
  lat.sort((a, b) => a - b);
  rows.push({ engine, measure: 'baseline: raw INSERT of the same events (16 clients, flat out)', 'events/s': events.length / seconds, 'p50 ms': percentile(lat, 50), 'p99 ms': percentile(lat, 99), errors: 0, incomplete: '—' });
}

async function benchEngine(engine: 'pglite' | 'postgres') {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-bench-phone-'));
  const databaseUrl = engine === 'postgres' ? await scratchDatabase('guichet_bench_phone') : null;
  const env = { GUICHET_DATA_DIR: dataDir, DATABASE_URL: databaseUrl ?? '', LOG_LEVEL: 'warn', GUICHET_IN_PROCESS_JOBS: 'false' };
  // e.g. BENCH_PHONE_SERVER_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' to profile the server alone
  const nodeArgs = (process.env.BENCH_PHONE_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const rt = await createRuntime(loadConfig(env), { log: pino({ level: 'warn' }) });
  const { token } = await createToken(rt.db, systemActor(), { name: 'PBX bench', role: 'integration' });
  const sessions: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    const { rows: a } = await rt.db.query<{ id: string }>(`INSERT INTO agents (email, display_name, roles, extension) VALUES ($1, $2, '{contact_center}', $3) RETURNING id`, [`agent${i}@bench.fr`, `Agent ${i}`, String(2001 + i)]);
    if (i < CONSOLES) sessions.push((await createSession(rt.db, a[0].id, 24, { userAgent: 'bench' })).id);
  }
  // open around the clock: outcomes must not depend on when the benchmark runs
  const always = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
  await rt.db.query(`INSERT INTO settings (key, value) VALUES ('phone.schedule', $1)`, [JSON.stringify({ ...always, closedOnPublicHolidays: false })]);
  await rt.close();

  await rawBaseline(engine, { databaseUrl, dataDir });

  const port = await freePort();
  const server = await startProcess([...nodeArgs, 'bin/guichet.mjs', 'serve', '--port', String(port)], env, `http://127.0.0.1:${port}/api/health`);
  const url = `http://127.0.0.1:${port}/api/v1/cti/events`;
  const consoles = await Promise.all(sessions.map((sid) => openConsole(`http://127.0.0.1:${port}/api/v1/phone/stream`, sid)));
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const lat: number[] = [];
  let errors = 0;
  let late = 0;
  const errorKinds = new Map<string, number>();
  const t0 = performance.now();
  const origin = events[0].at;
  const inflight: Promise<void>[] = [];
  for (const e of events) {
    const due = ((e.at - origin) / SPEED) * 1000;
    const wait = due - (performance.now() - t0);
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    else if (wait < -1000) late++;
    inflight.push(
      (async () => {
        const s = performance.now();
        const status = await postEvent(url, headers, JSON.stringify(e.body));
        if (status !== 200) {
          errors++;
          errorKinds.set(String(status), (errorKinds.get(String(status)) ?? 0) + 1);
        }
        lat.push(performance.now() - s);
      })(),
    );
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 2000)); // the last screen pops
  const pops = consoles.reduce((n, c) => n + c.pops(), 0);
  for (const c of consoles) c.close();
  await stopProcess(server);

  const db = await openDatabase({ databaseUrl, dataDir });
  const { rows: logged } = await db.query<{ call_id: string; outcome: string; complete: boolean }>(
    `SELECT call_id, outcome, (started_at IS NOT NULL AND ended_at IS NOT NULL AND (outcome <> 'answered' OR (answered_at IS NOT NULL AND agent_id IS NOT NULL))) AS complete FROM calls`,
  );
  const { rows: cb } = await db.query<{ pending: number; satisfied: number }>(
    `SELECT count(*) FILTER (WHERE status = 'pending')::int AS pending, count(*) FILTER (WHERE closed_reason = 'called_again')::int AS satisfied FROM callbacks`,
  );
  await db.close();
  const byId = new Map(logged.map((r) => [r.call_id, r]));
  const incomplete = calls.filter((c) => {
    const r = byId.get(c.callId);
    return !r || !r.complete || r.outcome !== (c.abandoned ? 'abandoned' : 'answered');
  }).length;
  lat.sort((a, b) => a - b);
  rows.push({ engine, measure: `CTI events over HTTP (${(SPEED).toLocaleString('en')}× real time)`, 'events/s': events.length / seconds, 'p50 ms': percentile(lat, 50), 'p99 ms': percentile(lat, 99), errors, incomplete });
  const expectedPops = CONSOLES ? calls.filter((c) => !c.abandoned && c.agentIndex < CONSOLES).length : 0;
  console.log(`${engine}: p99.9 ${percentile(lat, 99.9).toFixed(1)} ms, max ${lat.at(-1)!.toFixed(1)} ms; screen pops received on ${CONSOLES} consoles: ${pops} of ${expectedPops}`);
  console.log(`${engine}: callbacks still pending ${cb[0].pending}, closed because the caller called again and was answered ${cb[0].satisfied}`);
  if (late) console.log(`${engine}: ${late} events sent more than 1 s late (client saturated)`);
  if (errors) console.log(`${engine}: errors by status: ${JSON.stringify(Object.fromEntries(errorKinds))}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
}

console.log(`Guichet phone benchmark — ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${CONSOLES} consoles open; ${CALLS.toLocaleString('en')} calls over ${DAYS} working days, ${events.length.toLocaleString('en')} events, ${(ABANDON_RATE * 100).toFixed(0)} % abandoned; replay ${SPEED}× real time ≈ ${wallSeconds.toFixed(0)} s per engine\n`);
if (ENGINES.includes('pglite')) await benchEngine('pglite');
if (ENGINES.includes('postgres')) {
  if (await postgresReachable()) await benchEngine('postgres');
  else console.log('(PostgreSQL not reachable: set BENCH_DATABASE_URL to include it)');
}
table(rows);
console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log('\nTargets: 0 incomplete calls; p99 event latency < 50 ms on PostgreSQL.');
