// Field validation rules of the e-services engine, as a PURE module (no Node API, no database): the
// server validates submissions with it and the portal front end imports the same rules to show the same
// French messages as the citizen types. Each validator returns the normalised value or an error message.
import { compactIdentifier, isValidRna, isValidSiret } from '../contacts/identifiers.ts';
import { normalizePhone } from '../contacts/phone.ts';
import { normalizeEmail } from '../contacts/email.ts';

export const FIELD_TYPES = [
  'text', 'textarea', 'email', 'phone', 'date', 'number', 'amount', 'select', 'radio', 'checkbox', 'file',
  'address', 'postcode', 'siret', 'rna', 'iban',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** A condition on other answers: `{ "field": "type", "equals": "sport" }` and friends. */
export type Condition =
  | { field: string; equals: unknown }
  | { field: string; notEquals: unknown }
  | { field: string; in: unknown[] }
  | { field: string; filled: boolean }
  | { all: Condition[] }
  | { any: Condition[] };

export interface FieldOption {
  value: string;
  label: string;
}

export interface FieldDef {
  name: string;
  type: FieldType;
  label: string;
  help?: string;
  required?: boolean;
  when?: Condition;
  options?: FieldOption[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** dates: refuse a date after today / before today */
  notFuture?: boolean;
  notPast?: boolean;
  /** files: accepted MIME types and how many */
  accept?: string[];
  maxFiles?: number;
  /** copies the answer to the contact created for an anonymous submission */
  contact?: 'email' | 'phone' | 'firstName' | 'lastName' | 'orgName';
}

export interface PageDef {
  id: string;
  title: string;
  intro?: string;
  when?: Condition;
  fields: FieldDef[];
}

export type Answers = Record<string, unknown>;
export type Result<T = unknown> = { ok: true; value: T } | { ok: false; error: string };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const fail = (error: string): Result<never> => ({ ok: false, error });

// ---------------------------------------------------------------------------------------------
// Conditions
// ---------------------------------------------------------------------------------------------
function filled(v: unknown): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'boolean') return v;
  return true;
}

export function evaluate(cond: Condition | undefined, answers: Answers): boolean {
  if (!cond) return true;
  if ('all' in cond) return cond.all.every((c) => evaluate(c, answers));
  if ('any' in cond) return cond.any.some((c) => evaluate(c, answers));
  const v = answers[cond.field];
  if ('equals' in cond) return Array.isArray(v) ? v.includes(cond.equals) : v === cond.equals;
  if ('notEquals' in cond) return Array.isArray(v) ? !v.includes(cond.notEquals) : v !== cond.notEquals;
  if ('in' in cond) return cond.in.includes(v);
  if ('filled' in cond) return filled(v) === cond.filled;
  return true;
}

/** The pages and fields that apply given the answers so far (hidden ones are neither asked nor kept). */
export function visibleFields(pages: PageDef[], answers: Answers): FieldDef[] {
  return pages.filter((p) => evaluate(p.when, answers)).flatMap((p) => p.fields.filter((f) => evaluate(f.when, answers)));
}

// ---------------------------------------------------------------------------------------------
// Validators (French messages)
// ---------------------------------------------------------------------------------------------
export function validateText(raw: unknown, maxLength = 500): Result<string> {
  if (typeof raw !== 'string') return fail('Texte attendu.');
  const v = raw.replace(/\r\n/g, '\n').trim();
  if (v.length > maxLength) return fail(`Ce texte ne doit pas dépasser ${maxLength} caractères.`);
  return ok(v);
}

export function validateEmail(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? normalizeEmail(raw) : null;
  return v ? ok(v) : fail('Adresse électronique invalide (exemple : prenom.nom@exemple.fr).');
}

export function validatePhone(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? normalizePhone(raw) : null;
  return v ? ok(v) : fail('Numéro de téléphone invalide (exemple : 06 12 34 56 78).');
}

/** French postcodes: 5 digits, département 01–98 (2A/2B are written 20xxx). */
export function validatePostcode(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? raw.replace(/\s/g, '') : '';
  return /^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$/.test(v) ? ok(v) : fail('Code postal invalide : 5 chiffres (exemple : 45000).');
}

function isoOf(y: number, m: number, d: number): string | null {
  const dt = new Date(Date.UTC(y, m - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) return null;
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** `2024-03-15` or `15/03/2024` → `2024-03-15`. `today` (YYYY-MM-DD) is injectable for tests. */
export function validateDate(raw: unknown, opts: { notFuture?: boolean; notPast?: boolean; today?: string } = {}): Result<string> {
  const s = typeof raw === 'string' ? raw.trim() : '';
  let iso: string | null = null;
  let m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (m) iso = isoOf(+m[1], +m[2], +m[3]);
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s))) iso = isoOf(+m[3], +m[2], +m[1]);
  if (!iso) return fail('Date invalide : utilisez le format JJ/MM/AAAA (exemple : 15/03/2024).');
  if (iso < '1900-01-01' || iso > '2100-12-31') return fail('Date hors des limites acceptées.');
  const today = opts.today ?? new Date().toISOString().slice(0, 10);
  if (opts.notFuture && iso > today) return fail('La date ne peut pas être dans le futur.');
  if (opts.notPast && iso < today) return fail('La date ne peut pas être dans le passé.');
  return ok(iso);
}

