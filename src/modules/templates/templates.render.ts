// Filling a reply template: {{reference}}, {{contact.name}}, {{agent.signature}}... are replaced by the
// values given. Plain text only (letters are laid out and emails escaped downstream).
//
// - A placeholder whose value is missing (undefined, or an object rather than a value) stays as written,
//   '{{contact.nmae}}' included, so that the agent sees it before sending.
// - null renders as nothing (a known value that is empty, e.g. an agent without a signature).
// - Days ('YYYY-MM-DD') and Date instants render as French dates: '1er décembre 2026', '14 mai 2026'.
// - {{today}} is today in Paris unless given.

const PLACEHOLDER_RE = /\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}/g;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;

/** Placeholders a reply template may use (documentation for administrators; others are allowed). */
export const TEMPLATE_PLACEHOLDERS: Record<string, string> = {
  reference: 'Référence de la demande (2026-000123)',
  'contact.name': 'Nom de l’usager',
  'unit.name': 'Service en charge',
  dueDate: 'Date d’échéance',
  'agent.name': 'Nom de l’agent',
  'agent.signature': 'Signature de l’agent',
  today: 'Date du jour',
};

const dayFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
const instantFormat = new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' });

function frenchDate(d: Date, format: Intl.DateTimeFormat): string {
  // French writes the first day of a month as an ordinal: « 1er décembre ».
  return format.format(d).replace(/^1 /, '1er ');
}

function lookup(vars: Record<string, unknown>, path: string): unknown {
  // A flat key ('contact.name': '...') is accepted as well as nested objects.
  if (path.includes('.') && Object.prototype.hasOwnProperty.call(vars, path)) return vars[path];
  let current: unknown = vars;
  for (const key of path.split('.')) {
    // Own properties only: '{{constructor.name}}' must not reach into prototypes.
    if (current === null || typeof current !== 'object' || !Object.prototype.hasOwnProperty.call(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function display(value: unknown): string | undefined {
  if (value === null) return '';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : frenchDate(value, instantFormat);
  switch (typeof value) {
    case 'string': {
      if (DAY_RE.test(value)) {
        const d = new Date(`${value}T00:00:00Z`);
        if (!Number.isNaN(d.getTime()) && d.toISOString().startsWith(value)) return frenchDate(d, dayFormat);
      }
      return value;
    }
    case 'number':
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? 'oui' : 'non';
    default:
      return undefined; // objects, arrays, functions: not a value to print
  }
}

export function renderTemplate(body: string, vars: Record<string, unknown>): string {
  return body.replace(PLACEHOLDER_RE, (whole: string, path: string) => {
    let value = lookup(vars, path);
    if (value === undefined && path === 'today') value = new Date();
    if (value === undefined) return whole;
    return display(value) ?? whole;
  });
}

/** The placeholders a template uses, in order of first appearance. */
export function templatePlaceholders(body: string): string[] {
  return [...new Set([...body.matchAll(PLACEHOLDER_RE)].map((m) => m[1]))];
}
