// The mail office in a real browser: a clerk deposits a 3-letter batch with separator sheets through the
// upload form (keyboard only), bad files are refused in French, the letters appear; the clerk qualifies
// one into a case; an agent of the target unit finds it in the unit's queue with its scan, and the
// acknowledgement of receipt downloads as a French PDF.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Download, Page } from 'playwright-core';
import { startE2E, type E2E } from './server.ts';
import { seriousViolations } from './browser.ts';
import { batchWithSeparators, letterPdf, type TestLetter } from '../../src/channels/mail/test-support/letters.ts';

let e: E2E;
let dir: string;
let chronos: string[] = [];
let reference: string;

const JEANNE: TestLetter = {
  sender: ['Madame Jeanne MARTIN', '12 rue des Lilas', '45000 Orléans', 'jeanne.martin@exemple.fr', 'Tél. 06 12 34 56 78'],
  subject: 'Nid-de-poule dangereux sur la route départementale 2020',
  date: 'Orléans, le 12 novembre 2026',
  body: [
    'Monsieur le Président,',
    'Je vous signale un trou profond sur la chaussée de la route départementale 2020, à la sortie du village. Plusieurs voitures ont déjà été endommagées.',
    'Veuillez agréer, Monsieur le Président, mes salutations distinguées.',
  ],
};
const THEATRE: TestLetter = {
  sender: ['Association Les Amis du Théâtre', '3 place du Martroi', '45000 Orléans', 'SIRET 732 829 320 00074'],
  subject: 'Demande de subvention pour notre festival',
  date: 'Le 2 novembre 2026',
  body: ['Madame, Monsieur,', 'Nous sollicitons une subvention de fonctionnement pour notre festival d’été.'],
};
const DURAND: TestLetter = { sender: ['M. Paul DURAND', '8 chemin des Vignes', '45150 Jargeau'], subject: 'Arbre tombé sur le chemin communal', body: ['Un arbre est tombé.'] };

beforeAll(async () => {
  e = await startE2E();
  e.ctx.rt.worker.start(); // the split, text and acknowledgement jobs run as in `npm start`
  // Jeanne Martin is known: an earlier phone request with her e-mail address
  await e.createCase({ topic: 'signalement-voirie', subject: 'Trou sur la chaussée', contact: { email: 'jeanne.martin@exemple.fr', firstName: 'Jeanne', lastName: 'Martin' } });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-mail-e2e-'));
  fs.writeFileSync(path.join(dir, 'lot-du-jour.pdf'), await batchWithSeparators([await letterPdf(JEANNE), await letterPdf(THEATRE, 2), await letterPdf(DURAND)]));
  fs.writeFileSync(path.join(dir, 'vide.pdf'), Buffer.alloc(0));
  fs.writeFileSync(path.join(dir, 'notes.txt'), 'Ceci n’est pas une numérisation.');
  fs.writeFileSync(path.join(dir, 'abime.pdf'), '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage\n');
});

