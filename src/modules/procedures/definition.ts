// The shape of a procedure (démarche en ligne) definition, and its structural check: used when loading
// procedures/*.json at start and when an administrator edits one through the API. Pure module.
import { FIELD_TYPES, type Condition, type FieldDef, type PageDef } from './fields.ts';

export const AUDIENCES = ['particulier', 'association', 'professionnel', 'collectivite'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const CASE_STATUSES = ['new', 'qualified', 'assigned', 'in_progress', 'waiting_on_contact', 'answered', 'closed'] as const;

/** What the citizen reads for each case status, unless a procedure says otherwise. */
export const DEFAULT_CITIZEN_STATUSES: Record<(typeof CASE_STATUSES)[number], string> = {
  new: 'Reçue',
  qualified: 'Reçue',
  assigned: 'Prise en charge',
  in_progress: 'En cours de traitement',
  waiting_on_contact: 'En attente de votre réponse',
  answered: 'Réponse envoyée',
  closed: 'Terminée',
};

export interface ProcedureDefinition {
  slug: string;
  title: string;
  description?: string;
  /** Catalogue grouping: a taxonomy domain code (e.g. culture-sport-associations). */
  domain: string;
  /** The topic the cases are qualified with (e.g. subvention-culture). */
  topic: string;
  audience: Audience[];
  anonymous: boolean;
  pages: PageDef[];
  /** Subject of the case; `{{field}}` is replaced by the answer as displayed. */
  subject?: string;
  /** Text shown on the summary page before sending. */
  summaryIntro?: string;
  workflow: {
    /** The unit in charge (units.code). */
    unit: string;
    /** Announced processing time in days (the case due date follows the topic's deadline). */
    deadlineDays?: number;
    /** Citizen wording of case statuses (overrides the defaults). */
    statuses?: Partial<Record<(typeof CASE_STATUSES)[number], string>>;
    /** Steps shown to the citizen, for information (the case lifecycle drives the status). */
    steps?: string[];
  };
  /** Optional topic per answer: e.g. culture or sport subsidies from one form. */
  topicFrom?: { field: string; map: Record<string, string> };
}

const SLUG = /^[a-z0-9][a-z0-9-]{1,62}$/;
const NAME = /^[a-zA-Z][a-zA-Z0-9_]{0,62}$/;

function checkCondition(c: unknown, names: Set<string>, where: string, errors: string[]) {
  if (c === undefined) return;
  const o = c as Record<string, unknown>;
  if (!o || typeof o !== 'object') return void errors.push(`${where} : condition invalide`);
  if (Array.isArray(o.all) || Array.isArray(o.any)) {
    for (const sub of (o.all ?? o.any) as Condition[]) checkCondition(sub, names, where, errors);
    return;
  }
  if (typeof o.field !== 'string' || !names.has(o.field)) errors.push(`${where} : la condition porte sur un champ inconnu (${String(o.field)})`);
  if (!['equals', 'notEquals', 'in', 'filled'].some((k) => k in o)) errors.push(`${where} : condition sans opérateur (equals, notEquals, in, filled)`);
}

/** Returns a list of French problems (empty when the definition is usable). */
export function checkDefinition(raw: unknown): string[] {
  const errors: string[] = [];
  const d = raw as ProcedureDefinition;
  if (!d || typeof d !== 'object') return ['La définition doit être un objet JSON.'];
  if (typeof d.slug !== 'string' || !SLUG.test(d.slug)) errors.push('slug : lettres minuscules, chiffres et tirets');
  if (typeof d.title !== 'string' || !d.title.trim()) errors.push('title : titre obligatoire');
  if (typeof d.domain !== 'string' || !SLUG.test(d.domain)) errors.push('domain : code de domaine obligatoire');
  if (typeof d.topic !== 'string' || !SLUG.test(d.topic)) errors.push('topic : code d’objet obligatoire');
  if (!Array.isArray(d.audience) || !d.audience.length || d.audience.some((a) => !(AUDIENCES as readonly string[]).includes(a))) {
    errors.push(`audience : une ou plusieurs valeurs parmi ${AUDIENCES.join(', ')}`);
  }
  if (typeof d.anonymous !== 'boolean') errors.push('anonymous : true ou false');
  if (!d.workflow || typeof d.workflow.unit !== 'string' || !SLUG.test(d.workflow.unit)) errors.push('workflow.unit : code du service en charge obligatoire');
  for (const k of Object.keys(d.workflow?.statuses ?? {})) {
    if (!(CASE_STATUSES as readonly string[]).includes(k)) errors.push(`workflow.statuses : statut inconnu ${k}`);
  }
  if (!Array.isArray(d.pages) || !d.pages.length) return [...errors, 'pages : au moins une page'];
  const names = new Set<string>();
  const all: Array<{ f: FieldDef; where: string }> = [];
  for (const [i, p] of d.pages.entries()) {
    if (!p || typeof p.title !== 'string' || !Array.isArray(p.fields)) {
      errors.push(`pages[${i}] : titre et champs obligatoires`);
      continue;
    }
    for (const [j, f] of p.fields.entries()) {
      const where = `pages[${i}].fields[${j}]`;
      if (!f || typeof f.name !== 'string' || !NAME.test(f.name)) errors.push(`${where} : nom de champ invalide`);
      else if (names.has(f.name)) errors.push(`${where} : le champ ${f.name} est déclaré deux fois`);
      else names.add(f.name);
      if (!(FIELD_TYPES as readonly string[]).includes(f?.type)) errors.push(`${where} : type inconnu (${String(f?.type)})`);
      if (typeof f?.label !== 'string' || !f.label.trim()) errors.push(`${where} : libellé obligatoire`);
      if (['select', 'radio'].includes(f?.type) && (!Array.isArray(f.options) || !f.options.length)) errors.push(`${where} : options obligatoires`);
      all.push({ f, where });
    }
  }
  for (const [i, p] of d.pages.entries()) checkCondition(p?.when, names, `pages[${i}]`, errors);
  for (const { f, where } of all) checkCondition(f?.when, names, where, errors);
  if (d.topicFrom && (!names.has(d.topicFrom.field) || typeof d.topicFrom.map !== 'object')) errors.push('topicFrom : champ inconnu ou correspondance absente');
  if (d.anonymous && !all.some(({ f }) => f?.contact === 'email')) errors.push('anonymous : une démarche ouverte sans compte doit demander une adresse électronique (champ avec "contact": "email")');
  return errors;
}

export function citizenStatusLabel(def: Pick<ProcedureDefinition, 'workflow'> | null, status: string): string {
  const s = status as keyof typeof DEFAULT_CITIZEN_STATUSES;
  return def?.workflow.statuses?.[s] ?? DEFAULT_CITIZEN_STATUSES[s] ?? status;
}

/** `Demande de subvention – {{nom}}` with the displayed answers. */
export function renderSubject(template: string, display: Record<string, string>): string {
  return template.replace(/\{\{\s*([a-zA-Z0-9_]+)\s*\}\}/g, (_m, k: string) => display[k] ?? '').replace(/\s+/g, ' ').trim();
}
