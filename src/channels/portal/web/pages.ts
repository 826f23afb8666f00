// The portal's server-rendered pages (mobile-first, accessible, working without JavaScript): home with the
// catalogue and FAQ, procedure forms, account pages, Mon espace, tracking. They call the same services
// as the portal API (see ADR 0009 for why HTML from Fastify rather than a second single-page app).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Runtime } from '../../../platform/runtime.ts';
import { DomainError, Forbidden } from '../../../platform/errors.ts';
import { safeEqual } from '../../../modules/auth/secrets.ts';
import { CITIZEN_COOKIE, deleteCitizenSession } from '../../../modules/citizens/citizen-sessions.ts';
import { citizenSignIn, requestPasswordReset, resetPassword, signUp, verifyEmail } from '../../../modules/citizens/accounts.service.ts';
import { endSessionUrl } from '../../../modules/citizens/oidc.service.ts';
import { findAccountById, displayNameOf } from '../../../modules/citizens/citizens.repository.ts';
import { getProcedure, listProcedures } from '../../../modules/procedures/procedures.service.ts';
import { addDraftFile, createDraft, listMyDrafts, loadDraft, saveDraft, type Draft } from '../../../modules/procedures/drafts.service.ts';
import { submitDraft, trackSubmission } from '../../../modules/procedures/submission.service.ts';
import { AUDIENCES } from '../../../modules/procedures/definition.ts';
import { publicFaq } from '../../../modules/knowledge/knowledge.service.ts';
import { getMyCase, listMyCases, postCitizenMessage, readable } from '../espace.service.ts';
import { readMultipart } from '../uploads.ts';
import { frenchDay } from '../document-requests.service.ts';
import { setCitizenCookie } from '../portal-auth.ts';
import { CSS, JS, describeSchedule, errorSummary, esc, page, type ContactInfo } from './html.ts';
import { getSchedule } from '../../phone/hours.ts';
import { answersFromForm, renderPages } from './form.ts';

const AUDIENCE_LABELS: Record<string, string> = { particulier: 'Particuliers', association: 'Associations', professionnel: 'Professionnels', collectivite: 'Collectivités' };
const fmt = (d: Date | string | null) => (d ? new Date(d).toLocaleString('fr-FR', { timeZone: 'Europe/Paris', dateStyle: 'long', timeStyle: 'short' }) : '');

