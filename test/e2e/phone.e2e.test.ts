// The contact center in a real browser: a CTI newCall + answer pops the caller on the answering agent's
// console; the agent qualifies and hands over to level 2; the case appears in the unit's queue.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startE2E, type E2E } from './server.ts';
import { createToken } from '../../src/modules/auth/tokens.service.ts';
import { systemActor } from '../../src/platform/actor.ts';

let e: E2E;
let token: string;

beforeAll(async () => {
  e = await startE2E();
  token = (await createToken(e.ctx.rt.db, systemActor(), { name: 'PBX', role: 'integration' })).token;
  await e.ctx.rt.db.query(`UPDATE agents SET extension = '201' WHERE id = $1`, [e.org.agents.cc.id]);
  const always = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [{ from: '00:00', to: '24:00' }]]));
  await e.ctx.rt.db.query(`INSERT INTO settings (key, value) VALUES ('phone.schedule', $1)`, [JSON.stringify({ ...always, closedOnPublicHolidays: false })]);
  await e.createCase({ topic: 'signalement-voirie', subject: 'Nid de poule RD 2020', contact: { phone: '+33612345678', firstName: 'Marie', lastName: 'Dupont' } });
});

afterAll(async () => {
  await e?.close();
});

const cti = (body: Record<string, unknown>) =>
  fetch(`${e.url}/api/v1/cti/events`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('contact center console', () => {
  it('pops the caller on answer, qualifies, escalates to the level-2 queue', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'cc', '/agents/telephone');
    await page.locator('[data-phone-stream="on"]').waitFor();

    const callId = `e2e-${Date.now()}`;
    expect((await cti({ event: 'newCall', callId, direction: 'in', from: '06 12 34 56 78', to: '0238000000', user: ['201'] })).status).toBe(200);
    expect((await cti({ event: 'answer', callId, direction: 'in', answeringNumber: '201' })).status).toBe(200);

    await page.getByRole('heading', { name: /En ligne : 06 12 34 56 78/ }).waitFor();
    await page.getByRole('link', { name: 'Marie Dupont' }).waitFor();
    await page.getByText('Nid de poule RD 2020').waitFor();

    await page.getByLabel('Objet', { exact: true }).selectOption('signalement-voirie');
    await page.getByLabel('Résumé').fill('Arbre tombé sur la RD 951');
    await page.getByLabel('Note').fill('Bloque une voie à la sortie de Jargeau');
    await page.getByRole('button', { name: 'Transmettre au niveau 2' }).click();
    const status = page.getByRole('status').filter({ hasText: 'Appel qualifié' });
    await status.waitFor();
    const reference = /\d{4}-\d{6,}/.exec((await status.textContent()) ?? '')![0];

    const { page: level2 } = await e.newPage();
    await e.signIn(level2, 'routes', '/agents/files/service/exploitation-routes');
    await level2.getByRole('link', { name: reference, exact: true }).waitFor();
  });
});