afterAll(async () => {
  await e?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function expectAccessible(page: Page, name: string) {
  const v = await seriousViolations(page);
  expect(v, `${name}: ${JSON.stringify(v, null, 2)}`).toEqual([]);
}

async function saved(download: Download): Promise<Buffer> {
  const file = path.join(dir, `dl-${Date.now()}-${download.suggestedFilename()}`);
  await download.saveAs(file);
  return fs.readFileSync(file);
}

function pdfText(pdf: Buffer): string {
  const file = path.join(dir, `t-${Date.now()}.pdf`);
  fs.writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

const focusedLabel = (page: Page) =>
  page.evaluate("(() => { const el = document.activeElement; return el && el.id ? document.querySelector(`label[for='${el.id}']`)?.textContent ?? null : el?.textContent ?? null })()") as Promise<string | null>;

describe('mail office in the browser', () => {
  it('deposits a batch with the keyboard: 3 letters registered, bad files refused in French', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'clerk', '/agents/courrier');
    await page.getByRole('heading', { name: 'Déposer des numérisations' }).waitFor();
    await expectAccessible(page, 'mail queue');

    // keyboard only: from the link before it, Tab reaches the labelled file input. Opening the native
    // chooser with Space is the browser's own behaviour, and headless Chromium sometimes drops the
    // intercepted chooser event (CI timed out on it once), so the files are set on the focused input itself.
    await page.getByRole('link', { name: 'Imprimer une feuille de séparation' }).focus();
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Fichiers numérisés');
    await page.locator('input[type=file]:focus').setInputFiles(['lot-du-jour.pdf', 'vide.pdf', 'notes.txt', 'abime.pdf'].map((f) => path.join(dir, f)));
    await page.keyboard.press('Tab');
    expect(await focusedLabel(page)).toBe('Déposer les 4 fichiers');
    await page.keyboard.press('Enter');

    const deposits = page.getByRole('list', { name: 'Fichiers déposés' });
    const item = (name: string) => deposits.getByRole('listitem').filter({ hasText: name });
    await item('vide.pdf').getByText('refusé : Le fichier est vide (0 octet).').waitFor();
    await item('notes.txt').getByText('refusé : Type de fichier non accepté : envoyez un PDF, un TIFF, un JPEG ou un PNG.').waitFor();
    await item('abime.pdf').getByText('refusé : Le PDF est endommagé ou illisible.').waitFor();
    await item('lot-du-jour.pdf').getByText('reçu : 6 pages.').waitFor();

    // the batch is split at its separator sheets and read: its 3 letters appear with their chrono numbers
    const letters = page.getByRole('table', { name: 'Courriers du lot lot-du-jour.pdf' });
    await letters.getByRole('row').filter({ hasText: 'À qualifier' }).nth(2).waitFor({ timeout: 90_000 });
    const rows = letters.getByRole('row').filter({ has: page.getByRole('link') });
    expect(await rows.count()).toBe(3);
    chronos = (await rows.getByRole('link').allTextContents()).map((t) => t.trim());
    for (const c of chronos) expect(c).toMatch(/^\d{4}-E-\d{6}$/);
    await expect(rows.nth(0).textContent()).resolves.toContain(JEANNE.subject);
    await expect(rows.nth(1).textContent()).resolves.toContain('Association Les Amis du Théâtre');
    await page.getByRole('cell', { name: 'Terminé' }).first().waitFor(); // the batch table: done
    await expectAccessible(page, 'mail queue after a deposit');

    // the server-side refusal is kept in the batch list with its reason
    await page.getByRole('row').filter({ hasText: 'abime.pdf' }).getByText('Refusé — Le PDF est endommagé ou illisible.').waitFor();
  });

  it('qualifies a letter into a new case next to its scan', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'clerk', '/agents/courrier');
    await page.getByRole('link', { name: chronos[0], exact: true }).first().click();
    await page.getByRole('heading', { name: new RegExp(`Courrier ${chronos[0]}`) }).waitFor();
    await page.getByRole('img', { name: `Page 1 du courrier ${chronos[0]}` }).waitFor();
    await expect(page.getByLabel('Objet du courrier').inputValue()).resolves.toBe(JEANNE.subject);
    await expectAccessible(page, 'qualification');

    // the scan viewer, keyboard only: zoom in, turn the page a quarter, back to the full width
    const scan = page.getByRole('img', { name: `Page 1 du courrier ${chronos[0]}` });
    const state = page.locator('.scan-state');
    const upright = (await scan.boundingBox())!;
    expect(upright.height).toBeGreaterThan(upright.width); // an A4 page, portrait
    await page.getByRole('region', { name: new RegExp(`^Page 1 du courrier ${chronos[0]}`) }).focus();
    await page.keyboard.press('+');
    await expect.poll(() => state.textContent()).toBe('Page 1 / 1 — 125 %');
    await page.keyboard.press('r');
    await expect.poll(() => state.textContent()).toBe('Page 1 / 1 — 125 % — pivotée de 90°');
    await page.keyboard.press('0');
    await expect.poll(() => state.textContent()).toBe('Page 1 / 1 — 100 % — pivotée de 90°');
    const turned = (await scan.boundingBox())!; // the box of the turned image: landscape, as wide as the view
    expect(turned.width).toBeGreaterThan(turned.height);
    await page.screenshot({ path: path.resolve('docs/screenshots/mail-qualification.png') });
    await page.getByRole('button', { name: 'Pivoter d’un quart de tour (touche R)' }).click();
    await page.getByRole('button', { name: 'Pivoter d’un quart de tour (touche R)' }).click();
    await page.getByRole('button', { name: 'Pivoter d’un quart de tour (touche R)' }).click();
    await expect.poll(() => state.textContent()).toBe('Page 1 / 1 — 100 %');
    await expectAccessible(page, 'qualification, scan turned');

    await page.getByLabel('Usager connu').selectOption({ label: 'Jeanne Martin — Même adresse électronique' });
    await page.getByLabel('Objet de la demande (thème)').selectOption('signalement-voirie');
    await page.getByLabel('Emplacement de l’original (boîte, étagère)').fill('Boîte 2026-11, étagère A');
    await page.getByRole('button', { name: 'Valider et orienter' }).click();
    await page.waitForURL(/\/agents\/demandes\/\d{4}-\d{6}$/);
    reference = /(\d{4}-\d{6})$/.exec(page.url())![1];

    // the letter page now says where it went and offers the acknowledgement once it is generated
    await page.goto(`/agents/courrier`);
    await page.getByRole('heading', { name: 'Courrier à qualifier' }).waitFor();
    const { rows } = await e.ctx.rt.db.query(`SELECT id FROM mail_letters WHERE chrono = $1`, [chronos[0]]);
    await expect.poll(async () => {
      await page.goto(`/agents/courrier/${rows[0].id}`);
      await page.getByRole('heading', { name: new RegExp(`Courrier ${chronos[0]}`) }).waitFor();
      return page.getByRole('link', { name: /afficher le PDF/ }).count();
    }, { timeout: 60_000, interval: 1000 }).toBe(1);
    await page.getByRole('link', { name: reference, exact: true }).waitFor();
    await expectAccessible(page, 'qualified letter');
  });

  it('shows the case in the unit queue with its scan, and the acknowledgement downloads as a French PDF', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'routes', '/agents/files/service/exploitation-routes');
    await page.getByRole('link', { name: reference, exact: true }).click();
    await page.getByRole('heading', { name: new RegExp(`${reference} .*Nid-de-poule`) }).waitFor();

    // the scan: viewable in the viewer, downloadable
    const scanName = `courrier-${chronos[0]}.pdf`;
    await page.getByRole('button', { name: `Afficher ${scanName}` }).click();
    await page.getByRole('region', { name: `Visionneuse : ${scanName}` }).locator(`iframe[title="Document PDF : ${scanName}"]`).waitFor();
    await page.getByRole('button', { name: 'Fermer la visionneuse' }).click();
    const scanDownload = page.waitForEvent('download');
    await page.getByRole('link', { name: `Télécharger ${scanName}` }).click();
    const scan = await saved(await scanDownload);
    expect(scan.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdfText(scan)).toContain('Nid-de-poule dangereux');

    // the acknowledgement of receipt, attached to the case as an outbound letter
    const ack = page.getByRole('link', { name: /^Télécharger accuse-reception-\d{4}-S-\d{6}\.pdf$/ });
    await expect.poll(async () => {
      if ((await ack.count()) === 0) await page.reload();
      await page.getByRole('button', { name: `Afficher ${scanName}` }).waitFor();
      return ack.count();
    }, { timeout: 60_000, interval: 1000 }).toBe(1);
    const ackDownload = page.waitForEvent('download');
    await ack.click();
    const pdf = await saved(await ackDownload);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf).replace(/\s+/g, ' ');
    expect(text).toContain('Accusé de réception');
    expect(text).toContain(reference);
    expect(text).toContain(chronos[0]);
    expect(text).toContain('Exploitation des routes');
    expect(text).toContain('L112-3');
    expect(text).toContain('décision implicite de rejet');
    expect(text).toContain('tribunal administratif');
    await expectAccessible(page, 'case with the letter');
  });

  it('keeps the mail register from unit agents', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'routes', '/agents/');
    const status = await page.evaluate('fetch("/api/v1/mail/letters").then((r) => r.status)');
    expect(status).toBe(403);
  });
});
