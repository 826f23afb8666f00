// Prepares one migrated template database per test run, copied cheaply by each test file:
// a PGlite data-dir dump (default) or a PostgreSQL template database (TEST_DATABASE_URL / DATABASE_URL).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createPGlite, wrapPGlite, openPostgres } from '../../src/platform/db/database.ts';
import { migrate } from '../../src/platform/db/migrate.ts';
import { serverUrl, withDatabase } from './pg-url.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteDump: string;
    pgTemplate: string;
    runId: string;
  }
}

export default async function setup(project: TestProject) {
  const runId = crypto.randomBytes(4).toString('hex');
  project.provide('runId', runId);
  const url = serverUrl();
  if (url) {
    const template = `guichet_tpl_${runId}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${template}`);
    await admin.end();
    const db = await openPostgres(withDatabase(url, template), 2);
    await migrate(db);
    await db.close();
    project.provide('pgTemplate', template);
    project.provide('pgliteDump', '');
    return async () => {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const { rows } = await c.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`guichet_%_${runId}%`]);
      for (const r of rows) await c.query(`DROP DATABASE IF EXISTS ${r.datname} WITH (FORCE)`).catch(() => {});
      await c.end();
    };
  }
  const pglite = await createPGlite(undefined);
  const db = await wrapPGlite(pglite);
  await migrate(db);
  const dump = await pglite.dumpDataDir('none');
  const file = path.join(os.tmpdir(), `guichet-test-${runId}.tar`);
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  await db.close();
  project.provide('pgliteDump', file);
  project.provide('pgTemplate', '');
  return async () => fs.rmSync(file, { force: true });
}
