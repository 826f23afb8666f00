// `npm start` on an empty data folder: migrate, seed the demo once, serve /api/health; a second start
// reuses the data without reseeding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from './helpers/db.ts';
import { freePort } from '../bench/lib.ts';

async function startOnce(env: Record<string, string>): Promise<string> {
  const port = await freePort();
  const child = spawn(process.execPath, ['bin/guichet.mjs', 'start', '--port', String(port)], {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env } as any,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  try {
    // The first start installs the whole demo département: minutes on a loaded 2-core machine.
    for (let i = 0; i < 2400; i++) {
      if (child.exitCode !== null) throw new Error(`start exited (${child.exitCode}): ${out}`);
      const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.json(), () => null);
      if (ok) {
        expect(ok).toEqual({ status: 'ok' });
        break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
  return out;
}

describe('npm start', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-start-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('seeds the demo on the first start only, and prints the URL and demo sign-ins', async () => {
    const env: Record<string, string> = { GUICHET_DATA_DIR: path.join(dir, 'data') };
    if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) {
      const db = await createTestDatabase(); // a fresh copy of the migrated template
      env.DATABASE_URL = db.url!;
      await db.close();
    } else {
      env.DATABASE_URL = '';
    }
    const first = await startOnce(env);
    expect(first).toContain('Premier lancement');
    expect(first).toMatch(/Guichet est prêt : http:\/\/localhost:\d+/);
    expect(first).toContain('guichet-demo-2026');
    expect(first).toMatch(/camille\.martin@departement\.example/);
    const second = await startOnce(env);
    expect(second).not.toContain('Premier lancement');
    expect(second).toContain('Guichet est prêt');
  }, 900_000);
});
