// The agent back office in a real browser (Debian's Chromium) against a real server: queues, the case
// page, transfers, visibility of sensitive cases, search, live updates, keyboard use and accessibility.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { daysAgo, startE2E, type E2E } from './server.ts';
import { focusedRole, focusedText, pageHeight, seriousViolations } from './browser.ts';

let e: E2E;
const SHOTS = path.resolve('docs/screenshots');

beforeAll(async () => {
  e = await startE2E();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await e?.close();
});

/** A screenshot of the whole page at the current width (the sticky header stays on top). */
async function shoot(page: Page, name: string) {
  const vp = page.viewportSize()!;
  await page.evaluate('window.scrollTo(0, 0)');
  const height = await pageHeight(page);
  await page.setViewportSize({ width: vp.width, height: Math.min(height, 2400) });
  await page.screenshot({ path: path.join(SHOTS, name) });
  await page.setViewportSize(vp);
}

async function expectAccessible(page: Page, name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

const rowOf = (page: Page, reference: string) => page.getByRole('row').filter({ has: page.getByRole('link', { name: reference, exact: true }) });

describe('agent back office', () => {
  it('serves the app shell on deep links, with the CSP and long-cached assets', async () => {
    const res = await fetch(`${e.url}/agents/demandes/2026-000123`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await res.text();
    expect(html).toContain('<div id="app">');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    const asset = /src="(\/agents\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(e.url + asset);
    expect(js.status).toBe(200);
    expect(js.headers.get('cache-control')).toContain('immutable');
    expect((await fetch(`${e.url}/agents/assets/absent-123.js`)).status).toBe(404);
    const root = await fetch(`${e.url}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/portail');
    expect((await fetch(`${e.url}/api/nope`)).headers.get('content-type')).toContain('application/json');
  });

  it('shows the sign-in errors of the API in French', async () => {
    const { page } = await e.newPage();
    await page.goto('/agents/');
    await page.getByRole('heading', { name: 'Connexion au back office' }).waitFor();
    await expectAccessible(page, 'sign-in');
    await shoot(page, 'sign-in.png');
    await page.getByLabel('Adresse électronique').fill(e.org.agents.routes.email);
    await page.getByLabel('Mot de passe').fill('mauvais mot de passe');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toContain('Adresse électronique ou mot de passe incorrect.');

    // Locked after repeated failures: the API's 429 message, as is.
    const email = e.org.agents.clerk.email;
    for (let i = 0; i < 5; i++) await fetch(`${e.url}/api/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'faux' }) });
    await page.getByLabel('Adresse électronique').fill(email);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('alert').filter({ hasText: 'Trop de tentatives de connexion pour ce compte.' }).waitFor();

    // Signing in then out.
    await e.signIn(page, 'routes');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.getByText('Vous êtes déconnecté.').waitFor();
    expect((await page.context().cookies()).some((c) => c.name === 'guichet_session')).toBe(false);
  });

  it('unit agent: queue, overdue case, note, transfer with a reason, case leaves the queue; live notice', async () => {
    const overdue = await e.createCase({
      topic: 'signalement-voirie', subject: 'Nid-de-poule dangereux sur la RD 45', description: 'Trou profond au PR 12, côté Saint-Martin.',
      receivedAt: daysAgo(40), contact: { firstName: 'Jeanne', lastName: 'Moreau', email: 'jeanne.moreau@example.fr' },
      interaction: { kind: 'call', body: 'Appel de Mme Moreau : trou profond, un pneu crevé hier soir.' },
    });
    const recent = await e.createCase({ topic: 'signalement-voirie', subject: 'Panneau de signalisation tombé', contact: { firstName: 'Paul', lastName: 'Girard' } });

    const { page } = await e.newPage();
    await e.signIn(page, 'routes');
    await page.getByRole('navigation', { name: 'Navigation principale' }).getByRole('link', { name: /Exploitation des routes/ }).click();
    await page.getByRole('heading', { name: /File du service : Exploitation des routes/ }).waitFor();
    const row = rowOf(page, overdue.reference);
    await row.waitFor();
    await expect(row.locator('.badge-overdue').textContent()).resolves.toContain('En retard');
    await expect(row.textContent()).resolves.toMatch(/en retard de \d+ jours/);
    await rowOf(page, recent.reference).waitFor();
    await expectAccessible(page, 'queue');
    await shoot(page, 'queue.png');
    const tablet = await e.newPage({ width: 768, height: 1024 });
    await e.signIn(tablet.page, 'routes', '/agents/files/service/exploitation-routes');
    await rowOf(tablet.page, overdue.reference).waitFor();
    await shoot(tablet.page, 'queue-tablet.png');
    await tablet.context.close();

    // A case routed to my unit while I look at the queue: discreet notice, new row.
    await page.locator('html[data-live="on"]').waitFor({ state: 'attached' });
    const arriving = await e.createCase({ topic: 'signalement-voirie', subject: 'Arbre tombé en travers de la RD 7' });
    await page.getByText('Nouvelle demande dans votre file').waitFor();
    await rowOf(page, arriving.reference).waitFor();

    await page.getByRole('link', { name: overdue.reference, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: new RegExp(overdue.reference) }).waitFor();
    await page.getByText('Jeanne Moreau').first().waitFor();
    await page.getByText('Appel de Mme Moreau').waitFor();

    await page.getByRole('textbox', { name: 'Note interne' }).fill('Équipe d’intervention prévenue, passage prévu jeudi.');
    await page.getByRole('button', { name: 'Ajouter la note' }).click();
    await page.getByRole('list').getByText('Équipe d’intervention prévenue, passage prévu jeudi.').waitFor();
    await expectAccessible(page, 'case');
    await shoot(page, 'case.png');

    await page.getByRole('button', { name: 'Transférer', exact: true }).click();
    await page.getByRole('button', { name: 'Transférer', exact: true }).last().click();
    await page.getByText('Le motif du transfert est obligatoire.').waitFor(); // error next to the field
    await page.getByLabel('Service destinataire').selectOption({ label: 'Vie associative' });
    await page.getByLabel('Motif du transfert').fill('Concerne une manifestation associative sur la route');
    await page.getByRole('button', { name: 'Transférer', exact: true }).last().click();
    await page.getByText(`Demande ${overdue.reference} transférée au service Vie associative.`).waitFor();
    await page.getByRole('heading', { name: /File du service : Exploitation des routes/ }).waitFor();
    await rowOf(page, recent.reference).waitFor();
    await expect(rowOf(page, overdue.reference).count()).resolves.toBe(0);

    // The transfer and its reason are on the case's timeline (seen by the receiving unit).
    const { page: culture } = await e.newPage();
    await e.signIn(culture, 'culture', `/agents/demandes/${overdue.reference}`);
    await culture.getByText('Motif : Concerne une manifestation associative sur la route').waitFor();
    await culture.getByText(/Transférée de Exploitation des routes à Vie associative/).waitFor();
  });

  it('level-1 agent: a sensitive case is neither listed nor reachable by URL', async () => {
    const sensitive = await e.createCase({ topic: 'protection-enfance', subject: 'Information préoccupante concernant un enfant' });
    const ordinary = await e.createCase({ topic: 'subvention-culture', subject: 'Dossier de subvention du comité des fêtes' });
    const untriaged = await e.createCase({ subject: 'Question sur un courrier reçu' });

    const { page } = await e.newPage();
    await e.signIn(page, 'cc');
    await page.getByRole('heading', { name: 'Demandes à qualifier' }).waitFor();
    await rowOf(page, untriaged.reference).waitFor();
    await page.getByRole('link', { name: /Toutes les demandes ouvertes/ }).click();
    await rowOf(page, ordinary.reference).waitFor();
    await expect(rowOf(page, sensitive.reference).count()).resolves.toBe(0);

    await page.goto(`/agents/demandes/${sensitive.reference}`);
    await page.getByRole('heading', { level: 1, name: 'Demande introuvable' }).waitFor();
    await page.getByText(sensitive.reference).first().waitFor();
    await expect(page.getByText('Information préoccupante').count()).resolves.toBe(0);
  });

  it('search: « elagage » finds the « élagage » case as you type and on the results page', async () => {
    const c = await e.createCase({ topic: 'signalement-voirie', subject: 'Demande d’élagage des platanes route de Vaux', contact: { firstName: 'Lucie', lastName: 'Bernard', email: 'lucie.bernard@example.fr' } });
    const { page } = await e.newPage();
    await e.signIn(page, 'routes');
    const box = page.getByRole('combobox', { name: 'Rechercher une demande ou un usager' });
    await box.fill('elagage');
    const option = page.getByRole('option', { name: new RegExp(`${c.reference} — Demande d’élagage`) });
    await option.waitFor();
    await box.press('ArrowDown');
    await expect(box.getAttribute('aria-activedescendant')).resolves.toBe(await option.getAttribute('id'));
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: new RegExp(c.reference) }).waitFor();

    await box.fill('elagage');
    await page.getByRole('option', { name: /Voir tous les résultats/ }).waitFor();
    await box.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Recherche' }).waitFor();
    await page.getByRole('link', { name: new RegExp(`${c.reference} — Demande d’élagage`) }).waitFor();
    await expectAccessible(page, 'search');
    await shoot(page, 'search.png');

    await page.getByRole('link', { name: new RegExp(`${c.reference}`) }).click();
    await page.getByRole('link', { name: 'Lucie Bernard' }).click();
    await page.getByRole('heading', { level: 1, name: 'Lucie Bernard' }).waitFor();
    await page.getByRole('region', { name: 'Ses demandes' }).getByRole('link', { name: new RegExp(c.reference) }).waitFor();
    await expectAccessible(page, 'contact');
    await shoot(page, 'contact.png');
  });

  it('keyboard only: j/k move through the queue, x selects, Enter opens, / focuses the search', async () => {
    const refs = [];
    for (const s of ['Fossé obstrué', 'Glissière endommagée', 'Marquage effacé']) refs.push((await e.createCase({ topic: 'signalement-voirie', subject: `${s} (clavier)` })).reference);
    const { page } = await e.newPage();
    await e.signIn(page, 'routes2', '/agents/files/service/exploitation-routes');
    await rowOf(page, refs[2]).waitFor();
    // Skip link first, then the shortcuts (focus starts on the page body of a freshly loaded page).
    await page.reload();
    await rowOf(page, refs[2]).waitFor();
    await page.keyboard.press('Tab');
    await expect(focusedText(page)).resolves.toBe('Aller au contenu');
    await page.keyboard.press('Enter');
    await page.keyboard.press('j');
    const first = await focusedText(page);
    await page.keyboard.press('j');
    const second = await focusedText(page);
    expect(second).not.toBe(first);
    await page.keyboard.press('k');
    await expect(focusedText(page)).resolves.toBe(first);
    await page.keyboard.press('x');
    await page.getByText('1 demande sélectionnée').waitFor();
    await page.keyboard.press('x');
    await page.getByText('1 demande sélectionnée').waitFor({ state: 'detached' });
    await page.keyboard.press('/');
    await expect(focusedRole(page)).resolves.toBe('combobox');
    await page.keyboard.press('Escape');
    // Back to the list: j focuses the first row again; Enter opens it.
    await page.getByRole('heading', { level: 1 }).click();
    await page.keyboard.press('j');
    const ref = await focusedText(page);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: new RegExp(ref!) }).waitFor();
    expect(page.url()).toContain(`/agents/demandes/${ref}`);
  });

  it('manager: bulk assignment to a unit member, with a report per case', async () => {
    const a = await e.createCase({ topic: 'signalement-voirie', subject: 'Accotement affaissé (lot)' });
    const b = await e.createCase({ topic: 'signalement-voirie', subject: 'Buse bouchée (lot)' });
    const { page } = await e.newPage();
    await e.signIn(page, 'routesmgr', '/agents/files/service/exploitation-routes');
    await rowOf(page, a.reference).getByRole('checkbox').check();
    await rowOf(page, b.reference).getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Attribuer à un agent…' }).click();
    await page.getByLabel('Agent', { exact: true }).selectOption({ label: 'routes2' });
    await page.getByRole('button', { name: 'Attribuer', exact: true }).click();
    await page.getByText('2 réussie(s), 0 en échec.').waitFor();
    await rowOf(page, a.reference).getByRole('cell', { name: 'routes2', exact: true }).waitFor();
    await rowOf(page, b.reference).getByRole('cell', { name: 'routes2', exact: true }).waitFor();
  });

  it('admin: the administration area (its own chunk) is accessible', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'admin');
    await page.getByRole('heading', { level: 1, name: 'Administration' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Directions et services' }).waitFor();
    await page.getByText('Exploitation des routes').first().waitFor();
    await expectAccessible(page, 'admin'); // the admin screens themselves: admin.e2e.test.ts (which writes admin.png)
  });
});
