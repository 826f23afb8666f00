// Registers every module's background jobs and recurring schedules in one place.
import type { Runtime } from '../platform/runtime.ts';
import { schedule } from '../platform/jobs/queue.ts';
import { deleteExpiredSessions } from './auth/sessions.ts';
import { rollRecentIndexes } from './search/recent-index.ts';
import { registerEmailJobs } from '../channels/email/email.jobs.ts';
import { registerMailJobs } from '../channels/mail/mail.jobs.ts';
import { declarePortalSchedules, registerPortalJobs } from '../channels/portal/notify.ts';

declare module '../platform/jobs/registry.ts' {
  interface JobTypes {
    'files.gc': Record<string, never>;
    'sessions.prune': Record<string, never>;
    'jobs.prune': Record<string, never>;
    'search.roll-recent-index': Record<string, never>;
  }
}

export function registerJobs(rt: Runtime) {
  registerEmailJobs(rt);
  registerMailJobs(rt);
  registerPortalJobs(rt);
  rt.jobs
    .define('files.gc', async (_p, { db }) => {
      await rt.files.gc(db);
    })
    .define('sessions.prune', async (_p, { db }) => {
      await deleteExpiredSessions(db);
    })
    .define('jobs.prune', async (_p, { db }) => {
      await db.query(`DELETE FROM jobs WHERE status = 'done' AND finished_at < now() - interval '7 days'`);
    })
    // Builds two GIN indexes once a year: far longer than the default lease.
    .define('search.roll-recent-index', async (_p, { db }) => {
      await rollRecentIndexes(db);
    }, { timeoutSeconds: 6 * 3600, maxAttempts: 3 });
}

/** Recurring schedules, declared at start (idempotent). */
export async function declareSchedules(rt: Runtime) {
  await schedule(rt.db, 'files-gc', 'files.gc', 6 * 3600);
  await schedule(rt.db, 'sessions-prune', 'sessions.prune', 3600);
  await schedule(rt.db, 'jobs-prune', 'jobs.prune', 24 * 3600);
  await schedule(rt.db, 'search-roll-recent-index', 'search.roll-recent-index', 24 * 3600);
  await declarePortalSchedules(rt);
}
