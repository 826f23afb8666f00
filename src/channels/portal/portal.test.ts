// The citizen portal end to end at API level, with a real SMTP exchange: sign-up → e-mail verification →
// association subsidy request with an attachment → Mon espace; the agent asks for a missing document,
// the citizen answers in place, the agent replies and closes; the citizen sees it closed; nobody else
// can reach the case. Plus anonymous submissions with a tracking code and password reset.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signIn, type TestContext } from '../../../test/helpers/runtime.ts';
import { makeOrg, type Org } from '../../../test/helpers/fixtures.ts';
import { startSmtpCapture, tokenFrom, type SmtpCapture } from './test-support/smtp-capture.ts';
import { scanCaseEvents } from './notify.ts';
import { closePortalTransports } from '../../modules/citizens/mailer.ts';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

function multipart(fields: Record<string, string>, files: Array<{ field: string; filename: string; type: string; data: Buffer }>) {
  const boundary = '----guichet' + Math.random().toString(16).slice(2);
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  for (const f of files) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`), f.data, Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

const SUBSIDY = {
  nomAssociation: 'Les Amis du Théâtre de Gien',
  secteur: 'culture',
  siret: '732 829 320 00074',
  rna: 'w452001234',
  adresse: { line1: '3 rue de la Paix', postcode: '45500', city: 'Gien' },
  typeAide: 'projet',
  titreProjet: 'Festival d’été « Scènes de Loire »',
  dateProjet: '14/07/2030',
  description: 'Trois soirées de théâtre en plein air, gratuites, sur les quais.',
  budgetTotal: '12 500,00',
  montantDemande: '3 000',
  iban: 'FR76 3000 6000 0112 3456 7890 189',
  attestation: true,
};

describe('citizen portal', () => {
  let ctx: TestContext;
  let org: Org;
  let smtp: SmtpCapture;
  const agents: Record<string, Record<string, string>> = {};
  const citizens: Record<string, Record<string, string>> = {};
  let reference = '';

  const drain = () => ctx.rt.worker.drain();

  async function signUpAndVerify(email: string, firstName: string, lastName: string) {
    const r = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-up', payload: { email, password: 'un-mot-de-passe-solide', firstName, lastName } });
    expect(r.statusCode, r.body).toBe(202);
    await drain();
    const token = tokenFrom(smtp, email, '/verifier-adresse');
    const v = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/verify', payload: { token } });
    expect(v.statusCode, v.body).toBe(200);
    const cookie = v.cookies.find((c) => c.name === 'guichet_citizen')!;
    return { cookie: `guichet_citizen=${cookie.value}`, 'x-csrf-token': v.json().csrfToken as string };
  }

  beforeAll(async () => {
    smtp = await startSmtpCapture();
    ctx = await createTestContext({ SMTP_URL: smtp.url, GUICHET_PUBLIC_URL: 'http://portail.test' });
    org = await makeOrg(ctx);
    const dom = (await ctx.rt.db.query(`SELECT id FROM domains WHERE code = 'culture'`)).rows[0].id;
    await ctx.rt.db.query(`INSERT INTO topics (code, name, domain_id, default_unit_id) VALUES ('information-generale', 'Information générale', $1, $2)`, [dom, org.units.centre.id]);
    for (const k of ['culture', 'routes', 'cc', 'super', 'admin', 'ase']) agents[k] = await signIn(ctx, org.agents[k].email);
  });
  afterAll(async () => {
    await ctx.close();
    closePortalTransports();
    await smtp.close();
  });

  it('lists the procedures of the catalogue, loaded from procedures/*.json', async () => {
    const r = await ctx.app.inject({ url: '/api/v1/portal/procedures' });
    expect(r.statusCode).toBe(200);
    const slugs = r.json().items.map((p: any) => p.slug);
    expect(slugs).toEqual(expect.arrayContaining(['subvention-association', 'transport-scolaire', 'aide-enfance-famille', 'signalement-voirie', 'information-generale']));
    const one = (await ctx.app.inject({ url: '/api/v1/portal/procedures/subvention-association' })).json();
    expect(one.pages[0].fields.find((f: any) => f.name === 'discipline').when).toEqual({ field: 'secteur', equals: 'sport' });
    expect(one.workflow.unit).toBeUndefined();
  });

  it('signs up, verifies the address from the e-mail link, and signs in', async () => {
    citizens.alice = await signUpAndVerify('alice.martin@exemple.fr', 'Alice', 'Martin');
    const me = await ctx.app.inject({ url: '/api/v1/portal/me', headers: citizens.alice });
    expect(me.json()).toMatchObject({ email: 'alice.martin@exemple.fr', firstName: 'Alice', identityVerified: false });
    const bad = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-in', payload: { email: 'alice.martin@exemple.fr', password: 'mauvais-mot-de-passe' } });
    expect(bad.statusCode).toBe(401);
    const good = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-in', payload: { email: 'Alice.Martin@exemple.fr', password: 'un-mot-de-passe-solide' } });
    expect(good.statusCode, good.body).toBe(200);
    // a second sign-up for the same address answers the same and warns the owner by e-mail
    const again = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-up', payload: { email: 'alice.martin@exemple.fr', password: 'autre-mot-de-passe' } });
    expect(again.statusCode).toBe(202);
    await drain();
    expect(smtp.to('alice.martin@exemple.fr').some((m) => m.subject.includes('existe déjà'))).toBe(true);
  });

  it('refuses invalid answers with French messages, then submits the subsidy request with its attachment', async () => {
    const d = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/drafts', headers: citizens.alice, payload: { procedure: 'subvention-association' } });
    expect(d.statusCode, d.body).toBe(201);
    const id = d.json().id;
    const saved = await ctx.app.inject({ method: 'PUT', url: `/api/v1/portal/drafts/${id}`, headers: citizens.alice, payload: { data: { ...SUBSIDY, iban: 'FR76 3000 6000 0112 3456 7890 188' } } });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().errors.iban).toContain('clé de contrôle');
    const refused = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${id}/submit`, headers: citizens.alice, payload: {} });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.fields).toMatchObject({ iban: expect.stringContaining('IBAN'), statuts: 'Cette pièce est obligatoire.' });
    // a file of a refused type is rejected by content, whatever its declared type
    const exe = multipart({}, [{ field: 'file', filename: 'statuts.pdf', type: 'application/pdf', data: Buffer.from('MZ\x90\x00 not a pdf at all') }]);
    const bad = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${id}/files/statuts`, headers: { ...citizens.alice, ...exe.headers }, payload: exe.payload });
    expect(bad.statusCode).toBe(415);
    const up = multipart({}, [{ field: 'file', filename: 'statuts.pdf', type: 'application/pdf', data: PDF }]);
    const ok = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${id}/files/statuts`, headers: { ...citizens.alice, ...up.headers }, payload: up.payload });
    expect(ok.statusCode, ok.body).toBe(201);
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/portal/drafts/${id}`, headers: citizens.alice, payload: { data: SUBSIDY } });
    const resumed = await ctx.app.inject({ url: `/api/v1/portal/drafts/${id}`, headers: citizens.alice });
    expect(resumed.json().data.nomAssociation).toBe(SUBSIDY.nomAssociation);
    const s = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${id}/submit`, headers: citizens.alice, payload: {} });
    expect(s.statusCode, s.body).toBe(201);
    expect(s.json()).toMatchObject({ citizenStatus: 'Reçue', trackingCode: null });
    reference = s.json().reference;
    await drain(); // PDF summary
  });

  it('shows the request in Mon espace and to the unit in charge, with the structured data and the PDF summary', async () => {
    const mine = (await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.alice })).json();
    expect(mine.items).toHaveLength(1);
    expect(mine.items[0]).toMatchObject({ reference, statusLabel: 'Reçue', channelLabel: 'Espace citoyens', procedure: expect.stringContaining('subvention') });
    const agentView = await ctx.app.inject({ url: `/api/v1/cases/${reference}`, headers: agents.culture });
    expect(agentView.statusCode, agentView.body).toBe(200);
    const c = agentView.json();
    expect(c).toMatchObject({ channel: 'portal', status: 'qualified' });
    expect(c.interactions[0]).toMatchObject({ kind: 'portal_message', direction: 'inbound' });
    expect(c.interactions[0].body).toContain('IBAN du compte de l\'association : FR76 3000 6000 0112 3456 7890 189');
    const files = c.interactions[0].attachments.map((a: any) => a.filename);
    expect(files).toEqual(['statuts.pdf', `recapitulatif-${reference}.pdf`]);
    const sub = (await ctx.app.inject({ url: `/api/v1/cases/${reference}/submission`, headers: agents.culture })).json().submission;
    expect(sub.data).toMatchObject({ siret: '73282932000074', rna: 'W452001234', budgetTotal: 12500, montantDemande: 3000, dateProjet: '2030-07-14' });
    expect(sub.pdfSha256).toMatch(/^[0-9a-f]{64}$/);
    const pdf = await ctx.rt.files.read(sub.pdfSha256);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('the agent asks for a missing document; the citizen answers in place; the case goes back in progress', async () => {
    const r = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/document-requests`, headers: agents.culture, payload: { items: ['Budget prévisionnel signé'], message: 'Bonjour, il manque une pièce.' } });
    expect(r.statusCode, r.body).toBe(201);
    expect((await ctx.app.inject({ url: `/api/v1/cases/${reference}`, headers: agents.culture })).json().status).toBe('waiting_on_contact');
    await drain();
    expect(smtp.to('alice.martin@exemple.fr').some((m) => m.subject.includes('pièces complémentaires') && m.text.includes('Budget prévisionnel signé'))).toBe(true);
    const view = (await ctx.app.inject({ url: `/api/v1/portal/cases/${reference}`, headers: citizens.alice })).json();
    expect(view.statusLabel).toBe('En attente de votre réponse');
    const open = view.documentRequests.find((d: any) => d.status === 'open');
    expect(open.items).toEqual(['Budget prévisionnel signé']);
    // without the CSRF token the cookie alone cannot post
    const noCsrf = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/cases/${reference}/messages`, headers: { cookie: citizens.alice.cookie }, payload: { body: 'x' } });
    expect(noCsrf.statusCode).toBe(403);
    const m = multipart({ body: 'Voici le budget.', documentRequestId: open.id }, [{ field: 'files', filename: 'budget.png', type: 'image/png', data: PNG }]);
    const answer = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/cases/${reference}/messages`, headers: { ...citizens.alice, ...m.headers }, payload: m.payload });
    expect(answer.statusCode, answer.body).toBe(201);
    const agentView = (await ctx.app.inject({ url: `/api/v1/cases/${reference}`, headers: agents.culture })).json();
    expect(agentView.status).toBe('in_progress');
    expect(agentView.interactions.at(-1)).toMatchObject({ kind: 'portal_message', direction: 'inbound' });
    const reqs = (await ctx.app.inject({ url: `/api/v1/cases/${reference}/document-requests`, headers: agents.culture })).json().items;
    expect(reqs[0].status).toBe('answered');
  });

  it('refuses the submission and the requests for documents to those who may not read or act on the case', async () => {
    const submission = (who: Record<string, string>) => ctx.app.inject({ url: `/api/v1/cases/${reference}/submission`, headers: who });
    const listReq = (who: Record<string, string>) => ctx.app.inject({ url: `/api/v1/cases/${reference}/document-requests`, headers: who });
    const ask = (who: Record<string, string>) => ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/document-requests`, headers: who, payload: { items: ['Relevé d’identité bancaire'] } });
    // the handling unit reads the structured answers, in French labels, and the usager has an account
    const own = await submission(agents.culture);
    expect(own.statusCode).toBe(200);
    expect(own.json().submission.summary.flatMap((sec: any) => sec.items)).toContainEqual({ label: 'SIRET', value: '73282932000074' });
    expect((await listReq(agents.culture)).json()).toMatchObject({ portalAccount: true, items: [expect.objectContaining({ status: 'answered', dueDate: null })] });
    // another unit's agent and the administrator do not even learn that the case exists
    for (const who of [agents.routes, agents.admin]) {
      expect((await submission(who)).statusCode).toBe(404);
      expect((await listReq(who)).statusCode).toBe(404);
      expect((await ask(who)).statusCode).toBe(404);
    }
    // the supervisor and level 1 may read this non-sensitive case, not act on it
    for (const who of [agents.super, agents.cc]) {
      expect((await submission(who)).statusCode).toBe(200);
      const r = await ask(who);
      expect(r.statusCode, r.body).toBe(403);
      expect(r.json().error.message).toContain('ne relève pas de votre service');
    }
    // without a session, and with a citizen's session, the back-office API answers 401
    expect((await ctx.app.inject({ url: `/api/v1/cases/${reference}/submission` })).statusCode).toBe(401);
    expect((await submission({ cookie: citizens.alice.cookie })).statusCode).toBe(401);
    expect((await ctx.rt.db.query(`SELECT count(*)::int AS n FROM document_requests`)).rows[0].n).toBe(1);
  });

  it('checks the deadline of a request for documents', async () => {
    const post = (dueDate: unknown) => ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/document-requests`, headers: agents.culture, payload: { items: ['Attestation'], dueDate } });
    for (const [bad, message] of [['2020-01-01', 'postérieure à aujourd’hui'], ['2030-02-30', 'Date invalide'], ['15/12/2030', 'Date invalide'], ['2999-01-01', 'dans l’année']] as const) {
      const r = await post(bad);
      expect(r.statusCode, `${bad}: ${r.body}`).toBe(422);
      expect(r.json().error.fields.dueDate).toContain(message);
    }
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/document-requests`, headers: agents.culture, payload: { items: ['   '] } })).statusCode).toBe(422);
    expect((await ctx.app.inject({ url: `/api/v1/cases/${reference}`, headers: agents.culture })).json().status).toBe('in_progress'); // nothing changed
  });

  it('the agent replies on the portal and closes; the citizen sees the reply and the case closed', async () => {
    const channels = (await ctx.app.inject({ url: `/api/v1/cases/${reference}/reply-channels`, headers: agents.culture })).json().items;
    expect(channels.find((c: any) => c.id === 'portal')).toMatchObject({ available: true, label: 'Message sur l’espace citoyen' });
    const rep = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/replies`, headers: agents.culture, payload: { channel: 'portal', subject: 'Décision', body: 'Une subvention de 2 500 € vous est attribuée.' } });
    expect(rep.statusCode, rep.body).toBe(201);
    const close = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/transitions`, headers: agents.culture, payload: { to: 'closed', reason: 'Subvention attribuée' } });
    expect(close.statusCode, close.body).toBe(200);
    const view = (await ctx.app.inject({ url: `/api/v1/portal/cases/${reference}`, headers: citizens.alice })).json();
    expect(view.statusLabel).toBe('Terminée');
    const msgs = view.timeline.filter((t: any) => t.type === 'message');
    expect(msgs.at(-1)).toMatchObject({ direction: 'outbound', body: 'Une subvention de 2 500 € vous est attribuée.', from: 'Vie associative' });
    expect(view.timeline.some((t: any) => t.label === 'Statut : Terminée')).toBe(true);
    // e-mail notifications for the status changes (outbox job reading the case timeline)
    await scanCaseEvents(ctx.rt);
    await drain();
    expect(smtp.to('alice.martin@exemple.fr').some((m) => m.text.includes('« Terminée »'))).toBe(true);
    // the PDF and the citizen's own files are downloadable; an unrelated hash is not
    const pdf = view.procedure.pdfSha256;
    const dl = await ctx.app.inject({ url: `/api/v1/portal/cases/${reference}/files/${pdf}`, headers: citizens.alice });
    expect(dl.statusCode).toBe(200);
    expect(dl.headers['content-type']).toBe('application/pdf');
    const docs = (await ctx.app.inject({ url: '/api/v1/portal/documents', headers: citizens.alice })).json().items;
    expect(docs.map((d: any) => d.filename)).toEqual(expect.arrayContaining(['statuts.pdf', 'budget.png']));
  });

  it('nobody else reaches the case: another citizen (404), an agent cookie on the portal, a citizen cookie in the back office', async () => {
    citizens.bob = await signUpAndVerify('bob.durand@exemple.fr', 'Bob', 'Durand');
    expect((await ctx.app.inject({ url: `/api/v1/portal/cases/${reference}`, headers: citizens.bob })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.bob })).json().items).toEqual([]);
    const post = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/cases/${reference}/messages`, headers: citizens.bob, payload: { body: 'Intrus' } });
    expect(post.statusCode).toBe(404);
    expect((await ctx.app.inject({ url: '/api/v1/portal/cases', headers: agents.culture })).statusCode).toBe(401);
    expect((await ctx.app.inject({ url: `/api/v1/cases/${reference}`, headers: citizens.alice })).statusCode).toBe(401);
    expect((await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${reference}/document-requests`, headers: citizens.alice, payload: { items: ['x'] } })).statusCode).toBe(401);
  });

  it('an organisation\'s confirmed representative sees its cases', async () => {
    const link = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/me/organisations', headers: citizens.bob, payload: { name: 'Les Amis du Théâtre de Gien', role: 'trésorier', rna: 'W452001234' } });
    expect(link.statusCode, link.body).toBe(201);
    const { rows } = await ctx.rt.db.query(`SELECT contact_id FROM citizen_accounts WHERE email = 'bob.durand@exemple.fr'`);
    // not yet confirmed: still nothing
    expect((await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.bob })).json().items).toEqual([]);
    const pending = (await ctx.app.inject({ url: '/api/v1/organisation-links/pending', headers: agents.cc })).json().items;
    expect(pending).toEqual([expect.objectContaining({ personName: 'Bob Durand', organisationName: 'Les Amis du Théâtre de Gien', role: 'trésorier' })]);
    const conf = await ctx.app.inject({ method: 'POST', url: '/api/v1/organisation-links/confirm', headers: agents.cc, payload: { personId: rows[0].contact_id, organisationId: link.json().organisationId, role: 'trésorier' } });
    expect(conf.statusCode, conf.body).toBe(200);
    // a case opened for the association by phone now shows in Bob's space
    const phone = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: agents.cc, payload: { channel: 'phone', topic: 'subvention-culture', subject: 'Question sur le versement', contactId: link.json().organisationId } });
    expect(phone.statusCode, phone.body).toBe(201);
    const items = (await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.bob })).json().items;
    expect(items.map((i: any) => i.reference)).toEqual([phone.json().reference]);
    expect(items[0]).toMatchObject({ channelLabel: 'Téléphone', onBehalfOf: 'Les Amis du Théâtre de Gien' });
  });

  it('a citizen follows their own sensitive case (never its internal notes); an organisation\'s members never see its sensitive cases', async () => {
    const contactOf = async (email: string) => (await ctx.rt.db.query(`SELECT contact_id FROM citizen_accounts WHERE email = $1`, [email])).rows[0].contact_id as string;
    const alice = await contactOf('alice.martin@exemple.fr');
    // a child-protection request about Alice, opened by phone and routed to the (sensitive) ASE unit
    const created = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: agents.cc, payload: { channel: 'phone', topic: 'protection-enfance', subject: 'Accueil provisoire de ma fille', contactId: alice } });
    expect(created.statusCode, created.body).toBe(201);
    const ref = created.json().reference as string;
    expect((await ctx.app.inject({ url: `/api/v1/cases/${ref}`, headers: agents.ase })).json()).toMatchObject({ sensitive: true, unit: { code: 'ase' } });
    await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${ref}/interactions`, headers: agents.ase, payload: { kind: 'note', body: 'Note interne : signalement de l’école à vérifier.' } });
    const before = smtp.to('alice.martin@exemple.fr').length;
    const due = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10);
    const asked = await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${ref}/document-requests`, headers: agents.ase, payload: { items: ['Certificat médical de l’enfant'], message: 'Bonjour, merci.', dueDate: due } });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json().dueDate).toBe(due);
    // Mon espace shows it to Alice: status, public timeline, the request (with its deadline) — not the note
    const mine = (await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.alice })).json().items;
    expect(mine.find((i: any) => i.reference === ref)).toMatchObject({ statusLabel: 'En attente de votre réponse', actionRequired: true, channelLabel: 'Téléphone' });
    const view = await ctx.app.inject({ url: `/api/v1/portal/cases/${ref}`, headers: citizens.alice });
    expect(view.statusCode, view.body).toBe(200);
    expect(view.json().documentRequests).toEqual([expect.objectContaining({ status: 'open', dueDate: due, items: ['Certificat médical de l’enfant'] })]);
    expect(view.body).not.toContain('Note interne');
    expect(view.json().timeline.filter((t: any) => t.type === 'message').map((t: any) => t.subject)).toEqual(['Pièces complémentaires demandées']);
    const page = await ctx.app.inject({ url: `/mon-espace/demandes/${ref}`, headers: { cookie: citizens.alice.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Certificat médical de l’enfant');
    expect(page.body).not.toContain('Note interne');
    // the e-mail says only that something is waiting: no detail of a sensitive file in a mailbox
    await drain();
    const mails = smtp.to('alice.martin@exemple.fr').slice(before);
    expect(mails.map((m) => m.subject)).toEqual([`Du nouveau sur votre demande ${ref}`]);
    expect(mails[0].text).not.toContain('Certificat');
    // the unit may answer her on the portal; she answers the request in place
    const channels = (await ctx.app.inject({ url: `/api/v1/cases/${ref}/reply-channels`, headers: agents.ase })).json().items;
    expect(channels.find((c: any) => c.id === 'portal')).toMatchObject({ available: true });
    const m = multipart({ body: 'Voici le certificat.', documentRequestId: view.json().documentRequests[0].id }, [{ field: 'files', filename: 'certificat.pdf', type: 'application/pdf', data: PDF }]);
    const answer = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/cases/${ref}/messages`, headers: { ...citizens.alice, ...m.headers }, payload: m.payload });
    expect(answer.statusCode, answer.body).toBe(201);
    expect((await ctx.app.inject({ url: `/api/v1/cases/${ref}/document-requests`, headers: agents.ase })).json().items[0].status).toBe('answered');
    // nobody else sees it: Bob (another citizen) gets 404
    expect((await ctx.app.inject({ url: `/api/v1/portal/cases/${ref}`, headers: citizens.bob })).statusCode).toBe(404);

    // a sensitive case about the association Bob represents: hidden from him, unlike its other cases
    const assoc = (await ctx.rt.db.query(`SELECT organisation_id FROM contact_links WHERE person_id = $1 AND confirmed`, [await contactOf('bob.durand@exemple.fr')])).rows[0].organisation_id;
    const orgCase = await ctx.app.inject({ method: 'POST', url: '/api/v1/cases', headers: agents.cc, payload: { channel: 'phone', topic: 'protection-enfance', subject: 'Signalement lors d’une activité de l’association', contactId: assoc } });
    expect(orgCase.statusCode, orgCase.body).toBe(201);
    const bobs = (await ctx.app.inject({ url: '/api/v1/portal/cases', headers: citizens.bob })).json().items.map((i: any) => i.reference);
    expect(bobs.length).toBe(1); // the association's non-sensitive phone case only
    expect(bobs).not.toContain(orgCase.json().reference);
    expect((await ctx.app.inject({ url: `/api/v1/portal/cases/${orgCase.json().reference}`, headers: citizens.bob })).statusCode).toBe(404);
    expect((await ctx.app.inject({ url: `/mon-espace/demandes/${orgCase.json().reference}`, headers: { cookie: citizens.bob.cookie } })).statusCode).toBe(404);
    // and its representatives get no e-mail about it
    const reply = await ctx.app.inject({ url: `/api/v1/cases/${orgCase.json().reference}/reply-channels`, headers: agents.ase });
    expect(reply.json().items.find((c: any) => c.id === 'portal')).toMatchObject({ available: false });
    const bobBefore = smtp.to('bob.durand@exemple.fr').length;
    await ctx.app.inject({ method: 'POST', url: `/api/v1/cases/${orgCase.json().reference}/transitions`, headers: agents.ase, payload: { to: 'in_progress' } });
    // status e-mails (read from the timeline): Alice's say nothing of the file; Bob gets none for the association's
    await scanCaseEvents(ctx.rt);
    await drain();
    const later = smtp.to('alice.martin@exemple.fr').slice(before + 1);
    expect(later.length).toBeGreaterThan(0);
    for (const mail of later) expect(mail.subject).toBe(`Du nouveau sur votre demande ${ref}`);
    expect(smtp.to('bob.durand@exemple.fr').slice(bobBefore)).toEqual([]);
  });

  it('anonymous submission where allowed, with a public tracking code; refused where an account is required', async () => {
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/drafts', payload: { procedure: 'subvention-association' } })).statusCode).toBe(401);
    const d = (await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/drafts', payload: { procedure: 'information-generale' } })).json();
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/portal/drafts/${d.id}`, payload: { data: { objet: 'Horaires', message: 'Quels sont vos horaires ?', email: 'claire@exemple.fr', nom: 'Petit' } } });
    const s = await ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${d.id}/submit`, payload: {} });
    expect(s.statusCode, s.body).toBe(201);
    const code = s.json().trackingCode as string;
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    const t = await ctx.app.inject({ url: `/api/v1/portal/track/${code.toLowerCase().replace(/-/g, '')}` });
    expect(t.statusCode, t.body).toBe(200);
    expect(t.json()).toMatchObject({ reference: s.json().reference, status: 'Reçue', procedure: 'Poser une question au Département' });
    expect((await ctx.app.inject({ url: '/api/v1/portal/track/AAAA-BBBB-CCCC' })).statusCode).toBe(404);
    const c = (await ctx.app.inject({ url: `/api/v1/cases/${s.json().reference}`, headers: agents.cc })).json();
    expect(c.contact.emails).toEqual(['claire@exemple.fr']);
  });

  it('a draft sent twice at the same instant opens one case', async () => {
    const d = (await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/drafts', headers: citizens.alice, payload: { procedure: 'information-generale' } })).json();
    await ctx.app.inject({ method: 'PUT', url: `/api/v1/portal/drafts/${d.id}`, headers: citizens.alice, payload: { data: { objet: 'Double clic', message: 'Bonjour, une question.', email: 'alice.martin@exemple.fr', nom: 'Martin' } } });
    const send = () => ctx.app.inject({ method: 'POST', url: `/api/v1/portal/drafts/${d.id}/submit`, headers: citizens.alice, payload: {} });
    const results = await Promise.all([send(), send()]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes[0], results.map((r) => r.body).join('\n')).toBe(201);
    // the second finds the draft gone (404) or, when both ran at once, loses the claim and rolls back (409)
    expect([404, 409]).toContain(codes[1]);
    const { rows } = await ctx.rt.db.query(`SELECT count(*)::int AS n FROM cases WHERE subject = 'Question : Double clic'`);
    expect(rows[0].n).toBe(1);
    expect((await ctx.rt.db.query(`SELECT count(*)::int AS n FROM procedure_submissions s JOIN cases c ON c.id = s.case_id WHERE c.subject = 'Question : Double clic'`)).rows[0].n).toBe(1);
  });

  it('serves the HTML pages: sign-in redirect, HTML errors, CSRF on forms, Mon espace', async () => {
    expect((await ctx.app.inject({ url: '/mon-espace' })).headers.location).toBe('/connexion?retour=%2Fmon-espace');
    const missing = await ctx.app.inject({ url: '/demarches/inconnue' });
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toContain('text/html');
    expect(missing.body).toContain('Démarche introuvable.');
    const home = await ctx.app.inject({ url: '/portail' });
    expect(home.body).toContain('Demander une subvention pour une association');
    const espace = await ctx.app.inject({ url: '/mon-espace', headers: { cookie: citizens.alice.cookie } });
    expect(espace.body).toContain(reference);
    const forged = await ctx.app.inject({ method: 'POST', url: '/deconnexion', headers: { cookie: citizens.alice.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: '_csrf=faux' });
    expect(forged.statusCode).toBe(403);
    expect((await ctx.app.inject({ url: '/api/v1/portal/me', headers: citizens.alice })).statusCode).toBe(200);
  });

  it('resets a password without revealing whether an account exists', async () => {
    const before = smtp.mails.length;
    const unknown = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/password-reset/request', payload: { email: 'personne@exemple.fr' } });
    const known = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/password-reset/request', payload: { email: 'bob.durand@exemple.fr' } });
    expect(unknown.statusCode).toBe(202);
    expect(known.statusCode).toBe(202);
    expect(unknown.json()).toEqual(known.json());
    await drain();
    expect(smtp.mails.slice(before).map((m) => m.to)).toEqual(['bob.durand@exemple.fr']);
    const token = tokenFrom(smtp, 'bob.durand@exemple.fr', '/nouveau-mot-de-passe');
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/password-reset', payload: { token, password: 'nouveau-mot-de-passe-long' } })).statusCode).toBe(204);
    expect((await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/password-reset', payload: { token, password: 'encore-un-autre-mdp' } })).statusCode).toBe(422);
    expect((await ctx.app.inject({ url: '/api/v1/portal/me', headers: citizens.bob })).statusCode).toBe(401); // signed out everywhere
    const s = await ctx.app.inject({ method: 'POST', url: '/api/v1/portal/auth/sign-in', payload: { email: 'bob.durand@exemple.fr', password: 'nouveau-mot-de-passe-long' } });
    expect(s.statusCode).toBe(200);
  });
});
