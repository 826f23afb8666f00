// Contacts (usagers): persons and organisations, found and created by agents and by the channels that
// open cases. Rules live here; SQL in contacts.repository.ts; input checks in contacts.validation.ts.
import type { Database, Sql, Tx } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { findDuplicates } from './duplicates.ts';
import { formatPhoneForDisplay } from './phone.ts';
import {
  findBrief,
  findContact,
  matchLiveContact,
  contactRoutingFacts,
  type ContactRoutingFacts,
  insertAddress,
  insertContact,
  insertEmail,
  insertPhone,
  listAddresses,
  listEmails,
  listOrganisationsOf,
  listPeopleOf,
  listPhones,
  lockMatchKeys,
  updateContactIdentity,
  visibleCases,
  visibleInteractions,
  type ContactRow,
} from './contacts.repository.ts';
import {
  checkAddress,
  checkEmail,
  checkEmailList,
  checkIdentity,
  checkPhone,
  checkPhoneList,
  cleanText,
  throwIfInvalid,
  type AddressValues,
  type Identity,
} from './contacts.validation.ts';
import type { Contact, ContactBrief, CreateContactInput, DuplicateCandidate, Segment, UpdateContactInput } from './contacts.schema.ts';

const NOT_FOUND = 'Usager introuvable.';

// ---------------------------------------------------------------------------------------------
// Shared steps
// ---------------------------------------------------------------------------------------------
/** Locks the contact for a change; a merged contact is read-only (its data lives on the survivor). */
export async function lockWritableContact(tx: Tx, id: string): Promise<ContactRow> {
  const row = await findContact(tx, id, 'write');
  if (!row) throw new NotFound(NOT_FOUND);
  if (row.mergedInto) throw new Conflict('Cette fiche a été fusionnée dans une autre : modifiez la fiche conservée.', 'contact_merged');
  return row;
}

/**
 * Follows merged_into to the surviving contact. With `lock`, each row is locked FOR KEY SHARE, so a
 * merge running at the same time either finishes first (and is followed) or waits for our commit.
 */
async function survivorOf(sql: Sql, id: string, lock = false): Promise<string | null> {
  let current = id;
  for (let hops = 0; hops < 20; hops++) {
    const row = await findContact(sql, current, lock ? 'share' : undefined);
    if (!row) return null;
    if (!row.mergedInto) return row.id;
    current = row.mergedInto;
  }
  return null;
}

interface NewContact {
  identity: Identity;
  toCheck: boolean;
  emails: Array<{ email: string; label: string | null }>;
  phones: Array<{ e164: string; label: string | null }>;
  addresses: AddressValues[];
}

async function insertContactGraph(tx: Tx, actor: Actor, c: NewContact, origin: 'agent' | 'case'): Promise<string> {
  const id = await insertContact(tx, c.identity, c.toCheck);
  for (const e of c.emails) await insertEmail(tx, id, e.email, e.label);
  for (const p of c.phones) await insertPhone(tx, id, p.e164, p.label);
  for (const a of c.addresses) await insertAddress(tx, id, a);
  tx.audit({ actor, action: 'contact.create', objectType: 'contact', objectId: id, after: { ...c, origin } });
  return id;
}

// ---------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------
/**
 * The contact as agents see it (identity part of the "vue 360°"): details, links, and the cases and
 * interactions the reader may see — the others are neither listed nor counted.
 */
export async function getContact(sql: Sql, actor: Actor, id: string): Promise<Contact> {
  authorize(actor, 'contact.read');
  const row = await findContact(sql, id);
  if (!row) throw new NotFound(NOT_FOUND);
  const cases = await visibleCases(sql, actor, row.id);
  return {
    ...row,
    mergedInto: row.mergedInto ? await survivorOf(sql, row.mergedInto) : null,
    emails: await listEmails(sql, row.id),
    phones: await listPhones(sql, row.id),
    addresses: await listAddresses(sql, row.id),
    organisations: await listOrganisationsOf(sql, row.id),
    people: await listPeopleOf(sql, row.id),
    cases: cases.items,
    casesTotal: cases.total,
    interactions: await visibleInteractions(sql, actor, row.id),
  };
}

