// Citizen accounts: sign-up with e-mail verification, sign-in (argon2id, throttled like agents),
// password reset without account enumeration, profile, and representation of organisations.
import type { Database, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Forbidden, Invalid, TooManyRequests, Unauthorized } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { checkPasswordStrength, hashPassword, verifyPassword } from '../auth/passwords.ts';
import { clearFailures, lockedFor, recordFailure } from '../auth/throttle.ts';
import { randomToken, sha256Hex } from '../auth/secrets.ts';
import { normalizeEmail } from '../contacts/email.ts';
import { normalizePhone } from '../contacts/phone.ts';
import { resolveContactForCase } from '../contacts/contacts.service.ts';
import { validateDate, validateRna, validateSiret } from '../procedures/fields.ts';
import { queuePortalEmail } from './mailer.ts';
import { createCitizenSession } from './citizen-sessions.ts';
import {
  citizenActor, displayNameOf, findAccountByEmail, findAccountById, listOrganisationLinks, type CitizenAccount,
} from './citizens.repository.ts';

const VERIFY_HOURS = 48;
const RESET_MINUTES = 60;
const RESETS_PER_HOUR = 3;
export const BAD_CITIZEN_CREDENTIALS = 'Adresse électronique ou mot de passe incorrect.';

/** The throttle is shared with agents' table but keyed apart, so the two never lock each other. */
const throttleKey = (email: string) => `citizen:${email.trim().toLowerCase()}`;

interface Ctx {
  publicUrl: string;
  ip?: string;
  userAgent?: string;
  requestId?: string;
  sessionTtlHours: number;
}

function cleanName(v: unknown, field: string, errors: Record<string, string>): string | null {
  if (v === undefined || v === null || v === '') return null;
  const s = String(v).replace(/\s+/g, ' ').trim();
  if (s.length > 100) errors[field] = '100 caractères au plus.';
  return s || null;
}

async function issueToken(tx: Tx, accountId: string, purpose: 'verify_email' | 'reset_password', minutes: number): Promise<string> {
  const token = randomToken();
  await tx.query(`INSERT INTO citizen_tokens (token_hash, account_id, purpose, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 minute')`, [
    sha256Hex(token), accountId, purpose, minutes,
  ]);
  return token;
}

async function consumeToken(tx: Tx, token: string, purpose: 'verify_email' | 'reset_password'): Promise<string> {
  const { rows } = await tx.query<{ account_id: string }>(
    `UPDATE citizen_tokens SET used_at = now()
      WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now() RETURNING account_id`,
    [sha256Hex(token), purpose],
  );
  if (!rows[0]) throw new Invalid({ token: 'Ce lien n’est plus valable : il a déjà servi ou a expiré. Demandez-en un nouveau.' }, 'Lien invalide ou expiré.', 'invalid_token');
  return rows[0].account_id;
}

/**
 * Creates an unverified account and e-mails a verification link. Whether or not the address already has
 * an account, the answer is the same (the owner of an existing account is told by e-mail instead).
 */
export async function signUp(db: Database, input: { email: string; password: string; firstName?: string; lastName?: string }, ctx: Ctx): Promise<void> {
  const errors: Record<string, string> = {};
  const email = normalizeEmail(input.email ?? '');
  if (!email) errors.email = 'Adresse électronique invalide (exemple : prenom.nom@exemple.fr).';
  try {
    checkPasswordStrength(input.password ?? '');
  } catch (err) {
    Object.assign(errors, (err as Invalid).fields);
  }
  const firstName = cleanName(input.firstName, 'firstName', errors);
  const lastName = cleanName(input.lastName, 'lastName', errors);
  if (Object.keys(errors).length) throw new Invalid(errors);
  const hash = await hashPassword(input.password);
  await db.tx(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`citizen:${email}`]);
    const existing = await findAccountByEmail(tx, email!, true);
    const actor: Actor = { kind: 'citizen', id: existing?.id ?? null, label: email!, roles: [], unitIds: [], ip: ctx.ip, requestId: ctx.requestId };
    if (existing?.emailVerifiedAt) {
      await queuePortalEmail(tx, {
        to: email!,
        subject: 'Votre compte sur l’espace citoyens existe déjà',
        text: `Bonjour,\n\nQuelqu’un (vous, probablement) a demandé la création d’un compte avec cette adresse, qui en possède déjà un.\n\nPour vous connecter : ${ctx.publicUrl}/connexion\nMot de passe oublié : ${ctx.publicUrl}/mot-de-passe-oublie\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n`,
      });
      tx.audit({ actor, action: 'citizen.sign_up_existing', objectType: 'citizen_account', objectId: existing.id });
      return;
    }
    let id = existing?.id;
    if (existing) {
      await tx.query(`UPDATE citizen_accounts SET password_hash = $2, first_name = coalesce($3, first_name), last_name = coalesce($4, last_name), updated_at = now() WHERE id = $1`, [id, hash, firstName, lastName]);
    } else {
      id = (await tx.query<{ id: string }>(`INSERT INTO citizen_accounts (email, password_hash, first_name, last_name) VALUES ($1, $2, $3, $4) RETURNING id`, [email, hash, firstName, lastName])).rows[0].id;
    }
    const token = await issueToken(tx, id!, 'verify_email', VERIFY_HOURS * 60);
    await queuePortalEmail(tx, {
      to: email!,
      subject: 'Confirmez votre adresse électronique',
      text: `Bonjour${firstName ? ' ' + firstName : ''},\n\nPour activer votre compte sur l’espace citoyens, ouvrez ce lien (valable ${VERIFY_HOURS} heures) :\n\n${ctx.publicUrl}/verifier-adresse?jeton=${token}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message.\n`,
    });
    tx.audit({ actor: { ...actor, id: id! }, action: 'citizen.sign_up', objectType: 'citizen_account', objectId: id!, after: { email, firstName, lastName } });
  });
}

