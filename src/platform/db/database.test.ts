// The database wrapper after SQL errors: the server answers them cleanly, so the connection must stay
// usable — on PGlite a discarded client left the in-process backend mid-protocol and the next queries
// read stale messages ("unexpected parseComplete"), then crashed the process.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { PREPARED_READ, type Database } from './database.ts';

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

// Inside db.tx, a query on the database itself (not on the transaction) would wait forever on PGlite,
// whose pool is one connection held by that transaction: the test suite refuses it at once.
describe('database used inside its own transaction', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => db.close());

  it('refuses db.query and a nested db.tx inside a transaction, and the transaction rolls back', async () => {
    await db.query('CREATE TABLE guard_probe (id int PRIMARY KEY)');
    const message = 'Database used directly inside one of its own transactions: query through the transaction (tx) instead.';
    await expect(db.tx(async (tx) => {
      await tx.query('INSERT INTO guard_probe VALUES (1)');
      await db.query('SELECT 1');
    })).rejects.toThrow(message);
    await expect(db.tx(async () => db.tx(async (inner) => inner.query('SELECT 1')))).rejects.toThrow(message);
    expect((await db.query('SELECT count(*)::int AS n FROM guard_probe')).rows[0].n).toBe(0);
  });

  it('allows the database again once the transaction is over, also from work it started', async () => {
    let later: Promise<unknown> = Promise.resolve();
    await db.tx(async (tx) => {
      await tx.query('SELECT 1');
      // started inside, run after the commit (an after-commit callback, a queued notification)
      tx.afterCommit(() => {
        later = db.query('SELECT 2 AS two');
      });
    });
    await expect(later).resolves.toMatchObject({ rows: [{ two: 2 }] });
    await expect(db.tx(async (tx) => (await tx.query('SELECT 3 AS three')).rows[0].three)).resolves.toBe(3);
  });
});

// On a PostgreSQL server, writes used again are prepared once per connection; reads are not (their plan
// depends on their values), nor statements without parameters (they may be several).
describe.skipIf(!process.env.TEST_DATABASE_URL)('statements prepared on a PostgreSQL server', () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
    await db.query(`CREATE TABLE prep_probe (id int PRIMARY KEY, v text, t tsvector GENERATED ALWAYS AS (to_tsvector('simple', v)) STORED)`);
  });
  afterAll(async () => db.close());

  it('prepares a repeated write from its second use, with the same answers', async () => {
    const prepared = await db.tx(async (tx) => {
      for (let i = 1; i <= 4; i++) await tx.query('INSERT INTO prep_probe (id, v) VALUES ($1, $2)', [i, `mot ${i}`]);
      for (let i = 0; i < 3; i++) expect((await tx.query('SELECT v FROM prep_probe WHERE t @@ to_tsquery($1) ORDER BY id', ['mot'])).rows).toHaveLength(4);
      for (let i = 0; i < 3; i++) await tx.query('SELECT count(*) FROM prep_probe');
      for (let i = 1; i <= 3; i++) expect((await tx.query('SELECT v FROM prep_probe WHERE id = $1', [i])).rows).toEqual([{ v: `mot ${i}` }]);
      for (let i = 1; i <= 3; i++) await tx.query(`WITH u AS (UPDATE prep_probe SET v = v WHERE t @@ to_tsquery($1) RETURNING id) SELECT count(*) FROM u`, [`${i}`]);
      // a read marked as a lookup by key is prepared, a modulo in it being no trigram match
      for (let i = 1; i <= 3; i++) await tx.query(`${PREPARED_READ}SELECT v FROM prep_probe WHERE id = $1 % 5`, [i]);
      // a trigram match never is, even marked
      for (let i = 1; i <= 3; i++) await tx.query(`${PREPARED_READ}SELECT v FROM prep_probe WHERE v % $1`, ['mot']);
      return (await tx.query<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement')).rows.map((r) => r.statement);
    });
    expect(prepared).toEqual([`${PREPARED_READ}SELECT v FROM prep_probe WHERE id = $1 % 5`, 'INSERT INTO prep_probe (id, v) VALUES ($1, $2)']);
    expect((await db.query('SELECT array_agg(v ORDER BY id) AS v FROM prep_probe WHERE id > $1', [0])).rows[0].v).toEqual(['mot 1', 'mot 2', 'mot 3', 'mot 4']);
  });
});
