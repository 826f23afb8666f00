// Restart safety: a Guichet process running the SMTP receiver is killed with SIGKILL while 1,000
// messages are arriving; after restart every message that got its 250 is filed exactly once.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import nodemailer from 'nodemailer';
import pino from 'pino';
import { createTestDatabase } from '../../../test/helpers/db.ts';
import { loadConfig } from '../../platform/config.ts';
import { createRuntime } from '../../platform/runtime.ts';
import * as C from '../../../test/fixtures/email/corpus.ts';

const TOTAL = 1000;

describe('SMTP receiver killed while mail arrives', () => {
  it('files every acknowledged message exactly once after restart', { timeout: 600_000 }, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-email-kill-'));
    const env: Record<string, string> = { ...(process.env as Record<string, string>), GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent', MAIL_FROM: 'contact@departement.example' };
    delete env.SMTP_URL;
    let url: string | null = null;
    if (process.env.TEST_DATABASE_URL || process.env.DATABASE_URL) {
      const db = await createTestDatabase();
      url = db.url;
      await db.close();
      env.DATABASE_URL = url!;
    } else delete env.DATABASE_URL;

    const child = spawn(process.execPath, ['bin/run-ts.mjs', 'test/fixtures/email/smtp-receiver-child.ts'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout.on('data', (d) => {
        const m = /PORT (\d+)/.exec(String(d));
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`receiver exited early (${code})`)));
    });
    const client = nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, pool: true, maxConnections: 4, maxMessages: Infinity });
    const acked = new Set<string>();
    let killed = false;
    const sends = Array.from({ length: TOTAL }, (_, i) => {
      const id = `kill-${i}@mail.example`;
      return client
        .sendMail({ envelope: { from: `u${i}@mail.example`, to: ['contact@departement.example'] }, raw: C.simpleMessage({ from: `u${i}@mail.example`, id, subject: `Demande ${i}`, body: `Message numéro ${i}` }) })
        .then(() => {
          acked.add(`<${id}>`);
          if (!killed && acked.size >= TOTAL / 3) {
            killed = true;
            child.kill('SIGKILL');
          }
        })
        .catch(() => {});
    });
    await Promise.all(sends);
    client.close();
    if (!killed) child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.on('exit', r)));
    expect(acked.size).toBeGreaterThan(0);
    expect(acked.size).toBeLessThan(TOTAL);

    const rt = await createRuntime(loadConfig(env), { log: pino({ level: 'silent' }) });
    try {
      // The killed process held leases on the jobs it was running: let them expire (time passing), as
      // another worker would see them after the job's timeout.
      await rt.db.query(`UPDATE jobs SET locked_until = now() - interval '1 second' WHERE status = 'running'`);
      while ((await rt.worker.drain()) > 0) { /* until the queue is empty */ }
      const { rows: pending } = await rt.db.query(`SELECT count(*)::int AS n FROM inbound_emails WHERE status = 'received'`);
      expect(pending[0].n).toBe(0);
      const { rows } = await rt.db.query<{ message_id: string; n: number; filed: number; cases: number }>(
        `SELECT message_id, count(*)::int AS n, count(*) FILTER (WHERE status = 'filed')::int AS filed, count(DISTINCT case_id)::int AS cases
           FROM inbound_emails GROUP BY message_id`,
      );
      const byId = new Map(rows.map((r) => [r.message_id, r]));
      for (const id of acked) expect(byId.get(id), id).toMatchObject({ filed: 1, cases: 1 });
      for (const r of rows) expect(r.filed, r.message_id).toBeLessThanOrEqual(1);
      const { rows: cases } = await rt.db.query<{ subject: string; n: number }>(`SELECT subject, count(*)::int AS n FROM cases GROUP BY subject HAVING count(*) > 1`);
      expect(cases).toEqual([]);
    } finally {
      await rt.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
