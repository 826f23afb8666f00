// Citizen accounts over HTTP (inside the portal scope, see channels/portal/portal-auth.ts): sign-up,
// e-mail verification, sign-in/out, password reset, OpenID Connect (FranceConnect), profile.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@fastify/type-provider-typebox';
import type { Runtime } from '../../platform/runtime.ts';
import { ErrorResponses } from '../../server/schemas.ts';
import { CITIZEN_COOKIE, deleteCitizenSession } from './citizen-sessions.ts';
import {
  citizenSignIn, getProfile, requestOrganisationLink, requestPasswordReset, resetPassword, signUp, updateProfile, verifyEmail,
} from './accounts.service.ts';
import { beginOidcSignIn, completeOidcSignIn, endSessionUrl, requireOidc } from './oidc.service.ts';
import { requireCitizen, setCitizenCookie } from '../../channels/portal/portal-auth.ts';

const OIDC_COOKIE = 'guichet_oidc_state';
const Accepted = Type.Object({ message: Type.String() });

export function citizenRoutes(rt: Runtime) {
  const ctx = (req: FastifyRequest) => ({ publicUrl: rt.config.publicUrl, ip: req.ip, userAgent: req.headers['user-agent'], requestId: req.id, sessionTtlHours: rt.config.sessionTtlHours });
  const sessionBody = async (accountId: string, csrfToken: string) => ({ csrfToken, profile: await getProfile(rt.db, accountId) });

  return async (app: FastifyInstance) => {
    app.post(
      '/api/v1/portal/auth/sign-up',
      {
        config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['portal'], summary: 'Créer un compte citoyen (un lien de confirmation est envoyé par courriel)',
          body: Type.Object({ email: Type.String({ maxLength: 320 }), password: Type.String({ maxLength: 256 }), firstName: Type.Optional(Type.String({ maxLength: 100 })), lastName: Type.Optional(Type.String({ maxLength: 100 })) }),
          response: { 202: Accepted, ...ErrorResponses },
        },
      },
      async (req, reply) => {
        await signUp(rt.db, req.body as any, ctx(req));
        return reply.status(202).send({ message: 'Si cette adresse est valide, un courriel vient de vous être envoyé : ouvrez le lien qu’il contient pour activer votre compte.' });
      },
    );

    app.post(
      '/api/v1/portal/auth/verify',
      { config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Confirmer son adresse (lien reçu par courriel)', body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }) } },
      async (req, reply) => {
        const { session, accountId } = await verifyEmail(rt.db, (req.body as { token: string }).token, ctx(req));
        setCitizenCookie(rt, reply, session);
        return sessionBody(accountId, session.csrfToken);
      },
    );

    app.post(
      '/api/v1/portal/auth/sign-in',
      { config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Connexion citoyen', body: Type.Object({ email: Type.String({ minLength: 1, maxLength: 320 }), password: Type.String({ minLength: 1, maxLength: 256 }) }) } },
      async (req, reply) => {
        const { session, accountId } = await citizenSignIn(rt.db, req.body as any, ctx(req));
        setCitizenCookie(rt, reply, session);
        return sessionBody(accountId, session.csrfToken);
      },
    );

    app.post('/api/v1/portal/auth/sign-out', { config: { public: true }, schema: { tags: ['portal'], summary: 'Déconnexion (et, après FranceConnect, adresse de déconnexion du fournisseur)' } }, async (req, reply) => {
      const sid = req.cookies[CITIZEN_COOKIE];
      const s = sid ? await deleteCitizenSession(rt.db, sid) : null;
      reply.clearCookie(CITIZEN_COOKIE, { path: '/' });
      return { endSessionUrl: await endSessionUrl(rt.config.oidc, rt.config.publicUrl, s?.idToken ?? null) };
    });

    app.get('/api/v1/portal/auth/session', { config: { public: true }, schema: { tags: ['portal'], summary: 'Citoyen connecté' } }, async (req) => {
      const actor = requireCitizen(req);
      return sessionBody(actor.id!, req.csrfToken!);
    });

    app.post(
      '/api/v1/portal/auth/password-reset/request',
      { config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Mot de passe oublié (même réponse que le compte existe ou non)', body: Type.Object({ email: Type.String({ maxLength: 320 }) }), response: { 202: Accepted, ...ErrorResponses } } },
      async (req, reply) => {
        await requestPasswordReset(rt.db, (req.body as { email: string }).email, ctx(req));
        return reply.status(202).send({ message: 'Si un compte existe avec cette adresse, un courriel vient de lui être envoyé.' });
      },
    );

    app.post(
      '/api/v1/portal/auth/password-reset',
      { config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Choisir un nouveau mot de passe', body: Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }), password: Type.String({ maxLength: 256 }) }) } },
      async (req, reply) => {
        await resetPassword(rt.db, req.body as any, ctx(req));
        return reply.status(204).send();
      },
    );

    // OpenID Connect (FranceConnect)
    app.get(
      '/api/v1/portal/oidc/login',
      { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Se connecter avec FranceConnect (redirection)', querystring: Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 300 })) }) } },
      async (req, reply) => {
        const cfg = requireOidc(rt.config.oidc);
        const { url, state } = await beginOidcSignIn(rt.db, cfg, rt.config.publicUrl, (req.query as { returnTo?: string }).returnTo);
        reply.setCookie(OIDC_COOKIE, state, { path: '/api/v1/portal/oidc', httpOnly: true, sameSite: 'lax', secure: rt.config.secureCookies, maxAge: 600 });
        return reply.redirect(url, 302);
      },
    );

    app.get('/api/v1/portal/oidc/callback', { config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } }, schema: { tags: ['portal'], summary: 'Retour du fournisseur d’identité' } }, async (req, reply) => {
      const cfg = requireOidc(rt.config.oidc);
      const url = new URL(req.url, rt.config.publicUrl);
      const cookieState = req.cookies[OIDC_COOKIE];
      reply.clearCookie(OIDC_COOKIE, { path: '/api/v1/portal/oidc' });
      const { session, returnTo } = await completeOidcSignIn(rt.db, cfg, rt.config.publicUrl, url, cookieState, ctx(req));
      setCitizenCookie(rt, reply, session);
      return reply.redirect(returnTo, 302);
    });

    // Profile
    app.get('/api/v1/portal/me', { schema: { tags: ['portal'], summary: 'Mon profil' } }, async (req) => getProfile(rt.db, requireCitizen(req).id!));
    app.patch(
      '/api/v1/portal/me',
      {
        schema: {
          tags: ['portal'], summary: 'Modifier mon profil (les informations FranceConnect sont verrouillées)',
          body: Type.Object({ firstName: Type.Optional(Type.String({ maxLength: 100 })), lastName: Type.Optional(Type.String({ maxLength: 100 })), birthDate: Type.Optional(Type.Union([Type.String({ maxLength: 10 }), Type.Null()])), phone: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])) }, { additionalProperties: false }),
        },
      },
      async (req) => updateProfile(rt.db, requireCitizen(req), req.body as any),
    );
    app.post(
      '/api/v1/portal/me/organisations',
      {
        schema: {
          tags: ['portal'], summary: 'Déclarer agir pour une organisation (confirmé ensuite par un agent)',
          body: Type.Object({ name: Type.String({ maxLength: 200 }), role: Type.String({ maxLength: 100 }), siret: Type.Optional(Type.String({ maxLength: 30 })), rna: Type.Optional(Type.String({ maxLength: 20 })), segment: Type.Optional(Type.Union([Type.Literal('association'), Type.Literal('professionnel'), Type.Literal('collectivite')])) }),
        },
      },
      async (req, reply) => reply.status(201).send(await requestOrganisationLink(rt.db, requireCitizen(req), req.body as any)),
    );
  };
}
