// The field validators shared by the server and the portal front end: normalised values, French messages.
import { describe, expect, it } from 'vitest';
import {
  evaluate, validateAddress, validateAmount, validateAnswers, validateDate, validateIban, validatePhone, validatePostcode, validateRna,
  validateSiret, type PageDef,
} from './fields.ts';
import { checkDefinition } from './definition.ts';
import fs from 'node:fs';
import { DEFAULT_PROCEDURES_DIR } from './procedures.service.ts';

describe('field validators', () => {
  it('SIRET: spaces allowed, Luhn key checked (La Poste exception)', () => {
    expect(validateSiret('732 829 320 00074')).toEqual({ ok: true, value: '73282932000074' });
    expect(validateSiret('73282932000075')).toEqual({ ok: false, error: expect.stringContaining('clé de contrôle') });
    expect(validateSiret('1234')).toEqual({ ok: false, error: expect.stringContaining('14 chiffres') });
    expect(validateSiret('35600000000048').ok).toBe(true);
  });

  it('RNA: W + 9 digits, case and spaces forgiven', () => {
    expect(validateRna(' w45 2001234')).toEqual({ ok: true, value: 'W452001234' });
    expect(validateRna('452001234')).toEqual({ ok: false, error: expect.stringContaining('lettre W') });
  });

  it('IBAN: ISO 13616 mod 97, country length', () => {
    expect(validateIban('fr76 3000 6000 0112 3456 7890 189')).toEqual({ ok: true, value: 'FR7630006000011234567890189' });
    expect(validateIban('DE89 3704 0044 0532 0130 00').ok).toBe(true);
    expect(validateIban('FR76 3000 6000 0112 3456 7890 188')).toEqual({ ok: false, error: expect.stringContaining('clé de contrôle') });
    expect(validateIban('FR76 3000 6000 0112 3456 7890')).toEqual({ ok: false, error: expect.stringContaining('27 caractères') });
    expect(validateIban('pas un iban').ok).toBe(false);
  });

  it('phone numbers are normalised to E.164', () => {
    expect(validatePhone('06 12 34 56 78')).toEqual({ ok: true, value: '+33612345678' });
    expect(validatePhone('0692 12 34 56')).toEqual({ ok: true, value: '+262692123456' });
    expect(validatePhone('12')).toEqual({ ok: false, error: expect.stringContaining('Numéro de téléphone invalide') });
  });

  it('postcodes: 5 digits of an existing département', () => {
    expect(validatePostcode('45 000')).toEqual({ ok: true, value: '45000' });
    expect(validatePostcode('20200').ok).toBe(true);
    expect(validatePostcode('00100').ok).toBe(false);
    expect(validatePostcode('99000')).toEqual({ ok: false, error: 'Code postal invalide : 5 chiffres (exemple : 45000).' });
  });

  it('dates: JJ/MM/AAAA or ISO, real calendar days, past/future rules', () => {
    expect(validateDate('29/02/2024')).toEqual({ ok: true, value: '2024-02-29' });
    expect(validateDate('29/02/2023')).toEqual({ ok: false, error: expect.stringContaining('JJ/MM/AAAA') });
    expect(validateDate('2030-01-01', { notFuture: true, today: '2026-11-30' })).toEqual({ ok: false, error: 'La date ne peut pas être dans le futur.' });
    expect(validateDate('2020-01-01', { notPast: true, today: '2026-11-30' })).toEqual({ ok: false, error: 'La date ne peut pas être dans le passé.' });
  });

  it('amounts in euros, French notation', () => {
    expect(validateAmount('12 500,50 €')).toEqual({ ok: true, value: 12500.5 });
    expect(validateAmount('1,234')).toEqual({ ok: false, error: expect.stringContaining('deux décimales') });
    expect(validateAmount('-3')).toEqual({ ok: false, error: 'Le montant doit être au moins 0 €.' });
  });

  it('addresses: errors by sub-field', () => {
    expect(validateAddress({ line1: '1 rue X', postcode: '45000', city: 'Orléans' })).toEqual({ ok: true, value: { line1: '1 rue X', postcode: '45000', city: 'Orléans' } });
    expect(validateAddress({ postcode: '4500' })).toEqual({ ok: false, errors: { line1: expect.any(String), city: 'Indiquez la commune.', postcode: expect.any(String) } });
  });
});

describe('forms: conditions and whole-form validation', () => {
  const pages: PageDef[] = [
    { id: 'a', title: 'A', fields: [
      { name: 'type', type: 'radio', label: 'Type', required: true, options: [{ value: 'sport', label: 'Sport' }, { value: 'culture', label: 'Culture' }] },
      { name: 'discipline', type: 'text', label: 'Discipline', required: true, when: { field: 'type', equals: 'sport' } },
    ] },
    { id: 'b', title: 'B', when: { any: [{ field: 'type', equals: 'culture' }, { field: 'type', filled: false }] }, fields: [{ name: 'genre', type: 'text', label: 'Genre', required: true }] },
  ];

  it('asks only visible fields and drops answers to hidden ones', () => {
    expect(validateAnswers(pages, { type: 'sport' })).toEqual({ values: { type: 'sport' }, errors: { discipline: 'Ce champ est obligatoire.' } });
    expect(validateAnswers(pages, { type: 'culture', discipline: 'foot', genre: 'théâtre' })).toEqual({ values: { type: 'culture', genre: 'théâtre' }, errors: {} });
    expect(validateAnswers(pages, { type: 'autre' }).errors.type).toBe('Choisissez une des réponses proposées.');
    expect(evaluate({ all: [{ field: 'a', in: [1, 2] }, { field: 'b', notEquals: 'x' }] }, { a: 2, b: 'y' })).toBe(true);
  });

  it('every demo procedure file is a valid definition', () => {
    for (const f of fs.readdirSync(DEFAULT_PROCEDURES_DIR).filter((n) => n.endsWith('.json'))) {
      expect(checkDefinition(JSON.parse(fs.readFileSync(`${DEFAULT_PROCEDURES_DIR}/${f}`, 'utf8'))), f).toEqual([]);
    }
    expect(checkDefinition({ slug: 'x', pages: [] })).toEqual(expect.arrayContaining([expect.stringContaining('slug'), expect.stringContaining('pages')]));
  });
});