function parseFrenchNumber(raw: unknown): number | null {
  if (typeof raw === 'number') return Number.isFinite(raw) ? raw : null;
  if (typeof raw !== 'string') return null;
  const s = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/€$/, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(s) ? Number(s) : null;
}

export function validateNumber(raw: unknown, opts: { min?: number; max?: number } = {}): Result<number> {
  const n = parseFrenchNumber(raw);
  if (n === null) return fail('Nombre attendu (exemple : 12 ou 12,5).');
  if (opts.min !== undefined && n < opts.min) return fail(`La valeur doit être au moins ${opts.min}.`);
  if (opts.max !== undefined && n > opts.max) return fail(`La valeur ne doit pas dépasser ${opts.max}.`);
  return ok(n);
}

/** Euros with at most 2 decimals: `1 234,50 €` → 1234.5. */
export function validateAmount(raw: unknown, opts: { min?: number; max?: number } = {}): Result<number> {
  const n = parseFrenchNumber(raw);
  if (n === null || Math.round(n * 100) !== Math.round(n * 100 * 1000) / 1000) return fail('Montant invalide : en euros, deux décimales au plus (exemple : 1 500,00).');
  if (n < (opts.min ?? 0)) return fail(`Le montant doit être au moins ${opts.min ?? 0} €.`);
  if (opts.max !== undefined && n > opts.max) return fail(`Le montant ne doit pas dépasser ${opts.max} €.`);
  return ok(Math.round(n * 100) / 100);
}

export function validateSiret(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? compactIdentifier(raw) : '';
  if (!/^\d{14}$/.test(v)) return fail('SIRET invalide : 14 chiffres (exemple : 732 829 320 00074).');
  return isValidSiret(v) ? ok(v) : fail('SIRET invalide : la clé de contrôle ne correspond pas (vérifiez la saisie).');
}

export function validateRna(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? compactIdentifier(raw) : '';
  return isValidRna(v) ? ok(v) : fail('Numéro RNA invalide : la lettre W suivie de 9 chiffres (exemple : W452001234).');
}

const IBAN_LENGTHS: Record<string, number> = { FR: 27, MC: 27, DE: 22, BE: 16, ES: 24, IT: 27, LU: 20, NL: 18, PT: 25, CH: 21, GB: 22, AT: 20, IE: 22 };