/** For case pages: who the case is about, without the history. The caller has checked access. */
export async function getContactBrief(sql: Sql, id: string): Promise<ContactBrief | null> {
  return findBrief(sql, id);
}

export async function listDuplicates(sql: Sql, actor: Actor, id: string): Promise<DuplicateCandidate[]> {
  authorize(actor, 'contact.read');
  if (!(await findContact(sql, id))) throw new NotFound(NOT_FOUND);
  return findDuplicates(sql, id);
}

// ---------------------------------------------------------------------------------------------
// Creating and changing
// ---------------------------------------------------------------------------------------------
export async function createContact(db: Database, actor: Actor, input: CreateContactInput): Promise<Contact> {
  authorize(actor, 'contact.write');
  const errors: FieldErrors = {};
  const identity = checkIdentity(input, errors);
  const emails = checkEmailList(input.emails ?? [], errors);
  const phones = checkPhoneList(input.phones ?? [], errors);
  const addresses = (input.addresses ?? []).map((a, n) => checkAddress(a, `addresses.${n}`, errors));
  throwIfInvalid(errors);
  const id = await db.tx((tx) => insertContactGraph(tx, actor, { identity, toCheck: false, emails, phones, addresses }, 'agent'));
  return getContact(db, actor, id);
}

function identityOf(row: ContactRow): Identity {
  const { id: _id, toCheck: _t, mergedInto: _m, createdAt: _c, updatedAt: _u, ...identity } = row;
  return identity;
}

function changedFields(before: Record<string, unknown>, after: Record<string, unknown>) {
  const keys = Object.keys(after).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  return {
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  };
}

/** Identity changes (the kind never changes: links and history depend on it). Audited field by field. */
export async function updateContact(db: Database, actor: Actor, id: string, patch: UpdateContactInput): Promise<Contact> {
  authorize(actor, 'contact.write');
  const given = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as UpdateContactInput;
  await db.tx(async (tx) => {
    const current = await lockWritableContact(tx, id);
    if (!Object.keys(given).length) throw new Invalid({ body: 'Aucune modification demandée.' });
    const { toCheck, ...identityPatch } = given;
    const wanted = { ...identityOf(current), ...identityPatch };
    // a new SIRET brings its own SIREN unless one is given
    if (identityPatch.siret !== undefined && identityPatch.siren === undefined) wanted.siren = null;
    // a person known by a free-form name only keeps it until a first or last name is entered
    const freeFormName = current.kind === 'person' && !current.firstName && !current.lastName ? current.displayName : null;
    const errors: FieldErrors = {};
    const identity = checkIdentity(wanted, errors, freeFormName);
    throwIfInvalid(errors);
    const nextToCheck = toCheck ?? current.toCheck;
    await updateContactIdentity(tx, current.id, identity, nextToCheck);
    const diff = changedFields({ ...identityOf(current), toCheck: current.toCheck }, { ...identity, toCheck: nextToCheck });
    tx.audit({ actor, action: 'contact.update', objectType: 'contact', objectId: current.id, ...diff });
  });
  return getContact(db, actor, id);
}

// ---------------------------------------------------------------------------------------------
// The contact of a new case (counter, phone, mail, email, portal, API)
// ---------------------------------------------------------------------------------------------
export interface InlineContactInput {
  id?: string;
  email?: string;
  phone?: string;
  firstName?: string;
  lastName?: string;
  /** full name or organisation name */
  name?: string;
  orgName?: string;
  kind?: 'person' | 'organisation';
  segment?: 'particulier' | 'professionnel' | 'association' | 'collectivite';
  address?: { line1: string; line2?: string; postcode: string; city: string };
}

