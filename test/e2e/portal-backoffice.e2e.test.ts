// The whole life of a portal request in real browsers, citizen side on a phone (390×844) and agent side
// on a desktop screen: a citizen submits the association subsidy request with its statutes; an agent of
// the handling unit opens the case in the back office, reads the submitted answers and downloads the
// files, asks for a missing document with the keyboard; the citizen answers from Mon espace with an
// upload; the agent sees the answer, replies on the portal and closes; the citizen sees it closed.
// Another citizen who opens that case's address gets a French "not found" page; an anonymous visitor
// is sent to sign in. axe-core finds no serious or critical violation on any page visited.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestContext, PASSWORD, type TestContext } from '../helpers/runtime.ts';
import { makeOrg, type Org } from '../helpers/fixtures.ts';
import { focusedText, launchBrowser, pageHeight, seriousViolations } from './browser.ts';
import { startSmtpCapture, tokenFrom, type SmtpCapture } from '../../src/channels/portal/test-support/smtp-capture.ts';
import { closePortalTransports } from '../../src/modules/citizens/mailer.ts';

const SHOTS = path.resolve('docs/screenshots');
// distinct bytes per file: the store is content-addressed, so identical files would be one file
const pdf = (title: string) => Buffer.from(`%PDF-1.4\n% ${title}\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);
const STATUTES = pdf('statuts');
let ctx: TestContext;
let org: Org;
let smtp: SmtpCapture;
let browser: Browser;
let url: string;
const contexts: BrowserContext[] = [];
let citizen: Page; // Lucie, on her phone
let agent: Page; // the Vie associative unit's agent, on a desktop
let reference = '';

async function expectAccessible(page: Page, name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
  // the whole page at the current width, the sticky header on top (as back-office.e2e.test.ts does)
  const vp = page.viewportSize()!;
  await page.evaluate('window.scrollTo(0, 0)');
  await page.setViewportSize({ width: vp.width, height: Math.min(await pageHeight(page), 3000) });
  await page.screenshot({ path: path.join(SHOTS, `portal-backoffice-${name}.png`) });
  // a page seen on a phone is checked at a desktop width too
  if (vp.width < 800) {
    await page.setViewportSize({ width: 1280, height: 900 });
    const wide = await seriousViolations(page);
    expect(wide, `${name} (desktop width): ${JSON.stringify(wide, null, 2)}`).toEqual([]);
  }
  await page.setViewportSize(vp);
}

async function newPage(kind: 'phone' | 'desktop'): Promise<Page> {
  const context = await browser.newContext({
    baseURL: url, locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true,
    ...(kind === 'phone' ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : { viewport: { width: 1280, height: 900 } }),
  });
  context.setDefaultTimeout(20_000);
  contexts.push(context);
  const page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  return page;
}

/** A verified portal account (sign-up and the link of a real e-mail), signed in on `page`. */
async function citizenAccount(page: Page, email: string, firstName: string, lastName: string) {
  const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-up', payload: { email, password: 'un-mot-de-passe-solide', firstName, lastName } });
  expect(r.statusCode, r.body).toBe(202);
  await ctx.rt.worker.drain();
  await page.goto(`/verifier-adresse?jeton=${tokenFrom(smtp, email, '/verifier-adresse')}`);
  await page.getByRole('button', { name: 'Activer mon compte' }).click();
  await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  ctx = await createTestContext({ SMTP_URL: smtp.url });
  org = await makeOrg(ctx);
  url = (await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  browser = await launchBrowser();
  fs.mkdirSync(SHOTS, { recursive: true });
  citizen = await newPage('phone');
  agent = await newPage('desktop');
});

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {});
  await browser?.close();
  await ctx?.close();
  closePortalTransports();
  await smtp?.close();
});

describe('a portal request from submission to closure (citizen on a phone, agent in the back office)', () => {
  it('the citizen submits the association subsidy request with its statutes', async () => {
    await citizenAccount(citizen, 'lucie.bernard@exemple.fr', 'Lucie', 'Bernard');
    await citizen.goto('/demarches/subvention-association');
    await citizen.getByLabel('Culture', { exact: true }).check();
    await citizen.getByLabel(/Nom de l'association/).fill('Chorale de Pithiviers');
    await citizen.getByLabel(/SIRET/).fill('732 829 320 00074');
    await citizen.getByLabel(/Numéro RNA/).fill('W452009999');
    await citizen.getByLabel('Numéro et voie').fill('2 place du Martroi');
    await citizen.getByLabel('Code postal').fill('45300');
    await citizen.getByLabel('Commune').fill('Pithiviers');
    await citizen.getByLabel(/Type d'aide/).selectOption('fonctionnement');
    await citizen.getByLabel(/Description du projet/).fill('Concerts gratuits dans les maisons de retraite du canton.');
    await citizen.getByLabel(/Budget total/).fill('4 000');
    await citizen.getByLabel(/Montant demandé/).fill('1 000');
    await citizen.getByLabel(/IBAN/).fill('FR76 3000 6000 0112 3456 7890 189');
    await citizen.getByLabel(/Statuts de l'association/).setInputFiles({ name: 'statuts.pdf', mimeType: 'application/pdf', buffer: STATUTES });
    await citizen.getByLabel(/Je certifie/).check();
    await citizen.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await citizen.getByRole('heading', { name: 'Votre demande est envoyée' }).waitFor();
    reference = (await citizen.locator('main strong').first().textContent())!.trim();
    expect(reference).toMatch(/^\d{4}-\d{6}$/);
    await ctx.rt.worker.drain(); // the PDF summary (a job after the commit)
  });

  it('an agent of the handling unit reads the submitted answers and downloads the files', async () => {
    await agent.goto(`/agents/demandes/${reference}`);
    await agent.getByLabel('Adresse électronique').fill(org.agents.culture.email);
    await agent.getByLabel('Mot de passe').fill(PASSWORD);
    await agent.getByRole('button', { name: 'Se connecter' }).click();
    const panel = agent.getByRole('region', { name: /Démarche en ligne : Demander une subvention/ });
    await panel.waitFor();
    const answer = (label: string) => panel.locator('dt').filter({ hasText: new RegExp(`^${label}`) }).first().locator('xpath=following-sibling::dd[1]');
    await expect(answer("Nom de l'association").textContent()).resolves.toBe('Chorale de Pithiviers');
    await expect(answer('SIRET').textContent()).resolves.toBe('73282932000074');
    await expect(answer('IBAN').textContent()).resolves.toBe('FR76 3000 6000 0112 3456 7890 189');
    // the answers are shown once: no description card repeating them, the deposit in the history points to the panel
    expect(await agent.getByRole('heading', { name: 'Description', exact: true }).count()).toBe(0);
    await agent.getByRole('region', { name: 'Historique' }).getByRole('link', { name: 'Voir les réponses du formulaire' }).waitFor();
    const [statutes] = await Promise.all([agent.waitForEvent('download'), panel.getByRole('link', { name: 'statuts.pdf' }).click()]);
    expect(statutes.suggestedFilename()).toBe('statuts.pdf');
    expect(fs.readFileSync((await statutes.path())!)).toEqual(STATUTES);
    const [summary] = await Promise.all([agent.waitForEvent('download'), panel.getByRole('link', { name: 'Récapitulatif PDF de la démarche' }).click()]);
    expect(fs.readFileSync((await summary.path())!).subarray(0, 5).toString()).toBe('%PDF-');
    await expectAccessible(agent, 'agent-submission');
  });

  it('the agent asks for a missing document with the keyboard only', async () => {
    const requests = agent.getByRole('region', { name: 'Pièces complémentaires' });
    await requests.getByText('Aucune pièce demandée.').waitFor();
    await requests.getByRole('button', { name: 'Demander des pièces' }).focus();
    await agent.keyboard.press('Enter');
    const form = agent.getByRole('form', { name: 'Demander des pièces à l’usager' });
    await form.waitFor();
    await expect.poll(() => agent.evaluate("document.activeElement?.labels?.[0]?.textContent ?? ''")).toBe('Pièces à fournir');
    await agent.keyboard.type('Budget prévisionnel signé');
    await agent.keyboard.press('Enter');
    await agent.keyboard.type('Procès-verbal de la dernière assemblée générale');
    await agent.keyboard.press('Tab');
    await agent.keyboard.type('Bonjour, il nous manque deux pièces pour instruire votre demande.');
    await agent.keyboard.press('Tab');
    // a date whose day and month are equal types the same whether the field reads dd/mm or mm/dd
    let due = new Date(Date.now() + 2 * 86_400_000);
    while (due.getDate() !== due.getMonth() + 1) due = new Date(due.getTime() + 86_400_000);
    const dd = String(due.getDate()).padStart(2, '0');
    await agent.keyboard.type(`${dd}${dd}${due.getFullYear()}`);
    await expect(form.getByLabel('À fournir avant le (facultatif)').inputValue()).resolves.toBe(`${due.getFullYear()}-${dd}-${dd}`);
    await expectAccessible(agent, 'agent-document-request-form');
    // Tab to the submit button (the date field has its own inner stops) and send with Enter
    for (let i = 0; i < 6 && (await focusedText(agent)) !== 'Envoyer la demande'; i++) await agent.keyboard.press('Tab');
    expect(await focusedText(agent)).toBe('Envoyer la demande');
    await agent.keyboard.press('Enter');
    await agent.getByRole('status').filter({ hasText: 'Demande de pièces envoyée à l’usager (2 pièces).' }).waitFor();
    await expect.poll(() => focusedText(agent)).toBe('Demander des pièces'); // focus back on the action
    await requests.getByText('En attente de l’usager').waitFor();
    await requests.getByText('Procès-verbal de la dernière assemblée générale').waitFor();
    await agent.locator('.case-head .status').filter({ hasText: 'En attente de l’usager' }).waitFor();
  });

  it('the citizen sees the request in Mon espace and answers it with an upload', async () => {
    await citizen.goto('/mon-espace');
    const card = citizen.locator('.card', { has: citizen.getByRole('link', { name: /Chorale de Pithiviers|subvention/i }) }).first();
    await card.getByText('Action attendue de votre part').waitFor();
    await expectAccessible(citizen, 'mon-espace-action');
    await card.getByRole('link').first().click();
    const request = citizen.getByRole('heading', { name: 'Pièces demandées' }).locator('xpath=..');
    await request.waitFor();
    await request.getByText('Budget prévisionnel signé').waitFor();
    await request.getByText(/À envoyer avant le \d+ \S+ \d{4}/).waitFor();
    await expectAccessible(citizen, 'demande-pieces');
    await request.getByLabel('Vos fichiers').setInputFiles([
      { name: 'budget.pdf', mimeType: 'application/pdf', buffer: pdf('budget') },
      { name: 'pv-ag.pdf', mimeType: 'application/pdf', buffer: pdf('pv') },
    ]);
    await request.getByLabel('Commentaire (facultatif)').fill('Voici les deux pièces.');
    await request.getByRole('button', { name: 'Envoyer les pièces' }).click();
    await citizen.getByRole('heading', { name: 'Pièces envoyées' }).waitFor();
    expect(await citizen.getByRole('heading', { name: 'Pièces demandées' }).count()).toBe(0);
    await citizen.getByRole('link', { name: 'budget.pdf' }).waitFor();
  });

  it('the agent sees the answer, replies on the portal and closes the case', async () => {
    await agent.reload();
    const requests = agent.getByRole('region', { name: 'Pièces complémentaires' });
    await requests.getByText('Reçues', { exact: true }).waitFor();
    await requests.getByText('Voici les deux pièces.').waitFor();
    const [received] = await Promise.all([agent.waitForEvent('download'), requests.getByRole('link', { name: 'pv-ag.pdf' }).click()]);
    expect(received.suggestedFilename()).toBe('pv-ag.pdf');
    expect(fs.readFileSync((await received.path())!)).toEqual(pdf('pv'));
    await agent.locator('.case-head .status').filter({ hasText: 'En cours' }).waitFor();

    await agent.getByRole('tab', { name: 'Message sur l’espace citoyen' }).click();
    await agent.getByLabel('Objet').fill('Décision');
    await agent.getByLabel('Message', { exact: true }).fill('Une subvention de 800 € est attribuée à votre association.');
    await agent.getByRole('button', { name: 'Envoyer', exact: true }).click();
    await agent.getByRole('status').filter({ hasText: 'Réponse envoyée' }).waitFor();
    await agent.getByRole('button', { name: 'Changer le statut' }).click();
    await agent.getByLabel('Nouveau statut').selectOption({ label: 'Clôturer' });
    await agent.getByLabel('Motif').fill('Subvention attribuée');
    await agent.getByRole('button', { name: 'Enregistrer le statut' }).click();
    await agent.locator('.case-head .status').filter({ hasText: 'Clôturée' }).waitFor();
    // a closed case takes no new request for documents
    expect(await agent.getByRole('button', { name: 'Demander des pièces' }).count()).toBe(0);
    await expectAccessible(agent, 'agent-closed');
  });

  it('the citizen sees the reply and the case closed', async () => {
    await citizen.reload();
    await citizen.getByText('Terminée', { exact: true }).first().waitFor();
    await citizen.getByText('Une subvention de 800 € est attribuée à votre association.').waitFor();
    await expectAccessible(citizen, 'demande-terminee');
  });

  it('another citizen who opens the case address is refused; an anonymous visitor is sent to sign in', async () => {
    const other = await newPage('phone');
    await citizenAccount(other, 'marc.petit@exemple.fr', 'Marc', 'Petit');
    const res = await other.goto(`/mon-espace/demandes/${reference}`);
    expect(res!.status()).toBe(404);
    await other.getByRole('heading', { name: 'Page introuvable' }).waitFor();
    await other.getByRole('alert').filter({ hasText: 'Demande introuvable.' }).waitFor();
    expect(await other.getByText('Chorale de Pithiviers').count()).toBe(0);
    expect(await other.evaluate('document.documentElement.lang')).toBe('fr');
    await expectAccessible(other, 'demande-refusee');
    const files = await other.request.get(`/api/v1/portal/cases/${reference}`);
    expect(files.status()).toBe(404);

    const anonymous = await newPage('phone');
    await anonymous.goto(`/mon-espace/demandes/${reference}`);
    await anonymous.getByRole('heading', { name: 'Se connecter' }).waitFor();
    expect(new URL(anonymous.url()).pathname).toBe('/connexion');
    expect(new URL(anonymous.url()).searchParams.get('retour')).toBe(`/mon-espace/demandes/${reference}`);
    await expectAccessible(anonymous, 'connexion-retour');
  });
});