/** ISO 13616: country code, check digits, mod 97 = 1. Returns the IBAN without spaces. */
export function validateIban(raw: unknown): Result<string> {
  const v = typeof raw === 'string' ? raw.replace(/[\s-]/g, '').toUpperCase() : '';
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(v)) return fail('IBAN invalide : il commence par 2 lettres et 2 chiffres (exemple : FR76 3000 6000 0112 3456 7890 189).');
  const expected = IBAN_LENGTHS[v.slice(0, 2)];
  if (expected && v.length !== expected) return fail(`IBAN invalide : ${expected} caractères attendus pour ce pays.`);
  const rearranged = v.slice(4) + v.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const digits = code >= 65 ? String(code - 55) : ch;
    for (const d of digits) rest = (rest * 10 + (d.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1 ? ok(v) : fail('IBAN invalide : la clé de contrôle ne correspond pas (vérifiez la saisie).');
}

export interface Address {
  line1: string;
  line2?: string;
  postcode: string;
  city: string;
}

export function validateAddress(raw: unknown): { ok: true; value: Address } | { ok: false; errors: Record<string, string> } {
  const a = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const errors: Record<string, string> = {};
  const line1 = typeof a.line1 === 'string' ? a.line1.trim() : '';
  const city = typeof a.city === 'string' ? a.city.trim() : '';
  if (!line1) errors.line1 = 'Indiquez le numéro et la voie.';
  else if (line1.length > 200) errors.line1 = 'Adresse trop longue (200 caractères au plus).';
  if (!city) errors.city = 'Indiquez la commune.';
  else if (city.length > 100) errors.city = 'Nom de commune trop long.';
  const pc = validatePostcode(a.postcode);
  if (!pc.ok) errors.postcode = pc.error;
  if (Object.keys(errors).length) return { ok: false, errors };
  const line2 = typeof a.line2 === 'string' && a.line2.trim() ? a.line2.trim().slice(0, 200) : undefined;
  return { ok: true, value: { line1, ...(line2 ? { line2 } : {}), postcode: (pc as { value: string }).value, city } };
}

// ---------------------------------------------------------------------------------------------
// One field, one form
// ---------------------------------------------------------------------------------------------
/** Files as kept in drafts: what the store returned for each upload. */
export interface UploadedFile {
  sha256: string;
  filename: string;
  mimeType: string;
  size: number;
}

/** Validates one answer of a visible field; `undefined` value means "not answered". */
export function validateField(f: FieldDef, raw: unknown, opts: { today?: string } = {}): { value?: unknown; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!filled(raw)) {
    if (f.required) errors[f.name] = f.type === 'file' ? 'Cette pièce est obligatoire.' : f.type === 'checkbox' && !f.options ? 'Cette case doit être cochée.' : 'Ce champ est obligatoire.';
    return { errors };
  }
  const one = (r: Result) => {
    if (r.ok) return { value: r.value, errors };
    errors[f.name] = r.error;
    return { errors };
  };
  switch (f.type) {
    case 'text':
      return one(validateText(raw, f.maxLength ?? 300));
    case 'textarea':
      return one(validateText(raw, f.maxLength ?? 10_000));
    case 'email':
      return one(validateEmail(raw));
    case 'phone':
      return one(validatePhone(raw));
    case 'postcode':
      return one(validatePostcode(raw));
    case 'date':
      return one(validateDate(raw, { notFuture: f.notFuture, notPast: f.notPast, today: opts.today }));
    case 'number':
      return one(validateNumber(raw, f));
    case 'amount':
      return one(validateAmount(raw, f));
    case 'siret':
      return one(validateSiret(raw));
    case 'rna':
      return one(validateRna(raw));
    case 'iban':
      return one(validateIban(raw));
    case 'select':
    case 'radio': {
      const ok2 = typeof raw === 'string' && (f.options ?? []).some((o) => o.value === raw);
      return one(ok2 ? ok(raw) : fail('Choisissez une des réponses proposées.'));
    }
    case 'checkbox': {
      if (!f.options) return one(raw === true || raw === 'true' ? ok(true) : fail('Case à cocher attendue.'));
      const list = Array.isArray(raw) ? raw : [raw];
      const allowed = new Set(f.options.map((o) => o.value));
      return one(list.every((v) => typeof v === 'string' && allowed.has(v)) ? ok([...new Set(list)]) : fail('Choisissez parmi les réponses proposées.'));
    }
    case 'address': {
      const r = validateAddress(raw);
      if (r.ok) return { value: r.value, errors };
      for (const [k, v] of Object.entries(r.errors)) errors[`${f.name}.${k}`] = v;
      return { errors };
    }
    case 'file': {
      const list = Array.isArray(raw) ? (raw as UploadedFile[]) : [];
      if (list.some((x) => !x || typeof x.sha256 !== 'string')) return one(fail('Pièce jointe invalide.'));
      if (f.maxFiles !== undefined && list.length > f.maxFiles) return one(fail(`${f.maxFiles} fichier(s) au plus.`));
      return { value: list, errors };
    }
  }
}

/**
 * Validates the answers of a whole form: only visible fields are checked and kept (answers to hidden
 * fields are dropped), unknown names are ignored. Returns the normalised answers and the errors by field.
 */
export function validateAnswers(pages: PageDef[], answers: Answers, opts: { today?: string } = {}): { values: Answers; errors: Record<string, string> } {
  const values: Answers = {};
  const errors: Record<string, string> = {};
  for (const f of visibleFields(pages, answers)) {
    const r = validateField(f, answers[f.name], opts);
    Object.assign(errors, r.errors);
    if (r.value !== undefined) values[f.name] = r.value;
  }
  return { values, errors };
}

/** How an answer reads in a summary (emails, PDF, Mon espace). */
export function displayValue(f: FieldDef, v: unknown): string {
  if (v === undefined || v === null || v === '') return '—';
  switch (f.type) {
    case 'select':
    case 'radio':
      return f.options?.find((o) => o.value === v)?.label ?? String(v);
    case 'checkbox':
      if (!f.options) return v ? 'Oui' : 'Non';
      return (v as string[]).map((x) => f.options!.find((o) => o.value === x)?.label ?? x).join(', ');
    case 'amount':
      return `${(v as number).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} €`;
    case 'date': {
      const [y, m, d] = String(v).split('-');
      return `${d}/${m}/${y}`;
    }
    case 'address': {
      const a = v as Address;
      return [a.line1, a.line2, `${a.postcode} ${a.city}`].filter(Boolean).join(', ');
    }
    case 'iban':
      return String(v).replace(/(.{4})/g, '$1 ').trim();
    case 'file':
      return (v as UploadedFile[]).map((x) => x.filename).join(', ') || '—';
    default:
      return String(v);
  }
}
