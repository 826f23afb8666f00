// The demo's usagers: inhabitants of real Loiret communes, associations with their president and
// treasurer, companies, public bodies, and the communes themselves with their mayor. A few people are
// recorded twice (spelling, email written differently) so that duplicate detection has work to show.
import type { Prng } from './prng.ts';
import { LOIRET_COMMUNES, STREET_NAMES, distinctCommunes, ofCommune, type Commune } from './places.data.ts';
import {
  COMPANY_NAMES,
  CULTURE_ASSOC_PATTERNS,
  EMAIL_DOMAINS,
  FIRST_NAMES_F,
  FIRST_NAMES_M,
  LAST_NAMES,
  PUBLIC_BODIES,
  SOCIAL_ASSOC_PATTERNS,
  SPORT_CLUB_PATTERNS,
} from './people.data.ts';
import { makeLandline, makeMobile, makeRna, makeSiret } from './identifiers.ts';

export type ContactGroup = 'senior' | 'adult' | 'parent' | 'mayor' | 'sport-assoc' | 'culture-assoc' | 'assoc' | 'company' | 'public-body' | 'commune';

export interface DemoAddress {
  line1: string;
  line2: string | null;
  postcode: string;
  city: string;
}

export interface DemoContact {
  id: string;
  kind: 'person' | 'organisation';
  segment: 'particulier' | 'professionnel' | 'association' | 'collectivite';
  orgType: 'association' | 'company' | 'commune' | 'public_body' | null;
  group: ContactGroup;
  civility: 'M.' | 'Mme' | null;
  firstName: string | null;
  lastName: string | null;
  orgName: string | null;
  displayName: string;
  birthDate: string | null;
  siret: string | null;
  siren: string | null;
  rna: string | null;
  insee: string | null;
  notes: string | null;
  toCheck: boolean;
  emails: string[];
  phones: Array<{ e164: string; label: string }>;
  address: DemoAddress | null;
  commune: Commune;
  /** When the contact was first recorded (before its first case). */
  createdAt: Date;
  /** Intentional duplicate of another contact (for the counts in the report). */
  duplicateOf?: string;
}

export interface DemoLink {
  personId: string;
  organisationId: string;
  role: string;
}

export interface DemoContacts {
  all: DemoContact[];
  links: DemoLink[];
  byGroup: Record<ContactGroup, DemoContact[]>;
  /** Persons without the intentional duplicates: the pool cases draw from. */
  persons: DemoContact[];
}

const DAY = 86_400_000;

