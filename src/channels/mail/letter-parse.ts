// Reading a letter's text for the indexing assistant: sender (name, postal address, email, phone),
// date, subject ("Objet :"), a case reference ("Réf. 2026-000123"), SIRET and RNA numbers. Each
// finding keeps the line it came from, so the clerk sees why it is proposed.
import { normalizePhone } from '../../modules/contacts/phone.ts';
import { isValidRna, isValidSiret } from '../../modules/contacts/identifiers.ts';

export interface Source {
  kind: 'text' | 'rule' | 'history' | 'contact' | 'case' | 'topic';
  /** 1-based line of the letter's text. */
  line?: number;
  excerpt?: string;
  /** In French, for the clerk. */
  detail: string;
}
export interface Proposal<T> {
  value: T;
  source: Source;
}

export interface ParsedSender {
  kind: 'person' | 'organisation';
  name?: Proposal<string>;
  firstName?: string;
  lastName?: string;
  orgName?: string;
  address?: Proposal<{ line1: string; postcode: string; city: string }>;
  email?: Proposal<string>;
  phone?: Proposal<string>;
}

export interface ParsedLetter {
  sender: ParsedSender;
  date?: Proposal<string>;
  subject?: Proposal<string>;
  caseReference?: Proposal<string>;
  siret?: Proposal<string>;
  rna?: Proposal<string>;
}

