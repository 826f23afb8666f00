// The `guichet` command as scripts and operators use it (fixed interface).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/platform/db/database.ts';
import { createTestDatabase } from './helpers/db.ts';

const run = promisify(execFile);

async function guichet(args: string[], env: Record<string, string>) {
  try {
    const r = await run(process.execPath, ['bin/guichet.mjs', ...args], { env: { ...process.env, LOG_LEVEL: 'warn', ...env } as any });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err: any) {
    return { code: err.code as number, stdout: err.stdout as string, stderr: err.stderr as string };
  }
}

describe('guichet CLI', () => {
  let env: Record<string, string>;
  let dir: string;
  let url: string | null = null;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-cli-'));
    env = { GUICHET_DATA_DIR: dir };
    if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) {
      const db = await createTestDatabase();
      url = db.url;
      await db.close();
      env.DATABASE_URL = url!;
    } else {
      env.DATABASE_URL = '';
    }
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('migrate is idempotent', async () => {
    const first = await guichet(['migrate'], env);
    expect(first.code).toBe(0);
    const second = await guichet(['migrate'], env);
    expect(second.stdout).toContain('aucune migration');
  });

  it('user create, token create (token alone on the last line), audit verify', async () => {
    const u = await guichet(['user', 'create', '--email', 'cli@test.fr', '--password', 'un-long-mot-de-passe', '--role', 'admin'], env);
    expect(u.code).toBe(0);
    const bad = await guichet(['user', 'create', '--email', 'cli2@test.fr', '--password', 'un-long-mot-de-passe', '--role', 'pirate'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('Rôle inconnu');
    const t = await guichet(['token', 'create', '--name', 'pbx', '--role', 'integration'], env);
    expect(t.code).toBe(0);
    expect(t.stdout.trim().split('\n').pop()).toMatch(/^gch_[A-Za-z0-9_-]{43}$/);
    const v = await guichet(['audit', 'verify'], env);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/2 événement\(s\) vérifié\(s\)/);
  });

  it('audit verify exits non-zero naming the first altered event', async () => {
    const db = await openDatabase({ databaseUrl: url, dataDir: dir });
    await db.query('ALTER TABLE audit_events DISABLE TRIGGER USER');
    await db.query(`UPDATE audit_events SET after = '{"email":"intrus@test.fr"}' WHERE id = 1`);
    await db.query('ALTER TABLE audit_events ENABLE TRIGGER USER');
    await db.close();
    const v = await guichet(['audit', 'verify'], env);
    expect(v.code).not.toBe(0);
    expect(v.stderr).toContain("n° 1");
  });

  it('bad configuration stops with a message naming the variable', async () => {
    const r = await guichet(['migrate'], { ...env, PORT: 'abc' });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('PORT');
  });
});
