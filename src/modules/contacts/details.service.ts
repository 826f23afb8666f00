// Adding and removing a contact's emails, phones, addresses and links to organisations or persons.
// Each change is audited and refreshes updated_at (which decides between contacts sharing a phone).
import type { Database } from '../../platform/db/database.ts';
import type { Actor } from '../../platform/actor.ts';
import { Conflict, Invalid, NotFound, type FieldErrors } from '../../platform/errors.ts';
import { authorize } from '../policy/policy.ts';
import { lockWritableContact } from './contacts.service.ts';
import { checkAddress, checkEmail, checkPhone, cleanText, throwIfInvalid } from './contacts.validation.ts';
import { deleteDetail, deleteLink, findContact, insertAddress, insertEmail, insertLink, insertPhone, touchContact, type DetailTable } from './contacts.repository.ts';
import type { AddressInput, ContactAddress, ContactEmail, ContactLink, ContactPhone, EmailInput, LinkInput, PhoneInput } from './contacts.schema.ts';

function checked<T>(fn: (errors: FieldErrors) => T): T {
  const errors: FieldErrors = {};
  const value = fn(errors);
  throwIfInvalid(errors);
  return value;
}

export async function addEmail(db: Database, actor: Actor, contactId: string, input: EmailInput): Promise<ContactEmail> {
  authorize(actor, 'contact.write');
  return db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const email = checked((e) => checkEmail(input.email, 'email', e))!;
    const row = await insertEmail(tx, contact.id, email, cleanText(input.label));
    if (!row) throw new Conflict('Cette adresse électronique figure déjà sur la fiche.', 'email_exists');
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: 'contact.email.add', objectType: 'contact', objectId: contact.id, after: row });
    return row;
  });
}

export async function addPhone(db: Database, actor: Actor, contactId: string, input: PhoneInput): Promise<ContactPhone> {
  authorize(actor, 'contact.write');
  return db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const e164 = checked((e) => checkPhone(input.number, 'number', e))!;
    const row = await insertPhone(tx, contact.id, e164, cleanText(input.label));
    if (!row) throw new Conflict('Ce numéro figure déjà sur la fiche.', 'phone_exists');
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: 'contact.phone.add', objectType: 'contact', objectId: contact.id, after: row });
    return row;
  });
}

export async function addAddress(db: Database, actor: Actor, contactId: string, input: AddressInput): Promise<ContactAddress> {
  authorize(actor, 'contact.write');
  return db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const values = checked((e) => checkAddress(input, 'address', e));
    const row = await insertAddress(tx, contact.id, values);
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: 'contact.address.add', objectType: 'contact', objectId: contact.id, after: row });
    return row;
  });
}

const DETAILS = {
  email: { table: 'contact_emails', missing: 'Adresse électronique introuvable sur cette fiche.' },
  phone: { table: 'contact_phones', missing: 'Numéro introuvable sur cette fiche.' },
  address: { table: 'contact_addresses', missing: 'Adresse introuvable sur cette fiche.' },
} as const satisfies Record<string, { table: DetailTable; missing: string }>;

export type DetailKind = keyof typeof DETAILS;

/** Removes one email, phone or address; if it was the primary one, the next becomes primary. */
export async function removeDetail(db: Database, actor: Actor, kind: DetailKind, contactId: string, itemId: string): Promise<void> {
  authorize(actor, 'contact.write');
  await db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const removed = await deleteDetail(tx, DETAILS[kind].table, contact.id, itemId);
    if (!removed) throw new NotFound(DETAILS[kind].missing);
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: `contact.${kind}.remove`, objectType: 'contact', objectId: contact.id, before: removed });
  });
}

/** The pair (person, organisation) a link request means, seen from `contact`. */
function linkEnds(contact: { id: string; kind: string }, input: LinkInput): { personId: string; organisationId: string; otherField: 'personId' | 'organisationId' } {
  if (contact.kind === 'person') {
    if (!input.organisationId || input.personId) throw new Invalid({ organisationId: "Une personne se lie à une organisation : indiquez organisationId." });
    return { personId: contact.id, organisationId: input.organisationId, otherField: 'organisationId' };
  }
  if (!input.personId || input.organisationId) throw new Invalid({ personId: 'Une organisation se lie à une personne : indiquez personId.' });
  return { personId: input.personId, organisationId: contact.id, otherField: 'personId' };
}

/** A person acting for an organisation, with a role ("trésorier", "maire"...). Either side may ask. */
export async function addLink(db: Database, actor: Actor, contactId: string, input: LinkInput): Promise<ContactLink> {
  authorize(actor, 'contact.write');
  const role = cleanText(input.role);
  if (!role) throw new Invalid({ role: 'Rôle obligatoire (par exemple « trésorier »).' });
  return db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const { personId, organisationId, otherField } = linkEnds(contact, input);
    const otherId = otherField === 'personId' ? personId : organisationId;
    const other = await findContact(tx, otherId, 'share');
    const wantedKind = otherField === 'personId' ? 'person' : 'organisation';
    if (!other) throw new Invalid({ [otherField]: 'Usager introuvable.' });
    if (other.mergedInto) throw new Invalid({ [otherField]: 'Cette fiche a été fusionnée : choisissez la fiche conservée.' });
    if (other.kind !== wantedKind) throw new Invalid({ [otherField]: wantedKind === 'person' ? "Ce n'est pas une personne." : "Ce n'est pas une organisation." });
    const link = await insertLink(tx, { personId: personId.toLowerCase(), organisationId: organisationId.toLowerCase(), role });
    if (!link) throw new Conflict('Ce lien existe déjà.', 'link_exists');
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: 'contact.link.add', objectType: 'contact', objectId: contact.id, after: link });
    return link;
  });
}

export async function removeLink(db: Database, actor: Actor, contactId: string, otherId: string, role: string): Promise<void> {
  authorize(actor, 'contact.write');
  await db.tx(async (tx) => {
    const contact = await lockWritableContact(tx, contactId);
    const removed = await deleteLink(tx, contact.id, otherId, cleanText(role) ?? '');
    if (!removed) throw new NotFound('Lien introuvable.');
    await touchContact(tx, contact.id);
    tx.audit({ actor, action: 'contact.link.remove', objectType: 'contact', objectId: contact.id, before: removed });
  });
}