export function slug(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function unaccent(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

function pickCommune(rng: Prng): Commune {
  return rng.weighted(LOIRET_COMMUNES, (c) => c.weight);
}

function makeAddress(rng: Prng, commune: Commune): DemoAddress {
  const street = rng.pick(STREET_NAMES);
  const line1 = street.startsWith('lieu-dit') || street.startsWith('hameau') ? street.replace(/^./, (c) => c.toUpperCase()) : `${rng.int(1, 180)}${rng.chance(0.06) ? ' bis' : ''} ${street}`;
  const line2 = rng.chance(0.12) ? rng.pick(['Bâtiment B, appartement 12', 'Résidence Les Tilleuls', 'Appartement 3', 'Escalier A, 2e étage', 'Boîte postale 7']) : null;
  return { line1, line2, postcode: commune.postcode, city: commune.name };
}

function emailFor(rng: Prng, first: string, last: string): string {
  const f = slug(first).replace(/-/g, rng.chance(0.5) ? '-' : '');
  const l = slug(last).replace(/-/g, '');
  const domain = rng.choose(EMAIL_DOMAINS);
  const local = rng.choose<() => string>([
    [() => `${f}.${l}`, 45],
    [() => `${f}${l}`, 10],
    [() => `${f[0]}.${l}`, 12],
    [() => `${f}.${l}${rng.int(1, 99)}`, 15],
    [() => `${l}.${f}`, 8],
    [() => `${f}${rng.int(1950, 2005)}`, 10],
  ])();
  return `${local}@${domain}`;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export interface ContactOptions {
  persons: number;
  now: Date;
}

export function generateContacts(rng: Prng, opts: ContactOptions): DemoContacts {
  const all: DemoContact[] = [];
  const links: DemoLink[] = [];
  const usedPhones = new Set<string>();
  const usedEmails = new Set<string>();
  const now = opts.now.getTime();
  // Most contacts were known before the demo year; those first seen during it get their date later.
  const baseline = () => new Date(now - (380 + rng.int(0, 5 * 365)) * DAY - rng.int(0, DAY));

  const uniquePhone = (make: () => string) => {
    for (;;) {
      const p = make();
      if (!usedPhones.has(p)) {
        usedPhones.add(p);
        return p;
      }
    }
  };
  const uniqueEmail = (make: () => string) => {
    for (let i = 0; ; i++) {
      const e = make();
      if (!usedEmails.has(e) || i > 20) {
        usedEmails.add(e);
        return e;
      }
    }
  };

  function person(group: 'senior' | 'adult' | 'parent' | 'mayor', commune = pickCommune(rng)): DemoContact {
    const female = rng.chance(0.52);
    const first = rng.pick(female ? FIRST_NAMES_F : FIRST_NAMES_M);
    const last = rng.pick(LAST_NAMES);
    const birthYear = group === 'senior' ? rng.int(1928, 1958) : group === 'parent' ? rng.int(1975, 1996) : group === 'mayor' ? rng.int(1950, 1985) : rng.int(1959, 2005);
    const birthDate = rng.chance(group === 'mayor' ? 0 : 0.7) ? isoDay(Date.UTC(birthYear, rng.int(0, 11), rng.int(1, 28))) : null;
    const senior = group === 'senior';
    const emails = rng.chance(senior ? 0.35 : group === 'mayor' ? 0.9 : 0.78) ? [uniqueEmail(() => emailFor(rng, first, last))] : [];
    if (emails.length && rng.chance(0.05)) emails.push(uniqueEmail(() => emailFor(rng, first, last)));
    const phones: DemoContact['phones'] = [];
    if (rng.chance(senior ? 0.55 : 0.88)) phones.push({ e164: uniquePhone(() => makeMobile(rng)), label: 'mobile' });
    if (rng.chance(senior ? 0.65 : 0.18)) phones.push({ e164: uniquePhone(() => makeLandline(rng)), label: 'domicile' });
    const c: DemoContact = {
      id: rng.uuid(),
      kind: 'person',
      segment: 'particulier',
      orgType: null,
      group,
      civility: female ? 'Mme' : 'M.',
      firstName: first,
      lastName: last,
      orgName: null,
      displayName: `${first} ${last}`,
      birthDate,
      siret: null,
      siren: null,
      rna: null,
      insee: null,
      notes: rng.chance(0.03) ? rng.pick(['Préfère être contacté par téléphone le matin.', 'Malentendant : privilégier l\'écrit.', 'Souhaite recevoir les réponses par courriel.', 'Parle peu le français : proposer un interprète.']) : null,
      toCheck: rng.chance(0.02),
      emails,
      phones,
      address: rng.chance(0.95) ? makeAddress(rng, commune) : null,
      commune,
      createdAt: baseline(),
    };
    all.push(c);
    return c;
  }

  // -- inhabitants -------------------------------------------------------------------------------
  const persons: DemoContact[] = [];
  for (let i = 0; i < opts.persons; i++) {
    const r = rng.next();
    persons.push(person(r < 0.27 ? 'senior' : r < 0.62 ? 'parent' : 'adult'));
  }

  // -- intentional duplicates ----------------------------------------------------------------------
  const dupCount = Math.max(3, Math.round(opts.persons / 85));
  for (let i = 0; i < dupCount; i++) {
    const src = persons[rng.int(0, persons.length - 1)];
    if (src.duplicateOf || (!src.emails.length && !src.phones.length)) continue;
    const variant = i % 3;
    const first = variant === 0 ? unaccent(src.firstName!) : src.firstName!;
    const last = variant === 0 ? unaccent(src.lastName!) : src.lastName!;
    let emails: string[] = [];
    let phones: DemoContact['phones'] = [];
    if (variant === 0) {
      // typed without accents by a call-center agent, same mobile
      phones = src.phones.length ? [src.phones[0]] : [{ e164: uniquePhone(() => makeMobile(rng)), label: 'mobile' }];
    } else if (variant === 1) {
      // email written differently (dots, hyphens), same address
      const base = src.emails[0] ?? emailFor(rng, first, last);
      const [local, domain] = base.split('@');
      const alt = local.includes('.') ? local.replace(/\./g, '') : local.replace(/-/g, '.');
      emails = [`${alt === local ? local + '.' + rng.int(1, 9) : alt}@${domain}`];
    } else {
      // same email, created from an unknown email sender: to check
      emails = src.emails.length ? [src.emails[0]] : [uniqueEmail(() => emailFor(rng, first, last))];
    }
    all.push({
      ...src,
      id: rng.uuid(),
      firstName: first,
      lastName: last,
      displayName: `${first} ${last}`,
      birthDate: variant === 1 ? src.birthDate : null,
      notes: null,
      toCheck: variant === 2,
      emails,
      phones,
      address: variant === 2 ? null : src.address,
      createdAt: new Date(now - rng.int(5, 300) * DAY),
      duplicateOf: src.id,
    });
  }

  const adults = persons.filter((p) => p.group !== 'senior');
  const organisation = (o: Partial<DemoContact> & Pick<DemoContact, 'segment' | 'orgType' | 'group' | 'orgName' | 'commune'>): DemoContact => {
    const c: DemoContact = {
      id: rng.uuid(),
      kind: 'organisation',
      civility: null,
      firstName: null,
      lastName: null,
      displayName: o.orgName!,
      birthDate: null,
      siret: null,
      siren: null,
      rna: null,
      insee: null,
      notes: null,
      toCheck: false,
      emails: [],
      phones: [],
      address: null,
      createdAt: baseline(),
      ...o,
    };
    all.push(c);
    return c;
  };

  // -- associations with their president and treasurer -------------------------------------------
  const assocGroups: Array<[ContactGroup, string[], number]> = [
    ['sport-assoc', SPORT_CLUB_PATTERNS, 62],
    ['culture-assoc', CULTURE_ASSOC_PATTERNS, 56],
    ['assoc', SOCIAL_ASSOC_PATTERNS, 32],
  ];
  const usedNames = new Set<string>();
  for (const [group, patterns, count] of assocGroups) {
    for (let i = 0; i < count; i++) {
      let name = '';
      let commune = pickCommune(rng);
      for (let attempt = 0; attempt < 50; attempt++) {
        commune = pickCommune(rng);
        name = rng.pick(patterns).replace('{de}', ofCommune(commune.name));
        if (!usedNames.has(name)) break;
      }
      if (usedNames.has(name)) continue;
      usedNames.add(name);
      const { siren, siret } = makeSiret(rng, rng.pick(['4', '5', '7', '8']));
      const a = organisation({
        segment: 'association',
        orgType: 'association',
        group,
        orgName: name,
        commune,
        siren,
        siret,
        rna: makeRna(rng),
        emails: [uniqueEmail(() => `${rng.pick(['contact.', 'asso.', '', 'secretariat.'])}${slug(name).slice(0, 40).replace(/-/g, rng.chance(0.5) ? '' : '.')}@${rng.choose(EMAIL_DOMAINS.slice(0, 5))}`)],
        phones: [{ e164: uniquePhone(() => (rng.chance(0.6) ? makeMobile(rng) : makeLandline(rng))), label: 'siège' }],
        address: {
          line1: rng.chance(0.4) ? 'Maison des associations' : `${rng.int(1, 60)} ${rng.pick(STREET_NAMES)}`,
          line2: rng.chance(0.3) ? `Boîte aux lettres ${rng.int(1, 40)}` : null,
          postcode: commune.postcode,
          city: commune.name,
        },
      });
      const president = rng.pick(adults);
      let treasurer = rng.pick(adults);
      if (treasurer.id === president.id) treasurer = adults[(adults.indexOf(president) + 1) % adults.length];
      links.push({ personId: president.id, organisationId: a.id, role: 'president' }, { personId: treasurer.id, organisationId: a.id, role: 'tresorier' });
    }
  }

  // -- companies -----------------------------------------------------------------------------------
  for (const name of COMPANY_NAMES) {
    const commune = pickCommune(rng);
    const { siren, siret } = makeSiret(rng, rng.pick(['3', '4', '5', '8', '9']));
    const co = organisation({
      segment: 'professionnel',
      orgType: 'company',
      group: 'company',
      orgName: name,
      commune,
      siren,
      siret,
      emails: [uniqueEmail(() => `${rng.pick(['contact', 'accueil', 'direction', 'compta'])}@${slug(name).replace(/-(sarl|sas|eurl|scea)$|^(sarl|sas|eurl|scea)-/g, '').slice(0, 30)}.fr`)],
      phones: [{ e164: uniquePhone(() => makeLandline(rng)), label: 'standard' }],
      address: makeAddress(rng, commune),
    });
    if (rng.chance(0.5)) links.push({ personId: rng.pick(adults).id, organisationId: co.id, role: 'gerant' });
  }

  // -- public bodies ---------------------------------------------------------------------------------
  for (const name of PUBLIC_BODIES) {
    const commune = LOIRET_COMMUNES[0];
    const { siren, siret } = makeSiret(rng, '1');
    organisation({
      segment: 'collectivite',
      orgType: 'public_body',
      group: 'public-body',
      orgName: name,
      commune,
      siren,
      siret,
      emails: [`accueil@${slug(name).split('-').filter((w) => w.length > 2).slice(0, 3).join('-')}.fr`],
      phones: [{ e164: uniquePhone(() => makeLandline(rng)), label: 'standard' }],
      address: makeAddress(rng, commune),
    });
  }

  // -- the communes, each with its mayor ---------------------------------------------------------------
  for (const commune of distinctCommunes()) {
    const { siren, siret } = makeSiret(rng, '2145');
    const c = organisation({
      segment: 'collectivite',
      orgType: 'commune',
      group: 'commune',
      orgName: `Commune ${ofCommune(commune.name)}`,
      commune,
      siren,
      siret,
      insee: commune.insee,
      emails: [`mairie@${slug(commune.name)}.fr`],
      phones: [{ e164: uniquePhone(() => makeLandline(rng)), label: 'mairie' }],
      address: { line1: rng.chance(0.5) ? 'Place de la Mairie' : `${rng.int(1, 20)} rue de la Mairie`, line2: 'Hôtel de ville', postcode: commune.postcode, city: commune.name },
    });
    const mayor = person('mayor', commune);
    links.push({ personId: mayor.id, organisationId: c.id, role: 'maire' });
  }

  const byGroup = {} as Record<ContactGroup, DemoContact[]>;
  for (const g of ['senior', 'adult', 'parent', 'mayor', 'sport-assoc', 'culture-assoc', 'assoc', 'company', 'public-body', 'commune'] as ContactGroup[]) {
    byGroup[g] = all.filter((c) => c.group === g && !c.duplicateOf);
  }
  return { all, links, byGroup, persons: persons.filter((p) => !p.duplicateOf) };
}