const MONTHS = ['janvier', 'fevrier', 'mars', 'avril', 'mai', 'juin', 'juillet', 'aout', 'septembre', 'octobre', 'novembre', 'decembre'];
const RECIPIENT_RE = /(conseil\s+d[ée]partemental|d[ée]partement\b|pr[ée]sident|pr[ée]fecture|h[ôo]tel\s+du\s+d[ée]partement|services?\s+du\s+courrier)/i;
const ORG_RE = /\b(association|soci[ée]t[ée]|sarl|sas|sasu|eurl|sci|mairie|commune|comit[ée]|club|entreprise|f[ée]d[ée]ration|syndicat|coop[ée]rative|gaec|ehpad|coll[èe]ge|lyc[ée]e|[ée]cole)\b/i;
// « Madame Jeanne », and « MadameJeanne » as OCR sometimes glues them
const CIVILITY_RE = /^(?:[Mm]\.|M[Rr]\.?|M[Mm][Ee]\.?|M[Ll][Ll][Ee]\.?|[Mm]onsieur|[Mm]adame|[Mm]ademoiselle|MONSIEUR|MADAME)(?:\s+|(?=\p{Lu}))/u;
const POSTCODE_LINE_RE = /^(?:.*?\s)?(\d{5})\s+([A-Za-zÀ-ÖØ-öø-ÿ][A-Za-zÀ-ÖØ-öø-ÿ' \-]*?)(?:\s+cedex(?:\s*\d+)?)?\s*$/i;
const STREET_RE = /\d|\b(rue|avenue|av\.|boulevard|bd|chemin|route|place|impasse|all[ée]e|lieu-dit|quai|cours|hameau|r[ée]sidence|bp|lotissement)\b/i;

function fold(s: string) {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

function src(line: number, excerpt: string, detail: string): Source {
  return { kind: 'text', line: line + 1, excerpt: excerpt.trim().slice(0, 200), detail };
}

export function parseLetter(text: string): ParsedLetter {
  const lines = text.split(/\r?\n/).map(cleanLine);
  const out: ParsedLetter = { sender: { kind: 'person' } };

  // subject and reference
  for (const [i, l] of lines.entries()) {
    const m = /^(?:[O0]bjet|OBJET)\s*[:;.]\s*(.+)$/.exec(l);
    if (m && !out.subject) out.subject = { value: m[1].trim(), source: src(i, l, 'Ligne « Objet »') };
    const r = /R[ée]f(?:[ée]rence)?\.?\s*(?:dossier|demande)?\s*(?:n[°o]\.?)?\s*[:.]?\s*(\d{4})\s*[-–]\s*(\d{6,})/i.exec(l);
    if (r && !out.caseReference) out.caseReference = { value: `${r[1]}-${r[2]}`, source: src(i, l, 'Référence citée dans le courrier') };
  }
  if (!out.caseReference) {
    for (const [i, l] of lines.entries()) {
      const r = /\b(20\d{2})-(\d{6})\b/.exec(l);
      if (r) {
        out.caseReference = { value: `${r[1]}-${r[2]}`, source: src(i, l, 'Numéro ressemblant à une référence de demande') };
        break;
      }
    }
  }

  // date: « le 12 mars 2026 », « le 1er mars 2026 », « le 12/03/2026 »
  for (const [i, l] of lines.entries()) {
    const f = fold(l);
    const m = /\b(\d{1,2})(?:er)?\s+(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)\s+(\d{4})\b/.exec(f);
    const n = /\ble\s+(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b/.exec(f);
    const iso = m ? isoDate(Number(m[3]), MONTHS.indexOf(m[2]) + 1, Number(m[1])) : n ? isoDate(Number(n[3]), Number(n[2]), Number(n[1])) : null;
    if (iso) {
      out.date = { value: iso, source: src(i, l, 'Date du courrier') };
      break;
    }
  }

  // identifiers
  for (const [i, l] of lines.entries()) {
    if (!out.siret) {
      for (const m of l.matchAll(/\b(\d{3}\s?\d{3}\s?\d{3}\s?\d{5})\b/g)) {
        const v = m[1].replace(/\s/g, '');
        if (isValidSiret(v)) out.siret = { value: v, source: src(i, l, 'Numéro SIRET (contrôle de validité correct)') };
      }
    }
    if (!out.rna) {
      const m = /\b(W\s?\d{3}\s?\d{3}\s?\d{3})\b/.exec(l);
      const v = m?.[1].replace(/\s/g, '');
      if (v && isValidRna(v)) out.rna = { value: v, source: src(i, l, 'Numéro RNA (répertoire des associations)') };
    }
  }

  // email and phone (the first ones: letterheads of the sender come first)
  for (const [i, l] of lines.entries()) {
    const e = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/.exec(l);
    if (e && !out.sender.email && !RECIPIENT_RE.test(l)) out.sender.email = { value: e[0].toLowerCase().replace(/[.,;]$/, ''), source: src(i, l, 'Adresse électronique') };
    const p = /(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}/.exec(l);
    if (p && !out.sender.phone) {
      const e164 = normalizePhone(p[0]);
      if (e164) out.sender.phone = { value: e164, source: src(i, l, 'Numéro de téléphone') };
    }
  }

  // sender block: the first postal address not addressed to the département
  for (let i = 0; i < lines.length; i++) {
    const m = POSTCODE_LINE_RE.exec(lines[i]);
    if (!m) continue;
    const start = blockStart(lines, i);
    const block = lines.slice(start, i + 1);
    if (block.some((b) => RECIPIENT_RE.test(b))) continue;
    const city = m[2].trim();
    const street = i > start && STREET_RE.test(lines[i - 1]) ? lines[i - 1] : '';
    out.sender.address = { value: { line1: street, postcode: m[1], city }, source: src(i, [street, lines[i]].filter(Boolean).join(', '), 'Bloc adresse de l’expéditeur') };
    const nameLines = block.slice(0, street ? block.length - 2 : block.length - 1).filter((b) => !STREET_RE.test(b) || ORG_RE.test(b));
    const org = nameLines.find((b) => ORG_RE.test(b));
    const person = nameLines.find((b) => CIVILITY_RE.test(b)) ?? nameLines.find((b) => !ORG_RE.test(b));
    if (org) {
      out.sender.kind = 'organisation';
      out.sender.orgName = org;
      out.sender.name = { value: org, source: src(start + block.indexOf(org), org, 'Nom en tête du bloc adresse') };
    } else if (person) {
      const bare = person.replace(CIVILITY_RE, '').trim();
      const parts = bare.split(' ');
      const upper = parts.findIndex((w) => w.length > 1 && w === w.toUpperCase() && /\p{L}/u.test(w));
      const cut = upper > 0 ? upper : parts.length - 1;
      out.sender.firstName = parts.slice(0, cut).join(' ') || undefined;
      out.sender.lastName = parts.slice(cut).join(' ');
      out.sender.name = { value: bare, source: src(start + block.indexOf(person), person, 'Nom en tête du bloc adresse') };
    }
    break;
  }
  return out;
}

/** One line without the specks OCR reads on a noisy scan (stray dots, dashes, quotes at either end). */
export function cleanLine(l: string): string {
  return l
    .replace(/\s+/g, ' ')
    .replace(/^[\s.,;:_=\-–—'"“”‘’|*~]+/, '')
    .replace(/(?:\s+[.,;:_=\-–—'"“”‘’|*~]+)+\s*$/, '')
    .replace(/[\s_=|*~]+$/, '')
    .trim();
}

/** The first line of the block that ends at `end`: up to 4 lines back, stopping at a blank line. */
function blockStart(lines: string[], end: number): number {
  let s = end;
  while (s > 0 && end - s < 4 && lines[s - 1] !== '') s--;
  return s;
}

function isoDate(y: number, m: number, d: number): string | null {
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1900 || y > 2100) return null;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}