/** Links the account to its contact (matched by e-mail, else created), inside the caller's transaction. */
async function attachContact(tx: Tx, a: CitizenAccount, meta: { ip?: string; requestId?: string }): Promise<string> {
  if (a.contactId) return a.contactId;
  const actor: Actor = { kind: 'citizen', id: a.id, label: `${displayNameOf(a)} (espace citoyen)`, roles: [], unitIds: [], ...meta };
  const contact = await resolveContactForCase(tx, actor, {
    email: a.email, firstName: a.firstName ?? undefined, lastName: a.lastName ?? undefined, kind: 'person', segment: 'particulier',
  });
  await tx.query('UPDATE citizen_accounts SET contact_id = $2, updated_at = now() WHERE id = $1', [a.id, contact.id]);
  return contact.id;
}

/** Confirms the address, ties the account to a contact and opens a session. */
export async function verifyEmail(db: Database, token: string, ctx: Ctx) {
  return db.tx(async (tx) => {
    const accountId = await consumeToken(tx, token ?? '', 'verify_email');
    const a = (await findAccountById(tx, accountId))!;
    await tx.query('UPDATE citizen_accounts SET email_verified_at = coalesce(email_verified_at, now()), last_sign_in_at = now(), updated_at = now() WHERE id = $1', [a.id]);
    const contactId = await attachContact(tx, a, ctx);
    const session = await createCitizenSession(tx, a.id, ctx.sessionTtlHours, ctx);
    tx.audit({ actor: { kind: 'citizen', id: a.id, label: a.email, roles: [], unitIds: [], ip: ctx.ip, requestId: ctx.requestId }, action: 'citizen.verify_email', objectType: 'citizen_account', objectId: a.id, after: { contactId } });
    return { session, accountId: a.id };
  });
}

export async function citizenSignIn(db: Database, input: { email: string; password: string }, ctx: Ctx) {
  const wait = await lockedFor(db, throttleKey(input.email));
  if (wait > 0) throw new TooManyRequests(`Trop de tentatives de connexion pour ce compte. Réessayez dans ${Math.ceil(wait / 60)} minute(s).`, wait);
  const email = normalizeEmail(input.email ?? '');
  const a = email ? await findAccountByEmail(db, email) : null;
  const ok = await verifyPassword(a?.passwordHash ?? null, input.password ?? '');
  if (!a || !ok) {
    await recordFailure(db, throttleKey(input.email));
    throw new Unauthorized(BAD_CITIZEN_CREDENTIALS, 'bad_credentials');
  }
  if (!a.emailVerifiedAt) throw new Forbidden('Confirmez d’abord votre adresse électronique avec le lien reçu par courriel.', 'email_not_verified');
  await clearFailures(db, throttleKey(input.email));
  return db.tx(async (tx) => {
    await attachContact(tx, a, ctx);
    const session = await createCitizenSession(tx, a.id, ctx.sessionTtlHours, ctx);
    await tx.query('UPDATE citizen_accounts SET last_sign_in_at = now() WHERE id = $1', [a.id]);
    tx.audit({ actor: { kind: 'citizen', id: a.id, label: a.email, roles: [], unitIds: [], ip: ctx.ip, requestId: ctx.requestId }, action: 'citizen.sign_in', objectType: 'citizen_account', objectId: a.id });
    return { session, accountId: a.id };
  });
}