function prefixed(errors: FieldErrors): FieldErrors {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [`contact.${k}`, v]));
}

function defaultSegment(kind: 'person' | 'organisation'): Segment {
  // an organisation is never a "particulier"; an agent refines the segment when qualifying
  return kind === 'organisation' ? 'professionnel' : 'particulier';
}

/** A new contact from what a channel knows; flagged to_check unless an agent gave a name. */
function newContactFromInline(actor: Actor, input: InlineContactInput, email: string | null, e164: string | null, errors: FieldErrors): NewContact {
  const kind = input.kind ?? (cleanText(input.orgName) ? 'organisation' : 'person');
  const personName = cleanText([input.firstName, input.lastName].filter(Boolean).join(' '));
  const givenName = kind === 'organisation' ? cleanText(input.orgName) ?? cleanText(input.name) : personName ?? cleanText(input.name);
  const fallback = givenName ?? email ?? (e164 ? formatPhoneForDisplay(e164) : null);
  const local: FieldErrors = {};
  const identity = checkIdentity(
    kind === 'organisation'
      ? { kind, segment: input.segment ?? defaultSegment(kind), orgName: givenName, notes: personName ? `Contact : ${personName}` : null }
      : { kind, segment: input.segment ?? defaultSegment(kind), firstName: input.firstName, lastName: input.lastName, orgName: input.orgName },
    local,
    fallback,
  );
  const addresses = input.address ? [checkAddress(input.address, 'address', local)] : [];
  Object.assign(errors, prefixed(local));
  return {
    identity,
    toCheck: actor.kind !== 'agent' || givenName === null,
    emails: email ? [{ email, label: null }] : [],
    phones: e164 ? [{ e164, label: null }] : [],
    addresses,
  };
}

export interface ResolvedContact extends ContactRoutingFacts {
  id: string;
  created: boolean;
}

/**
 * Finds or creates the contact of a new case, inside the case's transaction. With `id`: that contact
 * (or the one it was merged into). Otherwise the live contact with the same email, then the same phone
 * (the most recently updated when several share it); otherwise a new contact. Never merges, never
 * changes an existing contact.
 */
export async function resolveContactForCase(tx: Tx, actor: Actor, input: InlineContactInput): Promise<ResolvedContact> {
  authorize(actor, 'contact.read');
  if (input.id !== undefined) {
    const id = await survivorOf(tx, input.id, true);
    if (!id) throw new Invalid({ contact: 'Usager introuvable.' });
    return { id, created: false, ...(await contactRoutingFacts(tx, id)) };
  }
  const errors: FieldErrors = {};
  const email = cleanText(input.email) ? checkEmail(input.email!, 'contact.email', errors) : null;
  const e164 = cleanText(input.phone) ? checkPhone(input.phone!, 'contact.phone', errors) : null;
  throwIfInvalid(errors);
  // Most cases come from someone already known: one query, no lock. Creation takes the match-key locks
  // and looks again, so two first contacts from one address cannot make two contacts.
  const known = await matchLiveContact(tx, email, e164);
  if (known) return { ...known, created: false };
  authorize(actor, 'contact.write');
  const hasIdentity = [input.name, input.orgName, input.firstName, input.lastName].some((v) => cleanText(v));
  if (!hasIdentity && !email && !e164) {
    throw new Invalid({ contact: 'Indiquez au moins un nom, une adresse électronique ou un numéro de téléphone.' });
  }
  const contact = newContactFromInline(actor, input, email, e164, errors);
  throwIfInvalid(errors);
  if (email || e164) {
    await lockMatchKeys(tx, [email, e164].filter((k): k is string => k !== null));
    const raced = await matchLiveContact(tx, email, e164);
    if (raced) return { ...raced, created: false };
  }
  const id = await insertContactGraph(tx, actor, contact, 'case');
  const address = contact.addresses[0];
  return { id, created: true, segment: contact.identity.segment, postcode: address?.postcode ?? null, city: address?.city ?? null };
}
