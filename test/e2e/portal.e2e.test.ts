// The citizen portal's pages in a real browser on a phone-sized screen (390×844): home and catalogue,
// account creation with the link from a real SMTP exchange, a procedure with a conditional field and an
// attachment, Mon espace; axe-core finds no serious or critical violation on any page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../helpers/runtime.ts';
import { makeOrg } from '../helpers/fixtures.ts';
import { launchBrowser, seriousViolations } from './browser.ts';
import { startSmtpCapture, tokenFrom, type SmtpCapture } from '../../src/channels/portal/test-support/smtp-capture.ts';
import { closePortalTransports } from '../../src/modules/citizens/mailer.ts';

const SHOTS = path.resolve('docs/screenshots');
let ctx: TestContext;
let smtp: SmtpCapture;
let browser: Browser;
let page: Page;

async function expectAccessible(name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
  await page.screenshot({ path: path.join(SHOTS, `portal-${name}.png`), fullPage: true });
  // the same page at a desktop width
  const phone = page.viewportSize()!;
  await page.setViewportSize({ width: 1280, height: 900 });
  const wide = await seriousViolations(page);
  await page.setViewportSize(phone);
  expect(wide, `${name} (desktop width): ${JSON.stringify(wide, null, 2)}`).toEqual([]);
}

beforeAll(async () => {
  smtp = await startSmtpCapture();
  ctx = await createTestContext({ SMTP_URL: smtp.url, MAIL_LETTERHEAD_PHONE: '02 38 54 00 00', MAIL_LETTERHEAD_NAME: 'Département du Loiret', MAIL_LETTERHEAD_ADDRESS: 'Hôtel du Département;45945 Orléans Cedex 9' });
  await makeOrg(ctx);
  const url = (await ctx.app.listen({ port: 0, host: '127.0.0.1' })).replace('localhost', '127.0.0.1');
  browser = await launchBrowser();
  const context = await browser.newContext({ baseURL: url, locale: 'fr-FR', timezoneId: 'Europe/Paris', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  context.setDefaultTimeout(20_000);
  page = await context.newPage();
  page.on('pageerror', (err) => console.error(`[page error] ${err.message}`));
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await ctx?.close();
  closePortalTransports();
  await smtp?.close();
});

describe('citizen portal (phone)', () => {
  it('home: catalogue by domain, filter by audience, contact details', async () => {
    await page.goto('/portail');
    await page.getByRole('heading', { level: 1 }).waitFor();
    expect(await page.getByRole('link', { name: 'Demander une subvention pour une association (culture ou sport)' }).count()).toBe(1);
    await page.getByRole('link', { name: 'Associations', exact: true }).click();
    expect(await page.getByRole('link', { name: 'Inscrire un élève au transport scolaire' }).count()).toBe(0);
    expect(await page.getByText('02 38 54 00 00').count()).toBeGreaterThan(0);
    expect(await page.getByText(/du lundi au vendredi : 7 h 30 – 19 h/).count()).toBe(1);
    await expectAccessible('accueil');
  });

  it('creates an account and activates it from the e-mail link', async () => {
    await page.goto('/demarches/subvention-association');
    expect(page.url()).toContain('/connexion');
    await expectAccessible('connexion');
    await page.goto('/inscription');
    await page.getByLabel('Prénom').fill('Lucie');
    await page.getByLabel('Nom', { exact: true }).fill('Bernard');
    await page.getByLabel('Adresse électronique').fill('lucie.bernard@exemple.fr');
    await page.getByLabel(/Mot de passe/).fill('un-mot-de-passe-solide');
    await page.getByRole('button', { name: 'Créer un compte' }).click();
    await page.getByRole('heading', { name: 'Vérifiez votre messagerie' }).waitFor();
    await ctx.rt.worker.drain();
    await page.goto(`/verifier-adresse?jeton=${tokenFrom(smtp, 'lucie.bernard@exemple.fr', '/verifier-adresse')}`);
    await page.getByRole('button', { name: 'Activer mon compte' }).click();
    await page.getByRole('heading', { name: 'Mon espace' }).waitFor();
    await expectAccessible('mon-espace-vide');
  });

  it('fills the subsidy procedure: conditional field, attachment, errors, then sends it', async () => {
    await page.goto('/demarches/subvention-association');
    const discipline = page.getByLabel(/Discipline sportive/);
    await discipline.waitFor({ state: 'hidden' });
    await page.getByLabel('Sport', { exact: true }).check();
    await discipline.waitFor({ state: 'visible' });
    await page.getByLabel('Culture', { exact: true }).check();
    await discipline.waitFor({ state: 'hidden' });
    await expectAccessible('demarche');
    await page.getByLabel(/Nom de l'association/).fill('Chorale de Pithiviers');
    await page.getByLabel(/SIRET/).fill('732 829 320 00074');
    await page.getByLabel(/Numéro RNA/).fill('W452009999');
    await page.getByLabel('Numéro et voie').fill('2 place du Martroi');
    await page.getByLabel('Code postal').fill('45300');
    await page.getByLabel('Commune').fill('Pithiviers');
    await page.getByLabel(/Type d'aide/).selectOption('fonctionnement');
    await page.getByLabel(/Description du projet/).fill('Concerts gratuits dans les maisons de retraite du canton.');
    await page.getByLabel(/Budget total/).fill('4 000');
    await page.getByLabel(/Montant demandé/).fill('1 000');
    await page.getByRole('status').filter({ hasText: 'Brouillon enregistré automatiquement' }).waitFor();
    // An earlier autosave may have shown the notice already: wait for the one holding the name.
    await expect
      .poll(async () => (await ctx.rt.db.query(`SELECT data FROM procedure_drafts WHERE data->>'nomAssociation' = 'Chorale de Pithiviers'`)).rows.length, { timeout: 60_000, interval: 250 })
      .toBe(1);
    await page.getByLabel(/IBAN/).fill('FR76 3000 6000 0112 3456 7890 188'); // wrong key
    await page.getByLabel(/Statuts de l'association/).setInputFiles({ name: 'statuts.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') });
    await page.getByLabel(/Je certifie/).check();
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('alert').filter({ hasText: 'IBAN' }).waitFor();
    await expectAccessible('demarche-erreurs');
    await page.getByLabel(/IBAN/).fill('FR76 3000 6000 0112 3456 7890 189');
    await page.getByRole('button', { name: 'Envoyer ma demande' }).click();
    await page.getByRole('heading', { name: 'Votre demande est envoyée' }).waitFor();
    await page.getByRole('link', { name: 'Suivre ma demande' }).click();
    await page.getByText('Reçue', { exact: true }).first().waitFor();
    expect(await page.getByRole('link', { name: 'statuts.pdf' }).count()).toBe(1);
    await expectAccessible('demande');
  });
});
