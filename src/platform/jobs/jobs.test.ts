import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { openDatabase, type Database } from '../db/database.ts';
import { JobRegistry } from './registry.ts';
import { JobWorker, backoffSeconds } from './worker.ts';
import { enqueue, listJobs, retryDeadJob, schedule } from './queue.ts';
import { migrate } from '../db/migrate.ts';

describe('job queue', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('runs a job with its payload, once', async () => {
    const seen: unknown[] = [];
    const reg = new JobRegistry();
    (reg as any).define('t.echo', async (p: unknown) => void seen.push(p));
    const id = await enqueue(db, 't.echo' as any, { n: 1 } as never);
    const w = new JobWorker(db, reg);
    expect(await w.drain()).toBe(1);
    expect(await w.drain()).toBe(0);
    expect(seen).toEqual([{ n: 1 }]);
    const { rows } = await db.query('SELECT status, attempts FROM jobs WHERE id = $1', [id]);
    expect(rows[0]).toEqual({ status: 'done', attempts: 1 });
  });

  it('retries a failing job later, then moves it to the dead letters, and an admin can retry it', async () => {
    const reg = new JobRegistry();
    let calls = 0;
    (reg as any).define('t.fail', async () => {
      calls++;
      throw new Error('service indisponible');
    });
    const id = await enqueue(db, 't.fail' as any, {} as never, { maxAttempts: 2 });
    const w = new JobWorker(db, reg);
    await w.drain();
    let { rows } = await db.query(`SELECT status, attempts, last_error, run_at > now() AS later FROM jobs WHERE id = $1`, [id]);
    expect(rows[0]).toMatchObject({ status: 'queued', attempts: 1, later: true });
    expect(rows[0].last_error).toContain('service indisponible');
    await db.query('UPDATE jobs SET run_at = now() WHERE id = $1', [id]); // skip the backoff wait
    await w.drain();
    ({ rows } = await db.query('SELECT status, attempts FROM jobs WHERE id = $1', [id]));
    expect(rows[0]).toEqual({ status: 'dead', attempts: 2 });
    expect((await listJobs(db, 'dead')).map((j) => j.id)).toContain(id);
    expect(calls).toBe(2);
    expect(await retryDeadJob(db, id!)).toBe(true);
    ({ rows } = await db.query('SELECT status, attempts FROM jobs WHERE id = $1', [id]));
    expect(rows[0]).toEqual({ status: 'queued', attempts: 0 });
  });

  it('backs off exponentially, capped at an hour', () => {
    expect(backoffSeconds(1)).toBeGreaterThanOrEqual(8);
    expect(backoffSeconds(1)).toBeLessThanOrEqual(12);
    expect(backoffSeconds(3)).toBeGreaterThanOrEqual(128);
    expect(backoffSeconds(20)).toBeLessThanOrEqual(4320);
  });

  it('deduplicates pending jobs by unique key', async () => {
    const a = await enqueue(db, 't.noop' as any, {} as never, { uniqueKey: 'k1' });
    const b = await enqueue(db, 't.noop' as any, {} as never, { uniqueKey: 'k1' });
    expect(a).not.toBeNull();
    expect(b).toBeNull();
  });

  it('fires recurring schedules when due', async () => {
    const reg = new JobRegistry();
    let runs = 0;
    (reg as any).define('t.tick', async () => void runs++);
    await schedule(db, 'every-hour', 't.tick' as any, 3600);
    const w = new JobWorker(db, reg);
    await w.drain();
    await w.drain(); // not due again before an hour
    expect(runs).toBe(1);
    const { rows } = await db.query(`SELECT next_run_at > now() + interval '59 minutes' AS later FROM job_schedules WHERE name = 'every-hour'`);
    expect(rows[0].later).toBe(true);
  });

  it('two workers never run the same job twice (SKIP LOCKED)', async () => {
    const reg = new JobRegistry();
    const ran: number[] = [];
    (reg as any).define('t.count', async (p: { i: number }) => void ran.push(p.i));
    for (let i = 0; i < 20; i++) await enqueue(db, 't.count' as any, { i } as never);
    const w1 = new JobWorker(db, reg);
    const w2 = new JobWorker(db, reg);
    await Promise.all([w1.drain(), w2.drain()]);
    expect(ran.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });
});

describe('a worker killed mid-job', () => {
  it('loses nothing: the job runs again and completes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-kill-'));
    const env: Record<string, string> = { ...process.env as Record<string, string>, GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent' };
    let url: string | null = null;
    if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) {
      const db = await createTestDatabase();
      url = db.url;
      await db.close();
      env.DATABASE_URL = url!;
    } else {
      delete env.DATABASE_URL;
    }
    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/fixtures/crashing-worker.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d) => String(d).includes('STARTED') && resolve());
      child.on('exit', (code) => reject(new Error(`worker exited early (${code})`)));
    });
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));

    const db = await openDatabase({ databaseUrl: url, dataDir: dir });
    await migrate(db);
    const reg = new JobRegistry();
    (reg as any).define('test.slow', async (_p: unknown, { db: d, jobId }: any) => {
      await d.query(`INSERT INTO test_job_runs (job_id, phase) VALUES ($1, 'completed')`, [jobId]);
    }, { timeoutSeconds: 1 });
    const w = new JobWorker(db, reg);
    // The dead worker's lease expires after the job's 1 s timeout; then the job is claimable again.
    let done = 0;
    for (let i = 0; i < 50 && done === 0; i++) {
      done = await w.drain();
      if (!done) await new Promise((r) => setTimeout(r, 200));
    }
    const { rows } = await db.query(`SELECT status, attempts FROM jobs WHERE name = 'test.slow'`);
    expect(rows).toEqual([{ status: 'done', attempts: 2 }]);
    const runs = await db.query(`SELECT phase FROM test_job_runs ORDER BY id`);
    expect(runs.rows.map((r) => r.phase)).toEqual(['started', 'completed']);
    await db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
