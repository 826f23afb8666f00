// The job worker: claims due jobs with FOR UPDATE SKIP LOCKED, runs them, retries failures with
// exponential backoff, and moves exhausted jobs to the dead-letter state. A job whose worker died
// (lease expired) is claimed again: handlers are written to be idempotent.
// Slots: jobs share GUICHET_JOB_CONCURRENCY slots, except a job defined with its own `concurrency`,
// which runs in a lane of that many slots of its own. One claim query serves every lane, and sets each
// job's lease from its definition's timeout; a finished job is marked done by the query that claims the
// next job of its lane; recurring schedules are looked at once per poll interval.
import os from 'node:os';
import crypto from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { PLANNED_EACH_TIME, type Database } from '../db/database.ts';
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

/** A set of job names sharing slots. */
interface Lane {
  key: string;
  names: string[];
  slots: number;
}

const SHARED = '';
const DONE_SQL = `UPDATE jobs SET status = 'done', finished_at = now(), locked_by = NULL, locked_until = NULL, last_error = NULL
                   WHERE id = $1 AND locked_by = $2`;
const DEFAULT_LEASE_SECONDS = 300;

export class JobWorker {
  readonly id = `${os.hostname()}:${process.pid}:${crypto.randomBytes(3).toString('hex')}`;
  private running = 0;
  /** Slots taken per lane: jobs running, and jobs being claimed (so two ticks never over-claim). */
  private readonly taken = new Map<string, number>();
  private schedulesFiredAt = -Infinity;
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

  /** The lanes, from the registry as it is now: one per job with its own concurrency, then the shared one. */
  private lanes(): Lane[] {
    const lanes: Lane[] = [];
    const shared: string[] = [];
    for (const name of this.registry.names()) {
      const c = this.registry.get(name)?.concurrency;
      if (c && c > 0) lanes.push({ key: name, names: [name], slots: c });
      else shared.push(name);
    }
    if (shared.length) lanes.push({ key: SHARED, names: shared, slots: this.concurrency });
    return lanes;
  }

  private laneOf(name: string): string {
    return this.registry.get(name)?.concurrency ? name : SHARED;
  }

  private take(lane: string, n: number) {
    this.taken.set(lane, (this.taken.get(lane) ?? 0) + n);
  }

  private async tick() {
    this.timer = null;
    if (this.stopped) return;
    try {
      if (performance.now() - this.schedulesFiredAt >= this.pollMs) await this.fireSchedules();
      const wanted = this.lanes().map((l) => ({ ...l, n: Math.max(0, l.slots - (this.taken.get(l.key) ?? 0)) }));
      if (wanted.some((l) => l.n > 0)) {
        for (const l of wanted) this.take(l.key, l.n);
        let jobs: ClaimedJob[] = [];
        try {
          jobs = await this.claim(wanted);
        } finally {
          // Give back the slots no job came for; the claimed ones are released when their job ends.
          const got = new Map<string, number>();
          for (const j of jobs) got.set(this.laneOf(j.name), (got.get(this.laneOf(j.name)) ?? 0) + 1);
          for (const l of wanted) this.take(l.key, -(l.n - (got.get(l.key) ?? 0)));
        }
        for (const job of jobs) void this.execute(job, true);
      }
    } catch (err: any) {
      this.log('error', 'job worker tick failed', { err: err.message });
    }
    // A job ending wakes the worker again (execute → schedule(0)); otherwise poll.
    if (!this.stopped) this.schedule(this.pollMs);
  }

  /** Runs every job that is due now, in this process, one at a time, until none is left (tests, CLI). */
  async drain(maxJobs = 10_000): Promise<number> {
    let n = 0;
    this.schedulesFiredAt = -Infinity;
    while (n < maxJobs) {
      if (performance.now() - this.schedulesFiredAt >= this.pollMs) await this.fireSchedules();
      const [job] = await this.claim([{ names: this.registry.names(), n: 1 }]);
      if (!job) break;
      await this.execute(job, false);
      n++;
    }
    return n;
  }

