// The administration area in a real browser: creating an agent, changing a topic's deadline, creating a
// routing rule and testing it with the preview, each admin page checked with axe-core; and the merge of
// two duplicate contacts from the contact page.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startE2E, type E2E } from './server.ts';
import { pageHeight, seriousViolations } from './browser.ts';
import { createContact } from '../../src/modules/contacts/contacts.service.ts';
import { systemActor } from '../../src/platform/actor.ts';

let e: E2E;
const SHOTS = path.resolve('docs/screenshots');

beforeAll(async () => {
  e = await startE2E();
  fs.mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await e?.close();
});

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

async function openSection(page: Page, label: string, heading: string) {
  await page.getByRole('navigation', { name: 'Rubriques d’administration' }).getByRole('link', { name: label }).click();
  await page.getByRole('heading', { level: 2, name: heading }).waitFor();
}

describe('administration', () => {
  it('admin: agents, topics, routing rules with the preview, templates, failed jobs — all accessible', async () => {
    const { page } = await e.newPage();
    await e.signIn(page, 'admin', '/agents/admin');
    await page.getByRole('heading', { level: 2, name: 'Directions et services' }).waitFor();
    await page.getByText('Exploitation des routes').first().waitFor();
    await expectAccessible(page, 'admin organisation');

    // Units: a direction, then a unit under it, shown in the tree.
    const newUnit = async (code: string, name: string, kind: string, parent?: string) => {
      await page.getByRole('button', { name: 'Nouvelle direction ou nouveau service' }).click();
      const form = page.getByRole('form', { name: 'Nouvelle direction ou nouveau service' });
      await form.getByLabel('Code').fill(code);
      await form.getByLabel('Nom', { exact: true }).fill(name);
      await form.getByLabel('Type').selectOption({ label: kind });
      if (parent) await form.getByLabel('Direction de rattachement').selectOption({ label: parent });
      await form.getByRole('button', { name: 'Créer' }).click();
      await page.getByText(`« ${name} » créé.`).waitFor();
    };
    await newUnit('direction-mobilites', 'Direction des mobilités', 'Direction');
    await newUnit('transports-scolaires', 'Transports scolaires', 'Service', 'Direction des mobilités');
    await page.getByRole('listitem').filter({ hasText: 'Direction des mobilités' }).getByRole('listitem').filter({ hasText: 'Transports scolaires' }).waitFor();

    // Agents: a creation refused with the API's message, then accepted; then deactivated.
    await openSection(page, 'Agents et rôles', 'Agents et rôles');
    await page.getByRole('cell', { name: 'admin@test.fr' }).waitFor();
    await expectAccessible(page, 'admin agents');
    await page.getByRole('button', { name: 'Nouvel agent' }).click();
    const create = page.getByRole('form', { name: 'Nouvel agent' });
    await create.getByRole('button', { name: 'Créer l’agent' }).click();
    await create.getByRole('alert').waitFor();
    const email = create.getByLabel('Adresse électronique');
    await email.fill('lea.martin-at-test.fr');
    await create.getByLabel('Nom affiché').fill('Léa Martin');
    await create.getByLabel('Mot de passe').fill('un mot de passe solide 2026');
    await create.getByLabel('Agent de service (niveau 2)').check();
    await create.getByLabel('Exploitation des routes').check();
    await create.getByLabel('Poste téléphonique').fill('4321');
    await create.getByRole('button', { name: 'Créer l’agent' }).click();
    await create.getByText('Adresse électronique invalide.').waitFor(); // the API's field error, next to its field
    await expect(email.getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'admin agent form with errors');
    await email.fill('lea.martin@test.fr');
    await create.getByRole('button', { name: 'Créer l’agent' }).click();
    await page.getByText('Compte de Léa Martin créé.').waitFor();
    const row = page.getByRole('row').filter({ hasText: 'lea.martin@test.fr' });
    await row.waitFor();
    await expect(row.textContent()).resolves.toContain('exploitation-routes');
    await page.getByRole('button', { name: 'Modifier Léa Martin' }).click();
    const edit = page.getByRole('form', { name: 'Modifier le compte de Léa Martin' });
    await edit.getByLabel('Compte actif').uncheck();
    await edit.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Compte de Léa Martin enregistré.').waitFor();
    await row.filter({ hasText: 'Désactivé' }).waitFor();
    const agent = await e.ctx.rt.db.query(`SELECT active, extension FROM agents WHERE email = 'lea.martin@test.fr'`);
    expect(agent.rows[0]).toMatchObject({ active: false, extension: '4321' });

    // Topics: the deadline of a topic, with a field error first.
    await openSection(page, 'Objets de demande', 'Objets de demande');
    await page.getByRole('button', { name: 'Modifier l’objet Signalement sur route départementale' }).click();
    const topic = page.getByRole('form', { name: /Modifier l’objet/ });
    const deadline = topic.getByLabel('Délai de traitement (jours ouvrés)');
    await deadline.fill('');
    await topic.getByRole('button', { name: 'Enregistrer' }).click();
    await topic.getByText('Indiquez un nombre entier de jours ouvrés.').waitFor();
    await expect(deadline.getAttribute('aria-invalid')).resolves.toBe('true');
    await deadline.fill('7');
    await topic.getByRole('button', { name: 'Enregistrer' }).click();
    await page.getByText('Objet « Signalement sur route départementale » enregistré.').waitFor();
    const { rows } = await e.ctx.rt.db.query(`SELECT deadline_days FROM topics WHERE code = 'signalement-voirie'`);
    expect(rows[0].deadline_days).toBe(7);
    await expectAccessible(page, 'admin topics');

    // Routing: a rule, then "test": the decision names it, with the per-rule trace.
    await openSection(page, 'Règles de routage', 'Règles de routage');
    await page.getByRole('button', { name: 'Nouvelle règle' }).click();
    const ruleForm = page.getByRole('form', { name: 'Nouvelle règle de routage' });
    await ruleForm.getByLabel('Nom de la règle').fill('Voirie du Nord');
    await ruleForm.getByLabel('Objets (codes)').fill('signalement-voirie');
    await ruleForm.getByLabel('Débuts de code postal').fill('59');
    await ruleForm.getByLabel('Service destinataire').selectOption({ label: 'Accueil' });
    await ruleForm.getByRole('button', { name: 'Créer la règle' }).click();
    await page.getByText('Règle « Voirie du Nord » créée.').waitFor();
    // A second rule, moved up above the first.
    await page.getByRole('button', { name: 'Nouvelle règle' }).click();
    await ruleForm.getByLabel('Nom de la règle').fill('Courrier des associations');
    await ruleForm.getByLabel('Canaux').fill('mail');
    await ruleForm.getByLabel('Publics').fill('association');
    await ruleForm.getByRole('button', { name: 'Créer la règle' }).click();
    await page.getByText('Règle « Courrier des associations » créée.').waitFor();
    await page.getByRole('button', { name: 'Monter la règle Courrier des associations' }).click();
    await page.getByText('Règle « Courrier des associations » déplacée en position 1.').waitFor();
    const order = await e.ctx.rt.db.query(`SELECT name FROM routing_rules ORDER BY position`);
    expect(order.rows.map((x) => x.name)).toEqual(['Courrier des associations', 'Voirie du Nord']);
    const tester = page.getByRole('form', { name: 'Tester le routage' });
    await tester.getByLabel('Objet', { exact: true }).selectOption('signalement-voirie');
    await tester.getByLabel('Code postal').fill('59000');
    await tester.getByRole('button', { name: 'Tester' }).click();
    const result = page.getByRole('region', { name: 'Tester le routage' }).locator('.preview-result');
    await result.getByText(/Décision :.*Règle « Voirie du Nord » \(n° 2\)/).waitFor();
    await result.getByRole('cell', { name: 'Ne correspond pas' }).waitFor(); // the first rule (another channel)
    await result.getByRole('cell', { name: 'Appliquée' }).waitFor();
    await expectAccessible(page, 'admin routing');
    await shoot(page, 'admin.png');

    // "Tester cette règle" in the edit form: the draft (another postcode) does not match.
    await page.getByRole('button', { name: 'Modifier la règle Voirie du Nord' }).click();
    const draft = page.getByRole('region', { name: 'Tester cette règle' });
    await draft.getByLabel('Objet', { exact: true }).selectOption('signalement-voirie');
    await draft.getByLabel('Code postal').fill('38000');
    await draft.getByRole('button', { name: 'Tester' }).click();
    await draft.locator('.preview-result').getByText(/Décision :.*Service par défaut/).waitFor();
    await draft.getByRole('row').filter({ hasText: 'Voirie du Nord' }).getByRole('cell', { name: 'Ne correspond pas' }).waitFor();

    await openSection(page, 'Modèles de réponse', 'Modèles de réponse');
    await page.getByRole('button', { name: 'Nouveau modèle' }).click();
    const tpl = page.getByRole('form', { name: 'Nouveau modèle de réponse' });
    await tpl.getByText('{{contact.name}}').waitFor();
    await tpl.getByLabel('Code').fill('reponse-voirie');
    await tpl.getByLabel('Nom', { exact: true }).fill('Réponse voirie');
    await tpl.getByLabel('Texte').fill('Bonjour {{contact.name}}, votre demande {{reference}} est traitée.');
    await tpl.getByRole('button', { name: 'Créer le modèle' }).click();
    await page.getByText('Modèle « Réponse voirie » créé.').waitFor();
    await page.getByRole('row').filter({ hasText: 'reponse-voirie' }).waitFor();
    await expectAccessible(page, 'admin templates');
    await openSection(page, 'Tâches en échec', 'Tâches de fond en échec');
    await expectAccessible(page, 'admin jobs');
  });

  it('contact page: identity, details, and the merge of a suggested duplicate after confirmation', async () => {
    const sys = systemActor('test');
    const kept = await createContact(e.ctx.rt.db, sys, { kind: 'person', segment: 'particulier', firstName: 'Hélène', lastName: 'Dubois', phones: [{ number: '06 11 22 33 44' }], addresses: [{ line1: '3 rue des Lilas', postcode: '59000', city: 'Lille' }] });
    const twin = await createContact(e.ctx.rt.db, sys, { kind: 'person', segment: 'particulier', firstName: 'Helene', lastName: 'Dubois-Martin', phones: [{ number: '+33611223344' }], emails: [{ email: 'helene.dubois@example.fr' }] });
    const { page } = await e.newPage();
    await e.signIn(page, 'cc', `/agents/usagers/${kept.id}`);
    await page.getByRole('heading', { level: 1, name: 'Hélène Dubois' }).waitFor();
    await page.getByText('3 rue des Lilas, 59000 Lille').waitFor();
    await page.getByRole('heading', { name: 'Doublons possibles' }).waitFor();
    await page.getByText(/même numéro de téléphone/).waitFor();
    await expectAccessible(page, 'contact');
    await page.getByRole('button', { name: `Fusionner dans cette fiche : « ${twin.displayName} »` }).click();
    await page.getByRole('button', { name: 'Confirmer la fusion' }).click();
    await page.getByText(`La fiche « ${twin.displayName} » a été fusionnée dans celle-ci.`).waitFor();
    await page.getByText('helene.dubois@example.fr').waitFor(); // the other record's email joined this one
    await page.goto(`/agents/usagers/${twin.id}`);
    await page.getByText('Cette fiche a été fusionnée.').waitFor();
  });
});
