// Vacuums the tables that work as queues (jobs, audit_pending) every few seconds on PostgreSQL.
// Each job and each audit event leaves dead rows behind; until a VACUUM removes them, every claim and
// every seal steps over all of them (the claim index of jobs grew to 13,000 dead entries after 6,000
// messages: 5 ms per claim). Autovacuum would do it where it runs (migration 0015 tunes it for these
// tables), but it may be off — it is on this project's CI server — and it waits for a fifth of a table.
// VACUUM on tables of a few thousand live rows costs milliseconds; SKIP_LOCKED lets two processes
// (serve and worker) both run this without waiting on each other. PGlite (one connection, one user,
// small volumes) is left to its own autovacuum.
import type { Database } from './database.ts';
import { PeriodicTask } from '../periodic.ts';

export const QUEUE_TABLES = ['jobs', 'audit_pending'];

export async function vacuumQueues(db: Database): Promise<void> {
  await db.query(`VACUUM (SKIP_LOCKED) ${QUEUE_TABLES.join(', ')}`);
}

/** Vacuums the queue tables every `everyMs`; does nothing on PGlite. */
export class QueueVacuum extends PeriodicTask {
  constructor(
    private readonly db: Database,
    everyMs = 10_000,
    onError: (err: Error) => void = () => {},
  ) {
    super(() => vacuumQueues(db), everyMs, onError);
  }

  override start() {
    if (this.db.kind === 'postgres') super.start();
  }
}
