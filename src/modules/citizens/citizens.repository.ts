// SQL for citizen accounts and the actor a signed-in citizen acts as.
import type { Sql } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';

export interface CitizenAccount {
  id: string;
  email: string;
  passwordHash: string | null;
  emailVerifiedAt: Date | null;
  contactId: string | null;
  firstName: string | null;
  lastName: string | null;
  birthDate: string | null;
  phone: string | null;
  oidcIssuer: string | null;
  oidcSubject: string | null;
  identityVerified: boolean;
}

const COLUMNS = `id, email, password_hash AS "passwordHash", email_verified_at AS "emailVerifiedAt", contact_id AS "contactId",
  first_name AS "firstName", last_name AS "lastName", to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", phone,
  oidc_issuer AS "oidcIssuer", oidc_subject AS "oidcSubject", identity_verified AS "identityVerified"`;

const ACCOUNT_COLUMNS = `a.id, a.email, a.password_hash AS "passwordHash", a.email_verified_at AS "emailVerifiedAt", a.contact_id AS "contactId",
  a.first_name AS "firstName", a.last_name AS "lastName", to_char(a.birth_date, 'YYYY-MM-DD') AS "birthDate", a.phone,
  a.oidc_issuer AS "oidcIssuer", a.oidc_subject AS "oidcSubject", a.identity_verified AS "identityVerified"`;

export async function findAccountById(sql: Sql, id: string): Promise<CitizenAccount | null> {
  return (await sql.query<CitizenAccount>(`SELECT ${COLUMNS} FROM citizen_accounts WHERE id = $1`, [id])).rows[0] ?? null;
}

export async function findAccountByEmail(sql: Sql, email: string, lock = false): Promise<CitizenAccount | null> {
  return (await sql.query<CitizenAccount>(`SELECT ${COLUMNS} FROM citizen_accounts WHERE email = $1${lock ? ' FOR UPDATE' : ''}`, [email])).rows[0] ?? null;
}

export async function findAccountBySubject(sql: Sql, issuer: string, subject: string): Promise<CitizenAccount | null> {
  return (await sql.query<CitizenAccount>(`SELECT ${COLUMNS} FROM citizen_accounts WHERE oidc_issuer = $1 AND oidc_subject = $2`, [issuer, subject])).rows[0] ?? null;
}

export interface OrganisationLink {
  organisationId: string;
  name: string;
  role: string;
  confirmed: boolean;
}

export async function listOrganisationLinks(sql: Sql, contactId: string | null): Promise<OrganisationLink[]> {
  if (!contactId) return [];
  const { rows } = await sql.query<OrganisationLink>(
    `SELECT l.organisation_id AS "organisationId", o.display_name AS name, l.role, l.confirmed
       FROM contact_links l JOIN contacts o ON o.id = l.organisation_id
      WHERE l.person_id = $1 AND o.merged_into IS NULL ORDER BY o.display_name`,
    [contactId],
  );
  return rows;
}

export function displayNameOf(a: Pick<CitizenAccount, 'firstName' | 'lastName' | 'email'>): string {
  return [a.firstName, a.lastName].filter(Boolean).join(' ') || a.email;
}

/** The actor of a signed-in citizen: their contact and the organisations they confirmedly represent. */
export async function citizenActor(sql: Sql, a: CitizenAccount, meta: { requestId?: string; ip?: string } = {}): Promise<Actor> {
  const orgs = (await listOrganisationLinks(sql, a.contactId)).filter((l) => l.confirmed).map((l) => l.organisationId);
  return {
    kind: 'citizen', id: a.id, label: `${displayNameOf(a)} (espace citoyen)`, roles: [], unitIds: [],
    contactIds: a.contactId ? [a.contactId, ...orgs] : [], ...meta,
  };
}

/** Who submits without an account (procedures open to anonymous requests). */
export function anonymousCitizenActor(meta: { requestId?: string; ip?: string } = {}): Actor {
  return { kind: 'citizen', id: null, label: 'usager sans compte (portail)', roles: [], unitIds: [], contactIds: [], ...meta };
}

/** One query per request: the session, its account and the organisations it confirmedly represents. */
export async function findSessionActor(sql: Sql, idHash: string): Promise<{ account: CitizenAccount; csrfToken: string; idToken: string | null; orgIds: string[] } | null> {
  const { rows } = await sql.query<CitizenAccount & { csrfToken: string; idToken: string | null; orgIds: string[] }>(
    `SELECT ${ACCOUNT_COLUMNS}, s.csrf_token AS "csrfToken", s.id_token AS "idToken",
            coalesce(array(SELECT l.organisation_id FROM contact_links l WHERE l.person_id = a.contact_id AND l.confirmed), '{}') AS "orgIds"
       FROM citizen_sessions s JOIN citizen_accounts a ON a.id = s.account_id
      WHERE s.id_hash = $1 AND s.expires_at > now()`,
    [idHash],
  );
  const r = rows[0];
  if (!r) return null;
  const { csrfToken, idToken, orgIds, ...account } = r;
  return { account, csrfToken, idToken, orgIds };
}
