// The job worker: claims due jobs with FOR UPDATE SKIP LOCKED, runs them, retries failures with
// exponential backoff, and moves exhausted jobs to the dead-letter state. A job whose worker died
// (lease expired) is claimed again: handlers are written to be idempotent.
import os from 'node:os';
import crypto from 'node:crypto';
import type { Database } from '../db/database.ts';
import type { JobRegistry } from './registry.ts';

export interface WorkerOptions {
  concurrency?: number;
  pollMs?: number;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

interface ClaimedJob {
  id: number;
  name: string;
  payload: any;
  attempts: number;
  max_attempts: number;
}

export function backoffSeconds(attempt: number): number {
  // 10 s, 40 s, 2 min 40, ... capped at 1 h, with ±20 % jitter so retries do not stampede.
  const base = Math.min(3600, 10 * 4 ** (attempt - 1));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class JobWorker {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private running = 0;
  private stopped = true;
  private timer: NodeJS.Timeout | null = null;
  private idle: Array<() => void> = [];
  private readonly concurrency: number;
  private readonly pollMs: number;
  private readonly log: NonNullable<WorkerOptions['log']>;

  constructor(
    private readonly db: Database,
    private readonly registry: JobRegistry,
    opts: WorkerOptions = {},
  ) {
    this.concurrency = opts.concurrency ?? 2;
    this.pollMs = opts.pollMs ?? 1000;
    this.log = opts.log ?? (() => {});
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Wake the worker now (called after an in-process enqueue). */
  nudge() {
    if (!this.stopped) this.schedule(0);
  }

  async stop() {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.running > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  private schedule(ms: number) {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick() {
    this.timer = null;
    if (this.stopped) return;
    try {
      await this.fireSchedules();
      const free = this.concurrency - this.running;
      const jobs = free > 0 ? await this.claim(free) : [];
      for (const job of jobs) void this.execute(job);
      if (jobs.length === free && free > 0) return this.schedule(0);
    } catch (err: any) {
      this.log('error', 'job worker tick failed', { err: err.message });
    }
    if (!this.stopped) this.schedule(this.pollMs);
  }

  /** Runs every job that is due now, in this process, until none is left (tests, CLI). */
  async drain(maxJobs = 10_000): Promise<number> {
    let n = 0;
    while (n < maxJobs) {
      await this.fireSchedules();
      const [job] = await this.claim(1);
      if (!job) break;
      await this.execute(job);
      n++;
    }
    return n;
  }

  private async fireSchedules() {
    await this.db.tx(async (tx) => {
      const { rows } = await tx.query(
        `UPDATE job_schedules SET next_run_at = now() + every_seconds * interval '1 second'
          WHERE enabled AND next_run_at <= now() RETURNING name, job_name, payload`,
      );
      for (const s of rows) {
        await tx.query(
          `INSERT INTO jobs (name, payload, unique_key) VALUES ($1, $2, $3)
           ON CONFLICT (unique_key) WHERE unique_key IS NOT NULL AND status IN ('queued', 'running') DO NOTHING`,
          [s.job_name, s.payload, `schedule:${s.name}`],
        );
      }
    });
  }

  private async claim(n: number): Promise<ClaimedJob[]> {
    const names = this.registry.names();
    if (!names.length) return [];
    const { rows } = await this.db.query<ClaimedJob & { timeout: number }>(
      `UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2,
              locked_until = now() + interval '5 minutes'
        WHERE id IN (
          SELECT id FROM jobs
           WHERE name = ANY($3)
             AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
           ORDER BY priority DESC, run_at, id
           LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id, name, payload, attempts, max_attempts`,
      [n, this.id, names],
    );
    // The lease is per job definition: give each claimed job its own timeout.
    for (const job of rows) {
      const t = this.registry.get(job.name)?.timeoutSeconds;
      if (t) await this.db.query(`UPDATE jobs SET locked_until = now() + $2 * interval '1 second' WHERE id = $1`, [job.id, t]);
    }
    return rows;
  }

  private async execute(job: ClaimedJob) {
    this.running++;
    const def = this.registry.get(job.name)!;
    try {
      if (job.attempts > job.max_attempts) {
        throw new Error('abandonné : trop de tentatives (le worker a été interrompu à chaque fois)');
      }
      await def.handler(job.payload, {
        db: this.db,
        jobId: job.id,
        attempt: job.attempts,
        log: (msg, extra) => this.log('info', msg, { job: job.name, jobId: job.id, ...extra }),
      });
      await this.db.query(
        `UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
          WHERE id = $1 AND locked_by = $2`,
        [job.id, this.id],
      );
    } catch (err: any) {
      const message = String(err?.stack ?? err).slice(0, 4000);
      const dead = job.attempts >= job.max_attempts;
      this.log(dead ? 'error' : 'warn', `job ${job.name} failed`, { jobId: job.id, attempt: job.attempts, dead, err: err?.message });
      await this.db
        .query(
          `UPDATE jobs SET status = $3, last_error = $4, locked_by = NULL, locked_until = NULL,
                  run_at = CASE WHEN $3 = 'queued' THEN now() + $5 * interval '1 second' ELSE run_at END,
                  finished_at = CASE WHEN $3 = 'dead' THEN now() ELSE NULL END
            WHERE id = $1 AND locked_by = $2`,
          [job.id, this.id, dead ? 'dead' : 'queued', message, backoffSeconds(job.attempts)],
        )
        .catch((e) => this.log('error', 'could not record job failure', { err: e.message }));
    } finally {
      this.running--;
      if (this.running === 0) this.idle.splice(0).forEach((r) => r());
      if (!this.stopped) this.schedule(0);
    }
  }
}
