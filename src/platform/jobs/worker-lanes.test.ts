// Worker slots: jobs defined with their own `concurrency` run in a lane of their own, the others share
// GUICHET_JOB_CONCURRENCY slots; neither lane ever runs more than its slots, whatever the number of
// ticks; each claimed job's lease is its definition's timeout, set by the claim itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from '../db/database.ts';
import { JobRegistry } from './registry.ts';
import { JobWorker } from './worker.ts';
import { enqueue } from './queue.ts';

describe('job worker lanes', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('runs an I/O job in its own lane of N slots beside the shared slots, never more', async () => {
    const reg = new JobRegistry();
    const now = { io: 0, cpu: 0 };
    const peak = { io: 0, cpu: 0 };
    let open!: () => void;
    const gate = new Promise<void>((r) => (open = r));
    const run = (kind: 'io' | 'cpu') => async () => {
      now[kind]++;
      peak[kind] = Math.max(peak[kind], now[kind]);
      await gate;
      now[kind]--;
    };
    (reg as any).define('t.io', run('io'), { concurrency: 3 });
    (reg as any).define('t.cpu', run('cpu'));
    for (let i = 0; i < 7; i++) await enqueue(db, 't.io' as any, { i } as never);
    for (let i = 0; i < 3; i++) await enqueue(db, 't.cpu' as any, { i } as never);
    const w = new JobWorker(db, reg, { concurrency: 1, pollMs: 5 });
    w.start();
    try {
      await expect.poll(() => ({ ...now }), { timeout: 30_000 }).toEqual({ io: 3, cpu: 1 });
      // Many more ticks while every slot is busy: none may claim beyond the slots.
      for (let i = 0; i < 20; i++) {
        w.nudge();
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(peak).toEqual({ io: 3, cpu: 1 });
      const { rows } = await db.query(`SELECT name, count(*)::int AS n FROM jobs WHERE status = 'running' AND name LIKE 't.%' GROUP BY name ORDER BY name`);
      expect(rows).toEqual([{ name: 't.cpu', n: 1 }, { name: 't.io', n: 3 }]);
      open();
      await expect.poll(async () => (await db.query(`SELECT count(*)::int AS n FROM jobs WHERE name LIKE 't.%' AND status <> 'done'`)).rows[0].n, { timeout: 30_000 }).toBe(0);
      expect(peak).toEqual({ io: 3, cpu: 1 });
    } finally {
      open();
      await w.stop();
    }
  });

  it('hands a finished job’s slot to the next job of its lane; stop() waits for the job handed over', async () => {
    const reg = new JobRegistry();
    let now = 0;
    let peak = 0;
    let ran = 0;
    (reg as any).define('t.chain', async () => {
      now++;
      peak = Math.max(peak, now);
      await new Promise((r) => setTimeout(r, 5));
      ran++;
      now--;
    }, { concurrency: 2 });
    for (let i = 0; i < 40; i++) await enqueue(db, 't.chain' as any, { i } as never);
    const w = new JobWorker(db, reg, { pollMs: 60_000 }); // no polling: only hand-overs keep the lane busy
    w.start();
    await expect.poll(() => ran, { timeout: 30_000 }).toBeGreaterThanOrEqual(10);
    await w.stop();
    expect(now).toBe(0);
    expect(peak).toBeLessThanOrEqual(2);
    const { rows } = await db.query(`SELECT status, count(*)::int AS n, max(attempts)::int AS attempts FROM jobs WHERE name = 't.chain' GROUP BY status ORDER BY status`);
    const done = rows.find((r) => r.status === 'done');
    expect(done).toMatchObject({ n: ran, attempts: 1 });
    expect(rows.map((r) => r.status).filter((st) => st !== 'done' && st !== 'queued')).toEqual([]);
    // Started again, the worker finishes the rest.
    w.start();
    await expect.poll(async () => (await db.query(`SELECT count(*)::int AS n FROM jobs WHERE name = 't.chain' AND status = 'done'`)).rows[0].n, { timeout: 30_000 }).toBe(40);
    await w.stop();
    expect(ran).toBe(40);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it('gives each claimed job the lease of its definition (5 minutes by default)', async () => {
    const reg = new JobRegistry();
    const leases: Record<string, number> = {};
    const probe = (name: string) => async (_p: unknown, ctx: { jobId: number }) => {
      const { rows } = await db.query(`SELECT extract(epoch FROM locked_until - now())::float8 AS s FROM jobs WHERE id = $1`, [ctx.jobId]);
      leases[name] = rows[0].s;
    };
    (reg as any).define('t.short', probe('t.short'), { timeoutSeconds: 40 });
    (reg as any).define('t.plain', probe('t.plain'));
    await enqueue(db, 't.short' as any, {} as never);
    await enqueue(db, 't.plain' as any, {} as never);
    const w = new JobWorker(db, reg);
    expect(await w.drain()).toBe(2);
    expect(leases['t.short']).toBeGreaterThan(0);
    expect(leases['t.short']).toBeLessThanOrEqual(40);
    expect(leases['t.plain']).toBeGreaterThan(40);
    expect(leases['t.plain']).toBeLessThanOrEqual(300);
  });
});