export function portalPages(rt: Runtime) {
  return async (app: FastifyInstance) => {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 100_000 }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });

    const who = async (req: FastifyRequest) => {
      if (req.actor.kind !== 'citizen' || !req.actor.id) return null;
      const a = await findAccountById(rt.db, req.actor.id);
      return a ? displayNameOf(a) : null;
    };
    const contact = async (): Promise<ContactInfo> => {
      const lh = rt.config.mail?.letterhead;
      const email = /<([^<>\s]+@[^<>\s]+)>/.exec(rt.config.email?.mailFrom ?? '')?.[1] ?? null;
      return { phone: lh?.phone ?? null, address: lh ? [lh.name, ...lh.address] : [], email, hours: describeSchedule(await getSchedule(rt.db) as never) };
    };
    const send = async (req: FastifyRequest, reply: FastifyReply, title: string, body: string, status = 200, flash?: string | null) =>
      reply.status(status).type('text/html; charset=utf-8').header('cache-control', 'no-store')
        .send(page({ title, signedIn: await who(req), csrf: req.csrfToken, flash, contact: await contact() }, body));
    const checkCsrf = (req: FastifyRequest, token: unknown) => {
      if (req.csrfToken && (typeof token !== 'string' || !safeEqual(token, req.csrfToken))) throw new Forbidden('Jeton anti-CSRF absent ou invalide. Rechargez la page.', 'csrf');
    };
    const ctx = (req: FastifyRequest) => ({ publicUrl: rt.config.publicUrl, ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id, sessionTtlHours: rt.config.sessionTtlHours });
    const mustSignIn = (reply: FastifyReply, back: string) => reply.redirect(`/connexion?retour=${encodeURIComponent(back)}`, 303);
    const hidden = { schema: { hide: true }, config: { public: true } };

    // Errors on pages are pages too (the API keeps its JSON errors): sign-in for 401, a message otherwise.
    app.setErrorHandler(async (err: Error & { statusCode?: number; code?: string }, req, reply) => {
      if (err instanceof DomainError && err.status === 401) return mustSignIn(reply, req.url);
      const status = err instanceof DomainError ? err.status : err.statusCode && err.statusCode < 500 ? err.statusCode : 500;
      if (status >= 500) req.log.error({ err }, 'portal page failed');
      const message = err instanceof DomainError ? err.message
        : status === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE' ? 'Fichier trop volumineux (10 Mo au plus).'
        : status === 429 ? 'Trop de tentatives. Réessayez dans quelques minutes.'
        : status < 500 ? 'Requête invalide.' : 'Une erreur est survenue. Réessayez plus tard ou contactez-nous.';
      const title = status === 404 ? 'Page introuvable' : 'Impossible de continuer';
      return send(req, reply, title, `<h1>${esc(title)}</h1><p role="alert">${esc(message)}</p><p><a href="/portail">Retour à l’accueil</a></p>`, status);
    });

    app.get('/portail/style.css', hidden, async (_req, reply) => reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(CSS));
    app.get('/portail/app.js', hidden, async (_req, reply) => reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(JS));

    // Home: catalogue by domain and audience, FAQ, contact
    app.get('/portail', hidden, async (req, reply) => {
      const audience = (req.query as { public?: string }).public;
      const all = await listProcedures(rt.db);
      const list = all.filter((p) => !audience || p.definition.audience.includes(audience as never));
      const { rows: domains } = await rt.db.query<{ code: string; name: string }>('SELECT code, name FROM domains');
      const { rows: byTopic } = await rt.db.query<{ code: string; name: string }>('SELECT t.code, d.name FROM topics t JOIN domains d ON d.id = t.domain_id');
      const names = new Map(domains.map((d) => [d.code, d.name]));
      const topicDomain = new Map(byTopic.map((t) => [t.code, t.name]));
      // group under the domain's name (from the taxonomy, else from the procedure's topic)
      const groups = new Map<string, typeof list>();
      for (const p of list) {
        const name = names.get(p.definition.domain) ?? topicDomain.get(p.definition.topic) ?? 'Autres démarches';
        groups.set(name, [...(groups.get(name) ?? []), p]);
      }
      let faq: Array<{ question: string; answer: string }> = [];
      try {
        faq = (await publicFaq(rt.db, {} as never)).slice(0, 6);
      } catch {
        faq = [];
      }
      const filters = `<nav aria-label="Filtrer par public"><p>Je suis : ${['', ...AUDIENCES].map((a) => `<a href="/portail${a ? `?public=${a}` : ''}"${(audience ?? '') === a ? ' aria-current="page"' : ''}>${a ? AUDIENCE_LABELS[a] : 'Tous'}</a>`).join(' · ')}</p></nav>`;
      const catalogue = [...groups].map(([d, ps]) => `<section><h3>${esc(d)}</h3>${ps.map((p) => `<div class="card"><h4 style="margin:0"><a href="/demarches/${p.slug}">${esc(p.title)}</a></h4><p>${esc(p.definition.description ?? '')}</p><p class="meta">${p.definition.anonymous ? 'Sans compte possible' : 'Avec votre compte'}${p.definition.workflow.deadlineDays ? ` · réponse sous ${p.definition.workflow.deadlineDays} jours environ` : ''}</p></div>`).join('')}</section>`).join('');
      const faqHtml = faq.length ? `<h2>Questions fréquentes</h2>${faq.map((f) => `<details><summary>${esc(f.question)}</summary><p>${esc(f.answer)}</p></details>`).join('')}` : '';
      return send(req, reply, 'Accueil', `<h1>Vos démarches auprès du Département</h1>
<p>Un seul numéro, une seule adresse, un seul espace : faites vos demandes en ligne et suivez-les, quel que soit le moyen par lequel vous nous avez contactés.</p>
<h2>Démarches en ligne</h2>${filters}${catalogue || '<p>Aucune démarche pour ce public.</p>'}${faqHtml}
<h2>Une autre question ?</h2><p><a class="button" href="/demarches/information-generale">Écrire au Département</a></p>`);
    });

    // Procedure form
    const renderProcedure = async (req: FastifyRequest, reply: FastifyReply, slug: string, draft: Draft | null, errors: Record<string, string> = {}, flash: string | null = null, status = 200) => {
      const p = await getProcedure(rt.db, slug);
      const def = p.definition;
      const labels = Object.fromEntries(def.pages.flatMap((pg) => pg.fields).map((f) => [f.name, f.label]));
      const form = `<form method="post" action="/demarches/${slug}" enctype="multipart/form-data" data-procedure novalidate>
<input type="hidden" name="_csrf" value="${esc(req.csrfToken ?? '')}"><input type="hidden" name="_draft" value="${esc(draft?.id ?? '')}">
${renderPages(def.pages, draft?.data ?? {}, errors, draft?.files ?? {})}
${def.summaryIntro ? `<p>${esc(def.summaryIntro)}</p>` : ''}
<p id="autosave" class="meta" role="status" aria-live="polite"></p>
<button type="submit" name="_action" value="submit">Envoyer ma demande</button> <button type="submit" name="_action" value="save" class="link">Enregistrer le brouillon</button>
</form>`;
      return send(req, reply, def.title, `<h1>${esc(def.title)}</h1><p>${esc(def.description ?? '')}</p>${def.workflow.steps?.length ? `<h2>Étapes</h2><ol>${def.workflow.steps.map((s) => `<li>${esc(s)}</li>`).join('')}</ol>` : ''}<p class="hint">Les champs marqués d’un astérisque (*) sont obligatoires.</p>${errorSummary(errors, labels)}${form}`, status, flash);
    };

    app.get('/demarches/:slug', hidden, async (req, reply) => {
      const { slug } = req.params as { slug: string };
      const p = await getProcedure(rt.db, slug);
      if (!p.definition.anonymous && req.actor.kind !== 'citizen') return mustSignIn(reply, `/demarches/${slug}`);
      const draftId = (req.query as { brouillon?: string }).brouillon;
      const draft = draftId ? await loadDraft(rt.db, req.actor, draftId) : null;
      return renderProcedure(req, reply, slug, draft);
    });

    app.post('/demarches/:slug', hidden, async (req, reply) => {
      const { slug } = req.params as { slug: string };
      if (!req.isMultipart()) return reply.status(415).send('multipart attendu');
      const fields: Record<string, string | string[]> = {};
      let draft: Draft | null = null;
      const ensureDraft = async () => {
        if (draft) return draft;
        const id = typeof fields._draft === 'string' && fields._draft ? fields._draft : null;
        draft = id ? await loadDraft(rt.db, req.actor, id) : await createDraft(rt.db, req.actor, slug);
        return draft;
      };
      let uploadError: Record<string, string> = {};
      for await (const part of req.parts()) {
        if (part.type === 'file') {
          if (!part.filename) {
            part.file.resume();
            continue;
          }
          checkCsrf(req, fields._csrf);
          const d = await ensureDraft();
          try {
            await addDraftFile(rt.db, rt.files, req.actor, d.id, part.fieldname, { stream: part.file, filename: part.filename, mimetype: part.mimetype });
          } catch (err) {
            if (!(err instanceof DomainError)) throw err;
            part.file.resume();
            uploadError = { ...uploadError, [part.fieldname]: err.message };
          }
        } else {
          const prev = fields[part.fieldname];
          const v = String(part.value ?? '');
          fields[part.fieldname] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
        }
      }
      checkCsrf(req, fields._csrf);
      const p = await getProcedure(rt.db, slug);
      const d = await ensureDraft();
      const saved = await saveDraft(rt.db, req.actor, d.id, answersFromForm(p.definition.pages, fields));
      if (fields._action === 'autosave') return reply.header('cache-control', 'no-store').send({ draftId: d.id, updatedAt: saved.updatedAt });
      const current = await loadDraft(rt.db, req.actor, d.id);
      if (fields._action === 'save' || Object.keys(uploadError).length) {
        return renderProcedure(req, reply, slug, current, uploadError, Object.keys(uploadError).length ? null : `Brouillon enregistré. Vous pourrez le reprendre${req.actor.kind === 'citizen' ? ' depuis votre espace' : ` avec cette adresse : /demarches/${slug}?brouillon=${d.id}`}.`, Object.keys(uploadError).length ? 422 : 200);
      }
      try {
        const r = await submitDraft(rt.db, req.actor, d.id);
        return send(req, reply, 'Demande envoyée', `<h1>Votre demande est envoyée</h1><p>Elle est enregistrée sous la référence <strong>${esc(r.reference)}</strong>. Statut : <span class="status">${esc(r.citizenStatus)}</span>.</p>
${r.trackingCode ? `<p>Notez votre code de suivi : <strong>${esc(r.trackingCode)}</strong>. Il vous permet de suivre votre demande sur la page <a href="/suivi">Suivre une demande</a>.</p>` : `<p><a class="button" href="/mon-espace/demandes/${esc(r.reference)}">Suivre ma demande</a></p>`}`, 201);
      } catch (err) {
        if (err instanceof DomainError && err.fields) return renderProcedure(req, reply, slug, current, { ...saved.errors, ...err.fields }, null, 422);
        throw err;
      }
    });

    // Accounts
    const authForm = (action: string, title: string, inner: string, error?: string) =>
      `<h1>${esc(title)}</h1>${error ? `<div class="errors" role="alert" id="erreurs" tabindex="-1"><p>${esc(error)}</p></div>` : ''}<form method="post" action="${action}">${inner}<button type="submit">${esc(title)}</button></form>`;
    const emailPassword = (newPassword = false) => `<label for="email">Adresse électronique</label><input type="email" id="email" name="email" autocomplete="email" required>
<label for="password">Mot de passe${newPassword ? ' <span class="hint">10 caractères au moins</span>' : ''}</label><input type="password" id="password" name="password" autocomplete="${newPassword ? 'new-password' : 'current-password'}" required>`;
    const failure = (err: unknown) => (err instanceof DomainError ? (err.fields ? Object.values(err.fields).join(' ') : err.message) : null);

    app.get('/connexion', hidden, async (req, reply) => {
      const back = (req.query as { retour?: string }).retour ?? '/mon-espace';
      return send(req, reply, 'Se connecter', authForm('/connexion', 'Se connecter', `<input type="hidden" name="retour" value="${esc(back)}">${emailPassword()}`) +
        `<p><a href="/mot-de-passe-oublie">Mot de passe oublié ?</a> · <a href="/inscription">Créer un compte</a></p>${rt.config.oidc ? `<p><a class="button" href="/api/v1/portal/oidc/login?returnTo=${encodeURIComponent(back)}">S’identifier avec FranceConnect</a></p>` : ''}`);
    });
    app.post('/connexion', hidden, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, string>;
      try {
        const { session } = await citizenSignIn(rt.db, { email: b.email ?? '', password: b.password ?? '' }, ctx(req));
        setCitizenCookie(rt, reply, session);
        return reply.redirect(/^\/(?!\/)/.test(b.retour ?? '') ? b.retour : '/mon-espace', 303);
      } catch (err) {
        const msg = failure(err);
        if (!msg) throw err;
        return send(req, reply, 'Se connecter', authForm('/connexion', 'Se connecter', `<input type="hidden" name="retour" value="${esc(b.retour)}">${emailPassword()}`, msg), (err as DomainError).status);
      }
    });
    app.get('/inscription', hidden, async (req, reply) => send(req, reply, 'Créer un compte', authForm('/inscription', 'Créer un compte', `<label for="firstName">Prénom</label><input id="firstName" name="firstName" autocomplete="given-name"><label for="lastName">Nom</label><input id="lastName" name="lastName" autocomplete="family-name">${emailPassword(true)}`)));
    app.post('/inscription', hidden, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, string>;
      try {
        await signUp(rt.db, { email: b.email ?? '', password: b.password ?? '', firstName: b.firstName, lastName: b.lastName }, ctx(req));
        return send(req, reply, 'Vérifiez votre messagerie', '<h1>Vérifiez votre messagerie</h1><p>Si cette adresse est valide, un courriel vient de vous être envoyé : ouvrez le lien qu’il contient pour activer votre compte.</p>', 202);
      } catch (err) {
        const msg = failure(err);
        if (!msg) throw err;
        return send(req, reply, 'Créer un compte', authForm('/inscription', 'Créer un compte', `<label for="firstName">Prénom</label><input id="firstName" name="firstName" value="${esc(b.firstName)}"><label for="lastName">Nom</label><input id="lastName" name="lastName" value="${esc(b.lastName)}">${emailPassword(true)}`, msg), 422);
      }
    });
    // The link opens a page with a button: mail scanners that follow links do not consume the token.
    app.get('/verifier-adresse', hidden, async (req, reply) => send(req, reply, 'Activer mon compte', authForm('/verifier-adresse', 'Activer mon compte', `<input type="hidden" name="token" value="${esc((req.query as { jeton?: string }).jeton)}">`)));
    app.post('/verifier-adresse', hidden, async (req, reply) => {
      try {
        const { session } = await verifyEmail(rt.db, String((req.body as Record<string, string>)?.token ?? ''), ctx(req));
        setCitizenCookie(rt, reply, session);
        return reply.redirect('/mon-espace', 303);
      } catch (err) {
        const msg = failure(err);
        if (!msg) throw err;
        return send(req, reply, 'Lien invalide', `<h1>Lien invalide</h1><p>${esc(msg)}</p>`, 422);
      }
    });
    app.get('/mot-de-passe-oublie', hidden, async (req, reply) => send(req, reply, 'Mot de passe oublié', authForm('/mot-de-passe-oublie', 'Recevoir un lien', '<label for="email">Adresse électronique</label><input type="email" id="email" name="email" autocomplete="email" required>')));
    app.post('/mot-de-passe-oublie', hidden, async (req, reply) => {
      await requestPasswordReset(rt.db, String((req.body as Record<string, string>)?.email ?? ''), ctx(req)).catch((err) => {
        if (!failure(err)) throw err;
      });
      return send(req, reply, 'Mot de passe oublié', '<h1>Vérifiez votre messagerie</h1><p>Si un compte existe avec cette adresse, un courriel vient de lui être envoyé.</p>', 202);
    });
    app.get('/nouveau-mot-de-passe', hidden, async (req, reply) => send(req, reply, 'Nouveau mot de passe', authForm('/nouveau-mot-de-passe', 'Enregistrer', `<input type="hidden" name="token" value="${esc((req.query as { jeton?: string }).jeton)}"><label for="password">Nouveau mot de passe <span class="hint">10 caractères au moins</span></label><input type="password" id="password" name="password" autocomplete="new-password" required>`)));
    app.post('/nouveau-mot-de-passe', hidden, async (req, reply) => {
      const b = (req.body ?? {}) as Record<string, string>;
      try {
        await resetPassword(rt.db, { token: b.token ?? '', password: b.password ?? '' }, ctx(req));
        return reply.redirect('/connexion', 303);
      } catch (err) {
        const msg = failure(err);
        if (!msg) throw err;
        return send(req, reply, 'Nouveau mot de passe', `<h1>Nouveau mot de passe</h1><p role="alert">${esc(msg)}</p>`, 422);
      }
    });
    app.post('/deconnexion', hidden, async (req, reply) => {
      checkCsrf(req, (req.body as Record<string, string>)?._csrf);
      const sid = req.cookies[CITIZEN_COOKIE];
      const s = sid ? await deleteCitizenSession(rt.db, sid) : null;
      reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
      return reply.redirect((await endSessionUrl(rt.config.oidc, rt.config.publicUrl, s?.idToken ?? null)) ?? '/portail', 303);
    });

    // Mon espace
    app.get('/mon-espace', hidden, async (req, reply) => {
      if (req.actor.kind !== 'citizen') return mustSignIn(reply, '/mon-espace');
      const items = await listMyCases(rt.db, req.actor);
      const list = items.length
        ? items.map((c) => `<div class="card"><h3><a href="/mon-espace/demandes/${esc(c.reference)}">${esc(c.subject)}</a></h3><p><span class="status">${esc(c.statusLabel)}</span>${c.actionRequired ? ' <strong>Action attendue de votre part</strong>' : ''}</p><p class="meta">N° ${esc(c.reference)} · ${esc(c.channelLabel)} · ${esc(fmt(c.createdAt))}${c.onBehalfOf ? ` · ${esc(c.onBehalfOf)}` : ''}</p></div>`).join('')
        : '<p>Vous n’avez pas encore de demande.</p>';
      const drafts = (await listMyDrafts(rt.db, req.actor)) as Array<{ id: string; procedureSlug: string; title: string; updatedAt: Date }>;
      const draftList = drafts.length
        ? `<h2>Mes brouillons</h2><ul>${drafts.map((d) => `<li><a href="/demarches/${esc(d.procedureSlug)}?brouillon=${esc(d.id)}">${esc(d.title)}</a> <span class="meta">(enregistré le ${esc(fmt(d.updatedAt))})</span></li>`).join('')}</ul>`
        : '';
      return send(req, reply, 'Mon espace', `<h1>Mon espace</h1><h2>Mes demandes</h2>${list}${draftList}<p><a class="button" href="/portail">Faire une démarche</a></p>`);
    });
    app.get('/mon-espace/demandes/:reference', hidden, async (req, reply) => {
      if (req.actor.kind !== 'citizen') return mustSignIn(reply, req.url);
      const c = await getMyCase(rt.db, req.actor, (req.params as { reference: string }).reference);
      const requests = c.documentRequests as Array<{ id: string; items: string[]; message: string | null; status: string; dueDate: string | null; answeredAt: Date | null }>;
      const open = requests.filter((d) => d.status === 'open');
      const answered = requests.filter((d) => d.status === 'answered');
      const timeline = c.timeline.map((t: any) => t.type === 'status'
        ? `<li><span class="meta">${esc(fmt(t.at))}</span><br>${esc(t.label)}</li>`
        : `<li class="${t.direction === 'outbound' ? 'out' : ''}"><span class="meta">${esc(fmt(t.at))} · ${esc(t.from)}</span><br><strong>${esc(t.subject ?? '')}</strong><div style="white-space:pre-wrap">${esc(t.body ?? '')}</div>${(t.attachments as Array<{ sha256: string; filename: string }>).map((a) => `<a href="/api/v1/portal/cases/${esc(c.reference)}/files/${a.sha256}">${esc(a.filename)}</a>`).join(' · ')}</li>`).join('');
      const requestForms = open.map((d) => `<section class="card"><h2>Pièces demandées</h2>${d.message ? `<p>${esc(d.message)}</p>` : ''}${d.dueDate ? `<p><strong>À envoyer avant le ${esc(frenchDay(d.dueDate))}.</strong></p>` : ''}<ul>${d.items.map((i) => `<li>${esc(i)}</li>`).join('')}</ul>
<form method="post" action="/mon-espace/demandes/${esc(c.reference)}/message" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${esc(req.csrfToken)}"><input type="hidden" name="documentRequestId" value="${esc(d.id)}">
<label for="pieces-${esc(d.id)}">Vos fichiers</label><input type="file" id="pieces-${esc(d.id)}" name="files" multiple required><label for="comment-${esc(d.id)}">Commentaire (facultatif)</label><textarea id="comment-${esc(d.id)}" name="body"></textarea><button type="submit">Envoyer les pièces</button></form></section>`).join('');
      return send(req, reply, `Demande ${c.reference}`, `<p><a href="/mon-espace">← Mes demandes</a></p><h1>${esc(c.subject)}</h1><p><span class="status">${esc(c.statusLabel)}</span></p><p class="meta">N° ${esc(c.reference)} · ${esc(c.channelLabel)}${c.unitName ? ` · suivie par : ${esc(c.unitName)}` : ''}</p>
${requestForms}${answered.length ? `<h2>Pièces envoyées</h2><ul>${answered.map((d) => `<li>${d.items.map((i) => esc(i)).join(', ')} <span class="meta">(envoyées le ${esc(fmt(d.answeredAt))})</span></li>`).join('')}</ul>` : ''}<h2>Historique</h2><ol class="timeline">${timeline}</ol>
<h2>Écrire au service</h2><form method="post" action="/mon-espace/demandes/${esc(c.reference)}/message" enctype="multipart/form-data"><input type="hidden" name="_csrf" value="${esc(req.csrfToken)}"><label for="message">Votre message</label><textarea id="message" name="body" required></textarea><label for="pj">Pièces jointes (facultatif)</label><input type="file" id="pj" name="files" multiple><button type="submit">Envoyer</button></form>`);
    });
    app.post('/mon-espace/demandes/:reference/message', hidden, async (req, reply) => {
      if (req.actor.kind !== 'citizen') return mustSignIn(reply, '/mon-espace');
      const ref = (req.params as { reference: string }).reference;
      await readable(rt.db, req.actor, ref);
      const m = await readMultipart(rt, req, { maxFiles: 10 });
      checkCsrf(req, m.fields._csrf);
      await postCitizenMessage(rt.db, req.actor, ref, { body: m.fields.body ?? '', files: m.files, documentRequestId: m.fields.documentRequestId || null });
      return reply.redirect(`/mon-espace/demandes/${encodeURIComponent(ref)}`, 303);
    });

    // Tracking without an account
    app.get('/suivi', hidden, async (req, reply) => {
      const code = (req.query as { code?: string }).code;
      let result = '';
      if (code) {
        try {
          const t = await trackSubmission(rt.db, code);
          result = `<section class="card" aria-live="polite"><h2>Demande ${esc(t.reference)}</h2><p>${esc(t.procedure)}</p><p>Statut : <span class="status">${esc(t.status)}</span></p><ol class="timeline">${t.history.map((h) => `<li><span class="meta">${esc(fmt(h.at))}</span><br>${esc(h.status)}</li>`).join('')}</ol></section>`;
        } catch (err) {
          if (!(err instanceof DomainError)) throw err;
          result = `<p role="alert" class="error">${esc(err.message)}</p>`;
        }
      }
      return send(req, reply, 'Suivre une demande', `<h1>Suivre une demande</h1><form method="get" action="/suivi"><label for="code">Code de suivi <span class="hint">Exemple : ABCD-EFGH-JKMN</span></label><input id="code" name="code" value="${esc(code)}" autocomplete="off" required><button type="submit">Rechercher</button></form>${result}`);
    });
  };
}
