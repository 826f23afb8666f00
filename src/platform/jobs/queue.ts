// Enqueueing jobs, inside the caller's transaction when there is one, so a job exists iff the change
// that asked for it committed.
import type { Sql } from '../db/database.ts';
import type { JobName, JobTypes } from './registry.ts';

export interface EnqueueOptions {
  runAt?: Date;
  priority?: number;
  maxAttempts?: number;
  /** At most one pending job per key: a second enqueue with the same key is a no-op. */
  uniqueKey?: string;
}

export async function enqueue<N extends JobName>(sql: Sql, name: N, payload: JobTypes[N], opts: EnqueueOptions = {}): Promise<number | null> {
  const { rows } = await sql.query<{ id: number }>(
    `INSERT INTO jobs (name, payload, run_at, priority, max_attempts, unique_key)
     VALUES ($1, $2::jsonb, coalesce($3, now()), $4, $5, $6)
     ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING
     RETURNING id`,
    [name, JSON.stringify(payload ?? {}), opts.runAt ?? null, opts.priority ?? 0, opts.maxAttempts ?? 5, opts.uniqueKey ?? null],
  );
  return rows[0]?.id ?? null;
}

/** Declare a recurring job (idempotent: re-declaring updates the interval). */
export async function schedule(sql: Sql, scheduleName: string, jobName: JobName, everySeconds: number, payload: unknown = {}) {
  await sql.query(
    `INSERT INTO job_schedules (name, job_name, payload, every_seconds) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (name) DO UPDATE SET job_name = EXCLUDED.job_name, payload = EXCLUDED.payload,
       every_seconds = EXCLUDED.every_seconds`,
    [scheduleName, jobName, JSON.stringify(payload), everySeconds],
  );
}

export interface JobRow {
  id: number;
  name: string;
  payload: any;
  status: 'queued' | 'running' | 'done' | 'dead';
  attempts: number;
  max_attempts: number;
  run_at: Date;
  last_error: string | null;
  created_at: Date;
  finished_at: Date | null;
}

export async function listJobs(sql: Sql, status: JobRow['status'], limit = 100): Promise<JobRow[]> {
  const order = status === 'dead' || status === 'done' ? 'finished_at DESC' : 'run_at';
  const { rows } = await sql.query<JobRow>(
    `SELECT id, name, payload, status, attempts, max_attempts, run_at, last_error, created_at, finished_at
       FROM jobs WHERE status = $1 ORDER BY ${order}, id LIMIT $2`,
    [status, limit],
  );
  return rows;
}

/** An administrator sends a dead job back to the queue for a fresh series of attempts. */
export async function retryDeadJob(sql: Sql, id: number): Promise<boolean> {
  const r = await sql.query(
    `UPDATE jobs SET status = 'queued', attempts = 0, run_at = now(), last_error = NULL, finished_at = NULL
      WHERE id = $1 AND status = 'dead'`,
    [id],
  );
  return (r.rowCount ?? 0) > 0;
}
