// A fresh, migrated database for one test file: loaded from the PGlite dump or copied from the
// PostgreSQL template prepared by global-setup.ts. Tests never share mutable data.
import fs from 'node:fs';
import crypto from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import { createPGlite, wrapPGlite, openPostgres, type Database } from '../../src/platform/db/database.ts';
import { serverUrl, withDatabase } from './pg-url.ts';

export async function createTestDatabase(): Promise<Database & { url: string | null }> {
  const url = serverUrl();
  const template = inject('pgTemplate');
  if (url && template) {
    const name = `guichet_t_${inject('runId')}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (err: any) {
        // another file copying the template at the same instant: wait and retry
        if (attempt > 20 || !/being accessed by other users/.test(err.message)) throw err;
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
      }
    }
    await admin.end();
    const dbUrl = withDatabase(url, name);
    const db = await openPostgres(dbUrl, 10);
    return Object.assign(db, { url: dbUrl });
  }
  const dump = fs.readFileSync(inject('pgliteDump'));
  const pglite = await createPGlite(undefined, new Blob([dump]));
  const db = await wrapPGlite(pglite);
  return Object.assign(db, { url: null });
}

/** An empty database (no migrations applied), for testing the migration runner itself. */
export async function createEmptyDatabase(): Promise<Database & { url: string | null }> {
  const url = serverUrl();
  if (url && inject('pgTemplate')) {
    const name = `guichet_e_${inject('runId')}_${crypto.randomBytes(4).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const dbUrl = withDatabase(url, name);
    return Object.assign(await openPostgres(dbUrl, 4), { url: dbUrl });
  }
  return Object.assign(await wrapPGlite(await createPGlite(undefined)), { url: null });
}
