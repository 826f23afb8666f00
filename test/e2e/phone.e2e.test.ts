// The contact center in a real browser: a CTI newCall + answer pops the caller on the answering agent's
// console; the agent qualifies and hands over to level 2 (a double click sends one request and makes one
// case); the case appears in the unit's queue. The same flow with the keyboard only, down to the level-1
// answer with a knowledge article; the callback list; axe-core on the console and the wallboard (with
// the staffing planner).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './server.ts';
import { seriousViolations } from './browser.ts';
import { createToken } from '../../src/modules/auth/tokens.service.ts';
import { createArticle } from '../../src/modules/knowledge/knowledge.service.ts';
import { systemActor } from '../../src/platform/actor.ts';

let e: E2E;
let token: string;
let articleId: string;

beforeAll(async () => {
  e = await startE2E();
  token = (await createToken(e.ctx.rt.db, systemActor(), { name: 'PBX', role: 'integration' })).token;
  await e.ctx.rt.db.query(`UPDATE agents SET extension = '201' WHERE id = $1`, [e.org.agents.cc.id]);
  const always = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
  await e.ctx.rt.db.query(`INSERT INTO settings (key, value) VALUES ('phone.schedule', $1)`, [JSON.stringify({ ...always, closedOnPublicHolidays: false })]);
  await e.createCase({ topic: 'signalement-voirie', subject: 'Nid de poule RD 2020', contact: { phone: '+33612345678', firstName: 'Marie', lastName: 'Dupont' } });
  articleId = (await createArticle(e.ctx.rt.db, systemActor(), {
    title: 'Horaires de la déchetterie', answer: 'Ouverte du lundi au samedi, de 9 h à 18 h.', topic: 'signalement-voirie', keywords: ['déchetterie'],
  })).id;
});

afterAll(async () => {
  await e?.close();
});

