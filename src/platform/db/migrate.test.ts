import { afterEach, describe, expect, it } from 'vitest';
import { migrate, listMigrations } from './migrate.ts';
import { openPostgres, type Database } from './database.ts';
import { createEmptyDatabase } from '../../../test/helpers/db.ts';

describe('migrations', () => {
  const open: Database[] = [];
  afterEach(async () => {
    for (const db of open.splice(0)) await db.close();
  });

  it('apply every numbered file once, and a second run applies nothing', async () => {
    const db = await createEmptyDatabase();
    open.push(db);
    const first = await migrate(db);
    expect(first).toEqual(listMigrations().map((m) => m.name));
    expect(await migrate(db)).toEqual([]);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM schema_migrations');
    expect(rows[0].n).toBe(listMigrations().length);
  });

  it('are safe when two processes migrate the same database at once', async () => {
    const db = await createEmptyDatabase();
    open.push(db);
    // With PostgreSQL, a second independent pool stands for the second process.
    const other = db.url ? await openPostgres(db.url, 2) : db;
    if (other !== db) open.push(other);
    const [a, b] = await Promise.all([migrate(db), migrate(other)]);
    expect([...a, ...b].sort()).toEqual(listMigrations().map((m) => m.name).sort());
    const { rows } = await db.query('SELECT version, count(*)::int AS n FROM schema_migrations GROUP BY version HAVING count(*) > 1');
    expect(rows).toEqual([]);
  });
});
