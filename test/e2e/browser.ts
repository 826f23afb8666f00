// Debian's Chromium driven by playwright-core (flags from shared/DEPENDENCIES.md), axe-core injection.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--lang=fr-FR'],
  });
}

const require = createRequire(import.meta.url);
let axeSource: string | null = null;

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[]; failureSummary?: string }>;
}

/** Runs axe-core on the page; returns the serious and critical violations (WCAG 2.1 A/AA rules). */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol: the page's CSP (script-src 'self') stays in force and untouched.
  if (!(await page.evaluate("'axe' in window"))) await page.evaluate(axeSource);
  const options = { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } };
  const result = (await page.evaluate(`axe.run(document, ${JSON.stringify(options)})`)) as { violations: AxeViolation[] };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
}

// Browser-side expressions are strings: this Node project has no DOM types.
export const focusedText = (page: Page) => page.evaluate('document.activeElement?.textContent') as Promise<string | null>;
export const focusedRole = (page: Page) => page.evaluate("document.activeElement?.getAttribute('role')") as Promise<string | null>;
export const pageHeight = (page: Page) => page.evaluate('Math.max(document.documentElement.scrollHeight, window.innerHeight)') as Promise<number>;