const cti = async (body: Record<string, unknown>) => {
  const r = await fetch(`${e.url}/api/v1/cti/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(r.status).toBe(200);
};
const ring = async (callId: string, from: string) => {
  await cti({ event: 'newCall', callId, direction: 'in', from, to: '0238000000', user: ['201'] });
  await cti({ event: 'answer', callId, direction: 'in', answeringNumber: '201' });
};
const callUuid = async (callId: string) => (await e.ctx.rt.db.query('SELECT id FROM calls WHERE call_id = $1', [callId])).rows[0].id as string;
const traces = async (uuid: string) => ({
  interactions: (await e.ctx.rt.db.query(`SELECT 1 FROM interactions WHERE kind = 'call' AND metadata->>'callId' = $1`, [uuid])).rowCount,
  qualifications: (await e.ctx.rt.db.query('SELECT 1 FROM call_qualifications WHERE call_id = $1', [uuid])).rowCount,
});

async function expectAccessible(page: Page, name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

/** The accessible name of the focused element (its label, aria-label or text). */
const focusedName = (page: Page) =>
  page.evaluate(`(() => { const el = document.activeElement; if (!el) return ''; const l = el.labels && el.labels[0];
    return ((l && l.textContent) || el.getAttribute('aria-label') || el.textContent || '').replace(/\\s+/g, ' ').trim(); })()`) as Promise<string>;

/** Presses Tab until the focused element's name matches (at most `max` presses); fails otherwise. */
async function tabTo(page: Page, name: RegExp, max = 40) {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    const now = await focusedName(page);
    if (name.test(now)) return;
    seen.push(now);
  }
  throw new Error(`Tab never reached ${name}; focus went through: ${seen.join(' | ')}`);
}

describe('contact center console', () => {
  it('pops the caller on answer, qualifies, escalates to the level-2 queue — a double click sends one request', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'cc', '/agents/telephone');
    await page.locator('[data-phone-stream="on"]').waitFor();

    const callId = `e2e-${Date.now()}`;
    await ring(callId, '06 12 34 56 78');

    await page.getByRole('heading', { name: /En ligne : 06 12 34 56 78/ }).waitFor();
    await page.getByRole('link', { name: 'Marie Dupont' }).waitFor();
    await page.getByText('Nid de poule RD 2020').waitFor();

    await page.getByLabel('Objet', { exact: true }).selectOption('signalement-voirie');
    await page.getByLabel('Résumé').fill('Arbre tombé sur la RD 951');
    await page.getByLabel('Note').fill('Bloque une voie à la sortie de Jargeau');
    await page.getByRole('radio', { name: 'Horaires de la déchetterie' }).waitFor(); // suggested from the topic
    await expectAccessible(page, 'console with a call');

    const sent: string[] = [];
    page.on('request', (r) => r.method() === 'POST' && r.url().includes('/qualify') && sent.push(r.headers()['idempotency-key'] ?? ''));
    await page.getByRole('button', { name: 'Transmettre au niveau 2' }).dblclick();
    const status = page.getByRole('status').filter({ hasText: 'Appel qualifié' });
    await status.waitFor();
    const reference = /\d{4}-\d{6,}/.exec((await status.textContent()) ?? '')![0];
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatch(/^console-[0-9a-f]{32}$/);
    expect(await traces(await callUuid(callId))).toEqual({ interactions: 1, qualifications: 1 });

    const { page: level2 } = await e.newPage();
    await e.signIn(level2, 'routes', '/agents/files/service/exploitation-routes');
    await level2.getByRole('link', { name: reference, exact: true }).waitFor();
  });

  it('keyboard only: from the screen pop to a level-1 answer with a knowledge article', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'cc', '/agents/telephone');
    await page.locator('[data-phone-stream="on"]').waitFor();
    await page.evaluate('document.activeElement && document.activeElement.blur()');

    const callId = `e2e-kbd-${Date.now()}`;
    await ring(callId, '06 12 34 56 78');
    const heading = page.getByRole('heading', { name: /En ligne : 06 12 34 56 78/ });
    await heading.waitFor();
    // the pop brings the keyboard to the call
    await expect.poll(() => focusedName(page)).toMatch(/^En ligne : 06 12 34 56 78/);

    await tabTo(page, /^Objet$/);
    for (let i = 0; i < 10 && (await page.getByLabel('Objet', { exact: true }).inputValue()) !== 'signalement-voirie'; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Objet', { exact: true }).inputValue()).toBe('signalement-voirie');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Résumé');
    await page.keyboard.type('Horaires de la déchetterie');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('Note');
    await page.keyboard.type('Renseignée sur les horaires');
    await page.getByRole('radio', { name: 'Horaires de la déchetterie' }).waitFor();
    await tabTo(page, /^Horaires de la déchetterie$/);
    await page.keyboard.press('Space');
    expect(await page.getByRole('radio', { name: 'Horaires de la déchetterie' }).isChecked()).toBe(true);
    await tabTo(page, /^Répondu \(niveau 1\)$/);
    await page.keyboard.press('Enter');

    const status = page.getByRole('status').filter({ hasText: 'Appel qualifié' });
    await status.waitFor();
    const reference = /\d{4}-\d{6,}/.exec((await status.textContent()) ?? '')![0];
    const { rows } = await e.ctx.rt.db.query('SELECT status, resolved_level1 FROM cases WHERE reference = $1', [reference]);
    expect(rows[0]).toEqual({ status: 'closed', resolved_level1: true });
    expect((await e.ctx.rt.db.query('SELECT use_count FROM knowledge_articles WHERE id = $1', [articleId])).rows[0].use_count).toBe(1);
    // then on to the next call, still by keyboard
    await tabTo(page, /^Fermer$/);
    await page.keyboard.press('Enter');
    await page.getByText('Aucun appel en cours.').waitFor();
  });

  it('callback list: an abandoned caller who calls again is closed with the reason; the console passes axe', async () => {
    const abandoned = `e2e-ab-${Date.now()}`;
    await cti({ event: 'newCall', callId: abandoned, direction: 'in', from: '07 66 11 22 33', to: '0238000000' });
    await cti({ event: 'hangup', callId: abandoned, cause: 'cancel' });
    await cti({ event: 'newCall', callId: `${abandoned}-b`, direction: 'in', from: '07 55 66 77 88', to: '0238000000' });
    await cti({ event: 'hangup', callId: `${abandoned}-b`, cause: 'cancel' });

    const { page } = await e.newPage();
    await e.signIn(page, 'cc', '/agents/telephone');
    await page.locator('[data-phone-stream="on"]').waitFor();
    const list = page.getByRole('region', { name: /Rappels à faire/ });
    await list.getByText('07 66 11 22 33', { exact: true }).waitFor();
    await list.getByText('07 55 66 77 88', { exact: true }).waitFor();
    await expectAccessible(page, 'console with callbacks');

    // the first caller calls again and is answered: their callback leaves the list, with the reason
    await ring(`${abandoned}-again`, '07 66 11 22 33');
    await page.getByRole('heading', { name: /En ligne : 07 66 11 22 33/ }).waitFor();
    await list.getByRole('listitem').filter({ hasText: /07 66 11 22 33 .*L’usager a rappelé et a été pris en charge le .*, répondu par cc/ }).waitFor();

    // the second one is called back by the agent
    await list.getByRole('button', { name: 'Rappel effectué : 07 55 66 77 88' }).click();
    await list.getByLabel('Objet de la demande').fill('Question sur l’aide à domicile');
    await list.getByRole('button', { name: 'Enregistrer le rappel' }).dblclick();
    await list.getByRole('listitem').filter({ hasText: /07 55 66 77 88 .*Rappelé par un agent \(cc\)/ }).waitFor();
    const outbound = await e.ctx.rt.db.query(`SELECT 1 FROM interactions WHERE kind = 'call' AND direction = 'outbound' AND metadata->>'number' = '+33755667788'`);
    expect(outbound.rowCount).toBe(1);
    await expectAccessible(page, 'console after callbacks');
  });

  it('wallboard and staffing planner: the supervisor sees the day and what 440 calls/day and 20,000 calls/month need; axe passes', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'super', '/agents/telephone/tableau');
    await page.getByRole('table', { name: 'Par agent' }).getByRole('rowheader', { name: 'cc' }).waitFor();
    await page.getByText(/440 appels par jour : \d+ agents à planifier au pic/).waitFor();
    await page.getByText(/20 000 appels par mois : \d+ agents à planifier au pic/).waitFor();
    await page.getByLabel('Volume d’appels').fill('200');
    await page.getByLabel('Période').selectOption('hour');
    await page.getByLabel('Absentéisme (%)').fill('30');
    await page.getByRole('button', { name: 'Calculer' }).click();
    // the published worked example: 200 calls/h, 180 s, 80 % in 20 s → 14 on the phones, 20 with 30 % shrinkage
    await page.getByRole('status').filter({ hasText: '20 agents à planifier (14 en ligne)' }).waitFor();
    await expectAccessible(page, 'wallboard');
    await page.getByLabel('Période').selectOption('month');
    await page.getByLabel('Volume d’appels').fill('20000');
    await page.getByRole('button', { name: 'Calculer' }).click();
    await page.getByRole('table', { name: 'Agents par demi-heure' }).waitFor();
    await expectAccessible(page, 'wallboard with a day plan');
  });
});
