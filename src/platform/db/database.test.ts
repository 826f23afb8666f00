// The database wrapper after SQL errors: the server answers them cleanly, so the connection must stay
// usable — on PGlite a discarded client left the in-process backend mid-protocol and the next queries
// read stale messages ("unexpected parseComplete"), then crashed the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import type { Database } from './database.ts';

describe('database after SQL errors', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query('CREATE TABLE err_probe (id int PRIMARY KEY, v text)');
    await db.query(`INSERT INTO err_probe VALUES (1, 'un')`);
  });
  afterAll(async () => db.close());

  const failing: Array<[string, string, unknown[]]> = [
    ['unique violation', `INSERT INTO err_probe VALUES (1, 'deux')`, []],
    ['unknown column', 'SELECT nope FROM err_probe', []],
    ['bad parameter', 'SELECT $1::int', ['abc']],
    ['division by zero', 'SELECT 1 / 0', []],
  ];

  for (const [name, sql, params] of failing) {
    it(`stays usable after a ${name}, outside and inside a transaction`, async () => {
      await expect(db.query(sql, params)).rejects.toMatchObject({ code: expect.stringMatching(/^[0-9A-Z]{5}$/) });
      expect((await db.query('SELECT count(*)::int AS n FROM err_probe WHERE id > $1', [0])).rows[0].n).toBe(1);
      await expect(
        db.tx(async (tx) => {
          await tx.query(`INSERT INTO err_probe VALUES (2, 'deux')`);
          await tx.query(sql, params);
        }),
      ).rejects.toMatchObject({ code: expect.any(String) });
      expect((await db.query('SELECT array_agg(v ORDER BY id) AS v FROM err_probe')).rows[0].v).toEqual(['un']);
      await db.tx(async (tx) => tx.query(`UPDATE err_probe SET v = $1 WHERE id = 1`, ['un']));
    });
  }
});
