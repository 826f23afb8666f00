// Renders a procedure's fields as accessible HTML form controls (labels, hints, errors tied with
// aria-describedby, fieldsets for choices and addresses), with the answers so far.
import type { FieldDef, PageDef, UploadedFile } from '../../../modules/procedures/fields.ts';
import { esc } from './html.ts';

const INPUT_TYPES: Partial<Record<FieldDef['type'], string>> = { email: 'email', phone: 'tel', date: 'text', number: 'text', amount: 'text', siret: 'text', rna: 'text', iban: 'text', postcode: 'text', text: 'text' };
const AUTOCOMPLETE: Record<string, string> = { email: 'email', phone: 'tel', firstName: 'given-name', lastName: 'family-name', orgName: 'organization' };

function describedBy(id: string, f: FieldDef, error?: string) {
  const ids = [f.help ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return ids ? ` aria-describedby="${ids}"` : '';
}

function hintAndError(id: string, f: FieldDef, error?: string) {
  return `${f.help ? `<span class="hint" id="${id}-hint">${esc(f.help)}</span>` : ''}${error ? `<span class="error" id="${id}-err">${esc(error)}</span>` : ''}`;
}

export function renderField(f: FieldDef, value: unknown, errors: Record<string, string>, files: UploadedFile[] = []): string {
  const id = `f-${f.name}`;
  const err = errors[f.name];
  const req = f.required ? ' <span aria-hidden="true">*</span>' : '';
  const required = f.required ? ' required aria-required="true"' : '';
  const invalid = err ? ' aria-invalid="true"' : '';
  const when = f.when ? ` data-when="${esc(JSON.stringify(f.when))}"` : '';
  let control: string;
  switch (f.type) {
    case 'textarea':
      control = `<label for="${id}">${esc(f.label)}${req}</label>${hintAndError(id, f, err)}<textarea id="${id}" name="${f.name}"${required}${invalid}${describedBy(id, f, err)}${f.maxLength ? ` maxlength="${f.maxLength}"` : ''}>${esc(value)}</textarea>`;
      break;
    case 'select':
      control = `<label for="${id}">${esc(f.label)}${req}</label>${hintAndError(id, f, err)}<select id="${id}" name="${f.name}"${required}${invalid}${describedBy(id, f, err)}><option value="">— Choisir —</option>${(f.options ?? [])
        .map((o) => `<option value="${esc(o.value)}"${o.value === value ? ' selected' : ''}>${esc(o.label)}</option>`).join('')}</select>`;
      break;
    case 'radio':
    case 'checkbox': {
      if (f.type === 'checkbox' && !f.options) {
        control = `<div class="choice"><input type="checkbox" id="${id}" name="${f.name}" value="true"${value === true || value === 'true' ? ' checked' : ''}${required}${invalid}${describedBy(id, f, err)}><label for="${id}" style="margin:0">${esc(f.label)}${req}</label></div>${hintAndError(id, f, err)}`;
        break;
      }
      const list = Array.isArray(value) ? value : [value];
      control = `<fieldset id="${id}"${describedBy(id, f, err)}><legend>${esc(f.label)}${req}</legend>${hintAndError(id, f, err)}${(f.options ?? [])
        .map((o, i) => `<div class="choice"><input type="${f.type}" id="${id}-${i}" name="${f.name}" value="${esc(o.value)}"${list.includes(o.value) ? ' checked' : ''}><label for="${id}-${i}" style="margin:0;font-weight:400">${esc(o.label)}</label></div>`)
        .join('')}</fieldset>`;
      break;
    }
    case 'address': {
      const a = (value ?? {}) as Record<string, string>;
      const sub = (k: string, label: string, ac: string) => {
        const e = errors[`${f.name}.${k}`];
        return `<label for="${id}-${k}">${esc(label)}</label>${e ? `<span class="error" id="${id}-${k}-err">${esc(e)}</span>` : ''}<input type="text" id="${id}-${k}" name="${f.name}.${k}" value="${esc(a[k])}" autocomplete="${ac}"${e ? ` aria-invalid="true" aria-describedby="${id}-${k}-err"` : ''}>`;
      };
      control = `<fieldset id="${id}"><legend>${esc(f.label)}${req}</legend>${sub('line1', 'Numéro et voie', 'address-line1')}${sub('line2', 'Complément (facultatif)', 'address-line2')}${sub('postcode', 'Code postal', 'postal-code')}${sub('city', 'Commune', 'address-level2')}</fieldset>`;
      break;
    }
    case 'file':
      control = `<label for="${id}">${esc(f.label)}${req}</label><span class="hint" id="${id}-hint">${esc(f.help ?? 'Formats acceptés : PDF, JPEG, PNG. 10 Mo au plus.')}</span>${err ? `<span class="error" id="${id}-err">${esc(err)}</span>` : ''}${files.length ? `<span class="hint">Déjà joint : ${files.map((x) => esc(x.filename)).join(', ')}</span>` : ''}<input type="file" id="${id}" name="${f.name}"${f.accept ? ` accept="${esc(f.accept.join(','))}"` : ''}${(f.maxFiles ?? 1) > 1 ? ' multiple' : ''} aria-describedby="${id}-hint${err ? ` ${id}-err` : ''}"${invalid}>`;
      break;
    default: {
      const type = INPUT_TYPES[f.type] ?? 'text';
      const mode = ['number', 'amount', 'siret', 'postcode'].includes(f.type) ? ' inputmode="decimal"' : '';
      const ac = f.contact ? ` autocomplete="${AUTOCOMPLETE[f.contact]}"` : '';
      const placeholder = f.type === 'date' ? ' placeholder="JJ/MM/AAAA"' : '';
      control = `<label for="${id}">${esc(f.label)}${req}</label>${hintAndError(id, f, err)}<input type="${type}" id="${id}" name="${f.name}" value="${esc(typeof value === 'object' ? '' : value)}"${required}${invalid}${mode}${ac}${placeholder}${describedBy(id, f, err)}>`;
    }
  }
  return `<div class="field"${when}>${control}</div>`;
}

export function renderPages(pages: PageDef[], values: Record<string, unknown>, errors: Record<string, string>, files: Record<string, UploadedFile[]>): string {
  return pages
    .map((p) => `<fieldset${p.when ? ` data-when="${esc(JSON.stringify(p.when))}"` : ''}><legend>${esc(p.title)}</legend>${p.intro ? `<p>${esc(p.intro)}</p>` : ''}${p.fields
      .map((f) => renderField(f, values[f.name], errors, files[f.name] ?? [])).join('')}</fieldset>`)
    .join('');
}

/** Form fields (multipart, flat names like `adresse.city`) → the answers object the engine expects. */
export function answersFromForm(pages: PageDef[], fields: Record<string, string | string[]>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of pages.flatMap((p) => p.fields)) {
    if (f.type === 'file') continue;
    if (f.type === 'address') {
      const a: Record<string, string> = {};
      for (const k of ['line1', 'line2', 'postcode', 'city']) if (typeof fields[`${f.name}.${k}`] === 'string') a[k] = fields[`${f.name}.${k}`] as string;
      if (Object.values(a).some(Boolean)) out[f.name] = a;
      continue;
    }
    const v = fields[f.name];
    if (v === undefined) continue;
    if (f.type === 'checkbox' && !f.options) out[f.name] = v === 'true';
    else if (f.type === 'checkbox') out[f.name] = Array.isArray(v) ? v : [v];
    else out[f.name] = Array.isArray(v) ? v[0] : v;
  }
  return out;
}
