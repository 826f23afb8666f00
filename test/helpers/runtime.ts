// A complete runtime (database, file store, jobs) and the HTTP app over it, for one test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import type { FastifyInstance } from 'fastify';
import { loadConfig } from '../../src/platform/config.ts';
import { createRuntime, type Runtime } from '../../src/platform/runtime.ts';
import { buildApp } from '../../src/server/app.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { createAgent } from '../../src/modules/agents/agents.service.ts';
import { createUnit } from '../../src/modules/org/units.service.ts';
import { createTestDatabase } from './db.ts';

export interface TestContext {
  rt: Runtime;
  app: FastifyInstance;
  dir: string;
  close(): Promise<void>;
}

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-test-'));
  const db = await createTestDatabase();
  const config = loadConfig({ GUICHET_DATA_DIR: dir, LOG_LEVEL: 'silent', ...env });
  const rt = await createRuntime(config, { db, runMigrations: false, log: pino({ level: 'silent' }) });
  const app = await buildApp(rt, { logger: false });
  await app.ready();
  return {
    rt,
    app,
    dir,
    async close() {
      await app.close();
      await rt.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const PASSWORD = 'mot-de-passe-de-test';
let cachedHash: string | null = null;

export async function makeUnit(ctx: TestContext, code: string, name = code) {
  return createUnit(ctx.rt.db, systemActor(), { code, name });
}

export async function makeAgent(ctx: TestContext, email: string, roles: string[], unitCodes: string[] = []) {
  const { hashPassword } = await import('../../src/modules/auth/passwords.ts');
  cachedHash ??= await hashPassword(PASSWORD);
  return createAgent(ctx.rt.db, systemActor(), { email, roles, unitCodes, passwordHash: cachedHash, displayName: email.split('@')[0] });
}

/** Signs in through the API; returns headers carrying the session cookie and CSRF token. */
export async function signIn(ctx: TestContext, email: string, password = PASSWORD) {
  const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/auth/sign-in', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'guichet_session')!;
  const body = res.json();
  return { cookie: `guichet_session=${cookie.value}`, 'x-csrf-token': body.csrfToken as string };
}