/** Always answers the same; sends a link only to a verified account, at most a few an hour. */
export async function requestPasswordReset(db: Database, rawEmail: string, ctx: Ctx): Promise<void> {
  const email = normalizeEmail(rawEmail ?? '');
  if (!email) throw new Invalid({ email: 'Adresse électronique invalide (exemple : prenom.nom@exemple.fr).' });
  await db.tx(async (tx) => {
    const a = await findAccountByEmail(tx, email, true);
    if (!a || !a.emailVerifiedAt) return;
    const { rows } = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM citizen_tokens WHERE account_id = $1 AND purpose = 'reset_password' AND created_at > now() - interval '1 hour'`, [a.id]);
    if (rows[0].n >= RESETS_PER_HOUR) return;
    const token = await issueToken(tx, a.id, 'reset_password', RESET_MINUTES);
    await queuePortalEmail(tx, {
      to: email,
      subject: 'Réinitialisation de votre mot de passe',
      text: `Bonjour,\n\nPour choisir un nouveau mot de passe, ouvrez ce lien (valable ${RESET_MINUTES} minutes) :\n\n${ctx.publicUrl}/nouveau-mot-de-passe?jeton=${token}\n\nSi vous n’êtes pas à l’origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.\n`,
    });
    tx.audit({ actor: { kind: 'citizen', id: a.id, label: a.email, roles: [], unitIds: [], ip: ctx.ip, requestId: ctx.requestId }, action: 'citizen.reset_request', objectType: 'citizen_account', objectId: a.id });
  });
}

export async function resetPassword(db: Database, input: { token: string; password: string }, ctx: Ctx): Promise<void> {
  checkPasswordStrength(input.password ?? '');
  const hash = await hashPassword(input.password);
  await db.tx(async (tx) => {
    const accountId = await consumeToken(tx, input.token ?? '', 'reset_password');
    await tx.query('UPDATE citizen_accounts SET password_hash = $2, updated_at = now() WHERE id = $1', [accountId, hash]);
    await tx.query('DELETE FROM citizen_sessions WHERE account_id = $1', [accountId]); // sign out everywhere
    await clearFailures(tx, throttleKey((await findAccountById(tx, accountId))!.email));
    tx.audit({ actor: { kind: 'citizen', id: accountId, label: 'réinitialisation', roles: [], unitIds: [], ip: ctx.ip, requestId: ctx.requestId }, action: 'citizen.reset_password', objectType: 'citizen_account', objectId: accountId });
  });
}

export async function getProfile(db: Database, accountId: string) {
  const a = await findAccountById(db, accountId);
  if (!a) throw new Unauthorized();
  return {
    id: a.id,
    email: a.email,
    firstName: a.firstName,
    lastName: a.lastName,
    birthDate: a.birthDate,
    phone: a.phone,
    identityVerified: a.identityVerified,
    /** fields received from FranceConnect: shown as verified and not editable */
    lockedFields: a.identityVerified ? ['firstName', 'lastName', 'birthDate'] : [],
    signInMethod: a.oidcSubject ? ('franceconnect' as const) : ('password' as const),
    organisations: await listOrganisationLinks(db, a.contactId),
  };
}

export async function updateProfile(db: Database, actor: Actor, input: { firstName?: string; lastName?: string; birthDate?: string | null; phone?: string | null }) {
  const a = await findAccountById(db, actor.id!);
  if (!a) throw new Unauthorized();
  const errors: Record<string, string> = {};
  const locked = a.identityVerified ? ['firstName', 'lastName', 'birthDate'] : [];
  for (const k of locked) if (k in input) errors[k] = 'Cette information vient de FranceConnect et ne peut pas être modifiée ici.';
  const firstName = 'firstName' in input ? cleanName(input.firstName, 'firstName', errors) : a.firstName;
  const lastName = 'lastName' in input ? cleanName(input.lastName, 'lastName', errors) : a.lastName;
  let birthDate = a.birthDate;
  if ('birthDate' in input) {
    if (!input.birthDate) birthDate = null;
    else {
      const r = validateDate(input.birthDate, { notFuture: true });
      if (r.ok) birthDate = r.value;
      else errors.birthDate = r.error;
    }
  }
  let phone = a.phone;
  if ('phone' in input) {
    phone = input.phone ? normalizePhone(input.phone) : null;
    if (input.phone && !phone) errors.phone = 'Numéro de téléphone invalide (exemple : 06 12 34 56 78).';
  }
  if (Object.keys(errors).length) throw new Invalid(errors);
  await db.tx(async (tx) => {
    await tx.query('UPDATE citizen_accounts SET first_name = $2, last_name = $3, birth_date = $4, phone = $5, updated_at = now() WHERE id = $1', [a.id, firstName, lastName, birthDate, phone]);
    tx.audit({ actor, action: 'citizen.profile', objectType: 'citizen_account', objectId: a.id, before: { firstName: a.firstName, lastName: a.lastName, birthDate: a.birthDate, phone: a.phone }, after: { firstName, lastName, birthDate, phone } });
  });
  return getProfile(db, a.id);
}

/**
 * A citizen says they act for an organisation: the organisation's contact is found (SIRET/RNA) or created
 * (to check), and an UNCONFIRMED link is recorded; an agent confirms it before it opens anything.
 */
export async function requestOrganisationLink(db: Database, actor: Actor, input: { name: string; siret?: string; rna?: string; role: string; segment?: 'association' | 'professionnel' | 'collectivite' }) {
  const errors: Record<string, string> = {};
  const name = cleanName(input.name, 'name', errors);
  if (!name) errors.name = 'Indiquez le nom de l’organisation.';
  const role = cleanName(input.role, 'role', errors);
  if (!role) errors.role = 'Indiquez votre rôle (président, trésorier, secrétaire de mairie…).';
  const siret = input.siret ? validateSiret(input.siret) : null;
  if (siret && !siret.ok) errors.siret = siret.error;
  const rna = input.rna ? validateRna(input.rna) : null;
  if (rna && !rna.ok) errors.rna = rna.error;
  if (Object.keys(errors).length) throw new Invalid(errors);
  const a = (await findAccountById(db, actor.id!))!;
  if (!a.contactId) throw new Conflict('Votre compte n’est pas encore activé.');
  return db.tx(async (tx) => {
    const sv = siret?.ok ? siret.value : null;
    const rv = rna?.ok ? rna.value : null;
    let orgId: string | null = null;
    if (sv || rv) {
      const { rows } = await tx.query<{ id: string }>(`SELECT id FROM contacts WHERE merged_into IS NULL AND kind = 'organisation' AND (siret = $1 OR rna = $2) LIMIT 1`, [sv, rv]);
      orgId = rows[0]?.id ?? null;
    }
    if (!orgId) {
      const segment = input.segment ?? (rv ? 'association' : 'professionnel');
      orgId = (await tx.query<{ id: string }>(
        `INSERT INTO contacts (kind, segment, org_type, org_name, display_name, siret, siren, rna, to_check)
         VALUES ('organisation', $1, $2, $3, $3, $4, $5, $6, true) RETURNING id`,
        [segment, segment === 'association' ? 'association' : segment === 'collectivite' ? 'commune' : 'company', name, sv, sv?.slice(0, 9) ?? null, rv],
      )).rows[0].id;
      tx.audit({ actor, action: 'contact.create', objectType: 'contact', objectId: orgId, after: { origin: 'portal', name, siret: sv, rna: rv } });
    }
    await tx.query(
      `INSERT INTO contact_links (person_id, organisation_id, role, confirmed) VALUES ($1, $2, $3, false) ON CONFLICT DO NOTHING`,
      [a.contactId, orgId, role],
    );
    tx.audit({ actor, action: 'contact.link_request', objectType: 'contact', objectId: orgId, after: { personId: a.contactId, role } });
    return { organisationId: orgId, confirmed: false };
  });
}

/** Representation requests made on the portal, waiting for an agent's confirmation. */
export async function listPendingOrganisationLinks(db: Database, actor: Actor) {
  authorize(actor, 'contact.read');
  const { rows } = await db.query(
    `SELECT l.person_id AS "personId", p.display_name AS "personName", l.organisation_id AS "organisationId", o.display_name AS "organisationName",
            o.siret, o.rna, l.role, l.created_at AS "requestedAt"
       FROM contact_links l JOIN contacts p ON p.id = l.person_id JOIN contacts o ON o.id = l.organisation_id
      WHERE NOT l.confirmed ORDER BY l.created_at LIMIT 200`,
  );
  return rows;
}

/** An agent confirms that a person represents an organisation (contact_links.confirmed). */
export async function confirmOrganisationLink(db: Database, actor: Actor, input: { personId: string; organisationId: string; role: string }) {
  authorize(actor, 'contact.write');
  return db.tx(async (tx) => {
    const r = await tx.query(`UPDATE contact_links SET confirmed = true WHERE person_id = $1 AND organisation_id = $2 AND role = $3 AND NOT confirmed`, [input.personId, input.organisationId, input.role]);
    if (!r.rowCount) throw new Invalid({ link: 'Aucun rattachement en attente pour cette personne et cette organisation.' });
    tx.audit({ actor, action: 'contact.link_confirm', objectType: 'contact', objectId: input.organisationId, after: input });
    return { confirmed: true };
  });
}

export { citizenActor };
