// The queue tables are vacuumed by Guichet itself (autovacuum may be off on the server): both tables
// are visited, and the timer runs on PostgreSQL only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from './database.ts';
import { QUEUE_TABLES, QueueVacuum, vacuumQueues } from './housekeeping.ts';

describe('queue vacuum', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  const vacuums = async () =>
    Object.fromEntries(
      (await db.query<{ relname: string; n: number }>(`SELECT relname, vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname = ANY($1)`, [QUEUE_TABLES])).rows.map((r) => [r.relname, r.n]),
    );

  it('vacuums every queue table', async () => {
    // finished jobs leave two dead versions each behind (queued → running → done)
    await db.query(`INSERT INTO jobs (name, payload) SELECT 'probe', '{}' FROM generate_series(1, 300)`);
    await db.query(`UPDATE jobs SET status = 'running', attempts = 1 WHERE name = 'probe'`);
    await db.query(`UPDATE jobs SET status = 'done', finished_at = now() WHERE name = 'probe'`);
    const before = await vacuums();
    await vacuumQueues(db);
    const after = await vacuums();
    for (const t of QUEUE_TABLES) expect(after[t], t).toBe((before[t] ?? 0) + 1);
    const { rows } = await db.query<{ n: number }>(`SELECT n_dead_tup::int AS n FROM pg_stat_user_tables WHERE relname = 'jobs'`);
    expect(rows[0].n).toBe(0);
  });

  it('runs by itself on PostgreSQL only, and stops cleanly', async () => {
    const before = await vacuums();
    const v = new QueueVacuum(db, 20);
    v.start();
    if (db.kind === 'postgres') {
      await expect.poll(async () => (await vacuums()).jobs, { timeout: 10_000 }).toBeGreaterThan(before.jobs);
    } else {
      await new Promise((r) => setTimeout(r, 200)); // ten periods: PGlite is left to its own autovacuum
      expect((await vacuums()).jobs).toBe(before.jobs);
    }
    await v.stop();
  });
});
