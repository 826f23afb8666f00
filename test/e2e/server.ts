// A real Guichet server for browser tests: the same app as `npm start` (buildApp over a fresh test
// database, with the built back office), listening on a free port, plus a small département (makeOrg)
// and helpers to create cases through the case service.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/runtime.ts';
import { makeOrg, type Org } from '../helpers/fixtures.ts';
import { createCase, type NewCaseInput } from '../../src/modules/cases/cases.service.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { launchBrowser } from './browser.ts';

export interface E2E {
  ctx: TestContext;
  org: Org;
  url: string;
  browser: Browser;
  /** A fresh browser context (cookies, storage) with a French 1280×800 page. */
  newPage(opts?: { width?: number; height?: number }): Promise<{ context: BrowserContext; page: Page }>;
  /** Signs in through the sign-in page; waits for the signed-in frame. */
  signIn(page: Page, agent: string, path?: string): Promise<void>;
  createCase(input: Omit<NewCaseInput, 'channel'> & { channel?: NewCaseInput['channel'] }): Promise<{ reference: string }>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  const ctx = await createTestContext();
  const org = await makeOrg(ctx);
  const address = await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const url = address.replace('localhost', '127.0.0.1');
  const browser = await launchBrowser();
  const contexts: BrowserContext[] = [];
  return {
    ctx,
    org,
    url,
    browser,
    async newPage(opts = {}) {
      const context = await browser.newContext({ baseURL: url, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: opts.width ?? 1280, height: opts.height ?? 800 } });
      contexts.push(context);
      context.setDefaultTimeout(20_000);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
      return { context, page };
    },
    async signIn(page, agent, path = '/agents/') {
      await page.goto(path);
      await page.getByLabel('Adresse électronique').fill(org.agents[agent].email);
      await page.getByLabel('Mot de passe').fill(PASSWORD);
      await page.getByRole('button', { name: 'Se connecter' }).click();
      await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    },
    async createCase(input) {
      return createCase(ctx.rt.db, systemActor('test'), { channel: 'phone', ...input });
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close();
      await ctx.close();
    },
  };
}

export function daysAgo(n: number): Date {
  return new Date(Date.now() - n * 86_400_000);
}