  private async fireSchedules() {
    this.schedulesFiredAt = performance.now();
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

  /**
   * Claims up to `n` due jobs for each group of names, in one statement; each job's lease is its
   * definition's timeout (5 minutes by default). With `doneId`, the same statement first marks that
   * job (which this worker ran) done: a finished job hands its slot to the next in one round trip.
   */
  private async claim(groups: Array<{ names: string[]; n: number }>, doneId?: number): Promise<ClaimedJob[]> {
    const names: string[] = [];
    const groupOf: number[] = [];
    const limits: number[] = [];
    groups.forEach((g, i) => {
      limits.push(g.n);
      for (const name of g.names) {
        names.push(name);
        groupOf.push(i + 1);
      }
    });
    if (!names.length || !limits.some((n) => n > 0)) return [];
    const leases = names.map((name) => this.registry.get(name)?.timeoutSeconds ?? DEFAULT_LEASE_SECONDS);
    const done = doneId === undefined ? '' : `done AS (${DONE_SQL.replace('$1', '$6')} RETURNING id),`;
    const { rows } = await this.db.query<ClaimedJob>(
      // Planned each time (ADR 0016): a generic plan made while the queue was short read it by a scan
      // once it had filled (0.2 → 0.9 ms a claim in bench:email, the jobs table never analysed).
      `${PLANNED_EACH_TIME}WITH ${done} job_names AS (SELECT * FROM unnest($3::text[], $4::int[], $5::int[]) AS t(name, grp, lease)),
            grps AS (SELECT grp, n FROM unnest($1::int[]) WITH ORDINALITY AS g(n, grp) WHERE n > 0),
            picked AS (
              -- per name, the first due jobs in the (name, priority, run_at, id) index order, then the
              -- first of those per group: never a pass over the other names' backlog
              SELECT p.id FROM grps CROSS JOIN LATERAL (
                SELECT c.id FROM job_names jn CROSS JOIN LATERAL (
                  SELECT id, priority, run_at FROM jobs
                   WHERE name = jn.name${doneId === undefined ? '' : ' AND id <> $6'}
                     AND status IN ('queued', 'running')
                     AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND locked_until < now()))
                   ORDER BY priority DESC, run_at, id
                   LIMIT grps.n FOR UPDATE SKIP LOCKED) c
                 WHERE jn.grp = grps.grp
                 ORDER BY c.priority DESC, c.run_at, c.id
                 LIMIT grps.n) p)
       UPDATE jobs SET status = 'running', attempts = attempts + 1, locked_by = $2,
              locked_until = now() + job_names.lease * interval '1 second'
         FROM job_names
        WHERE jobs.id IN (SELECT id FROM picked) AND job_names.name = jobs.name
        RETURNING jobs.id, jobs.name, jobs.payload, jobs.attempts, jobs.max_attempts`,
      doneId === undefined ? [limits, this.id, names, groupOf, leases] : [limits, this.id, names, groupOf, leases, doneId],
    );
    return rows;
  }

  /** Runs a claimed job; `slotTaken` when tick() already counted it in its lane. */
  private async execute(job: ClaimedJob, slotTaken: boolean) {
    this.running++;
    const lane = this.laneOf(job.name);
    if (!slotTaken) this.take(lane, 1);
    const def = this.registry.get(job.name)!;
    let next: ClaimedJob | undefined;
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
      if (slotTaken && !this.stopped) {
        const names = this.lanes().find((l) => l.key === lane)?.names ?? [job.name];
        [next] = await this.claim([{ names, n: 1 }], job.id);
      } else {
        await this.db.query(DONE_SQL, [job.id, this.id]);
      }
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
      // The next job of the lane takes over this slot (started before this one counts as ended, so
      // stop() waits for it too); otherwise the slot is free and the worker looks for work.
      if (next) void this.execute(next, true);
      else this.take(lane, -1);
      this.running--;
      if (this.running === 0) this.idle.splice(0).forEach((r) => r());
      if (!next && !this.stopped) this.schedule(0);
    }
  }
}
