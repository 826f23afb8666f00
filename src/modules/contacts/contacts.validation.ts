// Turns what people typed into the values stored for a contact, or into named French errors. Every
// entry point (API, case creation by a channel, CLI) goes through these rules.
import { Invalid, type FieldErrors } from '../../platform/errors.ts';
import { normalizeEmail } from './email.ts';
import { normalizePhone } from './phone.ts';
import { compactIdentifier, IDENTIFIER_MESSAGES, isValidRna, isValidSiren, isValidSiret } from './identifiers.ts';
import type { AddressInput, Civility, ContactKind, OrgType, Segment } from './contacts.schema.ts';

/** The identity columns of a contact, as stored. */
export interface Identity {
  kind: ContactKind;
  segment: Segment;
  orgType: OrgType | null;
  civility: Civility | null;
  firstName: string | null;
  lastName: string | null;
  orgName: string | null;
  displayName: string;
  birthDate: string | null;
  siret: string | null;
  siren: string | null;
  rna: string | null;
  inseeCode: string | null;
  notes: string | null;
}

export type IdentityInput = Partial<Omit<Identity, 'kind' | 'segment' | 'displayName'>> & { kind: ContactKind; segment: Segment };

export interface AddressValues {
  line1: string;
  line2: string | null;
  postcode: string;
  city: string;
  country: string;
  label: string | null;
}

export function throwIfInvalid(errors: FieldErrors): void {
  if (Object.keys(errors).length) throw new Invalid(errors);
}

/** Trimmed, inner runs of spaces collapsed; empty becomes null. */
export function cleanText(v: string | null | undefined): string | null {
  const t = v?.replace(/\s+/g, ' ').trim();
  return t ? t : null;
}

export function checkEmail(raw: string, field: string, errors: FieldErrors): string | null {
  const email = normalizeEmail(raw);
  if (!email) errors[field] = `Adresse électronique invalide : « ${raw.trim()} ».`;
  return email;
}

export function checkPhone(raw: string, field: string, errors: FieldErrors): string | null {
  const e164 = normalizePhone(raw);
  if (!e164) errors[field] = `Numéro de téléphone invalide : « ${raw.trim()} ».`;
  return e164;
}

export function checkAddress(a: AddressInput, prefix: string, errors: FieldErrors): AddressValues {
  const country = a.country ?? 'FR';
  const values: AddressValues = {
    line1: cleanText(a.line1) ?? '',
    line2: cleanText(a.line2),
    postcode: (cleanText(a.postcode) ?? '').toUpperCase(),
    city: cleanText(a.city) ?? '',
    country,
    label: cleanText(a.label),
  };
  if (!values.line1) errors[`${prefix}.line1`] = 'Adresse obligatoire.';
  if (!values.city) errors[`${prefix}.city`] = 'Commune obligatoire.';
  if (country === 'FR' ? !/^\d{5}$/.test(values.postcode) : !values.postcode) {
    errors[`${prefix}.postcode`] = country === 'FR' ? 'Code postal : 5 chiffres.' : 'Code postal obligatoire.';
  }
  return values;
}

/**
 * What agents read everywhere: persons as given ("Marie Dupont"), organisations by their name. A person
 * known only by a free-form name (from a channel) keeps it until first or last name are entered.
 */
export function displayNameOf(i: Pick<Identity, 'kind' | 'firstName' | 'lastName' | 'orgName'>, fallback: string | null = null): string | null {
  if (i.kind === 'organisation') return i.orgName ?? fallback;
  return cleanText([i.firstName, i.lastName].filter(Boolean).join(' ')) ?? fallback;
}

function isRealDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

function checkBirthDate(v: string | null, errors: FieldErrors): void {
  if (v === null) return;
  const today = new Date().toISOString().slice(0, 10);
  if (!isRealDate(v) || v < '1900-01-01' || v > today) errors.birthDate = 'Date de naissance invalide (AAAA-MM-JJ, dans le passé).';
}

function checkOrganisationIds(i: Identity, errors: FieldErrors): void {
  if (i.siret !== null && !isValidSiret(i.siret)) errors.siret = IDENTIFIER_MESSAGES.siret;
  if (i.siren !== null && !isValidSiren(i.siren)) errors.siren = IDENTIFIER_MESSAGES.siren;
  if (i.siret && i.siren && !errors.siret && !errors.siren && !i.siret.startsWith(i.siren)) errors.siren = IDENTIFIER_MESSAGES.sirenMismatch;
  if (i.rna !== null && !isValidRna(i.rna)) errors.rna = IDENTIFIER_MESSAGES.rna;
  if (i.inseeCode !== null && !/^(\d{5}|2[AB]\d{3})$/.test(i.inseeCode)) errors.inseeCode = 'Code INSEE de commune invalide (5 caractères).';
}

function checkKindFields(i: Identity, errors: FieldErrors): void {
  if (i.kind === 'organisation') {
    for (const f of ['civility', 'firstName', 'lastName', 'birthDate'] as const) {
      if (i[f] !== null) errors[f] = 'Réservé aux personnes.';
    }
  } else if (i.orgType !== null) {
    errors.orgType = 'Réservé aux organisations.';
  }
}

/**
 * Normalises and checks identity fields; collects errors in `errors` (the caller throws once, with
 * every field at fault). `fallbackName` keeps a free-form name when no first/last name is given.
 */
export function checkIdentity(input: IdentityInput, errors: FieldErrors, fallbackName: string | null = null): Identity {
  const compact = (v: string | null | undefined) => (cleanText(v) === null ? null : compactIdentifier(v!));
  const siret = compact(input.siret);
  const i: Identity = {
    kind: input.kind,
    segment: input.segment,
    orgType: input.orgType ?? null,
    civility: input.civility ?? null,
    firstName: cleanText(input.firstName),
    lastName: cleanText(input.lastName),
    orgName: cleanText(input.orgName),
    displayName: '',
    birthDate: cleanText(input.birthDate),
    siret,
    // the SIREN is the first 9 digits of any SIRET: kept in step so either finds the organisation
    siren: compact(input.siren) ?? (siret && isValidSiret(siret) ? siret.slice(0, 9) : null),
    rna: compact(input.rna),
    inseeCode: compact(input.inseeCode),
    notes: input.notes?.trim() || null,
  };
  checkKindFields(i, errors);
  checkBirthDate(i.birthDate, errors);
  checkOrganisationIds(i, errors);
  const name = displayNameOf(i, fallbackName);
  if (name === null) {
    if (i.kind === 'organisation') errors.orgName = "Nom de l'organisation obligatoire.";
    else errors.lastName = 'Nom ou prénom obligatoire.';
  }
  i.displayName = name ?? '';
  return i;
}

/** Emails and phones given as lists: normalised, checked, repeated values dropped. */
export function checkEmailList(list: Array<{ email: string; label?: string | null }>, errors: FieldErrors) {
  const out = new Map<string, { email: string; label: string | null }>();
  list.forEach((e, n) => {
    const email = checkEmail(e.email, `emails.${n}.email`, errors);
    if (email && !out.has(email)) out.set(email, { email, label: cleanText(e.label) });
  });
  return [...out.values()];
}

export function checkPhoneList(list: Array<{ number: string; label?: string | null }>, errors: FieldErrors) {
  const out = new Map<string, { e164: string; label: string | null }>();
  list.forEach((p, n) => {
    const e164 = checkPhone(p.number, `phones.${n}.number`, errors);
    if (e164 && !out.has(e164)) out.set(e164, { e164, label: cleanText(p.label) });
  });
  return [...out.values()];
}
